//! When each content file last changed, read from the atlas's git history: the "last updated"
//! date of record pages and of their citations. One `git log` pass lists every commit that
//! touched `content/` with the files it touched, newest first, so the first date a file shows
//! is its last change. An atlas that is not a git checkout (or a machine without git) has no
//! dates, and pages leave them out; nothing else depends on them.

use crate::date::Date;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

/// The date of the last commit that touched each file under `content/`, by path relative to
/// `root` (`content/gates/mong-cai.md`). Empty when `root` is not in a git checkout.
pub fn last_changed(root: &Path) -> HashMap<String, Date> {
    let out = Command::new("git")
        .args(["-c", "core.quotepath=off", "-C"])
        .arg(root)
        .args(["log", "--format=%x00%cs", "--name-only", "--no-renames", "--relative", "--", "content"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => parse(&String::from_utf8_lossy(&o.stdout)),
        _ => HashMap::new(),
    }
}

/// Reads `git log --format=%x00%cs --name-only`: a NUL and a date open each commit, the paths
/// it touched follow, one a line.
fn parse(log: &str) -> HashMap<String, Date> {
    let mut dates = HashMap::new();
    let mut current: Option<Date> = None;
    for line in log.lines() {
        if let Some(d) = line.strip_prefix('\0') {
            current = Date::parse(d.trim()).ok();
        } else if !line.is_empty()
            && let Some(d) = current
        {
            dates.entry(unquote(line)).or_insert(d);
        }
    }
    dates
}

/// A path as git prints it: in double quotes with octal escapes when it holds bytes outside
/// ASCII (`"content/places/\303\266.md"`), else as is.
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else { return path.to_string() };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut it = inner.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next() {
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = it.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        it.next();
                    }
                }
                bytes.push(v as u8);
            }
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The file that translates `file` into `language`: `content/gates/x.md` → `content/gates/x.vi.md`.
pub fn translation_file(file: &str, language: &str) -> String {
    match file.rfind('.').filter(|&i| !file[i..].contains('/')) {
        Some(i) => format!("{}.{language}{}", &file[..i], &file[i..]),
        None => format!("{file}.{language}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_of_a_file_dates_it() {
        let log =
            "\u{0}2025-03-12\n\ncontent/gates/a.md\n\u{0} 2025-01-02\n\ncontent/gates/a.md\ncontent/events.yaml\n";
        let d = parse(log);
        assert_eq!(d["content/gates/a.md"], Date::parse("2025-03-12").unwrap());
        assert_eq!(d["content/events.yaml"], Date::parse("2025-01-02").unwrap());
    }

    #[test]
    fn quoted_paths_are_read_back() {
        assert_eq!(unquote("\"content/places/gr\\303\\274n.md\""), "content/places/grün.md");
        assert_eq!(unquote("content/plain.md"), "content/plain.md");
    }

    #[test]
    fn translations_sit_beside_their_record() {
        assert_eq!(translation_file("content/gates/x.md", "vi"), "content/gates/x.vi.md");
        assert_eq!(translation_file("content/events.yaml", "zh-Hans"), "content/events.zh-Hans.yaml");
    }
}
