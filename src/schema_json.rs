//! `atlasgen schema`: JSON Schemas (draft 2020-12) of `atlas.yaml` and of each collection's
//! records, for the YAML language servers of editors (completion, hover text, checks as you
//! type).
//!
//! Nothing here is written by hand. The schema of `atlas.yaml` is derived (schemars) from the
//! structs that read it, doc comments included; a record's schema is made from its
//! collection's field specs, the ones `check` validates against, type by type as
//! [`crate::validate`] reads values. What a schema cannot say (that a reference lands on a
//! record, that a day exists in its month) stays with `check`.

use crate::config::{Config, FieldSpec, TypeName};
use crate::content::{self, FileKind};
use crate::diag::{Diagnostic, Diagnostics, Pos};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Where `atlasgen schema` writes, relative to the atlas folder.
pub const DEFAULT_DIR: &str = "schemas";
/// The schema of `atlas.yaml`, in that folder.
pub const CONFIG_SCHEMA: &str = "atlas.schema.json";
const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The form of ids and collection names, as [`crate::config::is_valid_id`] checks it.
pub const ID_PATTERN: &str = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; whether the day exists is left to `check`.
pub const DATE: &str = r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?";

/// The schema of `atlas.yaml`.
pub fn config_schema() -> Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(Config)).expect("a schema is JSON");
    schema["title"] = json!("atlas.yaml");
    schema["description"] = json!(
        "The configuration of an atlas made with atlasgen: site settings, and the collections with their schemas."
    );
    schema
}

/// The file name of a collection's schema.
pub fn file_name(collection: &str) -> String {
    format!("{collection}.schema.json")
}

/// A collection's schema. For a collection kept in YAML lists (`listed`), the schema of a
/// list file; otherwise the schema of one record, as in a Markdown file's front matter. Both
/// hold the record's schema at `#/$defs/record` and a listed record's at `#/$defs/listed`.
/// `ids` are each collection's record ids, offered as examples where a field refers to one.
pub fn collection_schema(config: &Config, name: &str, listed: bool, ids: &BTreeMap<String, Vec<String>>) -> Value {
    let spec = config.collection(name).expect("a collection of the atlas");
    let mut refs = BTreeSet::new();
    let mut make = Maker { config, refs: &mut refs };
    let record = make.record(&spec.fields, false);
    let listed_record = listed.then(|| make.record(&spec.fields, true));
    let mut defs = Map::new();
    for target in refs {
        let mut def = json!({
            "type": "string",
            "pattern": ID_PATTERN,
            "description": format!("The id of a record of `{target}`."),
        });
        if let Some(known) = ids.get(&target).filter(|v| !v.is_empty()) {
            // Examples, not an enum: editors offer them, and a record added since the schema
            // was written is not flagged.
            def["examples"] = json!(known);
        }
        defs.insert(id_def(&target), def);
    }
    let title = format!("{} ({name})", spec.singular);
    let description = if spec.description.is_empty() { spec.title.clone() } else { spec.description.clone() };
    let mut top = if listed {
        json!({
            "title": format!("{} ({name}, a list)", spec.title),
            "description": format!("{description} A YAML list: each record starts with `- id: …`."),
            "type": "array",
            "items": {"$ref": "#/$defs/listed"},
        })
    } else {
        json!({"title": title, "description": description, "$ref": "#/$defs/record"})
    };
    if let Some(item) = listed_record {
        defs.insert("listed".into(), item);
    }
    let mut record = record;
    record["title"] = json!(title);
    defs.insert("record".into(), record);
    top["$schema"] = json!(DIALECT);
    top["$defs"] = Value::Object(defs);
    top
}

fn id_def(collection: &str) -> String {
    format!("id-{collection}")
}

/// Builds the schemas of a collection's values, noting the collections its references
/// point into.
struct Maker<'a> {
    config: &'a Config,
    refs: &'a mut BTreeSet<String>,
}

impl Maker<'_> {
    /// A record: its fields, and `id` (required in a list; in a Markdown file the file's name
    /// is the id unless `id:` gives another).
    fn record(&mut self, fields: &indexmap::IndexMap<String, serde_saphyr::Spanned<FieldSpec>>, listed: bool) -> Value {
        let mut schema = self.mapping(fields);
        let id = json!({
            "type": "string",
            "pattern": ID_PATTERN,
            "description": if listed {
                "The record's id: lowercase a-z, 0-9 and -, unique in its collection."
            } else {
                "The record's id, when it is not the file's name: lowercase a-z, 0-9 and -."
            },
        });
        schema["properties"]["id"] = id;
        if listed {
            let required = schema["required"].as_array_mut().expect("mapping lists required");
            required.insert(0, json!("id"));
        }
        schema
    }

    /// A mapping of named fields: unknown keys refused, required ones required, and an
    /// optional one may be left empty (an explicit null is the same as leaving it out).
    fn mapping(&mut self, fields: &indexmap::IndexMap<String, serde_saphyr::Spanned<FieldSpec>>) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for (name, f) in fields {
            let f = &f.value;
            let mut schema = self.field(f);
            if f.required {
                required.push(json!(name));
            } else {
                allow_null(&mut schema);
            }
            schema["title"] = json!(f.label_for(name));
            let mut description = f.description.clone();
            if f.ty == TypeName::Enum {
                description = format!("{description} One of: {}.", f.values.join(", ")).trim().to_string();
            }
            if !description.is_empty() {
                schema["description"] = json!(description);
            }
            properties.insert(name.clone(), schema);
        }
        json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        })
    }

    /// One value of a field, as `validate` reads it.
    fn field(&mut self, f: &FieldSpec) -> Value {
        match f.ty {
            // Numbers are taken as text in a string field.
            TypeName::String => json!({"type": ["string", "number"]}),
            TypeName::Text => json!({"type": "string"}),
            TypeName::Integer => json!({"type": "integer"}),
            TypeName::Number => json!({"type": "number"}),
            TypeName::Bool => json!({"type": "boolean"}),
            TypeName::Url => {
                json!({"type": "string", "format": "uri", "pattern": r"^https?://\S{1,}$", "minLength": 9})
            }
            TypeName::Enum => json!({"type": "string", "enum": f.values.to_vec()}),
            TypeName::Date => json!({
                "anyOf": [
                    {"type": "string", "pattern": format!(r"^\s*{DATE}\s*$")},
                    {"type": "integer", "minimum": 1000, "maximum": 9999},
                ],
                "examples": ["1887", "1957-11", "1999-12-30"],
            }),
            TypeName::Daterange => json!({
                "anyOf": [
                    {"type": "string", "pattern": format!(r"^\s*{DATE}\s*(/\s*{DATE}\s*)?$")},
                    {"type": "integer", "minimum": 1000, "maximum": 9999},
                ],
                "examples": ["1887", "1977-10/1978-06"],
            }),
            TypeName::Geo => json!({
                "type": "object",
                "properties": {
                    "lat": {"type": "number", "minimum": -90, "maximum": 90, "description": "Latitude, decimal degrees (WGS84)."},
                    "lon": {"type": "number", "minimum": -180, "maximum": 180, "description": "Longitude, decimal degrees (WGS84)."},
                },
                "required": ["lat", "lon"],
                "additionalProperties": false,
            }),
            TypeName::Ref => {
                let target = f.collection.as_ref().map(|c| c.value.clone()).unwrap_or_default();
                self.reference(&target)
            }
            TypeName::Citation => {
                let source = self.config.citations().to_string();
                let id = self.reference(&source);
                json!({
                    "anyOf": [
                        id,
                        {
                            "type": "object",
                            "properties": {
                                "ref": {"$ref": format!("#/$defs/{}", id_def(&source)), "description": "The source cited."},
                                "loc": {"type": ["string", "integer"], "description": "Where in the source: a page, section or table."},
                                "cites": {"type": "array", "items": {"$ref": format!("#/$defs/{}", id_def(&source))}, "description": "The source's own references behind the statement."},
                                "note": {"type": "string", "description": "A note on the citation (inline Markdown)."},
                            },
                            "required": ["ref"],
                            "additionalProperties": false,
                        },
                    ],
                })
            }
            TypeName::List => {
                let items = f.item.as_ref().map(|i| self.field(&i.value)).unwrap_or(json!({}));
                json!({"type": "array", "items": items})
            }
            TypeName::Object => self.mapping(&f.fields),
            TypeName::Image => self.mapping(&FieldSpec::image_parts()),
        }
    }

    fn reference(&mut self, target: &str) -> Value {
        self.refs.insert(target.to_string());
        json!({"$ref": format!("#/$defs/{}", id_def(target))})
    }
}

/// Lets an optional field be written empty (`field:`), which `check` takes as left out.
fn allow_null(schema: &mut Value) {
    if let Some(types) = schema.get_mut("type") {
        match types {
            Value::String(t) => *types = json!([t.clone(), "null"]),
            Value::Array(a) => a.push(json!("null")),
            _ => {}
        }
        if let Some(Value::Array(values)) = schema.get_mut("enum") {
            values.push(Value::Null);
        }
    } else if let Some(Value::Array(any)) = schema.get_mut("anyOf") {
        any.push(json!({"type": "null"}));
    } else {
        *schema = json!({"anyOf": [schema.clone(), {"type": "null"}]});
    }
}

/// What [`write`] wrote.
pub struct Written {
    /// The files, as paths from the current folder.
    pub files: Vec<String>,
    /// A `.vscode/settings.json` giving each YAML file its schema.
    pub vscode: String,
}

/// The `yaml.schemas` setting of VS Code's YAML extension: each schema with the files it is
/// for, `atlas.yaml` and the YAML lists (Markdown front matter is not read by YAML servers).
fn vscode_settings(dir: &str, listed: &BTreeSet<String>) -> String {
    let q = |s: &str| serde_json::to_string(s).expect("a string is JSON");
    let mut lines = vec![format!("    {}: {}", q(&format!("{dir}/{CONFIG_SCHEMA}")), q(crate::config::CONFIG_FILE))];
    for c in listed {
        let globs = [format!("content/{c}.yaml"), format!("content/{c}.yml"), format!("content/{c}/*.yaml")];
        let globs: Vec<String> = globs.iter().map(|g| q(g)).collect();
        lines.push(format!("    {}: [{}]", q(&format!("{dir}/{}", file_name(c))), globs.join(", ")));
    }
    format!("{{\n  \"yaml.schemas\": {{\n{}\n  }}\n}}\n", lines.join(",\n"))
}

/// Writes the schema of `atlas.yaml` and one per collection into `output` (relative to
/// `root` unless absolute).
pub fn write(root: &Path, output: &Path) -> Result<Written, Diagnostics> {
    let config = Config::load(root)?;
    let mut scratch = Diagnostics::new();
    let files = content::discover(root, &config, &mut scratch);
    let listed: BTreeSet<String> = files
        .iter()
        .filter_map(|(_, k)| match k {
            FileKind::RecordList { collection } => Some(collection.clone()),
            _ => None,
        })
        .collect();
    let loaded = content::load(root, &config, &mut scratch);
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in loaded.records.iter().filter(|r| r.lang.is_none()) {
        ids.entry(r.collection.clone()).or_default().push(r.id.clone());
    }
    for v in ids.values_mut() {
        v.sort();
        v.dedup();
    }
    let dir = if output.is_absolute() { output.to_path_buf() } else { root.join(output) };
    let fail = |what: &Path, e: std::io::Error| {
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::error(what.display().to_string(), Pos::FILE, format!("cannot write: {e}"))
                .with_help("choose a writable folder with --output"),
        );
        d
    };
    std::fs::create_dir_all(&dir).map_err(|e| fail(&dir, e))?;
    let mut schemas = vec![(CONFIG_SCHEMA.to_string(), config_schema())];
    for name in config.collections.keys() {
        schemas.push((file_name(name), collection_schema(&config, name, listed.contains(name), &ids)));
    }
    let mut written = Vec::new();
    for (file, schema) in schemas {
        let path = dir.join(&file);
        let text = serde_json::to_string_pretty(&schema).expect("a schema is JSON") + "\n";
        std::fs::write(&path, text).map_err(|e| fail(&path, e))?;
        written.push(path.display().to_string());
    }
    let shown = if output.is_absolute() {
        output.display().to_string()
    } else {
        format!("./{}", output.display().to_string().replace('\\', "/").trim_start_matches("./"))
    };
    Ok(Written { files: written, vscode: vscode_settings(shown.trim_end_matches('/'), &listed) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::CONFIG_FILE;

    fn config(text: &str) -> Config {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        Config::load(dir.path()).unwrap()
    }

    const ATLAS: &str = "title: T\nbase_url: https://x.org/\ncollections:\n  sources:\n    title: Sources\n    singular: Source\n    title_field: title\n    fields:\n      title: {type: string, required: true}\n  places:\n    title: Places\n    singular: Place\n    title_field: name\n    fields:\n      name: {type: string, required: true, description: \"Its name.\"}\n      kind: {type: enum, values: [town, port]}\n      near: {type: ref, collection: places}\n      sources: {type: list, item: {type: citation}, required: true}\n";

    #[test]
    fn a_record_schema_follows_the_field_specs() {
        let ids = BTreeMap::from([("places".to_string(), vec!["a".to_string(), "b".to_string()])]);
        let s = collection_schema(&config(ATLAS), "places", false, &ids);
        let record = &s["$defs"]["record"];
        assert_eq!(s["$ref"], "#/$defs/record");
        assert_eq!(record["additionalProperties"], false);
        assert_eq!(record["required"], json!(["name", "sources"]));
        assert_eq!(record["properties"]["name"]["description"], "Its name.");
        assert_eq!(record["properties"]["kind"]["enum"], json!(["town", "port", null]));
        assert_eq!(record["properties"]["near"]["anyOf"][0]["$ref"], "#/$defs/id-places");
        assert_eq!(s["$defs"]["id-places"]["examples"], json!(["a", "b"]));
        assert!(s["$defs"].get("id-sources").is_some(), "citations refer to sources");
        assert!(s["$defs"].get("listed").is_none());
    }

    #[test]
    fn a_listed_collection_gets_the_schema_of_a_list() {
        let s = collection_schema(&config(ATLAS), "sources", true, &BTreeMap::new());
        assert_eq!(s["type"], "array");
        assert_eq!(s["items"]["$ref"], "#/$defs/listed");
        assert_eq!(s["$defs"]["listed"]["required"], json!(["id", "title"]));
    }

    #[test]
    fn the_config_schema_refuses_unknown_keys() {
        let s = config_schema();
        assert_eq!(s["$schema"], DIALECT);
        assert_eq!(s["additionalProperties"], false);
        assert!(s["required"].as_array().unwrap().contains(&json!("collections")));
        assert!(s["properties"]["repository"].is_object());
    }
}
