//! The lines a new record's fields are written as: a placeholder marked TODO for a required
//! field, a commented-out example for an optional one, each after its description. Apart
//! from `new_record` because it depends only on the schema, not on files or places.

use crate::config::{FieldSpec, TypeName};
use std::fmt::Write as _;

/// One field of a new record: a placeholder line marked TODO if required, a comment
/// otherwise, after its description.
pub(super) fn write_field(out: &mut String, indent: &str, name: &str, f: &FieldSpec) {
    let mut comment = f.description.trim_end().to_string();
    if f.ty == TypeName::Enum {
        let _ = write!(comment, " One of: {}.", f.values.join(", "));
    }
    let item = f.item.as_ref().map(|i| &i.value);
    if let Some(c) = f.collection.as_ref().or(item.and_then(|i| i.collection.as_ref())) {
        let what = if f.ty == TypeName::List { "The ids of `{}` records." } else { "The id of a `{}` record." };
        let _ = write!(comment, " {}", what.replace("{}", &c.value));
    }
    // A description written over several lines is a comment on each of them.
    for line in comment.trim().lines() {
        let _ = writeln!(out, "{indent}# {line}");
    }
    let example = placeholder(f);
    if f.required {
        // A placeholder that is a valid value (a number, the first of an enum's values)
        // would pass unnoticed: the marker makes `check` point at it.
        let mark = if example.contains("TODO") { "" } else { "  # TODO" };
        let _ = writeln!(out, "{indent}{name}: {example}{mark}");
    } else {
        let _ = writeln!(out, "{indent}# {name}: {example}");
    }
}

fn placeholder(f: &FieldSpec) -> String {
    match f.ty {
        TypeName::String | TypeName::Text => "\"TODO\"".into(),
        TypeName::Integer => "0".into(),
        TypeName::Number => "0.0".into(),
        TypeName::Bool => "false".into(),
        TypeName::Url => "\"https://example.org/\"".into(),
        TypeName::Enum => f.values.first().map(|v| scalar(v.as_str())).unwrap_or_default(),
        TypeName::Date => "\"YYYY-MM-DD\"".into(),
        TypeName::Daterange => "\"YYYY-MM-DD\"".into(),
        TypeName::Geo => "{lat: 0.0, lon: 0.0}".into(),
        TypeName::Image => "{src: /images/TODO.jpg, alt: \"TODO\"}".into(),
        TypeName::Ref => "todo".into(),
        TypeName::Citation => "{ref: todo, loc: \"TODO\"}".into(),
        TypeName::List => match f.item.as_ref().map(|i| &i.value) {
            Some(item) => format!("[{}]", placeholder(item)),
            None => "[]".into(),
        },
        TypeName::Object => {
            let inner: Vec<String> = f
                .fields
                .iter()
                .filter(|(_, s)| s.value.required)
                .map(|(n, s)| format!("{n}: {}", placeholder(&s.value)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// `s` as a YAML scalar that reads back as that text: plain when it is a simple word, else
/// double-quoted (a JSON string is valid YAML), so values like `yes`, `1`, `a: b` or `#x`
/// stay strings and the file stays valid YAML.
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with('-')
        && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        && s.parse::<f64>().is_err()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain { s.to_string() } else { serde_json::Value::from(s).to_string() }
}
