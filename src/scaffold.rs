//! Starting points for editors: `new` writes a record from its collection's schema, `init`
//! writes a whole new atlas that builds and checks clean at once.

use crate::config::{CONFIG_FILE, Config, FieldSpec, TypeName, is_valid_id};
use crate::content::{self, CONTENT_DIR};
use crate::diag::{Diagnostic, Diagnostics, Pos, did_you_mean};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Writes `content/<collection>/<id>.md` with every required field as a placeholder and every
/// optional one as a comment, each with its description. Returns the file written.
pub fn new_record(root: &Path, collection: &str, id: &str) -> Result<PathBuf, Diagnostics> {
    let config = Config::load(root)?;
    let fail = |m: String, h: String| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error(CONFIG_FILE, Pos::FILE, m).with_help(h));
        Err(d)
    };
    let Some(spec) = config.collection(collection) else {
        let names: Vec<&str> = config.collections.keys().map(String::as_str).collect();
        let help = match did_you_mean(collection, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("collections are: {}", names.join(", ")),
        };
        return fail(format!("`{collection}` is not a collection of this atlas"), help);
    };
    if !is_valid_id(id) {
        let s = content::slug(id);
        return fail(format!("invalid id \"{id}\": ids may use only lowercase a-z, 0-9 and -"), format!("try \"{s}\""));
    }
    let mut scratch = Diagnostics::new();
    let existing = content::load(root, &config, &mut scratch);
    if let Some(r) = existing.records.iter().find(|r| r.collection == collection && r.id == id) {
        return fail(
            format!("`{id}` already exists in `{collection}` ({})", r.file),
            "choose another id, or edit the existing record".into(),
        );
    }
    let path = root.join(CONTENT_DIR).join(collection).join(format!("{id}.md"));
    let mut text = String::from("---\n");
    for (name, f) in &spec.fields {
        write_field(&mut text, name, &f.value);
    }
    text.push_str("---\nWrite the narrative here, in your own words. Cite a source with `[@source-id]` and link a record with `[text](@/collection/id)`.\n");
    let io = |e: std::io::Error| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error(path.display().to_string(), Pos::FILE, format!("cannot write: {e}")));
        d
    };
    std::fs::create_dir_all(path.parent().expect("has a parent")).map_err(io)?;
    // create_new: never overwrite, even if a file appeared since the check above.
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)?;
    Ok(path)
}

/// One field of the scaffold: a placeholder line if required, a comment otherwise.
fn write_field(out: &mut String, name: &str, f: &FieldSpec) {
    let mut comment = f.description.clone();
    if f.ty == TypeName::Enum {
        let _ = write!(comment, " One of: {}.", f.values.join(", "));
    }
    if let Some(c) = &f.collection {
        let _ = write!(comment, " The id of a `{}` record.", c.value);
    }
    let comment = comment.trim();
    if !comment.is_empty() {
        let _ = writeln!(out, "# {comment}");
    }
    let example = placeholder(f);
    if f.required {
        let _ = writeln!(out, "{name}: {example}");
    } else {
        let _ = writeln!(out, "# {name}: {example}");
    }
}

fn placeholder(f: &FieldSpec) -> String {
    match f.ty {
        TypeName::String | TypeName::Text => "\"TODO\"".into(),
        TypeName::Integer => "0".into(),
        TypeName::Number => "0.0".into(),
        TypeName::Bool => "false".into(),
        TypeName::Url => "\"https://example.org/\"".into(),
        TypeName::Enum => f.values.first().cloned().unwrap_or_default(),
        TypeName::Date => "\"YYYY-MM-DD\"".into(),
        TypeName::Daterange => "\"YYYY-MM-DD\"  # or \"start/end\"".into(),
        TypeName::Geo => "{lat: 0.0, lon: 0.0}".into(),
        TypeName::Ref => "todo".into(),
        TypeName::Citation => "{ref: todo, loc: \"p. 1\"}".into(),
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

/// The files of a new atlas, relative to its folder.
const INIT_FILES: &[(&str, &str)] = &[
    ("atlas.yaml", include_str!("scaffold/atlas.yaml")),
    ("content/places/old-bridge.md", include_str!("scaffold/old-bridge.md")),
    ("content/sources.yaml", include_str!("scaffold/sources.yaml")),
    ("content/about.md", include_str!("scaffold/about.md")),
    ("templates/record.html", include_str!("scaffold/record.html")),
    ("static/images/marker.svg", include_str!("scaffold/marker.svg")),
    (".gitignore", "/site\n/.site.*\n"),
];

/// Creates a new atlas in `dir`, which must be empty or not exist. Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<String>, Diagnostics> {
    let fail = |m: String, h: &str| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error(dir.display().to_string(), Pos::FILE, m).with_help(h.to_string()));
        Err(d)
    };
    if dir.exists() {
        let empty = std::fs::read_dir(dir).map(|mut it| it.next().is_none()).unwrap_or(false);
        if !empty {
            return fail(
                "the folder is not empty".into(),
                "choose a new or empty folder; atlasgen init never overwrites files",
            );
        }
    }
    let mut written = Vec::new();
    for (rel, text) in INIT_FILES {
        let path = dir.join(rel);
        let res =
            path.parent().map(std::fs::create_dir_all).unwrap_or(Ok(())).and_then(|_| std::fs::write(&path, text));
        if let Err(e) = res {
            return fail(format!("cannot write {rel}: {e}"), "check that the folder is writable");
        }
        written.push(rel.to_string());
    }
    Ok(written)
}
