//! Loading `content/`: finding files, splitting front matter from Markdown, parsing the YAML.
//!
//! The layout decides what a file is:
//! - `content/<collection>/<id>.md`: one record, YAML front matter plus Markdown narrative;
//! - `content/<collection>.yaml` or `content/<collection>/<name>.yaml`: a list of records;
//! - `content/<page>.md`: a plain page.
//!
//! Nothing here knows the schema; records come out as positioned YAML for `validate`.
//!
//! One file (~450 lines) because the three shapes share one walk of the folder, one reader of
//! front matter and one set of positions; each part is short.

use crate::config::{Config, is_valid_id};
use crate::diag::{Diagnostic, Diagnostics, Pos, did_you_mean};
use crate::input::Unreadable;
use crate::yaml::{self, Key, Node, NodeValue};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub use crate::layout::CONTENT_DIR;

/// A record as read from disk, before it is checked against its schema.
#[derive(Debug, Clone)]
pub struct RawRecord {
    pub collection: String,
    pub id: String,
    /// Path relative to the atlas root.
    pub file: String,
    /// Where the record starts (the `id:` key, or the top of the file).
    pub pos: Pos,
    pub fields: Vec<(Key, Node)>,
    pub body: Option<Body>,
    /// The language of a translation file (`mong-cai.vi.md`); `None` for the record itself.
    pub lang: Option<String>,
}

/// Markdown narrative and the file line it starts on, for positions in link errors.
#[derive(Debug, Clone)]
pub struct Body {
    /// Shared, not copied, between the load cache `serve` keeps and the models built from it.
    pub text: std::sync::Arc<str>,
    pub line: usize,
}

/// A plain page (`content/about.md`).
#[derive(Debug, Clone)]
pub struct RawPage {
    pub id: String,
    pub file: String,
    pub title: String,
    pub description: String,
    pub body: Body,
    /// The language of a translated page (`about.vi.md`); `None` for the page itself.
    pub lang: Option<String>,
}

/// Everything under `content/`.
#[derive(Debug, Default)]
pub struct Content {
    pub records: Vec<RawRecord>,
    pub pages: Vec<RawPage>,
}

/// What a content file holds, from where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    RecordMd { collection: String },
    RecordList { collection: String },
    Page,
}

/// Reads every content file. Problems are collected; files that fail are skipped.
pub fn load(root: &Path, config: &Config, diags: &mut Diagnostics) -> Content {
    let files = discover(root, config, diags);
    let loaded: Vec<Loaded> = files.par_iter().map(|(path, kind)| load_file(root, path, kind, config)).collect();
    let mut content = Content::default();
    for l in loaded {
        content.records.extend(l.records);
        content.pages.extend(l.page);
        diags.extend(l.diagnostics);
    }
    content
}

/// One content file, read and parsed.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub records: Vec<RawRecord>,
    pub page: Option<RawPage>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and parses one content file found by [`discover`].
pub fn load_file(root: &Path, path: &Path, kind: &FileKind, config: &Config) -> Loaded {
    let rel = relative(root, path);
    let mut d = Diagnostics::new();
    let text = match read_text(root, path, &rel) {
        Ok(t) => t,
        Err(e) => return Loaded { records: vec![], page: None, diagnostics: vec![e.as_cause()] },
    };
    d.extend(crate::placeholders::scan(&text, &rel));
    let (records, page) = match kind {
        FileKind::RecordMd { collection } => {
            (record_md(&text, &rel, collection, path, config, &mut d).into_iter().collect(), None)
        }
        FileKind::RecordList { collection } => {
            let lang = stem_and_lang(path, config).1;
            (record_list(&text, &rel, collection, lang, &mut d), None)
        }
        FileKind::Page => (vec![], page(&text, &rel, path, config, &mut d)),
    };
    let mut diagnostics = d.into_vec();
    if records.is_empty() && page.is_none() {
        // The whole file is lost: what names its records would only echo this.
        for e in diagnostics.iter_mut().filter(|e| e.severity == crate::diag::Severity::Error) {
            e.cause = true;
        }
    }
    Loaded { records, page, diagnostics }
}

/// The content files of the atlas and what each holds, in a stable order. Files and folders
/// that are not part of the atlas are reported.
pub fn discover(root: &Path, config: &Config, diags: &mut Diagnostics) -> Vec<(PathBuf, FileKind)> {
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        diags.push(
            Diagnostic::error(CONTENT_DIR, Pos::FILE, "the content folder is missing")
                .with_help("create content/ with one folder per collection"),
        );
        return vec![];
    }
    let mut files: Vec<(PathBuf, FileKind)> = Vec::new();
    // Links are followed inside the atlas; links out of it and special files are errors.
    let (entries, refused) = crate::input::walk(root, &dir, 2);
    for (path, why) in refused {
        if !path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            diags.push(why.diagnostic(&relative(root, &path)));
        }
    }
    for entry in entries {
        if entry.depth() == 0 {
            continue;
        }
        let rel = relative(root, entry.path());
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let ext = entry.path().extension().and_then(|e| e.to_str()).unwrap_or("");
        let parent = entry.path().parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
        let collection_of = |name: &str, diags: &mut Diagnostics| -> Option<String> {
            if config.collections.contains_key(name) {
                return Some(name.to_string());
            }
            let known: Vec<&str> = config.collections.keys().map(String::as_str).collect();
            let help = did_you_mean(name, known.iter().copied())
                .map(|s| format!("did you mean `{s}`? (or add `{name}` to the collections in atlas.yaml)"))
                .unwrap_or_else(|| {
                    format!(
                        "add `{name}` to the collections in atlas.yaml, or move the file; collections are: {}",
                        known.join(", ")
                    )
                });
            diags.push(
                Diagnostic::error(rel.clone(), Pos::FILE, format!("`{name}` is not a collection")).with_help(help),
            );
            None
        };
        match (entry.depth(), entry.file_type().is_dir(), ext) {
            (1, true, _) => {
                collection_of(&name, diags);
            }
            (1, false, "md") => files.push((entry.path().into(), FileKind::Page)),
            (1, false, "yaml" | "yml") => {
                if let Some(c) = collection_of(stem_and_lang(entry.path(), config).0, diags) {
                    files.push((entry.path().into(), FileKind::RecordList { collection: c }));
                }
            }
            (2, false, "md") if config.collections.contains_key(parent) => {
                files.push((entry.path().into(), FileKind::RecordMd { collection: parent.into() }))
            }
            (2, false, "yaml" | "yml") if config.collections.contains_key(parent) => {
                files.push((entry.path().into(), FileKind::RecordList { collection: parent.into() }))
            }
            (2, _, _) if !config.collections.contains_key(parent) => {}
            _ => diags.push(
                Diagnostic::warning(rel, Pos::FILE, "this file is not part of the atlas and is ignored")
                    .with_help("records are .md or .yaml files; put images and other files in static/"),
            ),
        }
    }
    files
}

/// Path relative to the root with `/` separators, as shown in diagnostics.
pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

pub use crate::input::MAX_TEXT_BYTES as MAX_FILE_BYTES;

/// Reads a file of the atlas under `root` as UTF-8 with LF line ends; a BOM is dropped. Links
/// out of the atlas, special files and files over [`MAX_FILE_BYTES`] are refused (see
/// [`crate::input`]).
pub fn read_text(root: &Path, path: &Path, rel: &str) -> Result<String, Diagnostic> {
    let text = crate::input::read_utf8(root, path, MAX_FILE_BYTES).map_err(|e| match e {
        Unreadable::Refused(r) => r.diagnostic(rel),
        Unreadable::NotUtf8(pos) => Diagnostic::error(rel, pos, "the file is not valid UTF-8")
            .with_help("save the file with UTF-8 encoding (most editors offer it under \"Save with encoding\")"),
    })?;
    Ok(if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text })
}

/// Splits `---`-delimited front matter from the body. The YAML keeps its opening line so that
/// parser line numbers are file line numbers; the body's first line number is returned with it.
pub fn split_front_matter<'a>(text: &'a str, rel: &str) -> Result<(&'a str, Body), Diagnostic> {
    if !text.starts_with("---\n") && text.trim_end_matches('\n') != "---" {
        let help = if text.trim().is_empty() {
            "the file is empty; start it with a front matter block: ---, the fields, ---"
        } else {
            "start the file with a line of three dashes (---), the YAML fields, then another --- line"
        };
        let msg = if text.trim().is_empty() {
            "the file is empty"
        } else {
            "missing front matter: the file must start with `---`"
        };
        return Err(Diagnostic::error(rel, Pos::new(1, 1), msg).with_help(help));
    }
    let mut offset = 4;
    // Line 1 is the opening `---`; the YAML starts on line 2.
    for (line, l) in (2..).zip(text.get(4..).unwrap_or("").split_inclusive('\n')) {
        let trimmed = l.trim_end_matches('\n');
        if trimmed == "---" || trimmed == "..." {
            let body = &text[offset + l.len()..];
            return Ok((&text[..offset], Body { text: body.into(), line: line + 1 }));
        }
        offset += l.len();
    }
    Err(Diagnostic::error(rel, Pos::new(1, 1), "unterminated front matter: no closing `---` line")
        .with_help("end the YAML fields with a line of three dashes (---) before the Markdown text"))
}

/// The first control character of a narrative (see [`yaml::forbidden`]), as a problem at its
/// line and column; the record is read all the same.
fn body_control_character(body: &Body, rel: &str) -> Option<Diagnostic> {
    let (at, c) = yaml::find_forbidden(&body.text)?;
    let pos = crate::source::position(&body.text, at, body.line);
    Some(yaml::control_diagnostic(rel, pos, c, "the narrative holds"))
}

fn mapping(node: Node, rel: &str, what: &str) -> Result<Vec<(Key, Node)>, Diagnostic> {
    match node.value {
        NodeValue::Map(entries) => Ok(entries),
        NodeValue::Null => Ok(Vec::new()),
        other => Err(Diagnostic::error(
            rel,
            node.pos,
            format!("{what} must be a mapping of fields, found {}", other.describe()),
        )
        .with_help("write one `field: value` per line")),
    }
}

/// Takes the `id` key out of a record's fields, checking its form.
fn take_id(fields: &mut Vec<(Key, Node)>, rel: &str, d: &mut Diagnostics) -> Option<(String, Pos)> {
    let i = fields.iter().position(|(k, _)| k.name == "id")?;
    let (key, node) = fields.remove(i);
    match node.value {
        NodeValue::Str(s) => {
            if is_valid_id(&s) {
                Some((s, key.pos))
            } else {
                d.push(bad_id(rel, node.pos, &s));
                None
            }
        }
        other => {
            d.push(
                Diagnostic::error(rel, node.pos, format!("`id` must be text, found {}", other.describe()))
                    .with_help("ids are lowercase words joined by dashes, e.g. mong-cai-dongxing"),
            );
            None
        }
    }
}

fn bad_id(rel: &str, pos: Pos, id: &str) -> Diagnostic {
    let suggestion = crate::ids::slug(id);
    if id.len() > crate::ids::MAX_ID_LEN {
        return Diagnostic::error(
            rel,
            pos,
            format!("the id is {} bytes long; ids may have at most {}", id.len(), crate::ids::MAX_ID_LEN),
        )
        .with_help("ids name files and pages, and file systems limit a name to 255 bytes: choose a shorter id");
    }
    Diagnostic::error(rel, pos, format!("invalid id \"{id}\": ids may use only lowercase a-z, 0-9 and -")).with_help(
        if suggestion.is_empty() {
            "choose an id such as mong-cai-dongxing".to_string()
        } else {
            format!("use \"{suggestion}\"")
        },
    )
}

fn stem_and_lang<'a>(path: &'a Path, config: &Config) -> (&'a str, Option<String>) {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    match stem.rsplit_once('.') {
        Some((base, lang)) if config.is_translation_language(lang) => (base, Some(lang.to_string())),
        _ => (stem, None),
    }
}

fn record_md(
    text: &str,
    rel: &str,
    collection: &str,
    path: &Path,
    config: &Config,
    d: &mut Diagnostics,
) -> Option<RawRecord> {
    let (front, body) = split_front_matter(text, rel).map_err(|e| d.push(e)).ok()?;
    let node = yaml::parse(front, rel).map_err(|e| d.push(e)).ok()?;
    d.extend(body_control_character(&body, rel));
    let mut fields = mapping(node, rel, "the front matter").map_err(|e| d.push(e)).ok()?;
    let (stem, lang) = stem_and_lang(path, config);
    if lang.is_some() {
        if !is_valid_id(stem) {
            d.push(bad_id(rel, Pos::FILE, stem));
            return None;
        }
        if let Some((k, _)) = fields.iter().find(|(k, _)| k.name == "id") {
            d.push(
                Diagnostic::error(rel, k.pos, "a translation takes its id from its file name")
                    .with_help(format!("remove `id:`; this file translates `{stem}`")),
            );
            return None;
        }
        let pos = Pos::new(1, 1);
        return Some(RawRecord {
            collection: collection.into(),
            id: stem.into(),
            file: rel.into(),
            pos,
            fields,
            body: Some(body),
            lang,
        });
    }
    let (id, pos) = match take_id(&mut fields, rel, d) {
        Some(x) => x,
        None if is_valid_id(stem) => (stem.to_string(), Pos::new(1, 1)),
        None => {
            d.push(bad_id(rel, Pos::FILE, stem));
            return None;
        }
    };
    Some(RawRecord { collection: collection.into(), id, file: rel.into(), pos, fields, body: Some(body), lang: None })
}

/// The records of a list file, or with `lang` the translations a translated list
/// (`events.vi.yaml`) gives, each naming the record it translates by `id:`.
fn record_list(text: &str, rel: &str, collection: &str, lang: Option<String>, d: &mut Diagnostics) -> Vec<RawRecord> {
    let node = match yaml::parse(text, rel) {
        Ok(n) => n,
        Err(e) => {
            d.push(e);
            return vec![];
        }
    };
    let items = match node.value {
        NodeValue::Seq(items) => items,
        NodeValue::Null => return vec![],
        other => {
            d.push(
                Diagnostic::error(
                    rel,
                    node.pos,
                    format!("a record list must be a YAML list, found {}", other.describe()),
                )
                .with_help("start each record with `- id: …`"),
            );
            return vec![];
        }
    };
    let mut out = Vec::new();
    for item in items {
        let pos = item.pos;
        let Ok(mut fields) = mapping(item, rel, "a record").map_err(|e| d.push(e)) else {
            continue;
        };
        let has_id = fields.iter().any(|(k, _)| k.name == "id");
        match take_id(&mut fields, rel, d) {
            Some((id, _)) => out.push(RawRecord {
                collection: collection.into(),
                id,
                file: rel.into(),
                pos,
                fields,
                body: None,
                lang: lang.clone(),
            }),
            // An id that is present but invalid was reported by take_id.
            None if !has_id => d.push(
                Diagnostic::error(rel, pos, "record without an `id`")
                    .with_help("records in a list need `id: <lowercase-id>`"),
            ),
            None => {}
        }
    }
    out
}

fn page(text: &str, rel: &str, path: &Path, config: &Config, d: &mut Diagnostics) -> Option<RawPage> {
    let (front, body) = split_front_matter(text, rel).map_err(|e| d.push(e)).ok()?;
    let node = yaml::parse(front, rel).map_err(|e| d.push(e)).ok()?;
    d.extend(body_control_character(&body, rel));
    let fields = mapping(node, rel, "the front matter").map_err(|e| d.push(e)).ok()?;
    let (stem, lang) = stem_and_lang(path, config);
    if !is_valid_id(stem) {
        d.push(bad_id(rel, Pos::FILE, stem));
        return None;
    }
    let (mut title, mut description) = (None, String::new());
    for (k, v) in fields {
        match (k.name.as_str(), v.value) {
            ("title", NodeValue::Str(s)) => title = Some(s),
            ("description", NodeValue::Str(s)) => description = s,
            ("title" | "description", other) => {
                d.push(Diagnostic::error(rel, v.pos, format!("`{}` must be text, found {}", k.name, other.describe())))
            }
            (name, _) => d.push(
                Diagnostic::error(rel, k.pos, format!("unknown field `{name}` in a page")).with_help(
                    did_you_mean(name, ["title", "description"])
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "pages take `title` and `description`".into()),
                ),
            ),
        }
    }
    let Some(title) = title else {
        d.push(
            Diagnostic::error(rel, Pos::new(1, 1), "the page has no `title`")
                .with_help("add `title: …` to the front matter"),
        );
        return None;
    };
    Some(RawPage { id: stem.into(), file: rel.into(), title, description, body, lang })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_keeps_file_lines() {
        let (front, body) = split_front_matter("---\na: 1\nb: 2\n---\nText\n", "x.md").unwrap();
        assert_eq!(front, "---\na: 1\nb: 2\n");
        assert_eq!(body.line, 5);
        assert_eq!(&*body.text, "Text\n");
        let node = yaml::parse(front, "x.md").unwrap();
        assert_eq!(node.get("b").unwrap().pos.line, 3);
    }

    #[test]
    fn missing_and_unterminated_front_matter() {
        assert!(split_front_matter("a: 1\n", "x.md").unwrap_err().message.contains("missing front matter"));
        assert!(split_front_matter("---\na: 1\n", "x.md").unwrap_err().message.contains("unterminated"));
        assert_eq!(split_front_matter("", "x.md").unwrap_err().message, "the file is empty");
    }
}
