//! Checking raw records against their collection's schema, producing typed values.
//!
//! Each field is checked on its own and every failure becomes a diagnostic, so one run names
//! every mistake. References are only checked for form here; whether their target exists is
//! known once all records are loaded (see `model`).

use crate::config::{Config, FieldSpec, TypeName, is_valid_id};
use crate::content::RawRecord;
use crate::date::{Date, Period};
use crate::diag::{Diagnostic, Diagnostics, Pos, did_you_mean};
use crate::yaml::{Key, Node, NodeValue};
use indexmap::IndexMap;
use serde_saphyr::Spanned;

/// A checked field value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    /// Inline Markdown, rendered later, and where it starts (for problems found in it).
    Text(String, Pos),
    Int(i64),
    Num(f64),
    Bool(bool),
    Url(String),
    Enum(String),
    Date(Date),
    Period(Period),
    Geo(Geo),
    Image(Box<Picture>),
    Ref(RefTo),
    Citation(Box<Citation>),
    List(Vec<Value>),
    Object(IndexMap<String, Value>),
}

impl Value {
    /// Whether the value holds text (a translation would give it in another language).
    pub fn has_text(&self) -> bool {
        match self {
            Value::Str(s) | Value::Text(s, _) => !s.trim().is_empty(),
            Value::List(items) => items.iter().any(Value::has_text),
            Value::Object(fields) => fields.values().any(Value::has_text),
            Value::Image(p) => !p.alt.trim().is_empty() || p.caption.is_some() || p.credit.is_some(),
            _ => false,
        }
    }

    /// This value with a translation laid over it: text replaced, objects field by field, and
    /// lists of objects item by item (a translation gives the same items in the same order);
    /// what the translation leaves out stays as it is.
    pub fn overlaid(&self, translation: &Value) -> Value {
        match (self, translation) {
            (Value::Object(base), Value::Object(tr)) => {
                let mut out = base.clone();
                for (k, v) in tr {
                    let merged = match base.get(k) {
                        Some(b) => b.overlaid(v),
                        None => v.clone(),
                    };
                    out.insert(k.clone(), merged);
                }
                Value::Object(out)
            }
            (Value::List(base), Value::List(tr)) if base.iter().any(|v| matches!(v, Value::Object(_))) => Value::List(
                base.iter()
                    .zip(tr.iter().chain(std::iter::repeat(&Value::Object(IndexMap::new()))))
                    .map(|(b, t)| b.overlaid(t))
                    .collect(),
            ),
            (Value::Image(base), Value::Object(tr)) => {
                let mut p = base.clone();
                for (k, v) in tr {
                    match (k.as_str(), v) {
                        ("alt", Value::Str(t)) => p.alt = t.clone(),
                        ("caption", Value::Text(t, at)) => p.caption = Some((t.clone(), *at)),
                        ("credit", Value::Text(t, at)) => p.credit = Some((t.clone(), *at)),
                        _ => {}
                    }
                }
                Value::Image(p)
            }
            (_, tr) => tr.clone(),
        }
    }

    /// The value as a date span, for `date` and `daterange` values.
    pub fn period(&self) -> Option<Period> {
        match self {
            Value::Period(p) => Some(*p),
            Value::Date(d) => Some(Period { start: *d, end: None }),
            _ => None,
        }
    }
}

/// A WGS84 point.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Geo {
    pub lat: f64,
    pub lon: f64,
}

/// A picture: a file of `static/` with its copies, and the texts shown with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// The path as written, and where.
    pub src: String,
    pub pos: Pos,
    /// Alternative text; empty only for a decorative picture.
    pub alt: String,
    /// Inline Markdown, and where each starts.
    pub caption: Option<(String, Pos)>,
    pub credit: Option<(String, Pos)>,
    pub image: std::sync::Arc<crate::images::Image>,
}

/// A reference to a record of another (or the same) collection.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RefTo {
    pub collection: String,
    pub id: String,
    /// Where the reference is written, for "no such record" errors.
    pub pos: Pos,
}

/// A citation of a source, with an optional locator and the references behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub source: RefTo,
    pub loc: Option<String>,
    pub cites: Vec<RefTo>,
    pub note: Option<String>,
}

/// A record whose fields passed their schema.
#[derive(Debug, Clone)]
pub struct Checked {
    pub raw: RawRecord,
    pub fields: Fields,
    /// Where each field's key is written, for problems found once the whole atlas is known
    /// (a translation's list that does not match its record's).
    pub keys: Vec<(String, Pos)>,
}

/// A record's checked fields, by name in schema order. Shared, not copied, between the
/// load cache `serve` keeps and the models built from it.
pub type Fields = std::sync::Arc<IndexMap<String, Value>>;

/// Checks every record; records with errors are still returned (with the fields that passed)
/// so that later stages can report their own problems too.
pub fn check(records: Vec<RawRecord>, config: &Config, diags: &mut Diagnostics) -> Vec<Checked> {
    use rayon::prelude::*;
    let results: Vec<(Checked, Diagnostics)> = records
        .into_par_iter()
        .map(|mut raw| {
            let mut d = Diagnostics::new();
            let spec = config.collection(&raw.collection).expect("content only loads known collections");
            let mut fields = std::mem::take(&mut raw.fields);
            let keys = fields.iter().map(|(k, _)| (k.name.clone(), k.pos)).collect();
            let v = match &raw.lang {
                None => Checker { config, file: &raw.file, diags: &mut d }.mapping(
                    &spec.fields,
                    fields,
                    raw.pos,
                    &format!("a record of `{}`", raw.collection),
                ),
                Some(lang) => {
                    // A translation gives only the translatable fields, all optional.
                    let translatable = spec.translatable_fields();
                    let names = translatable.keys().cloned().collect::<Vec<_>>().join(", ");
                    fields.retain(|(k, _)| {
                        if !spec.fields.contains_key(&k.name) || translatable.contains_key(&k.name) {
                            return true;
                        }
                        d.push(
                            Diagnostic::error(
                                &raw.file,
                                k.pos,
                                format!("field `{}` may not be overridden in a translation", k.name),
                            )
                            .with_help(if names.is_empty() {
                                format!("remove it; no field of `{}` holds text to translate", raw.collection)
                            } else {
                                format!(
                                    "remove it (it comes from the default-language record); a translation may give: {names}"
                                )
                            }),
                        );
                        false
                    });
                    Checker { config, file: &raw.file, diags: &mut d }.mapping(
                        &translatable,
                        fields,
                        raw.pos,
                        &format!("a `{lang}` translation of `{}`", raw.collection),
                    )
                }
            };
            (Checked { raw, fields: Fields::new(v), keys }, d)
        })
        .collect();
    results
        .into_iter()
        .map(|(c, d)| {
            diags.extend(d);
            c
        })
        .collect()
}

struct Checker<'a> {
    config: &'a Config,
    file: &'a str,
    diags: &'a mut Diagnostics,
}

/// The keys of a citation written as a mapping: the source (`ref`), a locator, further works
/// it cites and a note.
const CITATION_KEYS: [&str; 4] = ["ref", "loc", "cites", "note"];

impl Checker<'_> {
    fn error(&mut self, pos: Pos, message: String, help: String) {
        self.diags.push(Diagnostic::error(self.file, pos, message).with_help(help));
    }

    /// Checks a mapping against named field specs: unknown keys, missing required keys, values.
    fn mapping(
        &mut self,
        specs: &IndexMap<String, Spanned<FieldSpec>>,
        entries: Vec<(Key, Node)>,
        at: Pos,
        what: &str,
    ) -> IndexMap<String, Value> {
        let mut out = IndexMap::new();
        let mut present = Vec::new();
        for (key, node) in entries {
            let Some(spec) = specs.get(&key.name) else {
                let names = specs.keys().map(String::as_str);
                let help = match did_you_mean(&key.name, names) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("fields allowed here: {}", specs.keys().cloned().collect::<Vec<_>>().join(", ")),
                };
                self.error(key.pos, format!("unknown field `{}` in {what}", key.name), help);
                continue;
            };
            if matches!(node.value, NodeValue::Null) {
                continue; // an explicit null is the same as leaving the field out
            }
            present.push(key.name.clone());
            if let Some(v) = self.value(&key.name, &spec.value, node) {
                out.insert(key.name, v);
            }
        }
        for (name, spec) in specs {
            if spec.value.required && !present.contains(name) {
                let desc = &spec.value.description;
                let help = if desc.is_empty() { format!("add `{name}:`") } else { format!("add `{name}:` — {desc}") };
                self.error(at, format!("missing required field `{name}` in {what}"), help);
            }
        }
        out
    }

    fn value(&mut self, name: &str, spec: &FieldSpec, node: Node) -> Option<Value> {
        let pos = node.pos;
        let expected = |what: &str, example: &str, found: &NodeValue| {
            (format!("field `{name}` expects {what}, found {}", found.describe()), example.to_string())
        };
        match (spec.ty, node.value) {
            (TypeName::String, NodeValue::Str(s)) => Some(Value::Str(s)),
            (TypeName::String, NodeValue::Int(i)) => Some(Value::Str(i.to_string())),
            (TypeName::String, NodeValue::Float(f)) => Some(Value::Str(f.to_string())),
            (TypeName::Text, NodeValue::Str(s)) => Some(Value::Text(s, pos)),
            (TypeName::Integer, NodeValue::Int(i)) => Some(Value::Int(i)),
            (TypeName::Number, NodeValue::Int(i)) => Some(Value::Num(i as f64)),
            (TypeName::Number, NodeValue::Float(f)) if f.is_finite() => Some(Value::Num(f)),
            (TypeName::Bool, NodeValue::Bool(b)) => Some(Value::Bool(b)),
            (TypeName::Url, NodeValue::Str(s)) => {
                if (s.starts_with("https://") || s.starts_with("http://"))
                    && !s.contains(char::is_whitespace)
                    && s.len() > 8
                {
                    Some(Value::Url(s))
                } else {
                    self.error(
                        pos,
                        format!("field `{name}` expects an http(s) URL, found \"{s}\""),
                        "write the full address, starting with https://".into(),
                    );
                    None
                }
            }
            (TypeName::Enum, NodeValue::Str(s)) => {
                if spec.values.contains(&s) {
                    Some(Value::Enum(s))
                } else {
                    let help = match did_you_mean(&s, spec.values.iter().map(String::as_str)) {
                        Some(v) => format!("did you mean `{v}`? allowed values: {}", spec.values.join(", ")),
                        None => format!("allowed values: {}", spec.values.join(", ")),
                    };
                    self.error(pos, format!("`{s}` is not an allowed value of `{name}`"), help);
                    None
                }
            }
            (TypeName::Date, NodeValue::Int(y)) => self.date(name, &y.to_string(), pos).map(Value::Date),
            (TypeName::Date, NodeValue::Str(s)) => self.date(name, &s, pos).map(Value::Date),
            (TypeName::Daterange, NodeValue::Int(y)) => self.period(name, &y.to_string(), pos).map(Value::Period),
            (TypeName::Daterange, NodeValue::Str(s)) => self.period(name, &s, pos).map(Value::Period),
            (TypeName::Geo, NodeValue::Map(entries)) => self.geo(name, entries, pos).map(Value::Geo),
            (TypeName::Image, NodeValue::Map(entries)) => self.image(name, entries, pos),
            (TypeName::Ref, NodeValue::Str(s)) => {
                let collection = spec.collection.as_ref().map(|c| c.value.clone()).unwrap_or_default();
                self.reference(name, s, collection, pos).map(Value::Ref)
            }
            (TypeName::Citation, v @ (NodeValue::Map(_) | NodeValue::Str(_))) => {
                self.citation(name, Node { pos, value: v }).map(|c| Value::Citation(Box::new(c)))
            }
            (TypeName::List, NodeValue::Seq(items)) => {
                let item = spec.item.as_ref().map(|s| &s.value)?;
                Some(Value::List(items.into_iter().filter_map(|n| self.value(name, item, n)).collect()))
            }
            (TypeName::Object, NodeValue::Map(entries)) => {
                Some(Value::Object(self.mapping(&spec.fields, entries, pos, &format!("`{name}`"))))
            }
            (ty, found) => {
                let (m, h) = match ty {
                    TypeName::String => {
                        expected("text", "write the value as text; quote it if it contains `: `", &found)
                    }
                    TypeName::Text => expected(
                        "text (Markdown)",
                        "write the value as text; use a block (`|`) for several lines",
                        &found,
                    ),
                    TypeName::Integer => expected("a whole number", "write digits only, e.g. 42", &found),
                    TypeName::Number => expected("a number", "write a number, e.g. 1449.566", &found),
                    TypeName::Bool => expected("true or false", "write true or false", &found),
                    TypeName::Url => expected("a URL", "write the full address, starting with https://", &found),
                    TypeName::Enum => expected(
                        &format!("one of: {}", spec.values.join(", ")),
                        "write one of the allowed values",
                        &found,
                    ),
                    TypeName::Date => expected("a date", "write \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"", &found),
                    TypeName::Daterange => expected(
                        "a date or a span",
                        "write \"YYYY-MM-DD\" or \"start/end\", e.g. \"1977-10/1978-06\"",
                        &found,
                    ),
                    TypeName::Geo => expected("a point", "write {lat: 21.53, lon: 107.97}", &found),
                    TypeName::Image => expected(
                        "an image",
                        "write {src: /images/photo.jpg, alt: \"what it shows\"}; the file is under static/",
                        &found,
                    ),
                    TypeName::Ref => expected(
                        &format!("the id of a `{}` record", spec.collection.as_ref().map_or("?", |c| c.value.as_str())),
                        "write the id of the record, e.g. mong-cai-dongxing",
                        &found,
                    ),
                    TypeName::Citation => expected("a citation", "write {ref: <source id>, loc: \"§3\"}", &found),
                    TypeName::List => expected("a list", "write a list: [a, b] or one `- item` per line", &found),
                    TypeName::Object => expected("a mapping", "write one `key: value` per line", &found),
                };
                self.error(pos, m, h);
                None
            }
        }
    }

    fn date(&mut self, name: &str, s: &str, pos: Pos) -> Option<Date> {
        if s.contains('/') {
            self.error(
                pos,
                format!("field `{name}` takes a single date, found the span \"{s}\""),
                "write one date: YYYY, YYYY-MM or YYYY-MM-DD".into(),
            );
            return None;
        }
        Date::parse(s).map_err(|e| self.error(pos, format!("field `{name}`: {}", e.message), e.help)).ok()
    }

    fn period(&mut self, name: &str, s: &str, pos: Pos) -> Option<Period> {
        Period::parse(s).map_err(|e| self.error(pos, format!("field `{name}`: {}", e.message), e.help)).ok()
    }

    fn geo(&mut self, name: &str, entries: Vec<(Key, Node)>, pos: Pos) -> Option<Geo> {
        let (mut lat, mut lon) = (None, None);
        let mut ok = true;
        for (k, v) in entries {
            let n = match v.value {
                NodeValue::Int(i) => Some(i as f64),
                NodeValue::Float(f) if f.is_finite() => Some(f),
                _ => None,
            };
            let slot = match k.name.as_str() {
                "lat" => &mut lat,
                "lon" => &mut lon,
                other => {
                    let help = did_you_mean(other, ["lat", "lon"])
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "a point has `lat` and `lon`".into());
                    self.error(k.pos, format!("unknown key `{other}` in the point `{name}`"), help);
                    ok = false;
                    continue;
                }
            };
            let (range, word) = if k.name == "lat" { (90.0, "latitude") } else { (180.0, "longitude") };
            match n {
                Some(x) if (-range..=range).contains(&x) => *slot = Some(x),
                Some(x) => {
                    self.error(
                        v.pos,
                        format!("{word} {x} is out of range in `{name}`"),
                        format!("{word} must lie between -{range} and {range} (decimal degrees, WGS84)"),
                    );
                    ok = false;
                }
                None => {
                    self.error(
                        v.pos,
                        format!("{word} of `{name}` must be a number"),
                        "write decimal degrees, e.g. 21.533".into(),
                    );
                    ok = false;
                }
            }
        }
        match (lat, lon) {
            (Some(lat), Some(lon)) if ok => {
                if let Some(b) = self.config.bounds
                    && !b.contains(lat, lon)
                {
                    self.diags.push(
                        Diagnostic::warning(self.file, pos, format!("the point `{name}` ({lat}, {lon}) lies outside the atlas's bounds"))
                            .with_help(format!(
                                "the atlas covers latitudes {} to {} and longitudes {} to {}; check for swapped or mistyped coordinates, or widen `bounds` in atlas.yaml",
                                b.south, b.north, b.west, b.east
                            )),
                    );
                }
                Some(Geo { lat, lon })
            }
            _ if !ok => None,
            _ => {
                self.error(
                    pos,
                    format!("the point `{name}` needs both `lat` and `lon`"),
                    "write {lat: 21.533, lon: 107.967}".into(),
                );
                None
            }
        }
    }

    /// An image is `{src, alt, caption, credit, decorative}`: alt text is required unless it
    /// is marked decorative, and the file must exist under `static/` and be a picture.
    fn image(&mut self, name: &str, entries: Vec<(Key, Node)>, pos: Pos) -> Option<Value> {
        let src_pos = entries.iter().find(|(k, _)| k.name == "src").map_or(pos, |(_, v)| v.pos);
        let mut parts = self.mapping(&FieldSpec::image_parts(), entries, pos, &format!("the image `{name}`"));
        let text = |v: Option<Value>| match v {
            Some(Value::Text(t, at)) if !t.trim().is_empty() => Some((t, at)),
            _ => None,
        };
        let (caption, credit) = (text(parts.shift_remove("caption")), text(parts.shift_remove("credit")));
        let decorative = matches!(parts.get("decorative"), Some(Value::Bool(true)));
        let alt = match parts.shift_remove("alt") {
            Some(Value::Str(a)) => a.trim().to_string(),
            _ => String::new(),
        };
        let mut ok = true;
        if alt.is_empty() && !decorative {
            self.error(
                pos,
                format!("the image `{name}` has no alt text"),
                "add alt: \"…\" saying what it shows, for readers who cannot see it; or decorative: true if it adds nothing the text does not say".into(),
            );
            ok = false;
        } else if !alt.is_empty() && decorative {
            self.error(
                pos,
                format!("the image `{name}` is marked decorative but has alt text"),
                "a decorative image is shown with an empty alt text: remove `alt`, or `decorative: true`".into(),
            );
            ok = false;
        }
        let Some(Value::Str(src)) = parts.shift_remove("src") else { return None };
        let static_dir = self.config.root.join(crate::layout::STATIC_DIR);
        let image = match crate::images::load(&static_dir, &src) {
            Ok(p) => std::sync::Arc::clone(&p.image),
            Err(why) => {
                self.error(
                    src_pos,
                    why,
                    "images are read from static/: /images/photo.jpg is static/images/photo.jpg".into(),
                );
                return None;
            }
        };
        ok.then(|| Value::Image(Box::new(Picture { src, pos: src_pos, alt, caption, credit, image })))
    }

    fn reference(&mut self, name: &str, id: String, collection: String, pos: Pos) -> Option<RefTo> {
        if is_valid_id(&id) {
            Some(RefTo { collection, id, pos })
        } else {
            self.error(
                pos,
                format!("field `{name}`: \"{id}\" is not a valid id"),
                "ids use only lowercase a-z, 0-9 and -".into(),
            );
            None
        }
    }

    /// A citation is `{ref, loc, cites, note}`, or just the source id.
    fn citation(&mut self, name: &str, node: Node) -> Option<Citation> {
        let pos = node.pos;
        let entries = match node.value {
            NodeValue::Str(s) => {
                return self.reference(name, s, self.config.citations().to_string(), pos).map(|source| Citation {
                    source,
                    loc: None,
                    cites: vec![],
                    note: None,
                });
            }
            NodeValue::Map(e) => e,
            _ => unreachable!("only maps and strings reach here"),
        };
        let (mut source, mut loc, mut cites, mut note) = (None, None, vec![], None);
        for (k, v) in entries {
            let vpos = v.pos;
            match (k.name.as_str(), v.value) {
                ("ref", NodeValue::Str(s)) => {
                    source = self.reference(name, s, self.config.citations().to_string(), vpos)
                }
                ("loc", NodeValue::Str(s)) => loc = Some(s),
                ("loc", NodeValue::Int(i)) => loc = Some(i.to_string()),
                ("note", NodeValue::Str(s)) => note = Some(s),
                ("cites", NodeValue::Seq(items)) => {
                    for it in items {
                        match it.value {
                            NodeValue::Str(s) => {
                                cites.extend(self.reference(name, s, self.config.citations().to_string(), it.pos))
                            }
                            other => self.error(
                                it.pos,
                                format!("`cites` lists source ids, found {}", other.describe()),
                                "write cites: [source-id, other-id]".into(),
                            ),
                        }
                    }
                }
                (k2 @ ("ref" | "loc" | "note" | "cites"), other) => self.error(
                    vpos,
                    format!("`{k2}` of a citation in `{name}` has the wrong type: found {}", other.describe()),
                    "a citation is {ref: source-id, loc: \"§3\", cites: [id], note: \"…\"}".into(),
                ),
                (other, _) => {
                    let help = did_you_mean(other, CITATION_KEYS)
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "a citation has ref, loc, cites and note".into());
                    self.error(k.pos, format!("unknown key `{other}` in a citation"), help);
                }
            }
        }
        match source {
            Some(source) => Some(Citation { source, loc, cites, note }),
            None => {
                self.error(pos, format!("a citation in `{name}` has no `ref`"), "add ref: <source id>".into());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn a_translation_is_laid_over_text_and_keeps_the_rest() {
        let date = Value::Enum("2001".into());
        let base = Value::List(vec![
            obj(&[("date", date.clone()), ("note", Value::Str("Opened".into()))]),
            obj(&[("note", Value::Str("Closed".into()))]),
        ]);
        let tr = Value::List(vec![obj(&[("note", Value::Str("Mở cửa".into()))]), obj(&[])]);
        let out = base.overlaid(&tr);
        assert_eq!(
            out,
            Value::List(vec![
                obj(&[("date", date), ("note", Value::Str("Mở cửa".into()))]),
                obj(&[("note", Value::Str("Closed".into()))]),
            ])
        );
        // Plain lists and text are replaced whole.
        let names = Value::List(vec![Value::Str("a".into())]);
        let given = Value::List(vec![Value::Str("b".into()), Value::Str("c".into())]);
        assert_eq!(names.overlaid(&given), given);
    }
}
