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
        // Made only for a reference that needs it: most fields hold none.
        let default = || format!("{} ({})", spec.title, field.label_for(name).to_lowercase());
        collect_refs(value, field, None, name, &default, &mut out);
    }
    out
}

/// The references in `value`; `inherited` is the label an enclosing field gave (`inverse`),
/// else `default` makes one.
fn collect_refs<'a>(
    value: &'a Value,
    spec: &FieldSpec,
    inherited: Option<&str>,
    field: &str,
    default: &dyn Fn() -> String,
    out: &mut Vec<(String, String, &'a RefTo)>,
) {
    let here = spec.inverse.as_deref().or(inherited);
    match value {
        Value::Ref(r) => out.push((here.map(str::to_string).unwrap_or_else(default), field.to_string(), r)),
        Value::Citation(c) => {
            out.push(("Cited by".into(), field.to_string(), &c.source));
            for r in &c.cites {
                out.push(("Cited by".into(), field.to_string(), r));
            }
        }
        Value::List(items) => {
            if let Some(item) = &spec.item {
                for v in items {
                    collect_refs(v, &item.value, here, field, default, out);
                }
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                if let Some(f) = spec.fields.get(k) {
                    collect_refs(v, &f.value, here, field, default, out);
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
