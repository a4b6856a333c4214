//! Interface strings and dates in each language of the atlas. (Its last ~150 lines are the
//! tests of the tables; the code is ~330.)
//!
//! Translation tables are gettext-style: the English text is the key, so a template reads
//! `{{ t("Border gates") }}` and stays readable, and a string nobody has translated yet shows
//! in English instead of as a key. atlasgen ships tables for its own templates
//! (`src/render/defaults/i18n/`); an atlas adds or overrides entries in `i18n/<code>.yaml`,
//! which is also where the labels of its own schema (collection titles, field labels, enum
//! values) are translated.

use crate::cldr::Cldr;
use crate::config::{Config, Language};
use crate::date::{Date, Period};
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::yaml::{self, NodeValue};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

pub use crate::layout::I18N_DIR;

/// Tables compiled into atlasgen for the built-in templates. English needs one only for
/// the plural forms of its counted strings ("1 record", "2 records").
const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("render/defaults/i18n/en.yaml")),
    ("vi", include_str!("render/defaults/i18n/vi.yaml")),
    ("zh-Hans", include_str!("render/defaults/i18n/zh-Hans.yaml")),
];

/// A table's translation of one English text: plain text, or one form per plural category
/// (`one`, `other`, …, as CLDR names them) for a text with a `{count}`.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Text(String),
    Plural(Vec<(String, String)>),
}

impl Entry {
    /// The form for `category`, falling back to `other`.
    fn form(&self, category: &str) -> &str {
        match self {
            Entry::Text(t) => t,
            Entry::Plural(forms) => forms
                .iter()
                .find(|(c, _)| c == category)
                .or_else(|| forms.iter().find(|(c, _)| c == "other"))
                .or_else(|| forms.first())
                .map_or("", |(_, t)| t),
        }
    }
}

/// A language's table. Pages look their strings up some hundred thousand times a build, so
/// its keys are hashed with foldhash, not SipHash: the tables are the atlas's own files, with
/// nothing to defend against.
type Strings = HashMap<String, Entry, foldhash::fast::RandomState>;

/// One language's strings, and its dates, numbers and plurals from CLDR.
#[derive(Debug)]
pub struct Locale {
    pub language: Language,
    /// English text → translation. For the default language only what its table overrides
    /// (enum labels, plural forms).
    strings: Strings,
    cldr: Cldr,
}

impl Locale {
    /// A language with no table: every string is its own translation.
    pub fn source(language: Language) -> Locale {
        let cldr = Cldr::new(&language.locale).unwrap_or_else(|_| Cldr::new("und").expect("the root locale"));
        Locale { language, strings: Strings::default(), cldr }
    }

    /// `text` in this language, or `text` itself when there is no translation.
    pub fn t(&self, text: &str) -> String {
        self.strings.get(text).map_or(text, |e| e.form("other")).to_string()
    }

    /// Whether the tables translate `text` (for reports of what a language lacks).
    pub fn has(&self, text: &str) -> bool {
        self.strings.contains_key(text)
    }

    /// `text` translated, with `{name}` placeholders filled in.
    pub fn tf(&self, text: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.t(text);
        for (k, v) in args {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        out
    }

    /// `text` in the plural form this language uses for `count`, with `{count}` written as
    /// this language writes numbers.
    pub fn count(&self, text: &str, count: i64) -> String {
        let form = self.strings.get(text).map_or(text, |e| e.form(self.cldr.plural(count)));
        form.replace("{count}", &self.cldr.integer(count))
    }

    /// Every plural form of `text` this language has, by CLDR category, with `{count}` left
    /// in place: what a script needs to count in the page's language (with
    /// `Intl.PluralRules`). A text with no forms in the tables is its own form of each.
    pub fn forms(&self, text: &str) -> Vec<(&'static str, String)> {
        self.cldr
            .plural_categories()
            .into_iter()
            .map(|c| (c, self.strings.get(text).map_or(text, |e| e.form(c)).to_string()))
            .collect()
    }

    /// The plural category of `count` ("one", "other", …).
    pub fn plural(&self, count: i64) -> &'static str {
        self.cldr.plural(count)
    }

    /// A date at its own precision, as CLDR writes it in this language: "30 December 1999"
    /// (en-GB), "5. September 1980" (de), "1999年12月30日" (zh).
    pub fn date(&self, d: &Date) -> String {
        self.cldr.date(d)
    }

    /// A date or span; the table's `"{start} – {end}"` joins a span ("{start}至{end}").
    pub fn period(&self, p: &Period) -> String {
        match p.end {
            None => self.date(&p.start),
            Some(e) => self.tf("{start} – {end}", &[("start", &self.date(&p.start)), ("end", &self.date(&e))]),
        }
    }

    /// Items as this language lists them inline: the table's `", "` between them ("、" in
    /// Chinese).
    pub fn list<S: AsRef<str>>(&self, items: &[S]) -> String {
        let sep = self.t(", ");
        items.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(&sep)
    }

    /// What goes between two sentences: a space, but nothing in Chinese, Japanese or Thai,
    /// whose sentences (and words) follow one another without one.
    pub fn sentence_gap(&self) -> &'static str {
        if unspaced(&self.language.code) { "" } else { " " }
    }

    /// A label and its value: the table's `"{label}: {value}"` ("{label}：{value}" in Chinese).
    pub fn labelled(&self, label: &str, value: &str) -> String {
        self.tf("{label}: {value}", &[("label", label), ("value", value)])
    }

    /// A point as this language writes coordinates: four decimals, hemispheres by the
    /// table's pattern ("21.5330° N, 107.9670° E", "北纬21.5330°，东经107.9670°").
    pub fn point(&self, lat: f64, lon: f64) -> String {
        let pattern = match (lat < 0.0, lon < 0.0) {
            (false, false) => "{lat}° N, {lon}° E",
            (true, false) => "{lat}° S, {lon}° E",
            (false, true) => "{lat}° N, {lon}° W",
            (true, true) => "{lat}° S, {lon}° W",
        };
        self.tf(pattern, &[("lat", &self.cldr.fixed(lat.abs(), 4)), ("lon", &self.cldr.fixed(lon.abs(), 4))])
    }

    /// A decimal with exactly `digits` fraction digits, in this language's form.
    pub fn fixed(&self, x: f64, digits: usize) -> String {
        self.cldr.fixed(x, digits)
    }

    /// A whole number with this language's digit grouping.
    pub fn integer(&self, n: i64) -> String {
        self.cldr.integer(n)
    }

    /// A number, with the digits it was written with, in this language's form.
    pub fn number(&self, x: f64) -> String {
        self.cldr.number(x)
    }
}

/// Every text the built-in templates translate: the keys of the built-in Vietnamese table,
/// which a test holds to the templates (every `t("…")` they call is in it).
/// Whether a language (a BCP 47 tag) writes its text without spaces between words: Chinese,
/// Japanese, Thai.
pub fn unspaced(language: &str) -> bool {
    matches!(language.split('-').next(), Some("zh" | "ja" | "th"))
}

pub fn builtin_keys() -> Vec<String> {
    let (_, text) = BUILTIN.iter().find(|(c, _)| *c == "vi").expect("a built-in vi table");
    let mut keys: Vec<String> = table(text, "(built-in) i18n/vi.yaml", &mut Diagnostics::new())
        .into_keys()
        .filter(|k| !crate::cldr::DATE_PATTERN_KEYS.contains(&k.as_str()))
        .collect();
    keys.sort();
    keys
}

/// Loads every language's table: atlasgen's own first, then the atlas's `i18n/<code>.yaml`
/// on top. The default language needs no table.
pub fn load(root: &Path, config: &Config, diags: &mut Diagnostics) -> Vec<Arc<Locale>> {
    let languages = config.languages();
    let mut out = Vec::with_capacity(languages.len());
    for language in languages {
        let cldr = match Cldr::new(&language.locale) {
            Ok(c) => c,
            Err(e) => {
                // `check` of the configuration reports the tag; the root locale stands in.
                diags.push(Diagnostic::error(crate::config::CONFIG_FILE, Pos::FILE, e).with_help(
                    "give a BCP 47 tag such as `en-GB`, `de`, `vi` or `zh-Hans` (`locale:` of the language)",
                ));
                Cldr::new("und").expect("the root locale")
            }
        };
        let mut strings = Strings::default();
        if let Some((_, text)) = BUILTIN.iter().find(|(c, _)| *c == language.code) {
            // Built-in tables are tested (see `tests`); a fault there is atlasgen's.
            strings.extend(table(text, &format!("(built-in) i18n/{}.yaml", language.code), diags));
        }
        let rel = format!("{I18N_DIR}/{}.yaml", language.code);
        let path = root.join(&rel);
        if std::fs::symlink_metadata(&path).is_ok() {
            match crate::content::read_text(root, &path, &rel) {
                Ok(text) => strings.extend(table(&text, &rel, diags)),
                Err(d) => diags.push(d),
            }
        }
        let patterns = crate::cldr::DATE_PATTERN_KEYS.map(|k| match strings.get(k) {
            Some(Entry::Text(p)) => Some(p.clone()),
            _ => None,
        });
        let cldr = if patterns.iter().any(Option::is_some) {
            match cldr.with_patterns(&language.locale, patterns.each_ref().map(|p| p.as_deref())) {
                Ok(c) => c,
                Err(e) => {
                    diags.push(
                        Diagnostic::error(rel.clone(), Pos::FILE, e)
                            .with_help("write a UTS 35 date pattern, e.g. \"d MMMM y\" (months by name: MMMM or MMM)"),
                    );
                    Cldr::new(&language.locale).unwrap_or_else(|_| Cldr::new("und").expect("the root locale"))
                }
            }
        } else {
            cldr
        };
        out.push(Arc::new(Locale { language, strings, cldr }));
    }
    // A table for a language the atlas does not publish is probably a misnamed file.
    if let Ok(entries) = std::fs::read_dir(root.join(I18N_DIR)) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let code = name.trim_end_matches(".yaml").trim_end_matches(".yml");
            if !out.iter().any(|l| l.language.code == code) {
                let codes: Vec<String> = out.iter().map(|l| l.language.code.clone()).collect();
                diags.push(
                    Diagnostic::warning(format!("{I18N_DIR}/{name}"), Pos::FILE, "this translation table is not used")
                        .with_help(if codes.is_empty() {
                            "the atlas has one language; list others under `languages:` in atlas.yaml".to_string()
                        } else {
                            format!("tables are named after a language of atlas.yaml: {}", codes.join(", "))
                        }),
                );
            }
        }
    }
    out
}

/// The plural categories CLDR names.
const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// A flat mapping of English text to its translation (or plural forms).
fn table(text: &str, rel: &str, diags: &mut Diagnostics) -> Strings {
    let mut out = Strings::default();
    let node = match yaml::parse(text, rel) {
        Ok(n) => n,
        Err(d) => {
            diags.push(d);
            return out;
        }
    };
    let entries = match node.value {
        NodeValue::Map(entries) => entries,
        NodeValue::Null => return out,
        other => {
            diags.push(
                Diagnostic::error(
                    rel,
                    node.pos,
                    format!("a translation table must be a mapping, found {}", other.describe()),
                )
                .with_help("write one `\"English text\": \"translation\"` per line"),
            );
            return out;
        }
    };
    for (k, v) in entries {
        match v.value {
            NodeValue::Str(s) => {
                out.insert(k.name, Entry::Text(s));
            }
            NodeValue::Map(forms) if k.name.contains("{count}") => {
                let mut plural = Vec::new();
                for (c, f) in forms {
                    match (PLURAL_CATEGORIES.contains(&c.name.as_str()), f.value) {
                        (true, NodeValue::Str(t)) => plural.push((c.name, t)),
                        (false, _) => diags.push(
                            Diagnostic::error(rel, c.pos, format!("`{}` is not a plural category", c.name))
                                .with_help(format!("plural forms are named {}", PLURAL_CATEGORIES.join(", "))),
                        ),
                        (true, other) => diags.push(
                            Diagnostic::error(
                                rel,
                                f.pos,
                                format!("a plural form must be text, found {}", other.describe()),
                            )
                            .with_help("quote the form: \"…\""),
                        ),
                    }
                }
                out.insert(k.name, Entry::Plural(plural));
            }
            other => diags.push(
                Diagnostic::error(
                    rel,
                    v.pos,
                    format!("the translation of \"{}\" must be text, found {}", k.name, other.describe()),
                )
                .with_help(if k.name.contains("{count}") {
                    "quote the translation, or give its plural forms: {one: \"…\", other: \"…\"}"
                } else {
                    "quote the translation: \"…\""
                }),
            ),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(code: &str) -> Locale {
        let strings = BUILTIN.iter().find(|(c, _)| *c == code).map(|(_, t)| table(t, code, &mut Diagnostics::new()));
        Locale {
            language: Language {
                code: code.into(),
                name: code.into(),
                locale: code.into(),
                prefix: format!("{code}/"),
            },
            strings: strings.unwrap_or_default(),
            cldr: Cldr::new(code).unwrap(),
        }
    }

    #[test]
    fn dates_spans_and_counts_in_each_language() {
        let d = Date::parse("1999-12-30").unwrap();
        assert_eq!(locale("en-GB").date(&d), "30 December 1999");
        assert_eq!(locale("zh-Hans").date(&d), "1999年12月30日");
        let m = Date::parse("1957-11").unwrap();
        assert_eq!(locale("vi").date(&m), "tháng 11 năm 1957");
        assert_eq!(locale("zh-Hans").date(&m), "1957年11月");
        let p = Period::parse("1977-10/1978-06").unwrap();
        assert_eq!(locale("zh-Hans").period(&p), "1977年10月至1978年6月");
        assert_eq!(locale("en").period(&p), "October 1977 – June 1978");
        assert_eq!(locale("en").count("{count} records", 1), "1 record");
        assert_eq!(locale("en").count("{count} records", 19710), "19,710 records");
        assert_eq!(locale("vi").count("{count} records", 19710), "19.710 mục");
    }

    #[test]
    fn builtin_tables_parse_cleanly() {
        for (code, text) in BUILTIN {
            let mut d = Diagnostics::new();
            let t = table(text, code, &mut d);
            assert!(d.is_empty(), "{code}: {:?}", d.into_vec());
            assert!(*code == "en" || t.len() > 50, "{code} has only {} strings", t.len());
        }
    }

    /// Placeholders (`{count}`) and markup (`<a`, `</a>`) of a text, for comparing a
    /// translation with its key.
    fn slots(text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (open, close) in [('{', '}'), ('<', '>')] {
            let mut rest = text;
            while let Some(i) = rest.find(open) {
                let Some(j) = rest[i..].find(close) else { break };
                let slot = &rest[i..i + j + 1];
                out.push(slot.split_whitespace().next().unwrap_or(slot).to_string());
                rest = &rest[i + j + 1..];
            }
        }
        out.sort();
        out
    }

    #[test]
    fn builtin_translations_keep_placeholders_and_markup() {
        for (code, text) in BUILTIN {
            for (key, entry) in table(text, code, &mut Diagnostics::new()) {
                if crate::cldr::DATE_PATTERN_KEYS.contains(&key.as_str()) {
                    continue; // a date pattern, not a text
                }
                let forms = match entry {
                    Entry::Text(t) => vec![t],
                    Entry::Plural(forms) => forms.into_iter().map(|(_, t)| t).collect(),
                };
                for value in forms {
                    assert_eq!(slots(&key), slots(&value), "{code}: {key:?} → {value:?}");
                }
            }
        }
    }

    #[test]
    fn missing_strings_fall_back_to_the_text() {
        let l = locale("vi");
        assert_eq!(l.t("Border gates"), "Border gates");
        assert_eq!(l.tf("{n} records", &[("n", "3")]), "3 records");
    }
}

#[cfg(test)]
mod completeness {
    use super::*;

    /// The texts a source passes to `t(…)`, `th(…)` or `tf(…)` as literals.
    fn called(src: &str) -> Vec<String> {
        let mut out = Vec::new();
        let b = src.as_bytes();
        for name in ["t(", "th(", "tf(", "t_forms("] {
            let mut from = 0;
            while let Some(i) = src[from..].find(name) {
                let at = from + i;
                from = at + name.len();
                let before = at.checked_sub(1).map(|j| b[j]);
                if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_') {
                    continue;
                }
                let Some(&quote) = b.get(from).filter(|q| **q == b'"' || **q == b'\'') else { continue };
                let mut text = String::new();
                let mut chars = src[from + 1..].chars();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => text.extend(chars.next()),
                        c if c as u32 == quote as u32 => break,
                        c => text.push(c),
                    }
                }
                out.push(text);
            }
        }
        out
    }

    /// Every text the built-in templates and atlasgen's own code translate is in every
    /// built-in table, so a Vietnamese or Chinese page shows no built-in English.
    #[test]
    fn builtin_tables_cover_every_builtin_string() {
        let mut used: Vec<String> = crate::render::templates::BUILTIN.iter().flat_map(|(_, s)| called(s)).collect();
        // Backlink headings are chosen in code and translated where they are shown.
        use crate::links::BacklinkKind;
        used.extend([BacklinkKind::Cited, BacklinkKind::Mentioned].map(|k| k.heading().to_string()));
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for e in walkdir::WalkDir::new(src).into_iter().flatten() {
            if e.path().extension().is_some_and(|x| x == "rs") && !e.path().ends_with("i18n.rs") {
                let code: String = std::fs::read_to_string(e.path())
                    .unwrap()
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .collect::<Vec<_>>()
                    .join("\n");
                used.extend(called(&code));
            }
        }
        used.sort();
        used.dedup();
        assert!(used.len() > 50, "found only {} texts", used.len());
        for (code, text) in BUILTIN.iter().filter(|(c, _)| *c != "en") {
            let t = table(text, code, &mut Diagnostics::new());
            let missing: Vec<&String> = used.iter().filter(|s| !t.contains_key(*s)).collect();
            assert!(missing.is_empty(), "the built-in {code} table lacks {} texts: {missing:#?}", missing.len());
        }
    }
}
