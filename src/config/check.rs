//! What serde cannot check in `atlas.yaml`: that the names it uses point at things that exist
//! (collections, fields, languages), and that ids, prefixes and paths are usable. Every problem
//! is reported, each at its line and column.
//!
//! This file walks the whole configuration (`Config::check`); the checks with rules of their
//! own are beside it: `site.rs` the languages and the editor, `map.rs` the maps' styles and
//! options, `fields.rs` each field's schema and the discrepancy collection's shape.

use super::{CONFIG_FILE, Config, TypeName, is_valid_id, pos};
use crate::diag::{Diagnostic, Diagnostics, Pos, did_you_mean};
use fields::{check_discrepancies, uses_citation};
use serde_saphyr::Spanned;

mod fields;
mod map;
mod site;

impl Config {
    /// Checks the cross-references inside the configuration.
    pub(super) fn check(&self, diags: &mut Diagnostics) {
        let err = |p: Pos, m: String, h: String| Diagnostic::error(CONFIG_FILE, p, m).with_help(h);
        if let Err(why) = super::check_base_url(&self.base_url) {
            diags.push(err(
                Pos::new(1, 1),
                format!("base_url {why}"),
                "write the address the site is served from, e.g. https://example.github.io/atlas/".into(),
            ));
        }
        if let Some(spanned) = &self.repository {
            let (r, at) = (&spanned.value, pos(&spanned.referenced));
            if let Err(why) = super::check_base_url(&r.url) {
                diags.push(err(
                    at,
                    format!("repository.url {why}"),
                    "write the repository's web address, e.g. https://github.com/owner/atlas".into(),
                ));
            }
            if r.edit_url.as_deref().is_some_and(|e| !e.contains("{path}")) {
                diags.push(err(
                    at,
                    "repository.edit_url does not say where the file's path goes".into(),
                    "put {path} where the file's path belongs, e.g. {url}/-/edit/{branch}/{path}".into(),
                ));
            }
        }
        self.check_languages(diags);
        self.check_extract(diags);
        self.check_cms(diags);
        let names: Vec<&str> = self.collections.keys().map(String::as_str).collect();
        let unknown_collection = |name: &str| {
            let hint = did_you_mean(name, names.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| format!("collections are: {}", names.join(", ")));
            (format!("unknown collection `{name}`"), hint)
        };
        // The citations collection must exist when it is named, or when a field cites; an atlas
        // without sources may leave it out.
        let named = self.citations.referenced != serde_saphyr::Location::UNKNOWN;
        let cited = self.collections.values().any(|c| c.value.fields.values().any(|f| uses_citation(&f.value)));
        if (named || cited) && !self.collections.contains_key(&self.citations.value) {
            let (m, h) = unknown_collection(&self.citations.value);
            diags.push(err(pos(&self.citations.referenced), format!("citations: {m}"), h));
        }
        for (name, coll) in &self.collections {
            let at = pos(&coll.referenced);
            if !is_valid_id(name) {
                diags.push(err(
                    at,
                    format!("collection name `{name}` is not a valid name"),
                    "use lowercase a-z, 0-9 and -".into(),
                ));
            } else if crate::urls::RESERVED.contains(&name.as_str()) {
                diags.push(err(
                    at,
                    format!("collection name `{name}` is a folder of atlasgen's own in the site"),
                    format!("choose another name; {} are taken", crate::urls::RESERVED.join(", ")),
                ));
            }
            let coll = &coll.value;
            let fields: Vec<&str> = coll.fields.keys().map(String::as_str).collect();
            let field_ref = |f: &Spanned<String>, role: &str, diags: &mut Diagnostics| {
                if !coll.fields.contains_key(&f.value) {
                    let hint = did_you_mean(&f.value, fields.iter().copied())
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| format!("fields of `{name}` are: {}", fields.join(", ")));
                    diags.push(err(
                        pos(&f.referenced),
                        format!("{role} `{}` is not a field of `{name}`", f.value),
                        hint,
                    ));
                }
            };
            field_ref(&coll.title_field, "title_field", diags);
            if let Some(f) = &coll.summary {
                field_ref(f, "summary", diags);
                if coll.field(&f.value).is_some_and(|s| !matches!(s.ty, TypeName::String | TypeName::Text)) {
                    diags.push(err(
                        pos(&f.referenced),
                        format!("summary `{}` of `{name}` must be a string or text field", f.value),
                        "name the field that sums a record up in a line, or leave `summary` out to use the narrative's first sentence".into(),
                    ));
                }
            }
            for c in &coll.key_facts {
                field_ref(c, "key fact", diags);
            }
            if let Some(f) = coll.field(&coll.title_field.value)
                && !matches!(f.ty, TypeName::String)
            {
                diags.push(err(
                    pos(&coll.title_field.referenced),
                    format!("title_field `{}` must be a string field", coll.title_field.value),
                    "pick a field of type string".into(),
                ));
            }
            for (lang, f) in &coll.title_fields {
                field_ref(f, "title field", diags);
                if !self.is_translation_language(lang) {
                    diags.push(err(
                        pos(&f.referenced),
                        format!("`{lang}` of title_fields is not one of the atlas's other languages"),
                        "key title_fields by the code of a language listed under `languages:` (not the default)".into(),
                    ));
                }
            }
            for c in &coll.columns {
                field_ref(c, "column", diags);
            }
            for c in &coll.sort {
                field_ref(c, "sort field", diags);
            }
            for c in &coll.facets {
                field_ref(c, "facet", diags);
            }
            if let Some(t) = &coll.timeline {
                match coll.field(&t.date.value).map(|f| f.ty) {
                    Some(TypeName::Date | TypeName::Daterange) => {}
                    _ => diags.push(err(
                        pos(&t.date.referenced),
                        format!(
                            "timeline.date of `{name}` must name a date or daterange field, not `{}`",
                            t.date.value
                        ),
                        format!("fields of `{name}` are: {}", fields.join(", ")),
                    )),
                }
                if let Some(f) = &t.filter
                    && coll.field(&f.value).map(|f| f.ty) != Some(TypeName::Enum)
                {
                    diags.push(err(
                        pos(&f.referenced),
                        format!("timeline.filter of `{name}` must name an enum field, not `{}`", f.value),
                        format!("fields of `{name}` are: {}", fields.join(", ")),
                    ));
                }
                for f in &t.show {
                    field_ref(f, "timeline.show field", diags);
                }
                if t.eras.windows(2).any(|w| w[0].start >= w[1].start) {
                    diags.push(err(
                        at,
                        format!("the eras of `{name}` must be in order, oldest first"),
                        "sort them by start year".into(),
                    ));
                }
            }
            let m = &coll.map;
            let colour_field = m.colour_field().map(str::to_string);
            let wants = [
                (&m.point, "map.point", "a geo field", &[TypeName::Geo][..]),
                (&m.route, "map.route", "a list of references", &[TypeName::List][..]),
                (&colour_field, "map.colour", "an enum field (or be a colour, \"#rrggbb\")", &[TypeName::Enum][..]),
                (&m.shape, "map.shape", "an enum field", &[TypeName::Enum][..]),
                (&m.precision, "map.precision", "an enum field", &[TypeName::Enum][..]),
                (&m.note, "map.note", "a string or text field", &[TypeName::String, TypeName::Text][..]),
            ];
            for (field, key, what, types) in wants {
                let Some(f) = field else { continue };
                match coll.field(f) {
                    Some(spec) if types.contains(&spec.ty) => {}
                    _ => diags.push(err(
                        at,
                        format!("{key} of `{name}` must name {what} of the collection, not `{f}`"),
                        format!("fields of `{name}` are: {}", fields.join(", ")),
                    )),
                }
            }
            self.check_map_style(name, coll, at, diags);
            for (fname, spec) in &coll.fields {
                let s = &spec.value;
                let names = s.ty == TypeName::String
                    || (s.ty == TypeName::List && s.item.as_ref().is_some_and(|i| i.value.ty == TypeName::String));
                if s.alias && !names {
                    diags.push(err(
                        pos(&spec.referenced),
                        format!("field `{fname}` of `{name}` is marked `alias` but holds no names"),
                        "`alias: true` marks a `string` field, or a `list` of strings, that gives other names of the record; remove it here".into(),
                    ));
                }
                self.check_field(fname, spec, &unknown_collection, diags);
            }
        }
        if let Some(d) = &self.discrepancies {
            match self.collection(&d.value) {
                None => {
                    let (m, h) = unknown_collection(&d.value);
                    diags.push(err(pos(&d.referenced), format!("discrepancies: {m}"), h));
                }
                Some(c) => check_discrepancies(&d.value, c, pos(&d.referenced), diags),
            }
        }
        if let Some(l) = &self.licence
            && !(l.url.starts_with("https://") || l.url.starts_with("http://"))
        {
            diags.push(err(
                Pos::new(1, 1),
                format!("licence url \"{}\" is not an absolute http(s) URL", l.url),
                "give the licence's canonical page, e.g. https://creativecommons.org/licenses/by/4.0/".into(),
            ));
        }
        let check_home = |coll: &Spanned<String>, field: &str, diags: &mut Diagnostics| {
            let at = pos(&coll.referenced);
            match self.collections.get(&coll.value) {
                None => {
                    let (m, h) = unknown_collection(&coll.value);
                    diags.push(err(at, format!("home: {m}"), h));
                }
                Some(c) if !c.value.fields.contains_key(field) => {
                    diags.push(err(
                        at,
                        format!("home: `{field}` is not a field of `{}`", coll.value),
                        "name a field of that collection".into(),
                    ));
                }
                _ => {}
            }
        };
        if let Some(l) = &self.home.latest {
            check_home(&l.collection, &l.field, diags);
        }
        if let Some(f) = &self.home.figures {
            check_home(&f.collection, &f.field, diags);
            for shown in [&f.value, &f.unit].into_iter().flatten() {
                check_home(&f.collection, shown, diags);
            }
        }
    }
}
