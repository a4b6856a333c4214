//! Checking raw records against their collection's schema, producing typed values.
//!
//! Each field is checked on its own and every failure becomes a diagnostic, so one run names
//! every mistake. References are only checked for form here; whether their target exists is
//! known once all records are loaded (see `model`).
//!
//! The parts: `value` holds the typed values the rest of the crate reads; `checker` walks a
//! record's mapping and checks each field against its type; `compound` checks the values
//! written as mappings of their own (points, images, citations). This file holds the entry
//! point, [`check`], and what it returns.

use crate::config::Config;
use crate::content::RawRecord;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use indexmap::IndexMap;

mod checker;
mod compound;
mod value;

use checker::Checker;
pub use value::{Citation, Geo, Picture, RefTo, Value};

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
