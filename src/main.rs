//! The `atlasgen` command line: parses arguments and hands over to the library.
//!
//! Exit codes: 0 success, 1 problems in the atlas, 2 wrong usage (clap's convention).

/// mimalloc: a build allocates and frees millions of small strings across threads, where
/// it is markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e`, mimalloc.h, v3): how long
/// freed memory is kept before it is handed back to the system. `libmimalloc-sys` gives it no
/// name for v3.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
// The option the crate names after it: an update that renumbers them stops here.
const _: () = assert!(MI_OPTION_PURGE_DELAY + 1 == libmimalloc_sys::mi_option_use_numa_nodes);

/// A build is over in a second and frees as much as it keeps: handing pages back to the system
/// as it goes (some thousand `madvise` calls) and faulting them in again cost ~3% of its time.
/// `serve` runs for hours, and keeps the default.
fn keep_freed_memory() {
    // SAFETY: sets one of mimalloc's options, which it reads on every purge; no memory is touched.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

use atlasgen::diag::Diagnostics;
use atlasgen::report::Renderer;
use atlasgen::{BuildOptions, build, check, config, github, scaffold, schema_json};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "atlasgen", version, about = "Build a static atlas from YAML records and Markdown")]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Without a command, atlasgen builds: `atlasgen --timings` is `atlasgen build --timings`.
    #[command(flatten)]
    build: BuildArgs,
}

#[derive(Args)]
struct BuildArgs {
    /// The atlas folder, holding atlas.yaml (default: the nearest one from here upward).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Where to write the site, relative to the atlas folder unless absolute.
    #[arg(long, short, default_value = "site")]
    output: PathBuf,
    /// Serve the site from this absolute http(s) URL instead of the configured base_url.
    #[arg(long, value_parser = base_url)]
    base_url: Option<String>,
    /// Print the time each stage of the build took.
    #[arg(long)]
    timings: bool,
    /// Replace an output that is not a site atlasgen wrote, deleting everything in it.
    #[arg(long)]
    force: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Check the atlas and write the site (the default when no command is given).
    Build(BuildArgs),
    /// Check everything a build checks, templates included, without writing anything.
    Check {
        #[arg(long)]
        root: Option<PathBuf>,
        /// `human` (rustc-style, with the source line), `json` (one object per line) or
        /// `github` (workflow annotations, every problem also in the job summary).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Create a record of a collection from its schema: `atlasgen new gates my-gate`.
    ///
    /// A collection kept in a YAML list gets the record appended to that list; others get
    /// `content/<collection>/<id>.md`.
    New {
        collection: String,
        id: String,
        #[arg(long)]
        root: Option<PathBuf>,
        /// Write `content/<collection>/<id>.md` even when the collection keeps a YAML list.
        #[arg(long, conflicts_with = "file")]
        md: bool,
        /// The YAML list to append to, when the collection keeps several.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Start a new atlas: in an empty folder, or a fresh clone holding only .git, README or LICENSE.
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Write JSON Schemas of atlas.yaml and of each collection's records, for editors' YAML tools.
    Schema {
        #[arg(long)]
        root: Option<PathBuf>,
        /// Where to write them, relative to the atlas folder unless absolute.
        #[arg(long, default_value = schema_json::DEFAULT_DIR)]
        output: PathBuf,
    },
    /// Print the interface strings a language's tables lack, as YAML entries to add to
    /// i18n/<lang>.yaml (each with its English text as the value, to translate).
    Strings {
        /// A language of atlas.yaml (e.g. `de`, `vi`).
        lang: String,
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Build into memory, serve on 127.0.0.1, rebuild on every save and reload open pages.
    #[cfg(feature = "serve")]
    Serve {
        #[arg(long)]
        root: Option<PathBuf>,
        /// Port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Interface to listen on; anything but loopback exposes your drafts to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Print the time each stage of every rebuild took.
        #[arg(long)]
        timings: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

/// `--base-url`: refused at once unless absolute http(s), before anything is read.
fn base_url(s: &str) -> Result<String, String> {
    config::check_base_url(s).map(|()| s.to_string())
}

/// The atlas folder: `--root`, or the nearest folder from the current one upward holding
/// atlas.yaml, or the current folder (whose missing atlas.yaml is then reported).
fn atlas_root(root: Option<PathBuf>) -> PathBuf {
    if let Some(r) = root {
        return r;
    }
    let here = PathBuf::from(".");
    let Ok(cwd) = std::env::current_dir() else { return here };
    match config::find_root(&cwd) {
        Some(found) if found != cwd => {
            eprintln!("note: using the atlas in {}", found.display());
            found
        }
        _ => here,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Build(cli.build)) {
        Command::Build(BuildArgs { root, output, base_url, timings, force }) => {
            keep_freed_memory();
            let root = atlas_root(root);
            let opts = BuildOptions { root: root.clone(), output, base_url, force };
            match build(&opts) {
                Ok(report) => {
                    report_human(&root, &report.diagnostics);
                    let counts: Vec<String> = report.counts.iter().map(|(c, n)| format!("{n} {c}")).collect();
                    eprintln!(
                        "built {} pages ({} files) in {} ms: {}",
                        report.pages,
                        report.files,
                        report.elapsed.as_millis(),
                        counts.join(", ")
                    );
                    if timings {
                        eprint!("{}", report.timings.report());
                    }
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    report_human(&root, &diags);
                    eprintln!("build failed; nothing was written and the previous site, if any, is unchanged");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check { root, format } => {
            let root = atlas_root(root);
            let (diags, ok, coverage) = match check(&root, None) {
                Ok(r) => {
                    let coverage = r.coverage();
                    (r.diagnostics, true, coverage)
                }
                Err(d) => (d, false, vec![]),
            };
            match format {
                Format::Human => {
                    report_human(&root, &diags);
                    if diags.is_empty() {
                        eprintln!("no problems found");
                    }
                    for c in &coverage {
                        eprint!("{}", coverage_report(c));
                    }
                }
                Format::Json => {
                    for d in diags.sorted() {
                        println!("{}", serde_json::to_string(&d).expect("diagnostics serialize"));
                    }
                }
                Format::Github => {
                    // The log keeps the full, quoted form; annotations and the summary are for
                    // the pull request and the run's page.
                    report_human(&root, &diags);
                    if diags.is_empty() {
                        eprintln!("no problems found");
                    }
                    let github = github::Github::from_env(&root);
                    print!("{}", github.annotations(&diags));
                    if let Err(e) = github.write_summary(&diags) {
                        eprintln!("error: cannot write the job summary: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            }
            if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Command::New { collection, id, root, md, file } => {
            let root = atlas_root(root);
            let place = match (md, file) {
                (true, _) => scaffold::Place::Markdown,
                (false, Some(f)) => scaffold::Place::List(f),
                (false, None) => scaffold::Place::Auto,
            };
            match scaffold::new_record(&root, &collection, &id, place) {
                Ok(made) => {
                    eprintln!("{made}: fill in the placeholders (marked TODO), then run `atlasgen check`");
                    ExitCode::SUCCESS
                }
                Err(r) => refused(&root, r),
            }
        }
        #[cfg(feature = "serve")]
        Command::Serve { root, port, bind, timings } => {
            let root = atlas_root(root);
            match atlasgen::serve::serve(atlasgen::serve::ServeOptions { root, bind, port, timings }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Strings { lang, root } => {
            let root = atlas_root(root);
            match check(&root, None) {
                Ok(r) => match r.coverage().into_iter().find(|c| c.code == lang) {
                    Some(c) => {
                        print!("{}", atlasgen::coverage::missing_table(&c));
                        ExitCode::SUCCESS
                    }
                    None => {
                        let codes: Vec<String> = r.editions.iter().map(|e| e.locale.language.code.clone()).collect();
                        if codes.contains(&lang) {
                            eprintln!("the `{lang}` tables lack no interface string");
                            ExitCode::SUCCESS
                        } else {
                            eprintln!("error: `{lang}` is not a language of the atlas ({})", codes.join(", "));
                            ExitCode::from(2)
                        }
                    }
                },
                Err(d) => {
                    report_human(&root, &d);
                    ExitCode::FAILURE
                }
            }
        }
        Command::Init { dir } => match scaffold::init(&dir) {
            Ok(files) => {
                eprintln!("created a new atlas in {}:", dir.display());
                for f in &files {
                    eprintln!("  {f}");
                }
                let guide = files.iter().find(|f| f.ends_with(".md") && !f.contains('/')).map_or("README.md", |f| f);
                let cd = if dir == Path::new(".") { String::new() } else { format!("cd {} && ", dir.display()) };
                eprintln!("next: {cd}atlasgen serve, and read {guide}: how to add records, check them and publish");
                ExitCode::SUCCESS
            }
            Err(r) => refused(Path::new("."), r),
        },
        Command::Schema { root, output } => {
            let root = atlas_root(root);
            match schema_json::write(&root, &output) {
                Ok(written) => {
                    for f in &written.files {
                        eprintln!("wrote {f}");
                    }
                    eprint!(
                        "\nFor completion and checks as you type, point each YAML file at its schema: in VS Code, \
                         with .vscode/settings.json\n{}or with a first line such as\n# yaml-language-server: $schema=<path to its schema>\n",
                        written.vscode
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    report_human(&root, &d);
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Says why `new` or `init` wrote nothing: a usage error (exit code 2) or the atlas's problems.
fn refused(root: &Path, r: scaffold::Refusal) -> ExitCode {
    match r {
        scaffold::Refusal::Usage { message, help } => {
            eprintln!("error: {message}\n  = help: {help}");
            ExitCode::from(2)
        }
        scaffold::Refusal::Atlas(d) => {
            report_human(root, &d);
            ExitCode::FAILURE
        }
    }
}

/// Prints diagnostics rustc-style on stderr, with a summary line when there are any.
fn report_human(root: &Path, diags: &Diagnostics) {
    if !diags.is_empty() {
        eprint!("{}", Renderer::new(root).render_all(diags));
    }
}

/// A language's translation coverage: counts, then what is missing (at most a screenful; the
/// rest is counted).
fn coverage_report(c: &atlasgen::coverage::Coverage) -> String {
    const SHOWN: usize = 12;
    let mut out = format!(
        "translations ({}): {} of {} records complete ({}%), {} of {} pages, {} interface strings and {} citation locators or notes missing\n",
        c.code,
        c.complete,
        c.records,
        c.percent(),
        c.pages - c.pages_missing.len(),
        c.pages,
        c.strings_missing.len(),
        c.citations_missing.len()
    );
    for (file, id, lacking) in c.missing.iter().take(SHOWN) {
        out.push_str(&format!("  {file} ({id}): {}\n", lacking.join(", ")));
    }
    if c.missing.len() > SHOWN {
        out.push_str(&format!("  … and {} more records\n", c.missing.len() - SHOWN));
    }
    for file in &c.pages_missing {
        out.push_str(&format!("  {file}: no translation\n"));
    }
    if !c.strings_missing.is_empty() || !c.citations_missing.is_empty() {
        out.push_str(&format!("  `atlasgen strings {}` prints the strings and locators to translate\n", c.code));
    }
    out
}
