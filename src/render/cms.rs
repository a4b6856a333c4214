//! The browser editor at `/admin/`: Sveltia CMS, embedded in the binary, with a
//! configuration made from `atlas.yaml` (`cms:` turns it on).
//!
//! Editors sign in with a GitHub (or GitLab, Gitea) access token and the editor commits to
//! `repository`'s branch. Its forms come from the collections' schemas, field by field, so a
//! record saved from the browser has the shape `check` expects: enums are selects with
//! their labels, references pick a record of the target collection, dates keep the precision
//! they are written with, points are a latitude and a longitude. A collection kept as
//! Markdown files is an entry collection (one file per record, with its narrative); each
//! YAML list is a file collection holding one list. Translations of Markdown records are
//! sibling files (`<id>.<lang>.md`), which Sveltia's `multiple_files` structure writes with
//! the default language's file unsuffixed; translations of YAML lists (`events.vi.yaml`,
//! items matched by `id`, only translated fields) have no equivalent there, so lists are
//! edited in the default language only (see the README, "Editors in the browser").
//!
//! Its length is the editor's configuration, made in one place: the collections and where
//! each is stored (`config`), then their forms, field type by field type (`Forms`).

use super::OutputFile;
use crate::config::{CmsBackend, Config, FieldSpec, TypeName};
use crate::model::Atlas;
use crate::schema_json::{DATE, ID_PATTERN};
use indexmap::IndexMap;
use serde_json::{Value, json};
use serde_saphyr::Spanned;

/// The site folder the editor is published in.
pub const FOLDER: &str = "admin";

/// Sveltia CMS as published on npm (`tools/vendor-cms.sh` copies it here).
pub const SCRIPT: &[u8] = include_bytes!("cms/sveltia-cms.js");
/// Its licence, published beside it.
pub const LICENSE: &str = include_str!("cms/LICENSE.txt");
/// The version of `@sveltia/cms` embedded.
pub const VERSION: &str = include_str!("cms/VERSION");

/// The name of the list field a YAML list file is edited through (saved as the file's root).
const LIST_FIELD: &str = "records";

/// The editor's files under `admin/`, when `cms:` is on and `repository` says where to
/// commit (`check` has reported it otherwise).
pub fn files(atlas: &Atlas) -> Vec<OutputFile> {
    let Some(config) = config(atlas) else { return vec![] };
    let title = &atlas.config.title;
    let page = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>Editor · {}</title>\n\
         <link href=\"config.json\" type=\"application/json\" rel=\"cms-config-url\">\n</head>\n<body>\n\
         <!-- Sveltia CMS {} (MIT licence: sveltia-cms.LICENSE.txt), configured by atlasgen from atlas.yaml -->\n\
         <script src=\"sveltia-cms.js\"></script>\n</body>\n</html>\n",
        escape(title),
        VERSION.trim()
    );
    let json = serde_json::to_string_pretty(&config).expect("the configuration is JSON") + "\n";
    vec![
        OutputFile { path: format!("{FOLDER}/index.html"), bytes: page.into_bytes() },
        OutputFile { path: format!("{FOLDER}/config.json"), bytes: json.into_bytes() },
        OutputFile { path: format!("{FOLDER}/sveltia-cms.js"), bytes: SCRIPT.to_vec() },
        OutputFile { path: format!("{FOLDER}/sveltia-cms.LICENSE.txt"), bytes: LICENSE.as_bytes().to_vec() },
    ]
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Where a collection's records are kept, as found in `content/`.
struct Storage {
    /// Records are Markdown files under `content/<collection>/` (also when the collection has
    /// no file yet: a new record is written there).
    folder: bool,
    /// The YAML list files, relative to the atlas folder.
    lists: Vec<String>,
}

fn storage(atlas: &Atlas, name: &str) -> Storage {
    let records = atlas.collections.get(name).map(Vec::as_slice).unwrap_or_default();
    let mut lists: Vec<String> = records
        .iter()
        .filter(|r| r.file.ends_with(".yaml") || r.file.ends_with(".yml"))
        .map(|r| r.file.clone())
        .collect();
    lists.sort();
    lists.dedup();
    let folder = lists.is_empty() || records.iter().any(|r| r.file.ends_with(".md"));
    Storage { folder, lists }
}

/// The Sveltia CMS configuration of the atlas (its `config.json`), or `None` when the editor
/// is off.
pub fn config(atlas: &Atlas) -> Option<Value> {
    let config = &atlas.config;
    let cms = config.cms()?;
    let repository = &config.repository.as_ref()?.value;
    let target = cms.target(repository).ok()?;
    let mut backend = json!({
        "name": match target.backend {
            CmsBackend::Github => "github",
            CmsBackend::Gitlab => "gitlab",
            CmsBackend::Gitea => "gitea",
        },
        "repo": target.repo,
        "branch": repository.branch,
        // No OAuth server: editors sign in with an access token of their own.
        "auth_methods": ["token"],
    });
    if let Some(api) = &target.api_root {
        backend["api_root"] = json!(api);
    }
    let folder = repository.folder.trim_matches('/');
    let storages: IndexMap<&str, Storage> =
        config.collections.keys().map(|n| (n.as_str(), storage(atlas, n))).collect();
    let forms = Forms {
        config,
        atlas,
        storages: &storages,
        prefix: if folder.is_empty() { String::new() } else { format!("{folder}/") },
    };
    let languages = config.languages();
    let multilingual = languages.len() > 1;
    let mut collections = Vec::new();
    for (name, spec) in &config.collections {
        let spec = &spec.value;
        let st = &storages[name.as_str()];
        let both = st.folder && !st.lists.is_empty();
        if st.folder {
            let mut fields = forms.fields(&spec.fields, multilingual);
            fields.push(json!({
                "name": "body",
                "label": "Narrative",
                "widget": "markdown",
                "required": false,
                "hint": "The record's page text in Markdown. Cite with [@source-id] or [@source-id, §3]; link a record with [text](@/collection/id).",
                "i18n": multilingual,
            }));
            let mut c = json!({
                "name": name,
                "label": spec.title,
                "label_singular": spec.singular,
                "folder": format!("{}content/{name}", forms.prefix),
                "extension": "md",
                "format": "yaml-frontmatter",
                "create": true,
                "identifier_field": spec.title_field.value,
                "slug": "{{slug}}",
                "fields": fields,
            });
            if !spec.description.is_empty() {
                c["description"] = json!(spec.description);
            }
            if multilingual {
                c["i18n"] = json!(true);
            }
            collections.push(c);
        }
        if !st.lists.is_empty() {
            let mut item = vec![json!({
                "name": "id",
                "label": "Id",
                "widget": "string",
                "required": true,
                "pattern": [ID_PATTERN, "lowercase a-z, 0-9 and -, unique in the collection"],
                "hint": "The record's id: lowercase a-z, 0-9 and -, unique in its collection; its page's address.",
            })];
            item.extend(forms.fields(&spec.fields, false));
            let files: Vec<Value> = st
                .lists
                .iter()
                .map(|file| {
                    json!({
                        "name": list_file_name(file),
                        "label": file,
                        "file": format!("{}{file}", forms.prefix),
                        "format": "yaml",
                        "fields": [{
                            "name": LIST_FIELD,
                            "label": spec.title,
                            "label_singular": spec.singular,
                            "widget": "list",
                            "root": true,
                            "required": false,
                            "collapsed": true,
                            "summary": format!("{{{{fields.{}}}}}", spec.title_field.value),
                            "fields": item,
                        }],
                    })
                })
                .collect();
            let list_name = if both { format!("{name}-lists") } else { name.clone() };
            let label = if both { format!("{} (lists)", spec.title) } else { spec.title.clone() };
            let mut c = json!({"name": list_name, "label": label, "label_singular": spec.singular, "files": files});
            if !spec.description.is_empty() {
                c["description"] = json!(spec.description);
            }
            collections.push(c);
        }
    }
    let mut out = json!({
        "backend": backend,
        "app_title": format!("{} · editor", config.title),
        "site_url": config.base_url,
        // The atlas's own icon on the sign-in page and the tab, not the CMS's.
        "logo": {"src": format!("{}assets/favicon.svg", config.base_path())},
        "media_folder": format!("{}static/images", forms.prefix),
        // Paths as atlasgen reads them: `/images/x.jpg` is static/images/x.jpg, and the build
        // adds the site's base path to the links it writes.
        "public_folder": "/images",
        // Ids are lowercase a-z, 0-9 and -: "Móng Cái" becomes mong-cai.
        "slug": {"encoding": "ascii", "clean_accents": true, "sanitize_replacement": "-", "lowercase": true},
        // An optional field left empty is left out, as `check` wants it.
        "output": {"omit_empty_optional_fields": true},
        "collections": collections,
    });
    if multilingual {
        out["i18n"] = json!({
            "structure": "multiple_files",
            "locales": languages.iter().map(|l| l.code.clone()).collect::<Vec<_>>(),
            "default_locale": config.language,
            "omit_default_locale_from_file_path": true,
            // A new record is written in the default language; translations are added later.
            "initial_locales": "default",
        });
    }
    Some(out)
}

/// A list file's name in the editor: its path with `/` and `.` read as `-`.
fn list_file_name(file: &str) -> String {
    file.trim_start_matches("content/").replace(['/', '.'], "-")
}

/// Makes the editor's form fields from a collection's field specs.
struct Forms<'a> {
    config: &'a Config,
    atlas: &'a Atlas,
    storages: &'a IndexMap<&'a str, Storage>,
    /// The atlas folder in the repository, with a trailing `/` (or empty).
    prefix: String,
}

impl Forms<'_> {
    /// The fields of a record or object. `i18n`: whether the entry has translations, so each
    /// field says whether a translation gives its own value.
    fn fields(&self, fields: &IndexMap<String, Spanned<FieldSpec>>, i18n: bool) -> Vec<Value> {
        fields.iter().map(|(name, f)| self.field(name, &f.value, i18n)).collect()
    }

    fn field(&self, name: &str, f: &FieldSpec, i18n: bool) -> Value {
        let mut out = self.widget(f, i18n);
        out["name"] = json!(name);
        out["label"] = json!(f.label_for(name));
        out["required"] = json!(f.required);
        if !f.description.is_empty() {
            out["hint"] = json!(f.description);
        }
        if i18n {
            out["i18n"] = json!(f.translation().is_some());
        }
        out
    }

    /// The widget and its options for a value of the field's type.
    fn widget(&self, f: &FieldSpec, i18n: bool) -> Value {
        match f.ty {
            TypeName::String => json!({"widget": "string"}),
            TypeName::Text => json!({
                "widget": "text",
                "comment": "Inline Markdown: *italic*, **bold**, [a link](https://…), [@source-id].",
            }),
            TypeName::Integer => json!({"widget": "number", "value_type": "int"}),
            TypeName::Number => json!({"widget": "number", "value_type": "float", "step": 0.001}),
            TypeName::Bool => json!({"widget": "boolean"}),
            TypeName::Url => json!({
                "widget": "string",
                "type": "url",
                "pattern": [r"^https?://\S+$", "an address starting with https:// or http://"],
            }),
            TypeName::Enum => json!({"widget": "select", "options": self.options(f)}),
            // Text with a pattern rather than a date picker: a date keeps the precision it is
            // written with ("1887" is a year, not 1 January 1887).
            TypeName::Date => json!({
                "widget": "string",
                "pattern": [format!("^{DATE}$"), "YYYY, YYYY-MM or YYYY-MM-DD"],
                "comment": "YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source: 1887, 1957-11, 1999-12-30.",
            }),
            TypeName::Daterange => json!({
                "widget": "string",
                "pattern": [format!("^{DATE}(/{DATE})?$"), "a date (YYYY, YYYY-MM or YYYY-MM-DD) or a span start/end"],
                "comment": "A date as precise as the source (1887, 1957-11, 1999-12-30) or a span: 1977-10/1978-06.",
            }),
            TypeName::Geo => json!({
                "widget": "object",
                "summary": "{{fields.lat}}, {{fields.lon}}",
                "fields": [
                    {"name": "lat", "label": "Latitude", "widget": "number", "value_type": "float", "min": -90, "max": 90, "step": 0.0001, "required": true, "hint": "Decimal degrees (WGS84), north positive."},
                    {"name": "lon", "label": "Longitude", "widget": "number", "value_type": "float", "min": -180, "max": 180, "step": 0.0001, "required": true, "hint": "Decimal degrees (WGS84), east positive."},
                ],
            }),
            TypeName::Ref => {
                let target = f.collection.as_ref().map(|c| c.value.as_str()).unwrap_or_default();
                self.reference(target, false)
            }
            TypeName::Citation => self.citation(),
            TypeName::List => {
                let Some(item) = f.item.as_ref().map(|i| &i.value) else { return json!({"widget": "list"}) };
                match item.ty {
                    TypeName::Ref => {
                        let target = item.collection.as_ref().map(|c| c.value.as_str()).unwrap_or_default();
                        self.reference(target, true)
                    }
                    TypeName::Enum => json!({"widget": "select", "multiple": true, "options": self.options(item)}),
                    TypeName::Object => json!({
                        "widget": "list",
                        "collapsed": "auto",
                        "fields": self.fields(&item.fields, i18n),
                    }),
                    TypeName::Citation => json!({
                        "widget": "list",
                        "label_singular": "citation",
                        "collapsed": "auto",
                        "summary": "{{fields.ref}} {{fields.loc}}",
                        "fields": self.citation()["fields"].clone(),
                    }),
                    _ => {
                        let mut sub = self.widget(item, i18n);
                        sub["name"] = json!("item");
                        sub["label"] = json!(f.label_for("item"));
                        sub["required"] = json!(true);
                        json!({"widget": "list", "field": sub})
                    }
                }
            }
            TypeName::Object => json!({"widget": "object", "fields": self.fields(&f.fields, i18n)}),
            // The picture's parts as an object, its file picked from the media library.
            TypeName::Image => {
                let mut fields = self.fields(&FieldSpec::image_parts(), i18n);
                fields[0]["widget"] = json!("image");
                fields[0]["media_folder"] = json!(format!("/{}static/images", self.prefix));
                fields[0]["public_folder"] = json!("/images");
                json!({"widget": "object", "summary": "{{fields.src}}", "fields": fields})
            }
        }
    }

    fn options(&self, f: &FieldSpec) -> Vec<Value> {
        f.values.iter().map(|v| json!({"value": v, "label": f.values.label(v)})).collect()
    }

    /// A citation as its object form `{ref, loc, cites, note}`.
    fn citation(&self) -> Value {
        let source = self.config.citations();
        let mut reference = self.reference(source, false);
        reference["name"] = json!("ref");
        reference["label"] = json!("Source");
        reference["required"] = json!(true);
        let mut cites = self.reference(source, true);
        cites["name"] = json!("cites");
        cites["label"] = json!("Citing");
        cites["required"] = json!(false);
        cites["hint"] = json!("The source's own references behind the statement.");
        json!({
            "widget": "object",
            "summary": "{{fields.ref}} {{fields.loc}}",
            "fields": [
                reference,
                {"name": "loc", "label": "Where in the source", "widget": "string", "required": false, "hint": "A page, section or table: §3, p. 12, Table 1."},
                cites,
                {"name": "note", "label": "Note", "widget": "string", "required": false, "hint": "A note on the citation (inline Markdown)."},
            ],
        })
    }

    /// A reference to a record of `target`: a live choice among its records when they are all
    /// in one place the editor can list (its Markdown files, or one YAML list).
    fn reference(&self, target: &str, multiple: bool) -> Value {
        let title = self.config.collection(target).map(|c| c.title_field.value.clone()).unwrap_or_default();
        let Some(st) = self.storages.get(target) else { return json!({"widget": "string"}) };
        let mut out = match (st.folder, st.lists.as_slice()) {
            (true, []) => json!({
                "widget": "relation",
                "collection": target,
                "value_field": "{{slug}}",
                "search_fields": [title],
                "display_fields": [title],
            }),
            (false, [file]) => json!({
                "widget": "relation",
                "collection": target,
                "file": list_file_name(file),
                "value_field": format!("{LIST_FIELD}.*.id"),
                "search_fields": [format!("{LIST_FIELD}.*.{title}")],
                "display_fields": [format!("{LIST_FIELD}.*.{title}")],
            }),
            // Records in several places: a choice among those the atlas had when the site
            // was built (each push rebuilds it, so the list follows the repository).
            _ => {
                let records = self.atlas.collections.get(target).map(Vec::as_slice).unwrap_or_default();
                let options: Vec<Value> = records
                    .iter()
                    .map(|r| json!({"value": r.id, "label": format!("{} ({})", r.title, r.id)}))
                    .collect();
                json!({"widget": "select", "options": options, "dropdown_threshold": 0})
            }
        };
        if multiple {
            out["multiple"] = json!(true);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_files_are_named_from_their_path() {
        assert_eq!(list_file_name("content/events.yaml"), "events-yaml");
        assert_eq!(list_file_name("content/events/older.yaml"), "events-older-yaml");
    }
}
