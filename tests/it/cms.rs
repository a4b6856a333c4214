//! The browser editor at `/admin/`: its configuration, generated from `atlas.yaml`, lists
//! every collection and every field of the shipped atlas and of the Alps fixture with the
//! widget its type calls for, and is valid under the JSON Schema that `@sveltia/cms` ships
//! (checked with Python's jsonschema from `.venv-data`, as tests/it/cli.rs checks the atlas's
//! own schemas). The browser side is tests/e2e/cms.test.js.

use crate::common;

use atlasgen::config::{Config, FieldSpec, TypeName};
use atlasgen::{BuildOptions, build};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the atlas at `root` and returns its parsed `admin/config.json` and the site folder.
fn built(root: &Path) -> (Value, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(&BuildOptions { root: root.into(), output: site.clone(), base_url: None, force: false })
        .expect("the atlas builds");
    let text = std::fs::read_to_string(site.join("admin/config.json")).expect("the editor's configuration is written");
    (serde_json::from_str(&text).expect("config.json is JSON"), out)
}

/// The Alps fixture with the editor turned on, committing to a Gitea forge (Codeberg).
fn alps() -> tempfile::TempDir {
    let dir = common::fixture_copy("alps");
    let path = dir.path().join("atlas.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("\ncms:"), "the fixture leaves the editor off; the test turns it on");
    text.push_str("\nrepository: {url: https://codeberg.org/example/alpen, branch: trunk}\ncms: {}\n");
    std::fs::write(&path, text).unwrap();
    dir
}

fn collection<'a>(cms: &'a Value, name: &str) -> &'a Value {
    cms["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no editor collection `{name}`"))
}

/// The form fields of an editor collection: an entry collection's, or the list items of
/// its first file.
fn form(c: &Value) -> &Vec<Value> {
    match c.get("files") {
        Some(files) => files[0]["fields"][0]["fields"].as_array().unwrap(),
        None => c["fields"].as_array().unwrap(),
    }
}

/// Holds one generated form field to its spec: name, label, required flag, hint and the
/// widget of its type, down through lists and objects.
fn same_field(config: &Config, at: &str, name: &str, spec: &FieldSpec, field: &Value) {
    assert_eq!(field["name"], name, "{at}");
    assert_eq!(field["label"], spec.label_for(name).as_str(), "{at}");
    assert_eq!(field["required"], spec.required, "{at}: required");
    if !spec.description.is_empty() {
        assert_eq!(field["hint"], spec.description.as_str(), "{at}: hint");
    }
    widget(config, at, spec, field);
}

fn widget(config: &Config, at: &str, spec: &FieldSpec, field: &Value) {
    let w = field["widget"].as_str().unwrap_or_else(|| panic!("{at}: no widget in {field}"));
    let options = |f: &Value| -> Vec<(String, String)> {
        f["options"]
            .as_array()
            .unwrap_or_else(|| panic!("{at}: no options"))
            .iter()
            .map(|o| (o["value"].as_str().unwrap().to_string(), o["label"].as_str().unwrap().to_string()))
            .collect()
    };
    match spec.ty {
        TypeName::String => assert_eq!(w, "string", "{at}"),
        TypeName::Text => assert_eq!(w, "text", "{at}"),
        TypeName::Integer => assert_eq!((w, field["value_type"].as_str()), ("number", Some("int")), "{at}"),
        TypeName::Number => assert_eq!((w, field["value_type"].as_str()), ("number", Some("float")), "{at}"),
        TypeName::Bool => assert_eq!(w, "boolean", "{at}"),
        TypeName::Url => assert_eq!((w, field["type"].as_str()), ("string", Some("url")), "{at}"),
        TypeName::Enum => {
            assert_eq!(w, "select", "{at}");
            let want: Vec<(String, String)> = spec.values.iter().map(|v| (v.clone(), spec.values.label(v))).collect();
            assert_eq!(options(field), want, "{at}: the enum's values with their labels, in order");
        }
        TypeName::Date | TypeName::Daterange => {
            assert_eq!(w, "string", "{at}: a date keeps its precision, so it is text with a pattern");
            let pattern = regex_of(field);
            let ok: &[&str] = if spec.ty == TypeName::Date {
                &["1887", "1957-11", "1999-12-30"]
            } else {
                &["1887", "1977-10/1978-06"]
            };
            for d in ok {
                assert!(matches(&pattern, d), "{at}: {d} is refused by {pattern}");
            }
            for d in ["87", "1999-13", "1999-12-32", "30.12.1999"] {
                assert!(!matches(&pattern, d), "{at}: {d} is accepted by {pattern}");
            }
        }
        TypeName::Geo => {
            assert_eq!(w, "object", "{at}");
            let names: Vec<&str> =
                field["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
            assert_eq!(names, ["lat", "lon"], "{at}");
        }
        TypeName::Ref => reference(config, at, spec.collection.as_ref().unwrap().value.as_str(), field, false),
        TypeName::Citation => {
            assert_eq!(w, "object", "{at}");
            reference(config, &format!("{at}.ref"), config.citations(), &field["fields"][0], false);
        }
        TypeName::List => {
            let item = &spec.item.as_ref().unwrap().value;
            match item.ty {
                TypeName::Ref => reference(config, at, item.collection.as_ref().unwrap().value.as_str(), field, true),
                TypeName::Enum => {
                    assert_eq!((w, &field["multiple"]), ("select", &Value::Bool(true)), "{at}");
                }
                TypeName::Object => {
                    assert_eq!(w, "list", "{at}");
                    fields(config, at, &item.fields, field["fields"].as_array().unwrap());
                }
                TypeName::Citation => {
                    assert_eq!((w, field["fields"][0]["name"].as_str()), ("list", Some("ref")), "{at}")
                }
                _ => {
                    assert_eq!(w, "list", "{at}");
                    widget(config, &format!("{at}[]"), item, &field["field"]);
                }
            }
        }
        TypeName::Object => {
            assert_eq!(w, "object", "{at}");
            fields(config, at, &spec.fields, field["fields"].as_array().unwrap());
        }
        TypeName::Image => {
            assert_eq!(w, "object", "{at}");
            let parts = field["fields"].as_array().unwrap();
            let names: Vec<&str> = parts.iter().map(|f| f["name"].as_str().unwrap()).collect();
            assert_eq!(names, ["src", "alt", "caption", "credit", "decorative"], "{at}");
            // The file is picked from static/images and stored as atlasgen reads it.
            assert_eq!(
                (parts[0]["widget"].as_str(), parts[0]["public_folder"].as_str()),
                (Some("image"), Some("/images")),
                "{at}"
            );
        }
    }
}

/// A reference offers the target collection's records: a relation to it, or (when its
/// records are kept both as Markdown files and in lists) a choice among them.
fn reference(config: &Config, at: &str, target: &str, field: &Value, multiple: bool) {
    assert!(config.collection(target).is_some());
    match field["widget"].as_str() {
        Some("relation") => assert_eq!(field["collection"], target, "{at}"),
        Some("select") => {
            let options = field["options"].as_array().unwrap();
            assert!(!options.is_empty(), "{at}: a choice among the records of {target}");
        }
        w => panic!("{at}: a reference to {target} is a {w:?}"),
    }
    assert_eq!(field["multiple"].as_bool().unwrap_or(false), multiple, "{at}: multiple");
}

fn fields(
    config: &Config,
    at: &str,
    specs: &indexmap::IndexMap<String, serde_saphyr::Spanned<FieldSpec>>,
    form: &[Value],
) {
    let form: Vec<&Value> = form.iter().filter(|f| f["name"] != "id" && f["name"] != "body").collect();
    let names: Vec<&str> = form.iter().map(|f| f["name"].as_str().unwrap()).collect();
    let want: Vec<&str> = specs.keys().map(String::as_str).collect();
    assert_eq!(names, want, "{at}: every field, in the schema's order");
    for ((name, spec), field) in specs.iter().zip(form) {
        same_field(config, &format!("{at}.{name}"), name, &spec.value, field);
    }
}

fn regex_of(field: &Value) -> String {
    field["pattern"][0].as_str().unwrap().to_string()
}

/// Whether `s` matches `pattern`, with Python's `re` (the patterns are the ECMAScript
/// subset both share).
fn matches(pattern: &str, s: &str) -> bool {
    let out = Command::new("python3")
        .args(["-c", "import re,sys; sys.exit(0 if re.search(sys.argv[1], sys.argv[2]) else 1)", pattern, s])
        .status()
        .expect("python3 runs");
    out.success()
}

/// Every collection of the atlas is in the editor, with each of its fields.
fn lists_everything(root: &Path, cms: &Value) {
    let config = Config::load(root).expect("the atlas's configuration loads");
    for (name, spec) in &config.collections {
        let c = collection(cms, name);
        assert_eq!(c["label"].as_str().unwrap().trim_end_matches(" (lists)"), spec.value.title, "{name}");
        fields(&config, name, &spec.value.fields, form(c));
        if let Some(lists) =
            cms["collections"].as_array().unwrap().iter().find(|c| c["name"] == format!("{name}-lists"))
        {
            fields(&config, name, &spec.value.fields, form(lists));
        }
    }
    let names: Vec<&str> = cms["collections"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    for n in &names {
        assert!(
            config.collections.contains_key(n.trim_end_matches("-lists")),
            "the editor has `{n}`, the atlas does not"
        );
    }
}

/// The configuration is valid under `@sveltia/cms`'s own JSON Schema (draft-07).
fn valid_for_sveltia(cms: &Value) {
    let schema = repo().join("node_modules/@sveltia/cms/schema/sveltia-cms.json");
    assert!(schema.exists(), "{} is missing: run npm ci", schema.display());
    let venv = std::env::var_os("ATLASGEN_TEST_VENV").map(PathBuf::from).unwrap_or_else(|| repo().join(".venv-data"));
    let python = venv.join("bin/python");
    assert!(python.exists(), "{} is missing: ./test.sh makes the venv", python.display());
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), serde_json::to_string(cms).unwrap()).unwrap();
    let script = "import json,sys,jsonschema\n\
                  s=json.load(open(sys.argv[1])); c=json.load(open(sys.argv[2]))\n\
                  errs=list(jsonschema.Draft7Validator(s).iter_errors(c))\n\
                  [print(list(e.absolute_path), e.message[:300]) for e in errs]\n\
                  sys.exit(1 if errs else 0)";
    let out = Command::new(python).args(["-c", script]).arg(&schema).arg(file.path()).output().expect("python runs");
    assert!(
        out.status.success(),
        "the editor's configuration breaks Sveltia CMS's schema:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn shipped_atlas_editor_lists_every_collection_and_field() {
    let (cms, site) = built(&repo());
    lists_everything(&repo(), &cms);
    valid_for_sveltia(&cms);
    assert_eq!(cms["backend"]["name"], "github");
    assert_eq!(cms["backend"]["repo"], "example/vn-cn-atlas");
    assert_eq!(cms["backend"]["branch"], "main");
    assert_eq!(cms["i18n"]["locales"], serde_json::json!(["en", "vi", "zh-Hans"]));
    assert_eq!(cms["i18n"]["structure"], "multiple_files");
    // Gates are Markdown files, translated by siblings; events are files and lists.
    let gates = collection(&cms, "gates");
    assert_eq!((gates["folder"].as_str(), gates["i18n"].as_bool()), (Some("content/gates"), Some(true)));
    let events = collection(&cms, "events-lists");
    assert_eq!(events["files"][0]["file"], "content/events.yaml");
    assert_eq!(events["files"][0]["fields"][0]["root"], true);
    // name_hans has a fixed language and sources' titles are kept as printed: not translated.
    let field = |c: &Value, n: &str| form(c).iter().find(|f| f["name"] == n).unwrap().clone();
    assert_eq!(field(gates, "name")["i18n"], true);
    assert_eq!(field(gates, "cn_name_hans")["i18n"], false);
    assert_eq!(field(gates, "mode")["i18n"], false);
    let site = site.path().join("site");
    let page = std::fs::read_to_string(site.join("admin/index.html")).unwrap();
    assert!(page.contains(r#"<script src="sveltia-cms.js"></script>"#), "{page}");
    let script = std::fs::read(site.join("admin/sveltia-cms.js")).unwrap();
    let vendored = std::fs::read(repo().join("node_modules/@sveltia/cms/dist/sveltia-cms.js")).unwrap();
    assert!(script == vendored, "the embedded editor is not the npm package's: run tools/vendor-cms.sh");
    let licence = std::fs::read_to_string(site.join("admin/sveltia-cms.LICENSE.txt")).unwrap();
    assert!(licence.contains("MIT License"), "{licence}");
    let robots = std::fs::read_to_string(site.join("robots.txt")).unwrap();
    assert!(robots.contains("Disallow: /vn-cn-atlas/admin/"), "{robots}");
    let sitemap = std::fs::read_to_string(site.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("/admin/"), "the editor is not in the sitemap");
}

#[test]
fn alps_editor_lists_every_collection_and_field() {
    let dir = alps();
    let (cms, _site) = built(dir.path());
    lists_everything(dir.path(), &cms);
    valid_for_sveltia(&cms);
    assert_eq!(cms["backend"]["name"], "gitea");
    assert_eq!(cms["backend"]["repo"], "example/alpen");
    assert_eq!(cms["backend"]["branch"], "trunk");
    assert_eq!(cms["i18n"]["default_locale"], "de");
}

#[test]
fn editor_is_off_without_cms() {
    let dir = common::fixture_copy("alps");
    let out = tempfile::tempdir().unwrap();
    build(&BuildOptions { root: dir.path().into(), output: out.path().join("site"), base_url: None, force: false })
        .unwrap();
    assert!(!out.path().join("site/admin").exists());
    let robots = std::fs::read_to_string(out.path().join("site/robots.txt")).unwrap();
    assert!(!robots.contains("Disallow"), "{robots}");
}
