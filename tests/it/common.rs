//! Helpers shared by the integration tests: fixture atlases copied into temporary folders,
//! the built binary run on them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The atlasgen binary under test, run in `dir` without GitHub's environment (the suite may
/// itself run in a workflow, whose variables change what `check --format github` writes).
#[allow(dead_code)]
pub fn atlasgen(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_atlasgen"));
    c.current_dir(dir).args(args);
    for k in ["GITHUB_WORKSPACE", "GITHUB_STEP_SUMMARY", "GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"] {
        c.env_remove(k);
    }
    c
}

/// Runs a command to its end: its exit code (-1 when a signal ended it), stdout and stderr.
#[allow(dead_code)]
pub fn run(c: &mut Command) -> (i32, String, String) {
    let Output { status, stdout, stderr } = c.output().expect("atlasgen runs");
    (status.code().unwrap_or(-1), String::from_utf8(stdout).unwrap(), String::from_utf8(stderr).unwrap())
}

/// A fixture atlas under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Copies `from` into `to`, leaving out the files of `from`'s top level named in `skip`.
pub fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        if e.depth() == 1 && skip.iter().any(|s| rel == Path::new(s)) {
            continue;
        }
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A fresh copy of a fixture atlas in a temporary folder (removed when dropped).
pub fn fixture_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path(), &[]);
    dir
}

/// A fresh copy of fixture `base` with fixture `over` laid on top (its files win).
#[allow(dead_code)]
pub fn fixture_overlay(base: &str, over: &str) -> tempfile::TempDir {
    let dir = fixture_copy(base);
    copy_dir(&fixture(over), dir.path(), &[]);
    dir
}

/// What in `html` could run script or restyle a page: an attribute named `on…` (an event
/// handler) or `style`, or a URL attribute whose value is a `javascript:`, `vbscript:` or
/// `data:` URL. The tags are read as a browser tokenizes them, with the contents of `<script>`
/// and `<style>` elements skipped (JSON-LD is data); entities in values are decoded first.
#[allow(dead_code)]
pub fn script_in(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        let start = i + at;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            i = start + rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        let name_len = rest[1..].find(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != ':').unwrap_or(0);
        if name_len == 0 {
            i = start + 1;
            continue;
        }
        let tag = rest[1..1 + name_len].to_ascii_lowercase();
        // Attributes: name[=value], value quoted or not, up to the closing `>`.
        let mut j = start + 1 + name_len;
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let n0 = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            let name = html[n0..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                let (v0, end) = match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let close = html[j + 1..].find(q as char).map_or(b.len(), |e| j + 1 + e);
                        (j + 1, close)
                    }
                    _ => (j, html[j..].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(b.len(), |e| j + e)),
                };
                value = decode_entities(&html[v0..end.min(b.len())]);
                j = if end < b.len() && matches!(b[end], b'"' | b'\'') { end + 1 } else { end };
            }
            // The styles atlasgen writes itself, which can carry no script or URL: map markers'
            // label offsets, custom properties holding pixel numbers (`--ox1:-4.3px;…`), and
            // timeline bars' heights (`height: 40%`).
            let offsets_only = name == "style"
                && value.split(';').filter(|d| !d.is_empty()).all(|d| {
                    d.split_once(':').is_some_and(|(k, v)| {
                        let number = |n: &str| n.trim().parse::<f64>().is_ok();
                        (k.starts_with("--")
                            && k[2..].chars().all(|c| c.is_ascii_alphanumeric())
                            && v.strip_suffix("px").is_some_and(number))
                            || (k == "height" && v.strip_suffix('%').is_some_and(number))
                    })
                });
            if name.starts_with("on") || (name == "style" && !offsets_only) {
                found.push(format!("<{tag} {name}=\"{value}\">"));
            }
            let url: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
            let url = url.to_ascii_lowercase();
            const URL_ATTRIBUTES: &[&str] =
                &["href", "src", "xlink:href", "action", "formaction", "poster", "cite", "data", "srcset", "ping"];
            if URL_ATTRIBUTES.contains(&name.as_str())
                && ["javascript:", "vbscript:", "data:"].iter().any(|s| url.starts_with(s))
            {
                found.push(format!("<{tag} {name}=\"{value}\">"));
            }
        }
        i = j.min(b.len());
        // Raw text elements: their content is not markup.
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            i += html[i..].to_ascii_lowercase().find(&close).unwrap_or(html.len() - i);
        }
    }
    found
}

/// Decodes the character references a browser decodes in attribute values (numeric ones, and
/// the named ones that matter here).
#[allow(dead_code)]
pub fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e < 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
