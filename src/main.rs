//! The `atlasgen` command line: parses arguments and hands over to the library.
//!
//! Exit codes: 0 success, 1 problems in the atlas, 2 wrong usage (clap's convention).

/// mimalloc: a build allocates and frees millions of small strings across threads, where
/// it is markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use atlasgen::diag::{Diagnostics, Renderer};
use atlasgen::{BuildOptions, build, check, scaffold};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "atlasgen", version, about = "Build a static atlas from YAML records and Markdown")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check the atlas and write the site (the default when no command is given).
    Build {
        /// The atlas folder, holding atlas.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site, relative to the atlas folder unless absolute.
        #[arg(long, short, default_value = "site")]
        output: PathBuf,
        /// Serve the site from this URL instead of the configured base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Print the time each stage of the build took.
        #[arg(long)]
        timings: bool,
        /// Replace an output that is not a site atlasgen wrote, deleting everything in it.
        #[arg(long)]
        force: bool,
    },
    /// Check everything a build checks, templates included, without writing anything.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `human` (rustc-style, with the source line) or `json` (one object per line).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Create a record of a collection from its schema: `atlasgen new gates my-gate`.
    New {
        collection: String,
        id: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Start a new atlas in an empty folder.
    Init { dir: PathBuf },
    /// Build into memory, serve on 127.0.0.1, rebuild on every save and reload open pages.
    #[cfg(feature = "serve")]
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Build {
        root: ".".into(),
        output: "site".into(),
        base_url: None,
        timings: false,
        force: false,
    }) {
        Command::Build { root, output, base_url, timings, force } => {
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
            let (diags, ok) = match check(&root, None) {
                Ok(r) => (r.diagnostics, true),
                Err(d) => (d, false),
            };
            match format {
                Format::Human => {
                    report_human(&root, &diags);
                    if diags.is_empty() {
                        eprintln!("no problems found");
                    }
                }
                Format::Json => {
                    for d in diags.sorted() {
                        println!("{}", serde_json::to_string(&d).expect("diagnostics serialize"));
                    }
                }
            }
            if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Command::New { collection, id, root } => match scaffold::new_record(&root, &collection, &id) {
            Ok(path) => {
                eprintln!("created {}: fill in the placeholders, then run `atlasgen check`", path.display());
                ExitCode::SUCCESS
            }
            Err(d) => {
                report_human(&root, &d);
                ExitCode::FAILURE
            }
        },
        #[cfg(feature = "serve")]
        Command::Serve { root, port, bind, timings } => {
            match atlasgen::serve::serve(atlasgen::serve::ServeOptions { root, bind, port, timings }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Init { dir } => match scaffold::init(&dir) {
            Ok(files) => {
                eprintln!("created a new atlas in {}:", dir.display());
                for f in files {
                    eprintln!("  {f}");
                }
                eprintln!("next: cd {} && atlasgen build", dir.display());
                ExitCode::SUCCESS
            }
            Err(d) => {
                report_human(Path::new("."), &d);
                ExitCode::FAILURE
            }
        },
    }
}

/// Prints diagnostics rustc-style on stderr, with a summary line when there are any.
fn report_human(root: &Path, diags: &Diagnostics) {
    if !diags.is_empty() {
        eprint!("{}", Renderer::new(root).render_all(diags));
    }
}
