//! Walking a record's mapping: unknown and missing fields, and each value checked against
//! its field's type. The values written as mappings of their own are checked in `compound`;
//! the single-line ones (dates, references) here.

use super::value::{RefTo, Value};
use crate::config::{Config, FieldSpec, TypeName, is_valid_id};
use crate::date::{Date, Period};
use crate::diag::{Diagnostic, Diagnostics, Pos, did_you_mean};
use crate::yaml::{Key, Node, NodeValue};
use indexmap::IndexMap;
use serde_saphyr::Spanned;

/// Checks one record's fields, pushing a diagnostic for each mistake.
pub(super) struct Checker<'a> {
    pub(super) config: &'a Config,
    pub(super) file: &'a str,
    pub(super) diags: &'a mut Diagnostics,
}

impl Checker<'_> {
    pub(super) fn error(&mut self, pos: Pos, message: String, help: String) {
        self.diags.push(Diagnostic::error(self.file, pos, message).with_help(help));
    }

    /// Checks a mapping against named field specs: unknown keys, missing required keys, values.
    pub(super) fn mapping(
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

    pub(super) fn reference(&mut self, name: &str, id: String, collection: String, pos: Pos) -> Option<RefTo> {
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
}
