//! Record views as template objects. A record's view is built once per language and shared
//! by its own page, every index row that lists it and `get_record`; a template value is made
//! of a part only when a page reads it, so the views of ten thousand records cost their typed
//! size, not ten thousand trees of template values. Field values too are read in place
//! ([`FieldValue`]): a template testing `v.kind` five times costs five matches, not five
//! searches of a map made for it.
//!
//! This file holds a record's view and its `data`; `rows.rs` an index row (its link and cells);
//! `fields.rs` fields and values read in place, by their path in the view.

mod fields;
mod rows;

pub use fields::FieldValue;
use fields::*;
pub use rows::Row;

use crate::render::views::{FieldView, RecordView, ValueView};
use minijinja::Value as TemplateValue;
use minijinja::value::{Enumerator, Object, Serde};
use std::sync::Arc;

impl RecordView {
    /// The view as a template value.
    pub fn value(self: &Arc<Self>) -> TemplateValue {
        TemplateValue::from_dyn_object(Arc::clone(self))
    }

    fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// The narrative split after its opening paragraph: the lead, and the rest. Narrative
    /// that opens with anything else (a heading, a list) has no lead.
    fn lead(&self) -> (&str, &str) {
        let body = self.body_html.as_deref().unwrap_or("").trim();
        let at = match body.starts_with("<p>") || body.starts_with("<p ") {
            true => body.find("</p>").map_or(body.len(), |i| i + "</p>".len()),
            false => 0,
        };
        (body[..at].trim(), body[at..].trim())
    }

    /// The record in a line: its summary field, or its narrative's first sentence.
    fn summary(&self) -> Option<String> {
        if let Some(i) = self.layout.summary {
            // A text field is inline Markdown: its links and citations become their words.
            let text = match &self.fields[i as usize].value {
                ValueView::Text { html, .. } => super::search::plain_text(html),
                v => v.text().to_string(),
            };
            return Some(text.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty());
        }
        first_sentence(self.lead().0)
    }

    /// The field at `at` as a template shows it: a text field's HTML, any other's text.
    fn shown(&self, at: Option<u32>) -> TemplateValue {
        match at.map(|i| &self.fields[i as usize].value) {
            Some(ValueView::Text { html, .. }) => TemplateValue::from_safe_string(html.clone()),
            Some(v) => TemplateValue::from(v.text()),
            None => TemplateValue::from(()),
        }
    }

    /// Some of the record's fields as a list for templates; `true` keeps only the undated
    /// items of a list of dated ones (the others are on the record's timeline).
    fn selection(&self, at: impl Iterator<Item = (u32, bool)>) -> TemplateValue {
        let fields: Vec<FieldView> = at
            .map(|(i, undated_only)| {
                let mut f = self.fields[i as usize].clone();
                if undated_only && let ValueView::List { items, text } = &mut f.value {
                    items.retain(|v| {
                        !matches!(v, ValueView::Object { fields, .. } if fields.iter().any(|x| matches!(x.value, ValueView::Date { .. } | ValueView::Period(_))))
                    });
                    *text = items.iter().map(|v| v.text().to_string()).collect::<Vec<_>>().join(", ");
                }
                f
            })
            .collect();
        TemplateValue::from(Serde(fields))
    }
}

/// The first sentence of a rendered paragraph, as plain text without its citations: up to the
/// first full stop, question or exclamation mark that a space and a capital letter or digit
/// follow (or that ends the paragraph), or the first CJK full stop.
pub(super) fn first_sentence(html: &str) -> Option<String> {
    let para = html.split("</p>").next()?;
    let mut text = String::with_capacity(para.len());
    let mut rest = para;
    // Citations are links to sources, not part of what the record is.
    while let Some(i) = rest.find("<cite") {
        text.push_str(&rest[..i]);
        rest = rest[i..].find("</cite>").map_or("", |j| &rest[i + j + "</cite>".len()..]);
    }
    text.push_str(rest);
    let plain = super::search::plain_text(&text);
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    let plain = plain.replace(" .", ".").replace(" ,", ",");
    let chars: Vec<(usize, char)> = plain.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let end = i + c.len_utf8();
        if matches!(c, '。' | '！' | '？') {
            return Some(plain[..end].to_string());
        }
        if matches!(c, '.' | '!' | '?') {
            match (chars.get(k + 1), chars.get(k + 2)) {
                (None, _) => return Some(plain[..end].to_string()),
                (Some((_, ' ')), Some((_, n))) if n.is_uppercase() || n.is_ascii_digit() => {
                    return Some(plain[..end].to_string());
                }
                _ => {}
            }
        }
    }
    Some(plain).filter(|p| !p.is_empty())
}

/// What a template reads of a record view, by name: one table for both reading a member and
/// listing them.
pub(super) type Member = (&'static str, fn(&Arc<RecordView>) -> TemplateValue);

pub(super) const MEMBERS: &[Member] = &[
    ("id", |r| TemplateValue::from(r.id.as_str())),
    ("collection", |r| TemplateValue::from(r.collection.as_str())),
    ("title", |r| TemplateValue::from(r.title.as_str())),
    ("url", |r| TemplateValue::from(r.url.as_str())),
    ("file", |r| TemplateValue::from(r.file.as_str())),
    ("fields", |r| TemplateValue::from_object(Fields { record: Arc::clone(r), at: Vec::new() })),
    ("data", |r| TemplateValue::from_object(Data(Arc::clone(r)))),
    ("body_html", |r| r.body_html.as_deref().map(TemplateValue::from).unwrap_or(TemplateValue::from(()))),
    ("backlinks", |r| TemplateValue::from(Serde(&r.backlinks))),
    ("untranslated", |r| TemplateValue::from(r.untranslated)),
    ("summary", |r| optional(r.summary().as_deref())),
    ("standfirst", |r| r.shown(r.layout.summary)),
    ("lead_html", |r| match r.lead() {
        ("", _) => TemplateValue::from(()),
        (lead, _) => TemplateValue::from_safe_string(lead.to_string()),
    }),
    ("rest_html", |r| match r.lead() {
        (_, "") => TemplateValue::from(()),
        (_, rest) => TemplateValue::from_safe_string(rest.to_string()),
    }),
    ("infobox", |r| r.selection(r.layout.infobox.iter().map(|&i| (i, false)))),
    ("details", |r| r.selection(r.layout.details.iter().copied())),
    ("citations", |r| r.selection(r.layout.citations.iter().map(|&i| (i, false)))),
    ("caveats", |r| TemplateValue::from(Serde(&r.caveats))),
    ("prev", |r| TemplateValue::from(Serde(&r.prev))),
    ("next", |r| TemplateValue::from(Serde(&r.next))),
    ("updated", |r| TemplateValue::from(Serde(&r.updated))),
    ("readings", |r| TemplateValue::from(Serde(&r.readings))),
    ("published", |r| r.shown(r.layout.published)),
    ("edit_url", |r| TemplateValue::from(r.edit_url.as_deref())),
];

/// The names of [`MEMBERS`], which `enumerate` hands out as they are.
pub(super) static MEMBER_NAMES: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| MEMBERS.iter().map(|m| m.0).collect());

impl Object for RecordView {
    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        let key = key.as_str()?;
        MEMBERS.iter().find(|m| m.0 == key).map(|m| (m.1)(self))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&MEMBER_NAMES)
    }
}

/// A record's `data`: every schema field by name, `none` when the record leaves it out, so
/// strict templates can test any field.
#[derive(Debug)]
pub(super) struct Data(Arc<RecordView>);

impl Object for Data {
    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        let name = key.as_str()?;
        match self.0.field(name) {
            Some(i) => Some(FieldValue::value(&self.0, vec![i as u32])),
            None => self.0.absent.iter().any(|a| a == name).then(|| TemplateValue::from(())),
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let names: Vec<TemplateValue> = self
            .0
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(self.0.absent.iter().map(String::as_str))
            .map(TemplateValue::from)
            .collect();
        Enumerator::Values(names)
    }
}
