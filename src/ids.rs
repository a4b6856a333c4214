//! What an id is, and how any text becomes one: the bottom layer that config, content, the
//! model and the pages all share, so none of them imports another for it.

/// The longest id, collection name or URL segment: ids name files (`<id>.zh-Hans.md`) and
/// folders of the site, and a file name may be at most 255 bytes on common file systems, so
/// `check` refuses what `build` could not write.
pub const MAX_ID_LEN: usize = 200;

/// The lowercase `a-z0-9-` form shared by ids and collection names.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID_LEN
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The URL-safe form of a text: lowercase ASCII letters and digits joined by `-`. Letters
/// outside ASCII are transliterated by `deunicode` (Zola's choice too): accents drop ("Móng
/// Cái" → `mong-cai`, "Graubünden" → `graubunden`), other scripts are romanised ("东兴" →
/// `dong-xing`, "Ελλάδα" → `ellada`), so no text slugs to nothing unless it has no letters or
/// digits at all.
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let push = |c: char, out: &mut String| {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    };
    for c in s.chars() {
        if c.is_ascii() {
            push(c, &mut out);
        } else {
            // A romanised syllable is a word of its own ("东兴" → "Dong Xing").
            let t = deunicode::deunicode_char(c).unwrap_or(" ");
            let word = c.is_alphabetic() && !t.ends_with(' ') && is_syllabic(c);
            t.chars().for_each(|a| push(a, &mut out));
            if word {
                push(' ', &mut out);
            }
        }
    }
    // A segment the file system can hold (see `MAX_ID_LEN`); distinct values that only differ
    // beyond it are told apart where slugs are assigned, as any two that collide.
    if out.len() > MAX_ID_LEN {
        out.truncate(MAX_ID_LEN);
    }
    out.truncate(out.trim_end_matches('-').len());
    out
}

/// Scripts whose characters are syllables or words rather than letters (Han, kana, hangul),
/// so each romanised character stands apart.
fn is_syllabic(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fit_a_file_name() {
        let long = slug(&"Đường cao tốc ".repeat(40));
        assert!(long.len() <= MAX_ID_LEN && !long.ends_with('-'), "{long}");
        assert!(is_valid_id(&long));
    }

    #[test]
    fn slugs_fold_vietnamese() {
        assert_eq!(slug("Móng Cái – Dongxing"), "mong-cai-dongxing");
        assert_eq!(slug("Quảng Ninh"), "quang-ninh");
        assert_eq!(slug("../etc"), "etc");
        assert_eq!(slug("Graubünden"), "graubunden");
        assert_eq!(slug("Über die Schöllenen"), "uber-die-schollenen");
        assert_eq!(slug("东兴口岸"), "dong-xing-kou-an");
        assert_eq!(slug("Ελλάδα"), "ellada");
        assert_eq!(slug("Đồng Đăng"), "dong-dang");
    }
}

/// A record's identity across the atlas: the collection it belongs to and its id there. The
/// key of every map of records (backlinks, narrative memo, rendered views, maps), so that
/// which string is which is said by a field name, not by a tuple position.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordKey {
    pub collection: String,
    pub id: String,
}

impl RecordKey {
    pub fn new(collection: impl Into<String>, id: impl Into<String>) -> RecordKey {
        RecordKey { collection: collection.into(), id: id.into() }
    }

    /// Whether this is the record `id` of `collection` (without building a key to compare).
    pub fn is(&self, collection: &str, id: &str) -> bool {
        self.collection == collection && self.id == id
    }
}

impl std::fmt::Display for RecordKey {
    /// `collection/id`, as diagnostics name a record.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.collection, self.id)
    }
}
