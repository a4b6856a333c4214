//! Record views as template objects. A record's view is built once per language and shared
//! by its own page, every index row that lists it and `get_record`; a template value is made
//! of a part only when a page reads it, so the views of ten thousand records cost their typed
//! size, not ten thousand trees of template values. Field values too are read in place
//! ([`FieldValue`]): a template testing `v.kind` five times costs five matches, not five
//! searches of a map made for it.

use super::views::{FieldView, LinkView, RecordView, ValueView};
use minijinja::Value as TemplateValue;
use minijinja::value::{Enumerator, Object, ObjectRepr, Serde};
use std::sync::{Arc, OnceLock};

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
fn first_sentence(html: &str) -> Option<String> {
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
type Member = (&'static str, fn(&Arc<RecordView>) -> TemplateValue);

const MEMBERS: &[Member] = &[
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
static MEMBER_NAMES: std::sync::LazyLock<Vec<&'static str>> =
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
struct Data(Arc<RecordView>);

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

/// A row of an index table: the record's `link`, one of its `cells` per column (`none` where
/// the record has no value), and its `data`. Shares the record's view.
///
/// A row is read on every page that lists its record (an index, facet pages) and kept between
/// the renders of `serve`, so its link and cells are made once, when first read.
#[derive(Debug)]
pub struct Row {
    record: Arc<RecordView>,
    /// The collection's columns.
    columns: Arc<[String]>,
    link: OnceLock<TemplateValue>,
    cells: OnceLock<TemplateValue>,
}

impl Row {
    pub fn new(record: Arc<RecordView>, columns: Arc<[String]>) -> Row {
        Row { record, columns, link: OnceLock::new(), cells: OnceLock::new() }
    }
}

impl Object for Row {
    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        Some(match key.as_str()? {
            "link" => {
                self.link.get_or_init(|| TemplateValue::from_object(Link::Record(Arc::clone(&self.record)))).clone()
            }
            "cells" => self.cells.get_or_init(|| TemplateValue::from_object(Cells::new(self))).clone(),
            "data" => TemplateValue::from_object(Data(Arc::clone(&self.record))),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["link", "cells", "data"])
    }
}

/// A link: `collection`, `id`, `title` and `url`, as a [`LinkView`] has them, read off a
/// record's view when a template asks (an index of ten thousand rows asks for twenty
/// thousand): a row's link to its record, or a link a value holds.
#[derive(Debug)]
enum Link {
    Record(Arc<RecordView>),
    Value(FieldValue, Which),
}

impl Object for Link {
    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        let (collection, id, title, url) = match &**self {
            Link::Record(r) => (&r.collection, &r.id, &r.title, &r.url),
            Link::Value(v, which) => {
                let l: &LinkView = match (v.view(), which) {
                    (ValueView::Ref { link, .. }, Which::Ref) => link,
                    (ValueView::Citation(c), Which::Source) => &c.source,
                    (ValueView::Citation(c), Which::Cite(i)) => &c.cites[*i],
                    _ => unreachable!("a link of the value's kind"),
                };
                (&l.collection, &l.id, &l.title, &l.url)
            }
        };
        Some(TemplateValue::from(match key.as_str()? {
            "collection" => collection.as_str(),
            "id" => id.as_str(),
            "title" => title.as_str(),
            "url" => url.as_str(),
            _ => return None,
        }))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        // In the order of a map made from a `LinkView`: by key.
        Enumerator::Str(&["collection", "id", "title", "url"])
    }
}

/// A row's cells, one per column of its collection (`none` where the record has no value);
/// each is made when a template first reads it.
#[derive(Debug)]
struct Cells {
    record: Arc<RecordView>,
    columns: Arc<[String]>,
    values: Vec<OnceLock<TemplateValue>>,
}

impl Cells {
    fn new(row: &Row) -> Cells {
        let values = row.columns.iter().map(|_| OnceLock::new()).collect();
        Cells { record: Arc::clone(&row.record), columns: Arc::clone(&row.columns), values }
    }
}

impl Object for Cells {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        let i = key.as_usize()?;
        let column = self.columns.get(i)?;
        let value = self.values[i].get_or_init(|| {
            self.record
                .field(column)
                .map(|f| FieldValue::value(&self.record, vec![f as u32]))
                .unwrap_or(TemplateValue::from(()))
        });
        Some(value.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.columns.len())
    }
}

/// Where a field or value sits in a record's view: the index of one of its fields, then, for
/// each level down, an item of a list or a field of an object.
type Path = Vec<u32>;

/// The value at `at` in `record`'s fields.
fn value_at<'r>(record: &'r RecordView, at: &[u32]) -> &'r ValueView {
    let (&first, rest) = at.split_first().expect("a path names a field");
    rest.iter().fold(&record.fields[first as usize].value, |v, &i| match v {
        ValueView::List { items, .. } => &items[i as usize],
        ValueView::Object { fields, .. } => &fields[i as usize].value,
        _ => unreachable!("paths go down lists and objects only"),
    })
}

/// The field at `at`: one of the record's own, or of an object value.
fn field_at<'r>(record: &'r RecordView, at: &[u32]) -> &'r FieldView {
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
struct Fields {
    record: Arc<RecordView>,
    at: Path,
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
struct Field {
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
    fn value(record: &Arc<RecordView>, at: Path) -> TemplateValue {
        TemplateValue::from_object(FieldValue { record: Arc::clone(record), at })
    }

    fn view(&self) -> &ValueView {
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

fn optional(s: Option<&str>) -> TemplateValue {
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
fn kind(v: &ValueView) -> &'static str {
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
enum Which {
    Ref,
    Source,
    Cite(usize),
}
