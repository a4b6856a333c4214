//! Diagnostics: every problem atlasgen finds in an atlas, with the place it was found.
//!
//! Problems are collected, never thrown: each stage pushes into a [`Diagnostics`] list and goes
//! on, so an editor sees every mistake of a run at once. Rendering follows rustc's layout
//! (`error:` line, `-->` location, the source line with a caret, `= help:`), because editors
//! who have seen one compiler error can read these without learning a new format.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column in a file. Line 0 means "the whole file".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }

    /// The position for problems that concern a whole file.
    pub const FILE: Pos = Pos { line: 0, column: 0 };
}

/// One problem, with where it is, what is wrong and how to fix it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the atlas root, with `/` separators.
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// What is wrong, in one line.
    pub message: String,
    /// What would fix it, when there is something to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Whether the problem kept a whole file from being read: its records are missing, so
    /// references to them are not reported (they would bury the cause), and it is listed first.
    #[serde(skip)]
    pub cause: bool,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            help: None,
            cause: false,
        }
    }

    pub fn warning(file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, pos, message) }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn pos(&self) -> Pos {
        Pos::new(self.line, self.column)
    }

    /// Marks the problem as one that kept its whole file from being read (see [`Self::cause`]).
    pub fn as_cause(mut self) -> Self {
        self.cause = true;
        self
    }
}

/// The problems found so far in a run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every problem, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// The problems in a stable order: those that kept a whole file from being read first (the
    /// cause of what follows), then by file, position and message.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.clone();
        v.sort_by(|a, b| {
            (!a.cause, &a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(!b.cause, &b.file, b.line, b.column, b.severity, &b.message))
        });
        v.dedup_by(|a, b| a.file == b.file && a.line == b.line && a.column == b.column && a.message == b.message);
        v
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Renders diagnostics in rustc's style, quoting the offending source line.
pub struct Renderer {
    root: PathBuf,
    /// Each file quoted so far, read once, with where each of its lines starts: a hundred
    /// thousand diagnostics in one file each find their line without reading it again.
    sources: HashMap<String, Option<Source>>,
}

/// A file's text and the byte offset of each line.
struct Source {
    text: String,
    lines: Vec<usize>,
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
                let lines = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
                Some(Source { text, lines })
            })
            .as_ref()?;
        let start = *source.lines.get(line.checked_sub(1)?)?;
        if start == source.text.len() && line > 1 {
            return None; // past the last line end: as str::lines, no empty last line
        }
        let end = source.lines.get(line).map_or(source.text.len(), |&next| next - 1);
        Some(source.text[start..end].trim_end_matches('\r').to_string())
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

/// "2 errors, 1 warning" with the plurals right.
pub fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}

/// Display width of a character in a terminal: CJK ideographs take two cells.
fn char_width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFF60 => 2,
        0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= (word.len().max(c.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let fields = ["title", "date", "kind"];
        assert_eq!(did_you_mean("titel", fields), Some("title"));
        assert_eq!(did_you_mean("dat", fields), Some("date"));
        assert_eq!(did_you_mean("province", fields), None);
    }

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

    #[test]
    fn summary_pluralises() {
        assert_eq!(summary(1, 0), "1 error, 0 warnings");
        assert_eq!(summary(2, 1), "2 errors, 1 warning");
    }
}
