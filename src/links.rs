//! What a record points at: the references in its fields (with the heading each gets in the
//! target's backlinks) and the Markdown texts that may cite or link further.

use crate::config::{Config, FieldSpec};
use crate::diag::Pos;
use crate::validate::{RefTo, Value};
use indexmap::IndexMap;

/// Why a record is listed on another's page: the heading it is listed under there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BacklinkKind {
    /// Through a reference field with an `inverse` label ("Gates on this corridor").
    Field(String),
    /// Through a reference field without one: shown as the referring collection's title and
    /// the field's label, each translated ("Provinces and places: Coordinates from").
    Of { collection: String, field: String },
    /// Its narrative links to the target (`[text](@/collection/id)`).
    Mentioned,
    /// It cites the target, a source (a citation field or `[@id]`).
    Cited,
}

impl BacklinkKind {
    /// The heading in the default language's words, the key of its translation in the i18n
    /// tables (the renderer translates it); backlinks sort by it, so groups keep one order.
    pub fn heading(&self) -> std::borrow::Cow<'_, str> {
        match self {
            BacklinkKind::Field(label) => label.into(),
            // The sort key it always had (output order unchanged), not what a reader sees.
            BacklinkKind::Of { collection, field } => format!("{collection} ({})", field.to_lowercase()).into(),
            BacklinkKind::Mentioned => "Mentioned in".into(),
            BacklinkKind::Cited => "Cited by".into(),
        }
    }

    /// Whether the heading says only that a record links, not how its schema relates them: a
    /// record listed under a field's heading is not listed again under one of these.
    pub fn is_generic(&self) -> bool {
        matches!(self, BacklinkKind::Mentioned | BacklinkKind::Cited)
    }
}

/// One reference in a record's fields.
#[derive(Debug)]
pub struct FieldRef<'a> {
    /// The backlink it gives its target.
    pub kind: BacklinkKind,
    pub target: &'a RefTo,
}

/// Every reference in a record's fields, with the backlink its field gives it.
pub fn refs_of<'a>(fields: &'a IndexMap<String, Value>, config: &Config, collection: &str) -> Vec<FieldRef<'a>> {
    let spec = config.collection(collection).expect("known collection");
    let mut out = Vec::new();
    for (name, value) in fields {
        let Some(field) = spec.field(name) else {
            continue;
        };
        // Made only for a reference that needs it: most fields hold none.
        let default = || BacklinkKind::Of { collection: spec.title.clone(), field: field.label_for(name) };
        collect_refs(value, field, None, &default, &mut out);
    }
    out
}

/// The references in `value`; `inherited` is the label an enclosing field gave (`inverse`),
/// else `default` makes one.
fn collect_refs<'a>(
    value: &'a Value,
    spec: &FieldSpec,
    inherited: Option<&str>,
    default: &dyn Fn() -> BacklinkKind,
    out: &mut Vec<FieldRef<'a>>,
) {
    let here = spec.inverse.as_deref().or(inherited);
    let cited = |target| FieldRef { kind: BacklinkKind::Cited, target };
    match value {
        Value::Ref(r) => out.push(FieldRef {
            kind: here.map(|l| BacklinkKind::Field(l.to_string())).unwrap_or_else(default),
            target: r,
        }),
        Value::Citation(c) => {
            out.push(cited(&c.source));
            out.extend(c.cites.iter().map(cited));
        }
        Value::List(items) => {
            if let Some(item) = &spec.item {
                for v in items {
                    collect_refs(v, &item.value, here, default, out);
                }
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                if let Some(f) = spec.fields.get(k) {
                    collect_refs(v, &f.value, here, default, out);
                }
            }
        }
        _ => {}
    }
}

/// Every Markdown text value, with its field name and where it starts.
pub fn texts_of(fields: &IndexMap<String, Value>) -> Vec<(&str, &str, Pos)> {
    fn walk<'a>(name: &'a str, v: &'a Value, out: &mut Vec<(&'a str, &'a str, Pos)>) {
        match v {
            Value::Text(t, pos) => out.push((name, t, *pos)),
            Value::Citation(c) => {
                if let Some(n) = &c.note {
                    out.push((name, n, c.source.pos));
                }
            }
            Value::Image(p) => {
                for (t, pos) in p.caption.iter().chain(&p.credit) {
                    out.push((name, t, *pos));
                }
            }
            Value::List(items) => items.iter().for_each(|i| walk(name, i, out)),
            Value::Object(m) => m.values().for_each(|i| walk(name, i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (k, v) in fields {
        walk(k, v, &mut out);
    }
    out
}
