//! Diagnostics for people: rustc's layout (`error:` line, `-->` location, the source line with
//! a caret, `= help:`), because editors who have seen one compiler error can read these
//! without learning a new format. The quoted lines are read from the atlas folder.

use crate::diag::{Diagnostic, Diagnostics, Severity, summary};
use crate::source::Lines;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Renders diagnostics in rustc's style, quoting the offending source line.
pub struct Renderer {
    root: PathBuf,
    /// Each file quoted so far, read once, with where each of its lines starts: a hundred
    /// thousand diagnostics in one file each find their line without reading it again.
    sources: HashMap<String, Option<(String, Lines)>>,
}

impl Renderer {
    /// A renderer that reads quoted lines from files under `root`.
    pub fn new(root: &Path) -> Self {
        Renderer { root: root.to_path_buf(), sources: HashMap::new() }
    }

    fn line_of(&mut self, file: &str, line: usize) -> Option<String> {
        let root = &self.root;
        let source = self
            .sources
            .entry(file.to_string())
            .or_insert_with(|| {
                // Only files of the atlas are quoted: never a file a link leads out to.
                let bytes = crate::input::read(root, &root.join(file), crate::input::MAX_TEXT_BYTES).ok()?;
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let lines = Lines::new(&text);
                Some((text, lines))
            })
            .as_ref()?;
        let (text, lines) = source;
        lines.line(text, line).map(str::to_string)
    }

    /// One diagnostic, several lines, ending in a newline.
    pub fn render(&mut self, d: &Diagnostic) -> String {
        let mut out = String::new();
        let label = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{label}: {}", d.message);
        if d.line == 0 {
            let _ = writeln!(out, "  --> {}", d.file);
        } else {
            let _ = writeln!(out, "  --> {}:{}:{}", d.file, d.line, d.column);
            if let Some(src) = self.line_of(&d.file, d.line) {
                let num = d.line.to_string();
                let pad = " ".repeat(num.len());
                let shown = src.replace('\t', " ");
                // Columns count characters; the caret goes under the column'th character.
                let caret_at: usize = shown.chars().take(d.column.saturating_sub(1)).map(char_width).sum();
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{num} | {shown}");
                let _ = writeln!(out, "{pad} | {}^", " ".repeat(caret_at));
            }
        }
        if let Some(help) = &d.help {
            // `=` lines up with the `|` of the quoted source, as rustc does.
            let pad = if d.line == 0 { 2 } else { d.line.to_string().len() + 1 };
            let _ = writeln!(out, "{}= help: {help}", " ".repeat(pad));
        }
        out
    }

    /// All diagnostics, then a one-line summary.
    pub fn render_all(&mut self, diags: &Diagnostics) -> String {
        let mut out = String::new();
        for d in diags.sorted() {
            out.push_str(&self.render(&d));
            out.push('\n');
        }
        let (e, w) = (diags.error_count(), diags.warning_count());
        if e + w > 0 {
            let _ = writeln!(out, "{}", summary(e, w));
        }
        out
    }
}

/// Display width of a character in a terminal: CJK ideographs take two cells.
fn char_width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFF60 => 2,
        0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    #[test]
    fn renders_caret_under_column() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\ntitel: x\n").unwrap();
        let d = Diagnostic::error("a.md", Pos::new(2, 1), "unknown field `titel`").with_help("did you mean `title`?");
        let text = Renderer::new(dir.path()).render(&d);
        assert_eq!(
            text,
            "error: unknown field `titel`\n  --> a.md:2:1\n  |\n2 | titel: x\n  | ^\n  = help: did you mean `title`?\n"
        );
    }

    #[test]
    fn quotes_any_line_of_a_file_in_time_linear_in_the_diagnostics() {
        let dir = tempfile::tempdir().unwrap();
        let lines: Vec<String> = (1..=100_000).map(|i| format!("- id: r-{i}\r")).collect();
        std::fs::write(dir.path().join("a.yaml"), lines.join("\n")).unwrap();
        let mut r = Renderer::new(dir.path());
        assert_eq!(r.line_of("a.yaml", 1).as_deref(), Some("- id: r-1"));
        assert_eq!(r.line_of("a.yaml", 100_000).as_deref(), Some("- id: r-100000"));
        assert_eq!(r.line_of("a.yaml", 100_001), None);
        // 100,000 warnings in one file, each quoting its line: each re-read the file for it.
        let mut diags = Diagnostics::new();
        for i in 1..=100_000 {
            diags.push(Diagnostic::warning("a.yaml", Pos::new(i, 3), "an orphan").with_help("link it"));
        }
        let start = std::time::Instant::now();
        let text = r.render_all(&diags);
        assert!(text.contains("100000 | - id: r-100000"));
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "{:?}", start.elapsed());
    }
}
