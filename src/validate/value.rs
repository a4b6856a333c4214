//! The typed values a checked record holds, and what readers of a record ask of them (does it
//! hold text, how a translation lies over it). Kept apart from the checking so that the many
//! modules that read values need not see how they were checked.

use crate::date::{Date, Period};
use crate::diag::Pos;
use indexmap::IndexMap;

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

    /// What the citations in this value say beside their source, their locators ("§4",
    /// "Table 1") and notes, in order, each once.
    pub fn citation_texts<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Value::Citation(c) => {
                for t in [&c.loc, &c.note].into_iter().flatten() {
                    if !out.contains(&t.as_str()) {
                        out.push(t);
                    }
                }
            }
            Value::List(items) => items.iter().for_each(|v| v.citation_texts(out)),
            Value::Object(fields) => fields.values().for_each(|v| v.citation_texts(out)),
            _ => {}
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
