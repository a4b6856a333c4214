//! `data/<collection>.csv`: one row per record, one column per field (RFC 4180), text that
//! a spreadsheet would take for a formula neutralised.

use crate::config::{CollectionSpec, FieldSpec, TypeName};
use crate::model::{Atlas, Record};
use crate::urls::Urls;
use crate::validate::Value;

/// A value as one CSV cell: text as is, lists joined with "; ", references by id, images by
/// their absolute URL.
pub(super) fn cell(v: &Value, urls: &Urls) -> String {
    match v {
        Value::Image(p) => urls.absolute_file(&p.image.path),
        Value::Str(s) | Value::Text(s, _) | Value::Url(s) | Value::Enum(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Num(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) => d.iso(),
        Value::Period(p) => p.iso(),
        Value::Geo(g) => format!("{},{}", g.lat, g.lon),
        Value::Ref(r) => r.id.clone(),
        Value::Citation(c) => match &c.loc {
            Some(l) => format!("{} ({l})", c.source.id),
            None => c.source.id.clone(),
        },
        Value::List(items) => items.iter().map(|i| cell(i, urls)).collect::<Vec<_>>().join("; "),
        Value::Object(map) => map.iter().map(|(k, v)| format!("{k}: {}", cell(v, urls))).collect::<Vec<_>>().join(", "),
    }
}

/// RFC 4180 quoting: fields with commas, quotes or line breaks are quoted, quotes doubled.
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// A text cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return: "CSV injection") gets a leading `'`, which spreadsheets read as
/// "this is text" and do not show. Numbers are written as they are.
fn text_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { quote(&format!("'{s}")) } else { quote(s) }
}

/// The CSV columns of a collection: id, title, url, then each field (a point as lat and lon).
pub fn csv_columns(spec: &CollectionSpec) -> Vec<(String, &'static str, String)> {
    let mut cols = vec![
        ("id".to_string(), "string", "Identifier of the record".to_string()),
        ("title".to_string(), "string", "Title of the record".to_string()),
        ("url".to_string(), "string", "Page of the record".to_string()),
    ];
    for (name, f) in &spec.fields {
        if f.value.ty == TypeName::Geo {
            cols.push((format!("{name}_lat"), "number", format!("Latitude of {name} (WGS84)")));
            cols.push((format!("{name}_lon"), "number", format!("Longitude of {name} (WGS84)")));
        } else if name != "title" && name != "id" && name != "url" {
            cols.push((name.clone(), frictionless_type(&f.value), f.value.description.clone()));
        }
    }
    cols
}

/// The Table Schema type of a field's cells. Dates are text: their precision varies
/// (1887, 1957-11, 1999-12-30), which no single Table Schema date type allows.
fn frictionless_type(f: &FieldSpec) -> &'static str {
    match f.ty {
        TypeName::Integer => "integer",
        TypeName::Number => "number",
        TypeName::Bool => "boolean",
        _ => "string",
    }
}

pub(super) fn csv(atlas: &Atlas, spec: &CollectionSpec, records: &[Record]) -> String {
    let cols = csv_columns(spec);
    let mut out = cols.iter().map(|c| quote(&c.0)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for r in records {
        let mut row =
            vec![quote(&r.id), text_cell(&r.title), quote(&atlas.urls.absolute(&Urls::record(&r.collection, &r.id)))];
        for (name, f) in &spec.fields {
            let v = r.fields.get(name);
            if f.value.ty == TypeName::Geo {
                let (lat, lon) = match v {
                    Some(Value::Geo(g)) => (g.lat.to_string(), g.lon.to_string()),
                    _ => (String::new(), String::new()),
                };
                row.push(lat);
                row.push(lon);
            } else if name != "title" && name != "id" && name != "url" {
                let text = v.map(|v| cell(v, &atlas.urls)).unwrap_or_default();
                row.push(match v {
                    Some(Value::Int(_) | Value::Num(_)) => quote(&text),
                    _ => text_cell(&text),
                });
            }
        }
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting_follows_rfc_4180() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a, b"), "\"a, b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn csv_text_never_starts_a_formula() {
        for (text, cell) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("Móng Cái", "Móng Cái"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(text_cell(text), cell, "{text:?}");
        }
    }
}
