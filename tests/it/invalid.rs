//! The invalid corpus: each folder under `tests/invalid/` is overlaid onto a copy of the
//! `tests/fixtures/small` atlas, checked, and its diagnostics compared with `expected.txt`.
//!
//! `expected.txt` has one diagnostic per line:
//!
//! ```text
//! error content/towns/bad.md:4:1: unknown field `provnce` | help: did you mean `province`?
//! ```
//!
//! severity, `file:line:column` (line 0 = the whole file), a substring of the message and,
//! after ` | help: `, optionally a substring of the help. Blank lines and lines starting with
//! `#` are ignored. The errors must match exactly (same count, each expected line matched by
//! its own diagnostic); warnings listed are required, other warnings are ignored. Every
//! diagnostic must carry a help text, the check must finish in bounded time without
//! panicking, and a build must write no site. A case with an empty `expected.txt` must simply
//! work: it checks without errors and builds.
//!
//! All cases run in one test, which lists every failing case at the end.

use crate::common;

use atlasgen::diag::{Diagnostic, Severity};
use atlasgen::{BuildOptions, build, check};
use common::{copy_dir, fixture_copy};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const EXPECTED: &str = "expected.txt";

/// Cases built to exhaust the parser; they must be refused quickly.
const BOUNDED_CASES: &[&str] = &["yaml-alias-bomb", "yaml-deep-nesting"];
/// Time allowed to a bounded case (debug build, loaded CI machine).
const BOUNDED_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed to any other case: only there to keep a hang from stalling the suite.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh copy of the small fixture with the case's files laid over it.
fn prepare(case_dir: &Path) -> tempfile::TempDir {
    let dir = fixture_copy("small");
    copy_dir(case_dir, dir.path(), &[EXPECTED]);
    dir
}

#[derive(Debug, Clone)]
struct Expected {
    severity: Severity,
    file: String,
    line: usize,
    column: usize,
    message: String,
    help: Option<String>,
    text: String,
}

impl Expected {
    fn matches(&self, d: &Diagnostic) -> bool {
        d.severity == self.severity
            && d.file == self.file
            && d.line == self.line
            && d.column == self.column
            && d.message.contains(&self.message)
            && self.help.as_ref().is_none_or(|h| d.help.as_deref().is_some_and(|dh| dh.contains(h)))
    }
}

/// Parses `severity file:line:column: message [| help: help]`.
fn parse_expected(text: &str) -> Result<Vec<Expected>, String> {
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |why: &str| format!("expected.txt line {}: {why}: {line}", n + 1);
        let (sev, rest) = line.split_once(' ').ok_or_else(|| bad("no severity"))?;
        let severity = match sev {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => return Err(bad("severity must be `error` or `warning`")),
        };
        // The location ends at the first `:<digits>:<digits>:`; file names may contain `:`.
        let bytes = rest.as_bytes();
        let mut found = None;
        for (i, _) in rest.match_indices(':') {
            let tail = &rest[i + 1..];
            let l_end = tail.find(|c: char| !c.is_ascii_digit()).unwrap_or(tail.len());
            if l_end == 0 || !tail[l_end..].starts_with(':') {
                continue;
            }
            let tail2 = &tail[l_end + 1..];
            let c_end = tail2.find(|c: char| !c.is_ascii_digit()).unwrap_or(tail2.len());
            if c_end == 0 || !tail2[c_end..].starts_with(':') {
                continue;
            }
            let msg_start = i + 1 + l_end + 1 + c_end + 1;
            found = Some((i, tail[..l_end].parse().unwrap(), tail2[..c_end].parse().unwrap(), msg_start));
            break;
        }
        let (file_end, line_no, column, msg_start) = found.ok_or_else(|| bad("no file:line:column:"))?;
        let msg = std::str::from_utf8(&bytes[msg_start..]).unwrap().trim();
        let (message, help) = match msg.split_once(" | help: ") {
            Some((m, h)) => (m.trim().to_string(), Some(h.trim().to_string())),
            None => (msg.to_string(), None),
        };
        if message.is_empty() {
            return Err(bad("empty message substring"));
        }
        out.push(Expected {
            severity,
            file: rest[..file_end].to_string(),
            line: line_no,
            column,
            message,
            help,
            text: line.to_string(),
        });
    }
    Ok(out)
}

/// Matches expected lines to distinct diagnostics (a maximum bipartite matching, so the
/// order of lines never matters). Returns, per expected line, the diagnostic it took.
fn assign(expected: &[Expected], actual: &[Diagnostic]) -> Vec<Option<usize>> {
    fn try_take(
        e: usize,
        expected: &[Expected],
        actual: &[Diagnostic],
        owner: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for (a, d) in actual.iter().enumerate() {
            if seen[a] || !expected[e].matches(d) {
                continue;
            }
            seen[a] = true;
            if owner[a].is_none_or(|other| try_take(other, expected, actual, owner, seen)) {
                owner[a] = Some(e);
                return true;
            }
        }
        false
    }
    let mut owner: Vec<Option<usize>> = vec![None; actual.len()];
    for e in 0..expected.len() {
        let mut seen = vec![false; actual.len()];
        try_take(e, expected, actual, &mut owner, &mut seen);
    }
    let mut taken = vec![None; expected.len()];
    for (a, o) in owner.iter().enumerate() {
        if let Some(e) = o {
            taken[*e] = Some(a);
        }
    }
    taken
}

fn show(d: &Diagnostic) -> String {
    let sev = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!("{sev} {}:{}:{}: {} [help: {}]", d.file, d.line, d.column, d.message, d.help.as_deref().unwrap_or("NONE"))
}

/// The unmatched diagnostic of the same file and severity that agrees with `e` on most
/// points, and what differs: "why did my expected line not match" at a glance.
fn closest(e: &Expected, diags: &[Diagnostic], used: &[usize]) -> Option<String> {
    let (_, d, diffs) = diags
        .iter()
        .enumerate()
        .filter(|(i, d)| !used.contains(i) && d.severity == e.severity && d.file == e.file)
        .map(|(_, d)| {
            let mut diffs = Vec::new();
            if d.line != e.line {
                diffs.push("line");
            }
            if d.column != e.column {
                diffs.push("column");
            }
            if !d.message.contains(&e.message) {
                diffs.push("message");
            }
            if e.help.as_ref().is_some_and(|h| !d.help.as_deref().unwrap_or("").contains(h)) {
                diffs.push("help");
            }
            (diffs.len(), d, diffs)
        })
        .min_by_key(|(n, _, _)| *n)?;
    Some(format!("{} (differs in {})", show(d), diffs.join(", ")))
}

enum Outcome {
    /// Ok with the warnings, or Err with every diagnostic; and how long the check took.
    Finished(Result<Vec<Diagnostic>, Vec<Diagnostic>>, Duration),
    Panicked(String),
    TimedOut(Duration),
}

/// Runs `check` in its own thread so that a panic or a hang is reported, not fatal.
fn timed_check(root: PathBuf, timeout: Duration) -> Outcome {
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    let handle = std::thread::Builder::new()
        .name("check".into())
        .spawn(move || {
            let r = check(&root, None).map(|r| r.diagnostics.into_vec()).map_err(|d| d.into_vec());
            let _ = tx.send(r);
        })
        .unwrap();
    match rx.recv_timeout(timeout) {
        Ok(r) => {
            let elapsed = start.elapsed();
            let _ = handle.join();
            Outcome::Finished(r, elapsed)
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let msg = match handle.join() {
                Err(p) => p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "non-text panic payload".into()),
                Ok(()) => "the check thread ended without an answer".into(),
            };
            Outcome::Panicked(msg)
        }
        // The thread is left running; the process ends with the test binary.
        Err(mpsc::RecvTimeoutError::Timeout) => Outcome::TimedOut(start.elapsed()),
    }
}

/// Runs one case; returns the list of what went wrong (empty when the case passes).
fn run_case(name: &str, case_dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let expected = match std::fs::read_to_string(case_dir.join(EXPECTED)) {
        Ok(t) => match parse_expected(&t) {
            Ok(e) => e,
            Err(e) => return vec![e],
        },
        Err(e) => return vec![format!("cannot read {EXPECTED}: {e}")],
    };
    let must_work = expected.is_empty();
    let dir = prepare(case_dir);
    let timeout = if BOUNDED_CASES.contains(&name) { BOUNDED_TIMEOUT } else { DEFAULT_TIMEOUT };
    let (result, elapsed) = match timed_check(dir.path().to_path_buf(), timeout) {
        Outcome::Finished(r, t) => (r, t),
        Outcome::Panicked(msg) => return vec![format!("check panicked: {msg}")],
        Outcome::TimedOut(t) => {
            // Keep the folder: the check thread may still be reading it.
            std::mem::forget(dir);
            return vec![format!("check did not finish within {t:.1?} (limit {timeout:?})")];
        }
    };
    let ok = result.is_ok();
    let diags = result.unwrap_or_else(|d| d);
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    if ok && errors > 0 {
        problems.push(format!("check returned Ok with {errors} error(s)"));
    }
    if !ok && errors == 0 {
        problems.push("check returned Err without any error diagnostic".into());
    }

    let taken = assign(&expected, &diags);
    let used: Vec<usize> = taken.iter().flatten().copied().collect();
    for (e, t) in expected.iter().zip(&taken) {
        if t.is_none() {
            let hint = closest(e, &diags, &used).map(|h| format!("\n      closest: {h}")).unwrap_or_default();
            problems.push(format!("missing: {}{hint}", e.text));
        }
    }
    for (i, d) in diags.iter().enumerate() {
        if d.severity == Severity::Error && !used.contains(&i) {
            problems.push(format!("unexpected: {}", show(d)));
        }
    }
    for d in &diags {
        if d.help.as_deref().is_none_or(|h| h.trim().is_empty()) {
            problems.push(format!("no help text: {}", show(d)));
        }
        if d.file.is_empty() || d.message.trim().is_empty() {
            problems.push(format!("no file or message: {}", show(d)));
        }
        if (d.line == 0) != (d.column == 0) {
            problems.push(format!("line and column disagree on \"whole file\": {}", show(d)));
        }
    }
    if BOUNDED_CASES.contains(&name) && elapsed > BOUNDED_TIMEOUT {
        problems.push(format!("took {elapsed:.1?}, more than {BOUNDED_TIMEOUT:?}"));
    }

    // A build must agree with the check: nothing written on errors, a site when all is well.
    let opts = BuildOptions { root: dir.path().to_path_buf(), output: "site".into(), base_url: None, force: false };
    let built = std::panic::catch_unwind(|| build(&opts));
    let site = dir.path().join("site");
    match built {
        Err(_) => problems.push("build panicked".into()),
        Ok(Ok(_)) if !must_work => problems.push("build succeeded although errors are expected".into()),
        Ok(Err(d)) if must_work => {
            problems.push(format!("build failed: {}", d.into_vec().iter().map(show).collect::<Vec<_>>().join("; ")))
        }
        Ok(_) => {}
    }
    if !must_work && site.exists() {
        problems.push("a failed build wrote site/".into());
    }
    if must_work && !site.join("index.html").is_file() {
        problems.push("the build wrote no site/index.html".into());
    }

    if !problems.is_empty() {
        problems.push(format!("all diagnostics ({} in {elapsed:.1?}):", diags.len()));
        for d in &diags {
            problems.push(format!("    {}", show(d)));
        }
    }
    problems
}

#[test]
fn invalid_corpus() {
    let root = manifest_dir().join("tests/invalid");
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    cases.sort();
    assert!(cases.len() >= 32, "the corpus has only {} cases", cases.len());
    for bounded in BOUNDED_CASES {
        assert!(cases.iter().any(|(n, _)| n == bounded), "missing bounded case {bounded}");
    }

    let mut report = String::new();
    let mut failed = 0;
    for (name, dir) in &cases {
        let problems = run_case(name, dir);
        if !problems.is_empty() {
            failed += 1;
            let _ = writeln!(report, "\n--- case {name} (tests/invalid/{name}) FAILED:");
            for p in problems {
                let _ = writeln!(report, "  {p}");
            }
        }
    }
    if failed > 0 {
        panic!("{failed} of {} invalid-corpus cases failed:{report}", cases.len());
    }
}

/// The parser of `expected.txt` itself.
#[test]
fn expected_lines_parse() {
    let e = parse_expected(
        "# comment\n\nerror content/a.md:3:1: unknown field `x: y` | help: did you mean\nwarning <built-in>/p.html:0:0: w\n",
    )
    .unwrap();
    assert_eq!(e.len(), 2);
    assert_eq!((e[0].file.as_str(), e[0].line, e[0].column), ("content/a.md", 3, 1));
    assert_eq!(e[0].message, "unknown field `x: y`");
    assert_eq!(e[0].help.as_deref(), Some("did you mean"));
    assert_eq!((e[1].severity, e[1].file.as_str(), e[1].line), (Severity::Warning, "<built-in>/p.html", 0));
    assert!(parse_expected("fatal a.md:1:1: x").is_err());
    assert!(parse_expected("error a.md: x").is_err());
}

/// Runs a check that must finish within `limit`, whatever it reports; returns what went wrong.
fn check_finishes(what: &str, root: &Path, limit: Duration) -> Option<String> {
    match timed_check(root.to_path_buf(), limit) {
        Outcome::Finished(r, t) => {
            let diags = r.unwrap_or_else(|d| d);
            eprintln!("{what}: check finished in {t:.1?} with {} diagnostic(s)", diags.len());
            for d in diags.iter().filter(|d| d.severity == Severity::Error).take(3) {
                eprintln!("    {}", show(d));
            }
            diags
                .iter()
                .find(|d| d.file.is_empty() || d.message.trim().is_empty())
                .map(|d| format!("{what}: a diagnostic without file or message: {}", show(d)))
        }
        Outcome::Panicked(m) => Some(format!("{what}: check panicked: {m}")),
        Outcome::TimedOut(t) => {
            Some(format!("{what}: check did not finish within {t:.1?} (it is still running; the test gave up)"))
        }
    }
}

const FIFTY_MB: usize = 50 * 1024 * 1024;

/// A record of `towns` whose narrative is `body`, written over `root`.
fn write_town(root: &Path, id: &str, body: &str) {
    let text = format!("---\nname: Huge town\nkind: town\nsources: [chu-2024]\n---\n{body}");
    std::fs::write(root.join(format!("content/towns/{id}.md")), text).unwrap();
}

/// A 50 MB Markdown narrative of ordinary paragraphs with citations, record links and a
/// heading every fifty paragraphs: the check finishes, whatever it reports, without panicking.
/// Generated here, never committed. About 12 s in a debug build on two cores.
#[test]
fn fifty_megabyte_narrative() {
    let dir = fixture_copy("small");
    let mut body = String::with_capacity(FIFTY_MB + 1024);
    let mut n = 0;
    while body.len() < FIFTY_MB {
        n += 1;
        if n % 50 == 1 {
            let _ = write!(body, "## Section {n}\n\n");
        }
        let _ = write!(
            body,
            "The *border* market of Móng Cái [@chu-2024, §{n}] faces [Dongxing](@/towns/dongxing) across the river.\n\n"
        );
    }
    write_town(dir.path(), "huge", &body);
    drop(body);
    if let Some(failure) = check_finishes("50 MB narrative", dir.path(), Duration::from_secs(90)) {
        panic!("{failure}");
    }
}

/// A 50 MB record list (about 590,000 small, valid records): the check finishes, whatever it
/// reports, without panicking. Generated here, never committed.
#[test]
fn fifty_megabyte_record_list() {
    let dir = fixture_copy("small");
    let mut list = String::with_capacity(FIFTY_MB + 1024);
    let mut i = 0;
    while list.len() < FIFTY_MB {
        i += 1;
        let _ =
            write!(list, "- id: ref-{i}\n  title: Reference number {i}\n  authors: [\"Nguyen, V.\"]\n  year: 2001\n");
    }
    std::fs::create_dir_all(dir.path().join("content/refs")).unwrap();
    std::fs::write(dir.path().join("content/refs/huge.yaml"), &list).unwrap();
    drop(list);
    if let Some(failure) = check_finishes("50 MB record list", dir.path(), Duration::from_secs(90)) {
        panic!("{failure}");
    }
}

/// A 4 MB narrative with a heading every hundred bytes (38,000 headings). Giving headings
/// unique ids must not take time quadratic in their number: a linear check takes about 1.5 s
/// in a debug build, so 15 s leaves room for a slow machine.
#[test]
fn many_headings_check_in_bounded_time() {
    let dir = fixture_copy("small");
    let mut body = String::new();
    let mut n = 0;
    while body.len() < 4 * 1024 * 1024 {
        n += 1;
        let _ = write!(body, "## Section {n}\n\nThe market faces [Dongxing](@/towns/dongxing) [@chu-2024, §{n}].\n\n");
    }
    write_town(dir.path(), "many-headings", &body);
    if let Some(failure) = check_finishes("4 MB narrative with 38,000 headings", dir.path(), Duration::from_secs(15)) {
        panic!("{failure}");
    }
}

/// 100,000 small records of one list that all name one record: its backlinks were checked
/// for repeats one by one, in time quadratic in their number (25,000 took 6 s in the model,
/// 100,000 about a minute and a half). Linear, the whole load takes a few seconds.
#[test]
fn one_record_named_by_a_hundred_thousand() {
    let dir = fixture_copy("small");
    let mut list = String::new();
    for i in 0..100_000 {
        let _ = write!(list, "- id: h-{i}\n  title: Happening {i}\n  date: \"2001\"\n  roads: [coastal-road]\n");
    }
    std::fs::write(dir.path().join("content/happenings.yaml"), list).unwrap();
    let root = dir.path().to_path_buf();
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    std::thread::spawn(move || {
        let loaded =
            atlasgen::load(&root, None, &mut Default::default(), &mut Default::default()).map(|(editions, _)| {
                let atlas = &editions[0].atlas;
                atlas.backlinks.get(&atlasgen::model::RecordKey::new("roads", "coastal-road")).map_or(0, Vec::len)
            });
        let _ = tx.send(loaded.map_err(|d| format!("{:?}", d.sorted().first())));
    });
    let backlinks = rx.recv_timeout(Duration::from_secs(30)).expect("the atlas loads within 30 s").unwrap();
    eprintln!("100,000 records naming one: loaded in {:.1?}", start.elapsed());
    assert_eq!(backlinks, 100_000);
}
