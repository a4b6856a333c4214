//! Positions in source text: the one place that turns a byte offset into the line and column
//! a diagnostic shows, and a line number back into the line's text for quoting it.
//!
//! Every reader of text (Markdown narrative, templates, files that are not UTF-8, the
//! diagnostics renderer) asks here, so that lines and columns are counted one way everywhere:
//! lines end at LF, columns count characters (as editors do), both from 1.

use crate::diag::{Diagnostic, Pos};

/// Where each line of a text starts: line `i` (from 0) starts at byte `starts[i]`.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        Lines { starts: std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect() }
    }

    /// The index (from 0) of the line holding byte `offset`.
    fn index_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset) - 1
    }

    /// The text of line `line` (from 1) of `text`, without its line end (LF, or CRLF); `None`
    /// past the last line, where, as with `str::lines`, an empty last line does not count.
    pub fn line<'t>(&self, text: &'t str, line: usize) -> Option<&'t str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        if start == text.len() && line > 1 {
            return None;
        }
        let end = self.starts.get(line).map_or(text.len(), |&next| next - 1);
        Some(text[start..end].trim_end_matches('\r'))
    }
}

/// Line and column (1-based) of a byte offset, given the file line where `text` starts.
pub fn position(text: &str, offset: usize, first_line: usize) -> Pos {
    Positions::new(text, first_line).at(offset)
}

/// Lines and columns of many offsets in one text (every problem and section link of a
/// narrative), in time linear in the text and the offsets: the line starts are found once,
/// and a column is counted on from the last one asked for when it is further along the same
/// line.
pub struct Positions<'a> {
    text: &'a str,
    first_line: usize,
    /// Where each line starts, found on the first question.
    lines: Option<Lines>,
    /// The last answer: its byte offset, line index and column.
    last: Option<(usize, usize, usize)>,
}

impl<'a> Positions<'a> {
    /// Positions in `text`, whose first line is line `first_line` of its file.
    pub fn new(text: &'a str, first_line: usize) -> Positions<'a> {
        Positions { text, first_line, lines: None, last: None }
    }

    /// The file line and column of byte `offset` of the text (an offset inside a character
    /// counts as that character's start, one past the end as the end).
    pub fn at(&mut self, offset: usize) -> Pos {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let lines = self.lines.get_or_insert_with(|| Lines::new(text));
        let line = lines.index_of(offset);
        let col = match self.last {
            Some((at, l, col)) if l == line && at <= offset => col + text[at..offset].chars().count(),
            _ => text[lines.starts[line]..offset].chars().count() + 1,
        };
        self.last = Some((offset, line, col));
        Pos::new(self.first_line + line, col)
    }
}

/// Line and column (in characters, as editors count) of the first byte that is not UTF-8.
/// Line ends are counted as the rest of atlasgen counts them (LF, CRLF or a lone CR), and a
/// leading byte-order mark takes no column.
pub fn utf8_error_pos(bytes: &[u8], e: std::str::Utf8Error) -> Pos {
    let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
    let good = good.strip_prefix('\u{feff}').unwrap_or(good);
    let normalised = good.replace("\r\n", "\n").replace('\r', "\n");
    position(&normalised, normalised.len(), 1)
}

/// A problem in a text, at a byte offset of it, found by a reader that knows nothing of the
/// file the text came from (Markdown narrative): [`diagnostics`] places it in its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    pub help: String,
}

impl Problem {
    /// The problem as an error of `file` at `pos`.
    pub fn diagnostic(&self, file: &str, pos: Pos) -> Diagnostic {
        Diagnostic::error(file, pos, &self.message).with_help(&self.help)
    }
}

/// The problems of `text`, which starts on line `first_line` of `file`, as errors at their
/// lines and columns in the file.
pub fn diagnostics(file: &str, text: &str, first_line: usize, problems: &[Problem]) -> Vec<Diagnostic> {
    let mut at = Positions::new(text, first_line);
    problems.iter().map(|p| p.diagnostic(file, at.at(p.offset))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_many_offsets_in_linear_time() {
        let text = "ab\nMóng Cái x\n\nlast";
        for (offset, (line, col)) in
            [(0, (10, 1)), (3, (11, 1)), (8, (11, 5)), (14, (11, 10)), (16, (12, 1)), (17, (13, 1))]
        {
            assert_eq!(position(text, offset, 10), Pos::new(line, col), "{offset}");
        }
        // One line of 200,000 broken links: a column for each, counted on from the last.
        let line = "[x](@/gates/zz) ".repeat(200_000);
        let start = std::time::Instant::now();
        let mut p = Positions::new(&line, 1);
        let cols: Vec<usize> = (0..200_000).map(|i| p.at(i * 16).column).collect();
        assert_eq!(cols[199_999], 199_999 * 16 + 1);
        assert!(start.elapsed() < std::time::Duration::from_secs(2), "{:?}", start.elapsed());
    }

    #[test]
    fn lines_are_quoted_without_their_ends() {
        let text = "one\r\ntwo\n\nfour\n";
        let lines = Lines::new(text);
        assert_eq!(lines.line(text, 1), Some("one"));
        assert_eq!(lines.line(text, 2), Some("two"));
        assert_eq!(lines.line(text, 3), Some(""));
        assert_eq!(lines.line(text, 4), Some("four"));
        assert_eq!(lines.line(text, 5), None);
        assert_eq!(lines.line(text, 0), None);
    }

    #[test]
    fn utf8_errors_are_placed_as_editors_count() {
        let bytes = b"\xef\xbb\xbfab\r\nc\xc3\xa9d\re\xff".to_vec();
        let e = String::from_utf8(bytes.clone()).unwrap_err().utf8_error();
        assert_eq!(utf8_error_pos(&bytes, e), Pos::new(3, 2));
    }

    #[test]
    fn problems_become_errors_at_their_file_positions() {
        let problems = [
            Problem { offset: 4, message: "a".into(), help: "x".into() },
            Problem { offset: 0, message: "b".into(), help: "y".into() },
        ];
        let d = diagnostics("content/a.md", "ab\ncd", 5, &problems);
        assert_eq!((d[0].line, d[0].column, d[0].message.as_str()), (6, 2, "a"));
        assert_eq!((d[1].line, d[1].column, d[1].help.as_deref()), (5, 1, Some("y")));
    }
}
