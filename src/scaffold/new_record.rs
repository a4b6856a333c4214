//! `new`: a record of a collection written from its schema, appended to the collection's
//! YAML list or written as a Markdown file of its own. How each field is written out is in
//! [`super::fields`]; this module decides where the record goes and writes it there safely.

use super::fields::write_field;
use super::refusal::{Refusal, one, problem, usage};
use crate::config::{Config, FieldSpec, is_valid_id};
use crate::content::{self, CONTENT_DIR, FileKind};
use crate::diag::{Diagnostic, Diagnostics, Pos, did_you_mean};
use crate::yaml::{self, NodeValue};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Where `new` puts a record.
#[derive(Debug, Clone)]
pub enum Place {
    /// In the collection's YAML list if it keeps one, else a Markdown file of its own.
    Auto,
    /// `content/<collection>/<id>.md`, whatever the collection keeps.
    Markdown,
    /// Appended to this YAML list of the collection (relative to the atlas folder).
    List(PathBuf),
}

/// Writes a record of `collection` with every required field as a placeholder marked TODO
/// and every optional one as a comment, each with its description: appended to the
/// collection's YAML list (comments and all else in the file kept), or as
/// `content/<collection>/<id>.md`. Returns what was done, for the editor.
pub fn new_record(root: &Path, collection: &str, id: &str, place: Place) -> Result<String, Refusal> {
    let config = Config::load(root).map_err(Refusal::Atlas)?;
    let Some(spec) = config.collection(collection) else {
        let names: Vec<&str> = config.collections.keys().map(String::as_str).collect();
        let help = match did_you_mean(collection, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("collections are: {}", names.join(", ")),
        };
        return usage(format!("`{collection}` is not a collection of this atlas"), help);
    };
    if !is_valid_id(id) {
        let s = crate::ids::slug(id);
        return usage(
            format!("invalid id \"{id}\": ids may use only lowercase a-z, 0-9 and -"),
            format!("try \"{s}\""),
        );
    }
    let mut scratch = Diagnostics::new();
    let files = content::discover(root, &config, &mut scratch);
    let existing = content::load(root, &config, &mut scratch);
    if let Some(r) = existing.records.iter().find(|r| r.collection == collection && r.id == id && r.lang.is_none()) {
        return problem(
            Diagnostic::error(&r.file, r.pos, format!("`{id}` already exists in `{collection}`"))
                .with_help("choose another id, or edit this record"),
        );
    }
    let lists: Vec<&PathBuf> = files
        .iter()
        .filter(|(_, k)| matches!(k, FileKind::RecordList { collection: c } if c == collection))
        .map(|(p, _)| p)
        .collect();
    let shown = |p: &Path| content::relative(root, p);
    let list = match place {
        Place::Markdown => None,
        Place::List(f) => {
            let path = if f.is_absolute() { f } else { root.join(f) };
            match lists.iter().find(|p| same_file(p, &path)) {
                Some(p) => Some((*p).clone()),
                None => {
                    let known: Vec<String> = lists.iter().map(|p| shown(p)).collect();
                    return usage(
                        format!("{} is not a YAML list of `{collection}`", path.display()),
                        if known.is_empty() {
                            format!("`{collection}` keeps no YAML list; leave out --file to write a Markdown file")
                        } else {
                            format!("its lists are: {}", known.join(", "))
                        },
                    );
                }
            }
        }
        Place::Auto => {
            let main = root.join(CONTENT_DIR);
            let own = lists.iter().find(|p| p.parent() == Some(main.as_path()));
            match (own, lists.as_slice()) {
                (Some(p), _) => Some((*p).clone()),
                (None, [one]) => Some((*one).clone()),
                (None, []) => None,
                (None, many) => {
                    let known: Vec<String> = many.iter().map(|p| shown(p)).collect();
                    return usage(
                        format!("`{collection}` keeps its records in several YAML lists: {}", known.join(", ")),
                        "choose one with --file, or write a Markdown file with --md".into(),
                    );
                }
            }
        }
    };
    match list {
        Some(path) => append_to_list(root, &path, spec.fields.iter().map(|(n, f)| (n.as_str(), &f.value)), id),
        None => write_markdown(root, collection, id, spec.fields.iter().map(|(n, f)| (n.as_str(), &f.value))),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// `content/<collection>/<id>.md`: front matter with the fields, then the narrative's place.
fn write_markdown<'a>(
    root: &Path,
    collection: &str,
    id: &str,
    fields: impl Iterator<Item = (&'a str, &'a FieldSpec)>,
) -> Result<String, Refusal> {
    let path = root.join(CONTENT_DIR).join(collection).join(format!("{id}.md"));
    let rel = content::relative(root, &path);
    let mut text = String::from("---\n");
    for (name, f) in fields {
        write_field(&mut text, "", name, f);
    }
    text.push_str(
        "---\nTODO: write the narrative here, in your own words. Cite a source with `[@source-id]` and link a record with `[text](@/collection/id)`.\n",
    );
    let io = |e: std::io::Error| {
        Refusal::Atlas({
            let mut d = Diagnostics::new();
            d.push(
                Diagnostic::error(&rel, Pos::FILE, format!("cannot write: {e}"))
                    .with_help("check that the content folder is writable"),
            );
            d
        })
    };
    std::fs::create_dir_all(path.parent().expect("has a parent")).map_err(io)?;
    // create_new: never overwrite, even if a file appeared since the check above.
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)?;
    Ok(format!("created {rel}"))
}

/// Appends a record to a YAML list as an editor would: after the last record, indented as
/// the list's records are, separated by a blank line if they are. The file is written only
/// if the result still parses with the new record last.
fn append_to_list<'a>(
    root: &Path,
    path: &Path,
    fields: impl Iterator<Item = (&'a str, &'a FieldSpec)>,
    id: &str,
) -> Result<String, Refusal> {
    let rel = content::relative(root, path);
    let text = content::read_text(root, path, &rel).map_err(|d| Refusal::Atlas(one(d)))?;
    let node = yaml::parse(&text, &rel).map_err(|d| Refusal::Atlas(one(d)))?;
    let lines: Vec<&str> = text.lines().collect();
    let (indent, gap) = match &node.value {
        NodeValue::Null => (String::new(), false),
        NodeValue::Seq(items) if is_flow(&text) => {
            let at = items.first().map(|i| i.pos).unwrap_or(node.pos);
            return problem(
                Diagnostic::error(&rel, at, "this list is written in flow style ([…]); `new` appends only to a list written one `- id:` per line")
                    .with_help("add the record by hand, or write the list with one `- id: …` block per record"),
            );
        }
        NodeValue::Seq(items) => {
            // The dash of each record: what stands before it on its line is the indent.
            let dash = |p: Pos| -> Option<(String, usize)> {
                let line = lines.get(p.line.checked_sub(1)?)?;
                let before: String = line.chars().take(p.column.saturating_sub(1)).collect();
                let at = before.rfind('-')?;
                Some((before[..at].to_string(), p.line))
            };
            let indent = items.first().and_then(|i| dash(i.pos)).map(|(s, _)| s).unwrap_or_default();
            // Blank lines between records, if the first two are written so.
            let gap = items
                .get(1)
                .and_then(|i| dash(i.pos))
                .is_some_and(|(_, line)| line >= 2 && lines.get(line - 2).is_some_and(|l| l.trim().is_empty()));
            (indent, gap)
        }
        other => {
            return problem(
                Diagnostic::error(
                    &rel,
                    node.pos,
                    format!("a record list must be a YAML list, found {}", other.describe()),
                )
                .with_help("start each record with `- id: …`"),
            );
        }
    };
    let mut added = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        added.push('\n');
    }
    if gap && !text.trim().is_empty() && !text.ends_with("\n\n") {
        added.push('\n');
    }
    let record_line = text.matches('\n').count() + added.matches('\n').count() + 1;
    let inner = format!("{indent}  ");
    let _ = writeln!(added, "{indent}- id: {id}");
    for (name, f) in fields {
        write_field(&mut added, &inner, name, f);
    }
    let new_text = format!("{text}{added}");
    // The record must be there, last, and the file must still be a list.
    let parsed = yaml::parse(&new_text, &rel).ok();
    let last_id = parsed.as_ref().and_then(|n| match &n.value {
        NodeValue::Seq(items) => items.last().and_then(|i| i.get("id")).map(|v| v.value.clone()),
        _ => None,
    });
    if last_id != Some(NodeValue::Str(id.to_string())) {
        return problem(
            Diagnostic::error(&rel, Pos::FILE, "the record could not be appended to this list without breaking it")
                .with_help("add the record by hand, or write it to its own file with --md"),
        );
    }
    // Written beside the list, then renamed over it: a reader sees the old list or the new.
    let tmp = path.with_extension("yaml.atlasgen-new");
    let io = |e: std::io::Error| {
        Refusal::Atlas(one(Diagnostic::error(&rel, Pos::FILE, format!("cannot write: {e}"))
            .with_help("check that the file is writable")))
    };
    std::fs::write(&tmp, &new_text).map_err(io)?;
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(format!("added `{id}` to {rel} at line {record_line}"))
}

/// Whether a YAML document's top level is a flow sequence (`[a, b]`).
fn is_flow(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")
        .is_some_and(|l| l.starts_with('['))
}
