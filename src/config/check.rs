//! What serde cannot check in `atlas.yaml`: that the names it uses point at things that exist
//! (collections, fields, languages), and that ids, prefixes and paths are usable. Every problem
//! is reported, each at its line and column.

use super::site::default_prefix;
use super::{CONFIG_FILE, Config, FieldSpec, TypeName, is_valid_id, pos};
use crate::diag::{Diagnostic, Diagnostics, Pos, did_you_mean};
use serde_saphyr::Spanned;

impl Config {
    /// Language codes and prefixes are unique, prefixes are plain folder names that cannot
    /// collide with a collection's folder, and the default language is listed.
    fn check_languages(&self, diags: &mut Diagnostics) {
        if self.languages.is_empty() {
            return;
        }
        let err = |p: Pos, m: String, h: &str| Diagnostic::error(CONFIG_FILE, p, m).with_help(h.to_string());
        if !self.languages.iter().any(|l| l.value.code == self.language) {
            diags.push(err(
                pos(&self.languages[0].referenced),
                format!("the default language `{}` is not among `languages`", self.language),
                "list every language, the default (`language:`) included, with its code and name",
            ));
        }
        let mut codes = std::collections::HashSet::new();
        let mut prefixes = std::collections::HashSet::new();
        for (l, lang) in self.languages.iter().zip(self.languages.iter().map(|l| &l.value)) {
            let at = pos(&l.referenced);
            let code_ok = !lang.code.is_empty()
                && lang.code.split('-').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()));
            if !code_ok {
                diags.push(err(
                    at,
                    format!("`{}` is not a language tag", lang.code),
                    "use a BCP 47 tag such as `en`, `vi` or `zh-Hans`",
                ));
            }
            if !codes.insert(lang.code.clone()) {
                diags.push(err(at, format!("language `{}` is listed twice", lang.code), "list each language once"));
            }
            if lang.code == self.language {
                continue;
            }
            let prefix = lang.prefix.clone().unwrap_or_else(|| default_prefix(&lang.code));
            if !is_valid_id(&prefix) {
                diags.push(err(
                    at,
                    format!("prefix `{prefix}` of language `{}` is not a valid folder name", lang.code),
                    "use lowercase a-z, 0-9 and -, e.g. `prefix: zh`",
                ));
            } else if self.collections.contains_key(&prefix) || crate::urls::RESERVED.contains(&prefix.as_str()) {
                diags.push(err(
                    at,
                    format!("prefix `{prefix}` of language `{}` is also a folder of the site", lang.code),
                    "choose another `prefix:` for this language",
                ));
            }
            if !prefixes.insert(prefix.clone()) {
                diags.push(err(
                    at,
                    format!("two languages share the prefix `{prefix}`"),
                    "give each language its own `prefix:`",
                ));
            }
        }
    }

    /// The browser editor needs a repository it can commit to, and `/admin/`, where it is
    /// published, must be free.
    fn check_cms(&self, diags: &mut Diagnostics) {
        let Some(spanned) = self.cms.as_ref().filter(|c| c.value.enabled) else { return };
        let at = pos(&spanned.referenced);
        let err = |m: String, h: &str| Diagnostic::error(CONFIG_FILE, at, m).with_help(h.to_string());
        match &self.repository {
            None => diags.push(err(
                "`cms` needs `repository`: the editor commits to it".into(),
                "add `repository: {url: https://github.com/<owner>/<repo>, branch: main}`",
            )),
            Some(r) => {
                if let Err(why) = spanned.value.target(&r.value) {
                    diags.push(err(
                        why,
                        "name the forge with `cms: {backend: github}` (or gitlab, gitea), or fix repository.url",
                    ));
                }
            }
        }
        let folder = crate::render::cms::FOLDER;
        if self.collections.contains_key(folder) {
            diags.push(err(
                format!("the collection `{folder}` would share /{folder}/ with the editor"),
                "rename the collection, or turn the editor off with `cms: {enabled: false}`",
            ));
        }
        for l in self.languages().iter().filter(|l| l.prefix.trim_end_matches('/') == folder) {
            diags.push(err(
                format!("language `{}` would share /{folder}/ with the editor", l.code),
                "give the language another `prefix:`",
            ));
        }
    }

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

    /// A collection's map colours, shapes and `near` fields: every value they name is one of
    /// its field's values, every colour a hex colour, every shape one atlasgen draws, and
    /// every `near` field a reference to a collection on the map.
    fn check_map_style(&self, name: &str, coll: &super::CollectionSpec, at: Pos, diags: &mut Diagnostics) {
        let err = |m: String, h: String| Diagnostic::error(CONFIG_FILE, at, m).with_help(h);
        let m = &coll.map;
        if let Some(c) = m.fixed_colour()
            && !super::is_hex_colour(c)
        {
            diags.push(err(
                format!("map.colour of `{name}` is not a colour: `{c}`"),
                "write a hex colour such as \"#0072b2\", or name an enum field".into(),
            ));
        }
        let values_of = |field: Option<&str>| field.and_then(|f| coll.field(f)).map(|f| f.values.to_vec());
        let mut check_values = |key: &str, field: Option<&str>, map: &indexmap::IndexMap<String, String>| {
            if map.is_empty() {
                return;
            }
            let Some(values) = values_of(field) else {
                diags.push(err(
                    format!("map.{key}s of `{name}` needs map.{key} to name an enum field"),
                    format!("set map.{key} to the enum field whose values these are"),
                ));
                return;
            };
            for v in map.keys() {
                if !values.contains(v) {
                    diags.push(err(
                        format!("map.{key}s of `{name}`: `{v}` is not a value of `{}`", field.unwrap_or_default()),
                        did_you_mean(v, values.iter().map(String::as_str))
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_else(|| format!("values are: {}", values.join(", "))),
                    ));
                }
            }
        };
        check_values("colour", m.colour_field(), &m.colours);
        check_values("shape", m.shape.as_deref(), &m.shapes);
        for (v, c) in &m.colours {
            if !super::is_hex_colour(c) {
                diags.push(err(
                    format!("map.colours of `{name}`: `{c}` (for `{v}`) is not a colour"),
                    "write a hex colour such as \"#0072b2\"".into(),
                ));
            }
        }
        let shapes: &[&str] = if m.route.is_some() { &super::LINE_SHAPES } else { &super::MARKER_SHAPES };
        for (v, s) in &m.shapes {
            if !shapes.contains(&s.as_str()) {
                diags.push(err(
                    format!("map.shapes of `{name}`: `{s}` (for `{v}`) is not a shape atlasgen draws"),
                    format!("shapes are: {}", shapes.join(", ")),
                ));
            }
        }
        let mapped = |c: &str| {
            self.collection(c).is_some_and(|s| {
                s.map.point.is_some() || s.map.route.is_some() || s.fields.values().any(|f| f.value.ty == TypeName::Geo)
            })
        };
        for f in &m.near {
            let target = coll.field(f).and_then(|spec| match spec.ty {
                TypeName::Ref => spec.collection.as_ref().map(|c| c.value.clone()),
                TypeName::List => spec
                    .item
                    .as_ref()
                    .filter(|i| i.value.ty == TypeName::Ref)
                    .and_then(|i| i.value.collection.as_ref().map(|c| c.value.clone())),
                _ => None,
            });
            match target {
                Some(t) if mapped(&t) => {}
                Some(t) => diags.push(err(
                    format!("map.near of `{name}`: `{f}` refers to `{t}`, which is not on the map"),
                    "name a reference to a collection with a geo field or a route".into(),
                )),
                None => diags.push(err(
                    format!("map.near of `{name}` must name a reference field (or a list of them), not `{f}`"),
                    format!("fields of `{name}` are: {}", coll.fields.keys().cloned().collect::<Vec<_>>().join(", ")),
                )),
            }
        }
    }

    /// `map.extract` holds the base-map extraction's options; a misspelt one would be
    /// ignored by atlasgen and refused by the extraction, so it is reported here.
    fn check_extract(&self, diags: &mut Diagnostics) {
        let Some(extract) = &self.map.extract else { return };
        for key in extract.value.keys() {
            if !super::EXTRACT_OPTIONS.contains(&key.as_str()) {
                diags.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        pos(&extract.referenced),
                        format!("map.extract: unknown option `{key}`"),
                    )
                    .with_help(
                        did_you_mean(key, super::EXTRACT_OPTIONS.iter().copied())
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_else(|| format!("options are: {}", super::EXTRACT_OPTIONS.join(", "))),
                    ),
                );
            }
        }
    }

    fn check_field(
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
fn check_discrepancies(name: &str, c: &super::CollectionSpec, at: Pos, diags: &mut Diagnostics) {
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
fn uses_citation(f: &FieldSpec) -> bool {
    f.ty == TypeName::Citation
        || f.item.as_ref().is_some_and(|i| uses_citation(&i.value))
        || f.fields.values().any(|x| uses_citation(&x.value))
}
