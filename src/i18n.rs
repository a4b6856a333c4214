//! Interface strings and dates in each language of the atlas.
//!
//! Translation tables are gettext-style: the English text is the key, so a template reads
//! `{{ t("Border gates") }}` and stays readable, and a string nobody has translated yet shows
//! in English instead of as a key. atlasgen ships tables for its own templates
//! (`src/render/defaults/i18n/`); an atlas adds or overrides entries in `i18n/<code>.yaml`,
//! which is also where the labels of its own schema (collection titles, field labels, enum
//! values) are translated.

use crate::config::{Config, Language};
use crate::date::{Date, Period};
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::yaml::{self, NodeValue};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

pub use crate::layout::I18N_DIR;

/// Tables compiled into atlasgen for the built-in templates.
const BUILTIN: &[(&str, &str)] = &[
    ("vi", include_str!("render/defaults/i18n/vi.yaml")),
    ("zh-Hans", include_str!("render/defaults/i18n/zh-Hans.yaml")),
];

/// One language's strings and date forms.
#[derive(Debug)]
pub struct Locale {
    pub language: Language,
    /// English text → translation; empty for the default language.
    strings: HashMap<String, String>,
}

impl Locale {
    /// The default language: every string is its own translation.
    pub fn source(language: Language) -> Locale {
        Locale { language, strings: HashMap::new() }
    }

    /// `text` in this language, or `text` itself when there is no translation.
    pub fn t(&self, text: &str) -> String {
        self.strings.get(text).cloned().unwrap_or_else(|| text.to_string())
    }

    /// `text` translated, with `{name}` placeholders filled in.
    pub fn tf(&self, text: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.t(text);
        for (k, v) in args {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        out
    }

    /// A date at its own precision: "30 December 1999", "30 tháng 12 năm 1999", "1999年12月30日".
    pub fn date(&self, d: &Date) -> String {
        let (y, m, day) = (d.year, d.month, d.day);
        match self.family() {
            Family::Vi => match (m, day) {
                (Some(m), Some(day)) => format!("{day} tháng {m} năm {y}"),
                (Some(m), None) => format!("tháng {m} năm {y}"),
                _ => format!("năm {y}"),
            },
            Family::Zh => match (m, day) {
                (Some(m), Some(day)) => format!("{y}年{m}月{day}日"),
                (Some(m), None) => format!("{y}年{m}月"),
                _ => format!("{y}年"),
            },
            Family::En => d.display(),
        }
    }

    /// A date or span, spans joined with an en dash (or 至 in Chinese).
    pub fn period(&self, p: &Period) -> String {
        match (p.end, self.family()) {
            (None, _) => self.date(&p.start),
            (Some(e), Family::Zh) => format!("{}至{}", self.date(&p.start), self.date(&e)),
            (Some(e), _) => format!("{} – {}", self.date(&p.start), self.date(&e)),
        }
    }

    fn family(&self) -> Family {
        match self.language.code.split('-').next().unwrap_or("") {
            "vi" => Family::Vi,
            "zh" => Family::Zh,
            _ => Family::En,
        }
    }
}

enum Family {
    En,
    Vi,
    Zh,
}

/// Loads every language's table: atlasgen's own first, then the atlas's `i18n/<code>.yaml`
/// on top. The default language needs no table.
pub fn load(root: &Path, config: &Config, diags: &mut Diagnostics) -> Vec<Arc<Locale>> {
    let languages = config.languages();
    let mut out = Vec::with_capacity(languages.len());
    for (i, language) in languages.into_iter().enumerate() {
        if i == 0 {
            out.push(Arc::new(Locale::source(language)));
            continue;
        }
        let mut strings = HashMap::new();
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
        out.push(Arc::new(Locale { language, strings }));
    }
    // A table for a language the atlas does not publish is probably a misnamed file.
    if let Ok(entries) = std::fs::read_dir(root.join(I18N_DIR)) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let code = name.trim_end_matches(".yaml").trim_end_matches(".yml");
            if !out.iter().skip(1).any(|l| l.language.code == code) {
                let codes: Vec<String> = out.iter().skip(1).map(|l| l.language.code.clone()).collect();
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

/// A flat mapping of English text to its translation.
fn table(text: &str, rel: &str, diags: &mut Diagnostics) -> HashMap<String, String> {
    let mut out = HashMap::new();
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
                out.insert(k.name, s);
            }
            other => diags.push(
                Diagnostic::error(
                    rel,
                    v.pos,
                    format!("the translation of \"{}\" must be text, found {}", k.name, other.describe()),
                )
                .with_help("quote the translation: \"…\""),
            ),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(code: &str) -> Locale {
        Locale {
            language: Language { code: code.into(), name: code.into(), prefix: format!("{code}/") },
            strings: HashMap::new(),
        }
    }

    #[test]
    fn dates_in_each_language() {
        let d = Date::parse("1999-12-30").unwrap();
        assert_eq!(locale("en").date(&d), "30 December 1999");
        assert_eq!(locale("vi").date(&d), "30 tháng 12 năm 1999");
        assert_eq!(locale("zh-Hans").date(&d), "1999年12月30日");
        let m = Date::parse("1957-11").unwrap();
        assert_eq!(locale("vi").date(&m), "tháng 11 năm 1957");
        assert_eq!(locale("zh-Hans").date(&m), "1957年11月");
        let p = Period::parse("1977-10/1978-06").unwrap();
        assert_eq!(locale("zh-Hans").period(&p), "1977年10月至1978年6月");
    }

    #[test]
    fn builtin_tables_parse_cleanly() {
        for (code, text) in BUILTIN {
            let mut d = Diagnostics::new();
            let t = table(text, code, &mut d);
            assert!(d.is_empty(), "{code}: {:?}", d.into_vec());
            assert!(t.len() > 50, "{code} has only {} strings", t.len());
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
            for (key, value) in table(text, code, &mut Diagnostics::new()) {
                assert_eq!(slots(&key), slots(&value), "{code}: {key:?} → {value:?}");
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
