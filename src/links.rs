//! What a record points at: the references in its fields (with the heading each gets in the
//! target's backlinks) and the Markdown texts that may cite or link further.

use crate::config::{Config, FieldSpec};
use crate::diag::Pos;
use crate::validate::{RefTo, Value};
use indexmap::IndexMap;

/// Every reference in a record's fields, with the backlink label its field gives it.
pub fn refs_of<'a>(
    fields: &'a IndexMap<String, Value>,
    config: &Config,
    collection: &str,
) -> Vec<(String, String, &'a RefTo)> {
    let spec = config.collection(collection).expect("known collection");
    let mut out = Vec::new();
    for (name, value) in fields {
        let Some(field) = spec.field(name) else {
            continue;
        };
        let default = format!("{} ({})", spec.title, field.label_for(name).to_lowercase());
        collect_refs(value, field, &default, name, &mut out);
    }
    out
}

fn collect_refs<'a>(
    value: &'a Value,
    spec: &FieldSpec,
    label: &str,
    field: &str,
    out: &mut Vec<(String, String, &'a RefTo)>,
) {
    let label_here = spec.inverse.clone().unwrap_or_else(|| label.to_string());
    match value {
        Value::Ref(r) => out.push((label_here, field.to_string(), r)),
        Value::Citation(c) => {
            out.push(("Cited by".into(), field.to_string(), &c.source));
            for r in &c.cites {
                out.push(("Cited by".into(), field.to_string(), r));
            }
        }
        Value::List(items) => {
            if let Some(item) = &spec.item {
                let inner = spec.inverse.clone().unwrap_or_else(|| label.to_string());
                for v in items {
                    collect_refs(v, &item.value, &inner, field, out);
                }
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                if let Some(f) = spec.fields.get(k) {
                    collect_refs(v, &f.value, &label_here, field, out);
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
