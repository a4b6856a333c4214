//! Placeholders left in content: every `TODO` in a content file is reported as a warning, at
//! its line and column. `atlasgen new` marks with it what it could not know (a required
//! field's value, the narrative), and a placeholder that happens to be a valid value (a `0`,
//! an enum's first value) would otherwise be published unnoticed.

use crate::diag::{Diagnostic, Pos};

/// The marker: a whole word, in capitals.
pub const MARKER: &str = "TODO";

/// A warning for each line of `text` that holds the marker, at its first occurrence.
pub fn scan(text: &str, rel: &str) -> Vec<Diagnostic> {
    if !text.contains(MARKER) {
        return vec![];
    }
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let Some(byte) = find_word(line) else { continue };
        let column = line[..byte].chars().count() + 1;
        out.push(
            Diagnostic::warning(rel, Pos::new(n + 1, column), "unfilled placeholder: `TODO` is still here")
                .with_help("write the real value (or text) in its place and delete the TODO mark"),
        );
    }
    out
}

/// Where the marker stands as a word of its own in `line`.
fn find_word(line: &str) -> Option<usize> {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    line.match_indices(MARKER)
        .map(|(i, _)| i)
        .find(|&i| !word(line[..i].chars().next_back()) && !word(line[i + MARKER.len()..].chars().next()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_marker_as_a_word() {
        let d = scan(
            "---\nname: \"TODO\"\ncount: 0  # TODO\nnote: TODOS and MYTODO are words\n---\nTODO: write.\n",
            "a.md",
        );
        let at: Vec<(usize, usize)> = d.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, vec![(2, 8), (3, 13), (6, 1)]);
    }

    #[test]
    fn columns_count_characters() {
        let d = scan("tên: \"Đà TODO\"\n", "a.yaml");
        assert_eq!((d[0].line, d[0].column), (1, 10));
    }
}
