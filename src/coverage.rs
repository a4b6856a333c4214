//! How much of the atlas each further language covers: records and their text fields, plain
//! pages, and the interface strings its tables give. `check` reports it as a count and a list,
//! not as problems (an atlas may publish a language before it is fully translated), and
//! `atlasgen strings <lang>` writes the table entries a language lacks.

use crate::config::{Config, FieldSpec};
use crate::i18n::Locale;
use crate::model::Atlas;
use crate::validate::Value;

/// What one language lacks.
#[derive(Debug, Default)]
pub struct Coverage {
    pub code: String,
    /// Records with text to translate (narrative or text fields), and how many are complete.
    pub records: usize,
    pub complete: usize,
    /// Each incomplete record: its file, id and what it lacks (`narrative`, field names).
    pub missing: Vec<(String, String, Vec<String>)>,
    /// Plain pages, and those without a translation, by file.
    pub pages: usize,
    pub pages_missing: Vec<String>,
    /// Interface strings (built-in templates and the atlas's own labels) its tables lack.
    pub strings_missing: Vec<String>,
    /// Citation locators ("Table 1", "§4 (expressways)") and notes its tables lack: shown as
    /// written.
    pub citations_missing: Vec<String>,
}

impl Coverage {
    /// The share of records translated, in whole percent.
    pub fn percent(&self) -> usize {
        (self.complete * 100).checked_div(self.records).unwrap_or(100)
    }
}

/// Coverage of every further language of `atlas` (the default language's model), and of the
/// default language's interface strings when it is not English (the built-in templates are
/// written in English; the atlas's own labels are already in its language).
pub fn coverage(atlas: &Atlas, locales: &[std::sync::Arc<Locale>]) -> Vec<Coverage> {
    let interface = interface_strings(&atlas.config);
    let citation_texts = citation_texts(atlas);
    let mut out = Vec::new();
    if let Some(default) = locales.first().filter(|l| l.language.code.split('-').next() != Some("en")) {
        let builtin = crate::i18n::builtin_keys();
        let lacking: Vec<String> = builtin.into_iter().filter(|s| !default.has(s)).collect();
        if !lacking.is_empty() {
            out.push(Coverage { code: default.language.code.clone(), strings_missing: lacking, ..Coverage::default() });
        }
    }
    out.extend(locales.iter().skip(1).map(|locale| {
        let code = &locale.language.code;
        let mut c = Coverage { code: code.clone(), ..Coverage::default() };
        for r in atlas.records() {
            let spec = atlas.config.collection(&r.collection).expect("known collection");
            let mut wanted: Vec<String> = spec
                .fields
                .iter()
                .filter(|(name, f)| f.value.translation().is_some() && r.fields.get(*name).is_some_and(Value::has_text))
                .map(|(name, _)| name.clone())
                .collect();
            if r.body_md.as_ref().is_some_and(|b| !b.text.trim().is_empty()) {
                wanted.push("narrative".into());
            }
            if wanted.is_empty() {
                continue;
            }
            c.records += 1;
            let t = atlas.translation(code, &r.collection, &r.id);
            let lacking: Vec<String> = wanted
                .into_iter()
                .filter(|w| match (t, w.as_str()) {
                    (None, _) => true,
                    (Some(t), "narrative") => t.body.as_ref().is_none_or(|b| b.text.trim().is_empty()),
                    (Some(t), field) => !t.fields.contains_key(field),
                })
                .collect();
            if lacking.is_empty() {
                c.complete += 1;
            } else {
                c.missing.push((r.file.clone(), r.id.clone(), lacking));
            }
        }
        c.pages = atlas.pages.len();
        c.pages_missing =
            atlas.pages.iter().filter(|p| !atlas.page_translated(code, &p.id)).map(|p| p.file.clone()).collect();
        c.strings_missing = interface.iter().filter(|s| !locale.has(s)).cloned().collect();
        c.citations_missing = citation_texts.iter().filter(|s| !locale.has(s)).map(|s| s.to_string()).collect();
        c
    }));
    out
}

/// The locators and notes the atlas's citations give, in record order, each once: the
/// language tables translate them as they translate labels ("Table 1": "Bảng 1"). Those
/// without a letter ("§4", "12–14") read the same in every language and are left out.
pub fn citation_texts(atlas: &Atlas) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for r in atlas.records() {
        for v in r.fields.values() {
            v.citation_texts(&mut out);
        }
    }
    out.retain(|l| l.chars().any(char::is_alphabetic));
    out
}

/// Every interface string a page of this atlas may show: the built-in templates' (the keys
/// of the built-in tables, which tests hold to the templates) and the atlas's own texts — its
/// title and description, collection titles and descriptions, field labels, enum labels, era
/// titles and backlink headings.
pub fn interface_strings(config: &Config) -> Vec<String> {
    let mut out: Vec<String> = crate::i18n::builtin_keys();
    let mut add = |s: String| {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    add(config.title.clone());
    add(config.description.clone());
    for (name, c) in &config.collections {
        let c = &c.value;
        add(c.title.clone());
        add(c.singular.clone());
        add(c.description.clone());
        for (fname, f) in &c.fields {
            field_strings(fname, &f.value, &mut add);
        }
        if let Some(tl) = &c.timeline {
            for e in &tl.eras {
                add(e.title.clone());
            }
        }
        let _ = name;
    }
    out
}

fn field_strings(name: &str, f: &FieldSpec, add: &mut impl FnMut(String)) {
    add(f.label_for(name));
    for code in f.values.iter() {
        add(f.values.label(code));
    }
    if let Some(inverse) = &f.inverse {
        add(inverse.clone());
    }
    if let Some(item) = &f.item {
        for code in item.value.values.iter() {
            add(item.value.values.label(code));
        }
        for (n, sub) in &item.value.fields {
            field_strings(n, &sub.value, add);
        }
    }
    for (n, sub) in &f.fields {
        field_strings(n, &sub.value, add);
    }
}

/// The table entries `locale` lacks, as YAML to fill in: each English text with itself as
/// the value, so the file works (in English) before it is translated.
pub fn missing_table(c: &Coverage) -> String {
    let mut out = format!(
        "# Interface strings the `{}` tables lack ({}). Keys stay as they are; translate each\n\
         # value, and add the entries to i18n/{}.yaml.\n",
        c.code,
        c.strings_missing.len(),
        c.code
    );
    for s in &c.strings_missing {
        let q = yaml_quote(s);
        if s.contains("{count}") {
            out.push_str(&format!("{q}:\n  one: {q}\n  other: {q}\n"));
        } else {
            out.push_str(&format!("{q}: {q}\n"));
        }
    }
    if !c.citations_missing.is_empty() {
        out.push_str(&format!(
            "# Citation locators and notes the records give ({}), shown as written until translated.\n",
            c.citations_missing.len()
        ));
        for s in &c.citations_missing {
            let q = yaml_quote(s);
            out.push_str(&format!("{q}: {q}\n"));
        }
    }
    out
}

fn yaml_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
