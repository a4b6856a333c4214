//! Fields and values of a record's view as template objects, read in place by their path
//! (field index, then list item or object field) instead of copied into template values.

use super::rows::Link;
use crate::render::views::{FieldView, RecordView, ValueView};
use minijinja::Value as TemplateValue;
use minijinja::value::{Enumerator, Object, ObjectRepr, Serde};
use std::sync::Arc;
/// Where a field or value sits in a record's view: the index of one of its fields, then, for
/// each level down, an item of a list or a field of an object.
pub(super) type Path = Vec<u32>;

/// The value at `at` in `record`'s fields.
pub(super) fn value_at<'r>(record: &'r RecordView, at: &[u32]) -> &'r ValueView {
    let (&first, rest) = at.split_first().expect("a path names a field");
    rest.iter().fold(&record.fields[first as usize].value, |v, &i| match v {
        ValueView::List { items, .. } => &items[i as usize],
        ValueView::Object { fields, .. } => &fields[i as usize].value,
        _ => unreachable!("paths go down lists and objects only"),
    })
}

/// The field at `at`: one of the record's own, or of an object value.
pub(super) fn field_at<'r>(record: &'r RecordView, at: &[u32]) -> &'r FieldView {
    match at.split_last().expect("a path names a field") {
        (&i, []) => &record.fields[i as usize],
        (&i, up) => match value_at(record, up) {
            ValueView::Object { fields, .. } => &fields[i as usize],
            _ => unreachable!("a field's path ends in an object"),
        },
    }
}

/// A list of fields: a record's own (`at` empty), or an object value's.
#[derive(Debug)]
pub(super) struct Fields {
    pub(super) record: Arc<RecordView>,
    pub(super) at: Path,
}

impl Fields {
    fn list(&self) -> &[FieldView] {
        if self.at.is_empty() {
            return &self.record.fields;
        }
        match value_at(&self.record, &self.at) {
            ValueView::Object { fields, .. } => fields,
            _ => unreachable!("fields are a record's or an object's"),
        }
    }
}

impl Object for Fields {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        let i = key.as_usize().filter(|&i| i < self.list().len())?;
        let mut at = self.at.clone();
        at.push(i as u32);
        Some(TemplateValue::from_object(Field { record: Arc::clone(&self.record), at }))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.list().len())
    }
}

/// A named, labelled value: `label`, `lang`, `name` and `value`, as a [`FieldView`] has them.
#[derive(Debug)]
pub(super) struct Field {
    record: Arc<RecordView>,
    at: Path,
}

impl Object for Field {
    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        let f = field_at(&self.record, &self.at);
        Some(match key.as_str()? {
            "label" => TemplateValue::from(f.label.as_str()),
            "lang" => optional(f.lang.as_deref()),
            "name" => TemplateValue::from(f.name.as_str()),
            "value" => FieldValue::value(&self.record, self.at.clone()),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        // In the order of a map made from a `FieldView`: by key.
        Enumerator::Str(&["label", "lang", "name", "value"])
    }
}

/// A field's value, tagged with its `kind`: the keys and values a [`ValueView`] turned into a
/// template map would have, read off the view when a template asks.
#[derive(Debug)]
pub struct FieldValue {
    record: Arc<RecordView>,
    at: Path,
}

impl FieldValue {
    pub(super) fn value(record: &Arc<RecordView>, at: Path) -> TemplateValue {
        TemplateValue::from_object(FieldValue { record: Arc::clone(record), at })
    }

    pub(super) fn view(&self) -> &ValueView {
        value_at(&self.record, &self.at)
    }

    /// A link of the value, made into a template map only when read.
    fn link(&self, which: Which) -> TemplateValue {
        TemplateValue::from_object(Link::Value(
            FieldValue { record: Arc::clone(&self.record), at: self.at.clone() },
            which,
        ))
    }
}

pub(super) fn optional(s: Option<&str>) -> TemplateValue {
    s.map(TemplateValue::from).unwrap_or(TemplateValue::from(()))
}

impl Object for FieldValue {
    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        let key = key.as_str()?;
        let text = |t: &str| TemplateValue::from(t);
        Some(match (self.view(), key) {
            (v, "kind") => TemplateValue::from(kind(v)),
            (v, "text") => text(v.text()),
            (ValueView::Text { html, .. }, "html") => text(html),
            (ValueView::Number { value, .. }, "value") => TemplateValue::from(*value),
            (ValueView::Bool { value, .. }, "value") => TemplateValue::from(*value),
            (ValueView::Url { href, .. }, "href") => text(href),
            (ValueView::Enum { value, .. }, "value") => text(value),
            (ValueView::Enum { url, .. }, "url") => optional(url.as_deref()),
            (ValueView::Enum { rank, .. }, "rank") => TemplateValue::from(*rank),
            (ValueView::Date { iso, .. }, "iso") => text(iso),
            (ValueView::Date { precision, .. }, "precision") => TemplateValue::from(Serde(precision)),
            (ValueView::Period(p), "iso") => text(&p.iso),
            (ValueView::Period(p), "start") => text(&p.start),
            (ValueView::Period(p), "end") => optional(p.end.as_deref()),
            (ValueView::Geo { lat, .. }, "lat") => TemplateValue::from(*lat),
            (ValueView::Geo { lon, .. }, "lon") => TemplateValue::from(*lon),
            (ValueView::Ref { .. }, "link") => self.link(Which::Ref),
            (ValueView::Citation(c), "label") => text(&c.label),
            (ValueView::Citation(_), "source") => self.link(Which::Source),
            (ValueView::Citation(c), "loc") => optional(c.loc.as_deref()),
            (ValueView::Citation(c), "note") => optional(c.note.as_deref()),
            (ValueView::Citation(c), "cites") => {
                (0..c.cites.len()).map(|i| self.link(Which::Cite(i))).collect::<Vec<_>>().into()
            }
            (ValueView::List { items, .. }, "items") => (0..items.len())
                .map(|i| {
                    let mut at = self.at.clone();
                    at.push(i as u32);
                    FieldValue::value(&self.record, at)
                })
                .collect::<Vec<_>>()
                .into(),
            (ValueView::Object { .. }, "fields") => {
                TemplateValue::from_object(Fields { record: Arc::clone(&self.record), at: self.at.clone() })
            }
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        // In the order of a map made from a `ValueView`: by key.
        Enumerator::Str(match self.view() {
            ValueView::String { .. } => &["kind", "text"],
            ValueView::Text { .. } => &["html", "kind", "text"],
            ValueView::Number { .. } | ValueView::Bool { .. } => &["kind", "text", "value"],
            ValueView::Url { .. } => &["href", "kind", "text"],
            ValueView::Enum { .. } => &["kind", "rank", "text", "url", "value"],
            ValueView::Date { .. } => &["iso", "kind", "precision", "text"],
            ValueView::Period(_) => &["end", "iso", "kind", "start", "text"],
            ValueView::Geo { .. } => &["kind", "lat", "lon", "text"],
            ValueView::Ref { .. } => &["kind", "link", "text"],
            ValueView::Citation(_) => &["cites", "kind", "label", "loc", "note", "source", "text"],
            ValueView::List { .. } => &["items", "kind", "text"],
            ValueView::Object { .. } => &["fields", "kind", "text"],
        })
    }
}

/// A value's `kind`, as its view is tagged.
pub(super) fn kind(v: &ValueView) -> &'static str {
    match v {
        ValueView::String { .. } => "string",
        ValueView::Text { .. } => "text",
        ValueView::Number { .. } => "number",
        ValueView::Bool { .. } => "bool",
        ValueView::Url { .. } => "url",
        ValueView::Enum { .. } => "enum",
        ValueView::Date { .. } => "date",
        ValueView::Period(_) => "period",
        ValueView::Geo { .. } => "geo",
        ValueView::Ref { .. } => "ref",
        ValueView::Citation(_) => "citation",
        ValueView::List { .. } => "list",
        ValueView::Object { .. } => "object",
    }
}

/// Which link of a value.
#[derive(Debug, Clone, Copy)]
pub(super) enum Which {
    Ref,
    Source,
    Cite(usize),
}
