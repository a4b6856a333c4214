//! The `atlasgen` command line: parses arguments and hands over to the library.

use atlasgen::diag::{Renderer, summary};
use atlasgen::{BuildOptions, build};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Command::Build { root, output, base_url } =
        cli.command.unwrap_or(Command::Build { root: ".".into(), output: "site".into(), base_url: None });
    let opts = BuildOptions { root: root.clone(), output, base_url };
    let mut renderer = Renderer::new(&root);
    match build(&opts) {
        Ok(report) => {
            eprint!("{}", renderer.render_all(&report.diagnostics));
            let counts: Vec<String> = report.counts.iter().map(|(c, n)| format!("{n} {c}")).collect();
            eprintln!(
                "built {} pages ({} files) in {} ms: {}",
                report.pages,
                report.files,
                report.elapsed.as_millis(),
                counts.join(", ")
            );
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{}", renderer.render_all(&diags));
            eprintln!(
                "build failed ({}); the previous site, if any, is unchanged",
                summary(diags.error_count(), diags.warning_count())
            );
            ExitCode::FAILURE
        }
    }
}
