//! `check --format github`: problems as GitHub Actions workflow commands, so they appear as
//! annotations on the pull request's lines, and every one of them in the job summary.
//!
//! GitHub shows at most ten error and ten warning annotations per step; an atlas with more
//! problems would hide the rest. The job summary (`$GITHUB_STEP_SUMMARY`, Markdown) has no
//! such cap, so it lists them all, and a notice says where to look when the cap is reached.

use crate::diag::{Diagnostic, Diagnostics, Severity, summary};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The most annotations of one severity GitHub shows for a step.
pub const ANNOTATIONS_PER_STEP: usize = 10;

/// Where a run's problems go on GitHub.
#[derive(Debug, Clone, Default)]
pub struct Github {
    /// The atlas folder's path from the repository's root (`""` or `"atlas/"`): annotations
    /// name files from the repository's root, diagnostics from the atlas's.
    prefix: String,
    /// The job summary file, when running in a workflow.
    summary: Option<PathBuf>,
    /// `https://github.com/<owner>/<repo>/blob/<sha>/`, to link each problem to its line.
    blob: Option<String>,
}

impl Github {
    /// As a workflow step sees it: the workspace, summary file and commit from GitHub's
    /// environment variables; outside a workflow, files are named from the current folder
    /// and no summary is written.
    pub fn from_env(root: &Path) -> Github {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let workspace = var("GITHUB_WORKSPACE").map(PathBuf::from).or_else(|| std::env::current_dir().ok());
        let blob = match (var("GITHUB_SERVER_URL"), var("GITHUB_REPOSITORY"), var("GITHUB_SHA")) {
            (Some(server), Some(repo), Some(sha)) => Some(format!("{server}/{repo}/blob/{sha}/")),
            _ => None,
        };
        Github {
            prefix: workspace.map(|w| prefix(root, &w)).unwrap_or_default(),
            summary: var("GITHUB_STEP_SUMMARY").map(PathBuf::from),
            blob,
        }
    }

    /// Set explicitly (tests, other CI systems that read the same commands).
    pub fn new(prefix: &str, summary: Option<PathBuf>, blob: Option<String>) -> Github {
        let prefix = if prefix.is_empty() || prefix.ends_with('/') { prefix.to_string() } else { format!("{prefix}/") };
        Github { prefix, summary, blob }
    }

    /// One workflow command per problem, in the order `check` lists them, and a notice when
    /// GitHub will not show them all.
    pub fn annotations(&self, diags: &Diagnostics) -> String {
        let mut out = String::new();
        for d in diags.sorted() {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut props = vec![format!("file={}", property(&self.path(&d)))];
            if d.line > 0 {
                props.push(format!("line={}", d.line));
                if d.column > 0 {
                    props.push(format!("col={}", d.column));
                }
            }
            props.push(format!("title={}", property("atlasgen check")));
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                let _ = write!(message, "\nhelp: {h}");
            }
            let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&message));
        }
        let (e, w) = (diags.error_count(), diags.warning_count());
        if e > ANNOTATIONS_PER_STEP || w > ANNOTATIONS_PER_STEP {
            let text = format!(
                "{}: GitHub shows at most {ANNOTATIONS_PER_STEP} errors and {ANNOTATIONS_PER_STEP} warnings of a step \
                 as annotations; the job summary lists every one",
                summary(e, w)
            );
            let _ = writeln!(out, "::notice title={}::{}", property("atlasgen check"), data(&text));
        }
        out
    }

    /// Every problem as a Markdown table, for the job summary.
    pub fn summary_markdown(&self, diags: &Diagnostics) -> String {
        let (e, w) = (diags.error_count(), diags.warning_count());
        if e + w == 0 {
            return "### atlasgen check: no problems found\n".into();
        }
        let mut out = format!("### atlasgen check: {}\n\n", summary(e, w));
        out.push_str("| | Where | Problem | How to fix it |\n|---|---|---|---|\n");
        for d in diags.sorted() {
            let path = self.path(&d);
            let place = if d.line > 0 { format!("{path}:{}:{}", d.line, d.column) } else { path.clone() };
            let place = match &self.blob {
                Some(b) if d.line > 0 => format!("[{}]({b}{}#L{})", cell(&place), link_path(&path), d.line),
                Some(b) => format!("[{}]({b}{})", cell(&place), link_path(&path)),
                None => cell(&place),
            };
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(
                out,
                "| {severity} | {place} | {} | {} |",
                cell(&d.message),
                cell(d.help.as_deref().unwrap_or(""))
            );
        }
        out
    }

    /// Appends the summary to the job summary file; nothing outside a workflow.
    pub fn write_summary(&self, diags: &Diagnostics) -> std::io::Result<()> {
        let Some(path) = &self.summary else { return Ok(()) };
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        f.write_all(self.summary_markdown(diags).as_bytes())
    }

    fn path(&self, d: &Diagnostic) -> String {
        format!("{}{}", self.prefix, d.file)
    }
}

/// The atlas folder's path from `workspace`, with `/` separators and a trailing `/`; empty
/// when they are the same folder or the atlas is elsewhere.
fn prefix(root: &Path, workspace: &Path) -> String {
    let (Ok(root), Ok(ws)) = (root.canonicalize(), workspace.canonicalize()) else { return String::new() };
    match root.strip_prefix(&ws) {
        Ok(rel) if rel.as_os_str().is_empty() => String::new(),
        Ok(rel) => format!("{}/", rel.to_string_lossy().replace('\\', "/")),
        Err(_) => String::new(),
    }
}

/// A workflow command's message: `%`, CR and LF escaped, as GitHub's toolkit does.
pub fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value: as [`data`], and `:` and `,` too, which would
/// otherwise end the value.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Text in a Markdown table cell: a `|` would end the cell and a line break the row.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace("\r\n", "<br>").replace('\n', "<br>")
}

/// A path in a link: the characters a URL path cannot hold as they are, percent-encoded.
fn link_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    #[test]
    fn escapes_as_github_requires() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn annotations_name_files_from_the_repository_root() {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("content/a,b.md", Pos::new(3, 7), "bad: value").with_help("try 50%"));
        d.push(Diagnostic::warning("atlas.yaml", Pos::FILE, "whole file"));
        let g = Github::new("atlas", None, None);
        assert_eq!(
            g.annotations(&d),
            "::warning file=atlas/atlas.yaml,title=atlasgen check::whole file\n\
             ::error file=atlas/content/a%2Cb.md,line=3,col=7,title=atlasgen check::bad: value%0Ahelp: try 50%25\n"
        );
    }

    #[test]
    fn a_notice_says_when_annotations_are_capped() {
        let mut d = Diagnostics::new();
        for i in 1..=11 {
            d.push(Diagnostic::error("a.md", Pos::new(i, 1), "x"));
        }
        let out = Github::default().annotations(&d);
        assert_eq!(out.lines().count(), 12);
        assert!(out.lines().last().unwrap().starts_with("::notice title=atlasgen check::11 errors, 0 warnings"));
    }

    #[test]
    fn summary_links_lines_and_escapes_cells() {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("content/my file.md", Pos::new(2, 1), "a | b").with_help("one\ntwo"));
        let g = Github::new("", None, Some("https://github.com/o/r/blob/abc/".into()));
        assert_eq!(
            g.summary_markdown(&d),
            "### atlasgen check: 1 error, 0 warnings\n\n| | Where | Problem | How to fix it |\n|---|---|---|---|\n\
             | error | [content/my file.md:2:1](https://github.com/o/r/blob/abc/content/my%20file.md#L2) | a \\| b | one<br>two |\n"
        );
    }
}
