//! YAML parsed into a tree that remembers where every node and key came from.
//!
//! Schemas are data, so records cannot be deserialized into Rust structs; instead the YAML is
//! read into [`Node`]s carrying line and column, and validation walks that tree against the
//! collection's schema. serde-saphyr supplies the positions through its `Spanned` wrapper and
//! enforces alias and depth budgets, so an alias bomb is an error, not an outage.

use crate::diag::{Diagnostic, Pos};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A YAML value with the position of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: NodeValue,
}

/// The shapes a YAML value can take.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in file order, each with its own position.
    Map(Vec<(Key, Node)>),
}

/// A mapping key and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub pos: Pos,
    pub name: String,
}

impl NodeValue {
    /// A short name of the shape, for messages such as "expected a date, found a list".
    pub fn describe(&self) -> String {
        match self {
            NodeValue::Null => "nothing (null)".into(),
            NodeValue::Bool(b) => format!("the boolean `{b}`"),
            NodeValue::Int(i) => format!("the number `{i}`"),
            NodeValue::Float(f) => format!("the number `{f}`"),
            NodeValue::Str(s) => format!("the text \"{}\"", shorten(s)),
            NodeValue::Seq(_) => "a list".into(),
            NodeValue::Map(_) => "a mapping".into(),
        }
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 { format!("{}…", s.chars().take(40).collect::<String>()) } else { s.into() }
}

impl Node {
    /// The value at `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            NodeValue::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

fn pos_of(loc: &serde_saphyr::Location) -> Pos {
    Pos::new(loc.line() as usize, loc.column() as usize)
}

/// The bare shape, deserialized through serde-saphyr; children are spanned.
struct Shape(NodeValue);

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShapeVisitor).map(Shape)
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<Shape>::deserialize(d)?;
        Ok(Node { pos: pos_of(&s.referenced), value: s.value.0 })
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = NodeValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_none<E>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeValue, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, v: bool) -> Result<NodeValue, E> {
        Ok(NodeValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<NodeValue, E> {
        Ok(NodeValue::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<NodeValue, E> {
        Ok(i64::try_from(v).map(NodeValue::Int).unwrap_or(NodeValue::Float(v as f64)))
    }
    fn visit_i128<E>(self, v: i128) -> Result<NodeValue, E> {
        Ok(i64::try_from(v).map(NodeValue::Int).unwrap_or(NodeValue::Float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<NodeValue, E> {
        Ok(i64::try_from(v).map(NodeValue::Int).unwrap_or(NodeValue::Float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<NodeValue, E> {
        Ok(NodeValue::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<NodeValue, E> {
        Ok(NodeValue::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<NodeValue, E> {
        Ok(NodeValue::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeValue, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element::<Node>()? {
            items.push(n);
        }
        Ok(NodeValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeValue, A::Error> {
        let mut entries: Vec<(Key, Node)> = Vec::new();
        while let Some(k) = map.next_key::<Spanned<KeyText>>()? {
            let v = map.next_value::<Node>()?;
            entries.push((Key { pos: pos_of(&k.referenced), name: k.value.0 }, v));
        }
        Ok(NodeValue::Map(entries))
    }
}

/// A mapping key read as text, whatever its YAML type (`2024:` is a key too).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = String;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a plain mapping key")
            }
            fn visit_str<E>(self, v: &str) -> Result<String, E> {
                Ok(v.into())
            }
            fn visit_string<E>(self, v: String) -> Result<String, E> {
                Ok(v)
            }
            fn visit_i64<E>(self, v: i64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_u64<E>(self, v: u64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_f64<E>(self, v: f64) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_bool<E>(self, v: bool) -> Result<String, E> {
                Ok(v.to_string())
            }
            fn visit_unit<E>(self) -> Result<String, E> {
                Ok("null".into())
            }
        }
        d.deserialize_any(V).map(KeyText)
    }
}

/// Parser settings shared by content and configuration: duplicate keys are errors, and only
/// YAML 1.2 booleans are booleans, so `no`, `y` or the country code `NO` stay text instead of
/// turning into `false`.
///
/// Aliases may replay at most 100,000 events in all (an atlas has no use for more, and an alias
/// bomb stops early), while the plain node and event counts are raised far past serde-saphyr's
/// defaults: a list of 100,000 records is ordinary here, and a file's size already bounds them.
pub fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        with_snippet: false,
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        budget: serde_saphyr::budget! { max_nodes: 100_000_000, max_events: 200_000_000 },
        alias_limits: serde_saphyr::alias_limits! { max_total_replayed_events: 100_000 },
    }
}

/// Parses one YAML document. `line_offset` is added to every line, for text cut out of a file.
/// An empty document is `Null`.
pub fn parse(text: &str, file: &str) -> Result<Node, Diagnostic> {
    if text.trim().is_empty()
        || text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#') || l.trim() == "---")
    {
        return Ok(Node { pos: Pos::new(1, 1), value: NodeValue::Null });
    }
    let node =
        serde_saphyr::from_str_with_options::<Node>(text, options()).map_err(|e| to_diagnostic(&e, file, text))?;
    match control_character(&node) {
        Some((pos, c)) => Err(control_diagnostic(file, pos, c, "this text holds")),
        None => Ok(node),
    }
}

/// Whether `c` may not appear in an atlas's text: control characters other than tab and line
/// ends, and the two noncharacters XML forbids. Pages, feeds and calendars cannot carry them,
/// and they are nearly always an accident (text copied out of a PDF or a word processor).
pub fn forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// The bytes a [`forbidden`] character can start with: controls below 0x20 but tab and line
/// ends, 0x7F, 0xC2 (the C1 controls, U+0080–U+009F) and 0xEF (U+FFFE, U+FFFF).
const MAY_START_FORBIDDEN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = !matches!(b, 0x09 | 0x0a | 0x0d);
        b += 1;
    }
    table[0x7f] = true;
    table[0xc2] = true;
    table[0xef] = true;
    table
};

/// The byte offset and the character of the first [`forbidden`] character of `s`. Every
/// narrative is scanned, so this looks at bytes through a table and decodes a character only
/// where one may start a forbidden one (none of those bytes continues a character, so each
/// such offset is a boundary); line ends, in every line, cost no more than letters.
pub fn find_forbidden(s: &str) -> Option<(usize, char)> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(skip) = bytes[from..].iter().position(|&b| MAY_START_FORBIDDEN[usize::from(b)]) {
        let at = from + skip;
        let c = s[at..].chars().next()?;
        if forbidden(c) {
            return Some((at, c));
        }
        from = at + c.len_utf8();
    }
    None
}

/// The first text of `node` (a string value or a key, written with an escape such as `"\x01"`)
/// that holds a [`forbidden`] character, and that character.
fn control_character(node: &Node) -> Option<(Pos, char)> {
    match &node.value {
        NodeValue::Str(s) => find_forbidden(s).map(|(_, c)| (node.pos, c)),
        NodeValue::Seq(items) => items.iter().find_map(control_character),
        NodeValue::Map(entries) => entries
            .iter()
            .find_map(|(k, v)| find_forbidden(&k.name).map(|(_, c)| (k.pos, c)).or_else(|| control_character(v))),
        _ => None,
    }
}

/// The problem of a [`forbidden`] character `c` at `pos` of `file`.
pub fn control_diagnostic(file: &str, pos: Pos, c: char, what: &str) -> Diagnostic {
    Diagnostic::error(file, pos, format!("{what} the control character U+{:04X}, which pages, feeds and calendars cannot carry", c as u32))
        .with_help("delete it (such characters usually come with text copied out of a PDF or a word processor); tabs and line breaks are fine")
}

/// Turns a parser error into a diagnostic at its position, with a hint for the usual causes.
fn to_diagnostic(e: &serde_saphyr::Error, file: &str, text: &str) -> Diagnostic {
    let mut pos = e.location().map(|l| pos_of(&l)).unwrap_or(Pos::FILE);
    // A control character stops the parser (which points at the start of its scalar): say so,
    // at the character, rather than "unexpected character".
    let line = pos.line.checked_sub(1).and_then(|i| text.lines().nth(i)).unwrap_or("");
    let from = pos.column.saturating_sub(1);
    if let Some((i, c)) = line.chars().enumerate().skip(from).find(|(_, c)| forbidden(*c)) {
        return control_diagnostic(file, Pos::new(pos.line, i + 1), c, "the file holds");
    }
    let raw = e.without_snippet().to_string();
    let mut message = clean_message(&raw);
    let lower = message.to_lowercase();
    let help = if lower.contains("duplicate") {
        "each key may appear once in a mapping; remove or rename one of them"
    } else if lower.contains("tab") {
        // The parser stops on the character after the tab; point at the tab itself.
        pos.column = pos.column.saturating_sub(1).max(1);
        "YAML indentation must use spaces, not tabs"
    } else if lower.contains("budget") || lower.contains("alias") || lower.contains("replay") {
        message = "the document expands too far through aliases (`*name` repeating `&name`)".into();
        "write the values out plainly instead of nesting aliases"
    } else if lower.contains("depth") || lower.contains("nest") || lower.contains("recursion") {
        message = format!("the document is nested too deeply ({message})");
        "too much nesting: flatten the structure, records are a few levels deep at most"
    } else if lower.contains("quote") || lower.contains("scalar") {
        "check that every quoted string is closed with the same quote it opened with"
    } else {
        "check the indentation and punctuation of the YAML around this line"
    };
    Diagnostic::error(file, pos, format!("invalid YAML: {message}")).with_help(help)
}

/// serde-saphyr appends "at line X column Y"; we print the position ourselves.
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let cut = first.find(" at line ").map(|i| &first[..i]).unwrap_or(first);
    let cut = cut.strip_prefix("error: ").unwrap_or(cut);
    cut.trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_keys_and_values() {
        let n = parse("a: 1\nb:\n  - x\n  - {c: true}\n", "t.yaml").unwrap();
        let NodeValue::Map(entries) = &n.value else { panic!("not a map") };
        assert_eq!(entries[0].0.name, "a");
        assert_eq!(entries[0].0.pos, Pos::new(1, 1));
        assert_eq!(entries[0].1.pos, Pos::new(1, 4));
        assert_eq!(entries[0].1.value, NodeValue::Int(1));
        let NodeValue::Seq(items) = &entries[1].1.value else { panic!("not a seq") };
        assert_eq!(items[0].pos, Pos::new(3, 5));
        assert_eq!(items[1].get("c").unwrap().value, NodeValue::Bool(true));
    }

    /// The byte scan agrees with a character-by-character one on every character that starts
    /// with a byte it looks at (C1 controls, U+00A0–U+00BF, fullwidth forms, U+FFFE/F) and on
    /// text without any.
    #[test]
    fn find_forbidden_agrees_with_a_char_scan() {
        let slow = |s: &str| s.char_indices().find(|(_, c)| forbidden(*c));
        for s in [
            "",
            "plain text\tand\r\nlines",
            "Móng Cái – 东兴，芒街。°·«» \u{a0}",
            "ends with \u{1}",
            "\u{85}next line",
            "fullwidth，then \u{9f}",
            "Ａ\u{fffe}",
            "x\u{ffff}y",
            "\u{7f}",
            "\u{fffd} replacement is fine",
        ] {
            assert_eq!(find_forbidden(s), slow(s), "{s:?}");
        }
        for c in (0..0x30000).filter_map(char::from_u32) {
            let s = format!("ab{c}cd");
            assert_eq!(find_forbidden(&s), slow(&s), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn dates_stay_text() {
        let n = parse("d: 1999-12-30\ny: 1887\n", "t.yaml").unwrap();
        assert_eq!(n.get("d").unwrap().value, NodeValue::Str("1999-12-30".into()));
        assert_eq!(n.get("y").unwrap().value, NodeValue::Int(1887));
    }

    #[test]
    fn duplicate_key_is_an_error_with_position() {
        let e = parse("a: 1\nb: 2\na: 3\n", "t.yaml").unwrap_err();
        assert_eq!((e.line, e.file.as_str()), (3, "t.yaml"));
        assert!(e.message.contains("invalid YAML"), "{}", e.message);
    }

    #[test]
    fn control_characters_are_errors_where_they_stand() {
        let e = parse("a: 1\nb: \"x\\x01y\"\n", "t.yaml").unwrap_err();
        assert_eq!((e.line, e.column), (2, 4), "{e:?}");
        assert!(e.message.contains("U+0001"), "{e:?}");
        let e = parse("a: 1\nb: x\u{1}y\n", "t.yaml").unwrap_err();
        assert_eq!((e.line, e.column), (2, 5), "{e:?}");
        assert!(e.message.contains("U+0001"), "{e:?}");
        assert!(parse("a: \"tab\\there\"\n", "t.yaml").is_ok());
    }

    #[test]
    fn unclosed_quote_is_an_error() {
        // Pointed at the opening quote (line 1, column 4), not at the end of the file where
        // the parser gave up.
        let e = parse("a: \"open\nb: 2\n", "t.yaml").unwrap_err();
        assert_eq!((e.file.as_str(), e.line, e.column), ("t.yaml", 1, 4), "{e:?}");
        assert!(e.message.contains("invalid YAML"), "{}", e.message);
        // The same a few lines down and indented, after a closed quote on the line.
        let e = parse("a: 1\nb:\n  c: \"shut\"\n  d: 'open\n", "t.yaml").unwrap_err();
        assert_eq!((e.line, e.column), (4, 6), "{e:?}");
    }
}
