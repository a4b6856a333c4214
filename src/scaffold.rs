//! Starting points for editors: `new` writes a record from its collection's schema, `init`
//! writes a whole new atlas that builds and checks clean at once.
//!
//! What `new` cannot know it marks `TODO`, which `check` then reports (see
//! [`crate::placeholders`]) until it is filled in.

use crate::config::{Config, FieldSpec, TypeName, is_valid_id};
use crate::content::{self, CONTENT_DIR, FileKind};
use crate::diag::{Diagnostic, Diagnostics, Pos, did_you_mean};
use crate::yaml::{self, NodeValue};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Why `new` or `init` wrote nothing.
#[derive(Debug)]
pub enum Refusal {
    /// The command asked for something that cannot be: an unknown collection, an invalid id,
    /// a folder with files in the way.
    Usage { message: String, help: String },
    /// The atlas has problems to fix first, or a record is in the way (with file and line).
    Atlas(Diagnostics),
}

fn usage<T>(message: String, help: String) -> Result<T, Refusal> {
    Err(Refusal::Usage { message, help })
}

fn problem<T>(d: Diagnostic) -> Result<T, Refusal> {
    let mut ds = Diagnostics::new();
    ds.push(d);
    Err(Refusal::Atlas(ds))
}

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

fn one(d: Diagnostic) -> Diagnostics {
    let mut ds = Diagnostics::new();
    ds.push(d);
    ds
}

/// Whether a YAML document's top level is a flow sequence (`[a, b]`).
fn is_flow(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")
        .is_some_and(|l| l.starts_with('['))
}

/// One field of a new record: a placeholder line marked TODO if required, a comment
/// otherwise, after its description.
fn write_field(out: &mut String, indent: &str, name: &str, f: &FieldSpec) {
    let mut comment = f.description.trim_end().to_string();
    if f.ty == TypeName::Enum {
        let _ = write!(comment, " One of: {}.", f.values.join(", "));
    }
    let item = f.item.as_ref().map(|i| &i.value);
    if let Some(c) = f.collection.as_ref().or(item.and_then(|i| i.collection.as_ref())) {
        let what = if f.ty == TypeName::List { "The ids of `{}` records." } else { "The id of a `{}` record." };
        let _ = write!(comment, " {}", what.replace("{}", &c.value));
    }
    // A description written over several lines is a comment on each of them.
    for line in comment.trim().lines() {
        let _ = writeln!(out, "{indent}# {line}");
    }
    let example = placeholder(f);
    if f.required {
        // A placeholder that is a valid value (a number, the first of an enum's values)
        // would pass unnoticed: the marker makes `check` point at it.
        let mark = if example.contains("TODO") { "" } else { "  # TODO" };
        let _ = writeln!(out, "{indent}{name}: {example}{mark}");
    } else {
        let _ = writeln!(out, "{indent}# {name}: {example}");
    }
}

fn placeholder(f: &FieldSpec) -> String {
    match f.ty {
        TypeName::String | TypeName::Text => "\"TODO\"".into(),
        TypeName::Integer => "0".into(),
        TypeName::Number => "0.0".into(),
        TypeName::Bool => "false".into(),
        TypeName::Url => "\"https://example.org/\"".into(),
        TypeName::Enum => f.values.first().map(|v| scalar(v.as_str())).unwrap_or_default(),
        TypeName::Date => "\"YYYY-MM-DD\"".into(),
        TypeName::Daterange => "\"YYYY-MM-DD\"".into(),
        TypeName::Geo => "{lat: 0.0, lon: 0.0}".into(),
        TypeName::Image => "{src: /images/TODO.jpg, alt: \"TODO\"}".into(),
        TypeName::Ref => "todo".into(),
        TypeName::Citation => "{ref: todo, loc: \"TODO\"}".into(),
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

/// `s` as a YAML scalar that reads back as that text: plain when it is a simple word, else
/// double-quoted (a JSON string is valid YAML), so values like `yes`, `1`, `a: b` or `#x`
/// stay strings and the file stays valid YAML.
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with('-')
        && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        && s.parse::<f64>().is_err()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain { s.to_string() } else { serde_json::Value::from(s).to_string() }
}

/// The files of a new atlas, relative to its folder. `__…__` marks what [`init`] fills in.
const INIT_FILES: &[(&str, &str)] = &[
    ("atlas.yaml", include_str!("scaffold/atlas.yaml")),
    ("content/places/greenwich-meridian.md", include_str!("scaffold/greenwich-meridian.md")),
    ("content/sources.yaml", include_str!("scaffold/sources.yaml")),
    ("content/about.md", include_str!("scaffold/about.md")),
    ("templates/record.html", include_str!("scaffold/record.html")),
    ("static/images/marker.svg", include_str!("scaffold/marker.svg")),
    // Made by tools/map-data/extract.mjs from the `map.extract` options of scaffold/atlas.yaml.
    ("data/basemap.geojson", include_str!("scaffold/basemap.geojson")),
    (".gitignore", include_str!("scaffold/gitignore")),
    (".github/workflows/pages.yml", include_str!("scaffold/pages.yml")),
    (".github/workflows/check.yml", include_str!("scaffold/check.yml")),
    (README, include_str!("scaffold/README.md")),
];

/// The editors' guide; written as [`GUIDE_BESIDE_README`] when the folder has a README.
const README: &str = "README.md";
const GUIDE_BESIDE_README: &str = "EDITING.md";

/// The GitHub action that installs this version of atlasgen: this repository at its tag.
pub fn action_ref() -> String {
    let repo = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    let slug = repo.strip_prefix("https://github.com/").unwrap_or(repo);
    format!("{slug}@v{}", env!("CARGO_PKG_VERSION"))
}

/// What a fresh clone may already hold: `init` leaves these alone.
fn may_be_there(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    name == ".git" || ["README", "LICENSE", "LICENCE", "COPYING"].iter().any(|p| upper.starts_with(p))
}

/// Creates a new atlas in `dir`: an empty or new folder, or a fresh clone holding only
/// `.git`, a README or a LICENSE. Nothing is overwritten: if any file `init` writes is
/// already there, or anything else is, nothing is written and the files are listed.
/// Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<String>, Refusal> {
    let present: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => vec![],
        Err(e) => {
            return usage(format!("cannot read {}: {e}", dir.display()), "choose a folder you can write to".into());
        }
    };
    let guide = if dir.join(README).exists() { GUIDE_BESIDE_README } else { README };
    let files: Vec<(&str, &str)> =
        INIT_FILES.iter().map(|&(rel, text)| (if rel == README { guide } else { rel }, text)).collect();
    let mut clashes: Vec<String> =
        files.iter().filter(|(rel, _)| dir.join(rel).exists()).map(|(r, _)| r.to_string()).collect();
    let mut others: Vec<String> = present
        .iter()
        .filter(|n| !may_be_there(n) && !clashes.iter().any(|c| c == *n || c.starts_with(&format!("{n}/"))))
        .cloned()
        .collect();
    if !clashes.is_empty() || !others.is_empty() {
        clashes.sort();
        others.sort();
        let mut message = String::new();
        if !clashes.is_empty() {
            let _ = write!(message, "these files would be overwritten: {}", clashes.join(", "));
        }
        if !others.is_empty() {
            let sep = if message.is_empty() { "" } else { "; " };
            let _ = write!(message, "{sep}the folder holds more than a fresh clone would: {}", others.join(", "));
        }
        return usage(
            message,
            "atlasgen init never overwrites a file: start in an empty folder, or in a fresh clone holding only .git, \
             README or LICENSE files"
                .into(),
        );
    }
    let repo = git_remote(dir);
    let branch = repo.as_ref().map(|r| r.branch.clone()).unwrap_or_else(|| "main".into());
    let base_url = repo.as_ref().map(|r| r.pages_url()).unwrap_or_else(|| "https://example.github.io/my-atlas/".into());
    let repository = match &repo {
        Some(r) => format!(
            "# Where the atlas's files are kept: each page links to its own file (\"Edit this page\").\n\
             repository: {{url: {}, branch: {}}}\n",
            r.url, r.branch
        ),
        None => "# Where the atlas's files are kept: uncomment, with your repository, to give each page an\n\
                 # \"Edit this page\" link to its own file.\n\
                 # repository: {url: https://github.com/<owner>/<repo>, branch: main}\n"
            .into(),
    };
    let fill = |text: &str| {
        text.replace("__BASE_URL__", &base_url)
            .replace("__REPOSITORY__\n", &repository)
            .replace("__BRANCH__", &branch)
            .replace("__ACTION__", &action_ref())
            .replace("__VERSION__", env!("CARGO_PKG_VERSION"))
            .replace("__HOMEPAGE__", env!("CARGO_PKG_REPOSITORY"))
            .replace("__GUIDE__", guide)
    };
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        let res = path.parent().map(std::fs::create_dir_all).unwrap_or(Ok(())).and_then(|_| {
            use std::io::Write;
            // create_new: a file that appeared since the look above is not overwritten.
            let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
            f.write_all(fill(text).as_bytes())
        });
        if let Err(e) = res {
            return usage(format!("cannot write {rel}: {e}"), format!("written before it: {}", written.join(", ")));
        }
        written.push(rel.to_string());
    }
    Ok(written)
}

/// A GitHub repository a fresh clone came from.
#[derive(Debug, PartialEq)]
struct Remote {
    owner: String,
    name: String,
    /// `https://github.com/<owner>/<name>`.
    url: String,
    branch: String,
}

impl Remote {
    /// The address GitHub Pages serves the repository's site from.
    fn pages_url(&self) -> String {
        let owner = self.owner.to_ascii_lowercase();
        if self.name.eq_ignore_ascii_case(&format!("{owner}.github.io")) {
            format!("https://{owner}.github.io/")
        } else {
            format!("https://{owner}.github.io/{}/", self.name)
        }
    }
}

/// The GitHub repository of `origin` in `dir/.git`, with the branch checked out, so a fresh
/// clone's atlas links to its own repository and Pages address from the start.
fn git_remote(dir: &Path) -> Option<Remote> {
    let git = dir.join(".git");
    let config = std::fs::read_to_string(git.join("config")).ok()?;
    let branch = std::fs::read_to_string(git.join("HEAD"))
        .ok()
        .and_then(|h| h.trim().strip_prefix("ref: refs/heads/").map(str::to_string))
        .unwrap_or_else(|| "main".into());
    parse_remote(&config, &branch)
}

fn parse_remote(config: &str, branch: &str) -> Option<Remote> {
    let mut in_origin = false;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            in_origin = line.replace(' ', "") == "[remote\"origin\"]";
            continue;
        }
        let Some(url) = line.strip_prefix("url").map(str::trim_start).and_then(|r| r.strip_prefix('=')) else {
            continue;
        };
        if !in_origin {
            continue;
        }
        let url = url.trim();
        let path = ["https://github.com/", "http://github.com/", "ssh://git@github.com/", "git@github.com:"]
            .iter()
            .find_map(|p| url.strip_prefix(p))?;
        let path = path.trim_end_matches('/').trim_end_matches(".git");
        let (owner, name) = path.split_once('/')?;
        let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        if !ok(owner) || !ok(name) {
            return None;
        }
        return Some(Remote {
            owner: owner.into(),
            name: name.into(),
            url: format!("https://github.com/{owner}/{name}"),
            branch: branch.into(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_of_a_github_repository_is_recognised() {
        let config = "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:Someone/field-notes.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n";
        let r = parse_remote(config, "trunk").unwrap();
        assert_eq!(r.url, "https://github.com/Someone/field-notes");
        assert_eq!(r.pages_url(), "https://someone.github.io/field-notes/");
        assert_eq!(r.branch, "trunk");
        let user_site =
            parse_remote("[remote \"origin\"]\nurl = https://github.com/someone/someone.github.io\n", "main");
        assert_eq!(user_site.unwrap().pages_url(), "https://someone.github.io/");
        assert_eq!(parse_remote("[remote \"origin\"]\nurl = https://gitlab.com/a/b.git\n", "main"), None);
        assert_eq!(parse_remote("[remote \"upstream\"]\nurl = https://github.com/a/b\n", "main"), None);
    }

    #[test]
    fn the_action_is_pinned_to_this_version() {
        assert!(action_ref().ends_with(&format!("@v{}", env!("CARGO_PKG_VERSION"))), "{}", action_ref());
        assert!(!action_ref().contains("https://"));
    }
}
