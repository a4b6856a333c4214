//! The checks of the collections' field schemas: each field's type has what it needs (an
//! enum its values, a ref its collection, a list its item, an object its fields), and the
//! fields a discrepancy collection reads have the shape its pages expect. Apart from the
//! walk over the configuration in `check.rs` because they recurse into one field at a time.

use crate::config::{CONFIG_FILE, CollectionSpec, Config, FieldSpec, TypeName, pos};
use crate::diag::{Diagnostic, Diagnostics, Pos};
use serde_saphyr::Spanned;

impl Config {
    pub(super) fn check_field(
        &self,
        fname: &str,
        spec: &Spanned<FieldSpec>,
        unknown: &dyn Fn(&str) -> (String, String),
        diags: &mut Diagnostics,
    ) {
        let at = pos(&spec.referenced);
        let err = |m: String, h: &str| Diagnostic::error(CONFIG_FILE, at, m).with_help(h.to_string());
        let s = &spec.value;
        if let (Some(item), true) = (&s.item, s.ty == TypeName::List)
            && item.value.alias
        {
            diags.push(err(
                format!("the items of `{fname}` are marked `alias`"),
                "mark the list itself: `alias: true` beside `type: list`",
            ));
        }
        for (n, f) in &s.fields {
            if f.value.alias {
                diags.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        pos(&f.referenced),
                        format!("field `{n}` inside `{fname}` is marked `alias`"),
                    )
                    .with_help("only a record's own fields can give its other names; remove `alias: true` here"),
                );
            }
        }
        if s.translatable == Some(true) && s.translation().is_none() {
            diags.push(err(
                format!(
                    "field `{fname}` of type {} holds no text to translate",
                    format!("{:?}", s.ty).to_lowercase()
                ),
                "only `string` and `text` fields (also in lists and objects) can be translated; remove `translatable: true`",
            ));
        }
        match s.ty {
            TypeName::Enum if s.values.is_empty() => {
                diags.push(err(format!("enum field `{fname}` lists no values"), "add `values: [a, b, c]`"))
            }
            TypeName::Ref => match &s.collection {
                None => diags.push(err(format!("ref field `{fname}` names no collection"), "add `collection: <name>`")),
                Some(c) if !self.collections.contains_key(&c.value) => {
                    let (m, h) = unknown(&c.value);
                    diags.push(
                        Diagnostic::error(CONFIG_FILE, pos(&c.referenced), format!("field `{fname}`: {m}"))
                            .with_help(h),
                    );
                }
                _ => {}
            },
            TypeName::List => match &s.item {
                None => diags.push(err(
                    format!("list field `{fname}` has no item type"),
                    "add `item: {type: string}` (or another type)",
                )),
                Some(item) => self.check_field(fname, item, unknown, diags),
            },
            TypeName::Object => {
                if s.fields.is_empty() {
                    diags.push(err(
                        format!("object field `{fname}` has no fields"),
                        "add `fields:` with at least one field",
                    ));
                }
                for (n, f) in &s.fields {
                    self.check_field(n, f, unknown, diags);
                }
            }
            _ => {}
        }
    }
}

/// The fields a discrepancy collection gives meaning to must have the shape its pages read:
/// `readings` a list of objects, each with a `source` citation and a `reading` text (and an
/// optional `adopted` flag), and `published` a text.
pub(super) fn check_discrepancies(name: &str, c: &CollectionSpec, at: Pos, diags: &mut Diagnostics) {
    let wrong = |what: String| {
        Diagnostic::error(CONFIG_FILE, at, what).with_help(
            "write `readings: {type: list, item: {type: object, fields: {source: {type: citation, required: true}, reading: {type: text, required: true}, adopted: {type: bool}}}}` and `published: {type: text}`",
        )
    };
    if let Some(r) = c.field("readings") {
        let item = r.item.as_ref().map(|i| &i.value).filter(|i| r.ty == TypeName::List && i.ty == TypeName::Object);
        let ok = item.is_some_and(|i| {
            i.fields.get("source").is_some_and(|f| f.value.ty == TypeName::Citation)
                && i.fields.get("reading").is_some_and(|f| matches!(f.value.ty, TypeName::Text | TypeName::String))
                && i.fields.get("adopted").is_none_or(|f| f.value.ty == TypeName::Bool)
        });
        if !ok {
            diags.push(wrong(format!(
                "`readings` of the discrepancy collection `{name}` must be a list of objects with a `source` citation and a `reading` text"
            )));
        }
    }
    if c.field("published").is_some_and(|p| !matches!(p.ty, TypeName::Text | TypeName::String)) {
        diags.push(wrong(format!("`published` of the discrepancy collection `{name}` must be a text field")));
    }
}

/// Whether a field, or a field inside it, is a citation.
pub(super) fn uses_citation(f: &FieldSpec) -> bool {
    f.ty == TypeName::Citation
        || f.item.as_ref().is_some_and(|i| uses_citation(&i.value))
        || f.fields.values().any(|x| uses_citation(&x.value))
}
