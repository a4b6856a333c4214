//! Hostile text through every output format. One title holding markup, quotes, an ampersand,
//! CSV and iCalendar separators, a backslash, XML's CDATA and comment ends and text in three
//! scripts, long enough to be folded, names a town and a dated happening; the site is built and
//! every file it reaches is read back with a parser of its format: HTML (escaped, no script,
//! JSON-LD that parses), JSON and GeoJSON, CSV (RFC 4180), iCalendar (RFC 5545 escapes and
//! folding), the Atom feed and the sitemap (well-formed XML). Each must give back the title
//! exactly, and a file in a format not listed here fails the test until it is checked too.
//!
//! CSV, iCalendar and XML are also read by Python (tests/data/read_outputs.py: the csv module,
//! `icalendar`, ElementTree), from `.venv-data` or the folder `ATLASGEN_TEST_VENV` names.

use crate::common;

use atlasgen::{BuildOptions, build};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const EVIL: &str = r#"Evil <script>alert(1)</script> "q" & 'a' </title>, semi; back\slash {50%} $#_~^ ]]> --> <!-- Đồng Đăng 东兴 😀 long enough that a calendar has to fold it"#;

/// EVIL as HTML and XML text: `<`, `>`, `&` and both quotes as references.
const EVIL_ESCAPED: &str = "Evil &lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &amp; &#39;a&#39; &lt;/title&gt;, semi; back\\slash {50%} $#_~^ ]]&gt; --&gt; &lt;!-- Đồng Đăng 东兴 😀 long enough that a calendar has to fold it";

/// The small fixture with EVIL as a town's name and a happening's title, the happenings made a
/// timeline (so they get a calendar and a feed), built; returns the folder and the site.
fn hostile_site() -> (tempfile::TempDir, PathBuf) {
    let dir = common::fixture_copy("small");
    let quoted = EVIL.replace('\'', "''");
    std::fs::write(
        dir.path().join("content/towns/evil.md"),
        format!(
            "---\nname: '{quoted}'\nkind: town\nlocation: {{lat: 21.6, lon: 108.0}}\nsources: [chu-2024]\n---\nText.\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/happenings.yaml"),
        format!("- id: evil-day\n  title: '{quoted}'\n  date: \"2001\"\n  roads: [coastal-road]\n"),
    )
    .unwrap();
    let config = std::fs::read_to_string(dir.path().join("atlas.yaml")).unwrap();
    let timeline = config.replace("    sort: [date]\n", "    sort: [date]\n    timeline: {date: date}\n");
    assert_ne!(config, timeline, "the fixture's happenings moved");
    std::fs::write(dir.path().join("atlas.yaml"), timeline).unwrap();
    let opts = BuildOptions { root: dir.path().to_path_buf(), output: "site".into(), base_url: None, force: false };
    build(&opts).unwrap_or_else(|d| panic!("{:#?}", d.into_vec()));
    let site = dir.path().join("site");
    (dir, site)
}

/// Every string in a JSON value, depth first.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        Value::Object(o) => o.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// The strings of `values` that hold the title's first word: each must be the title exactly,
/// or framed as atlasgen frames it (a page title's site name, an event's collection);
/// returns how many there were.
fn exact(name: &str, values: &[String]) -> usize {
    let hits: Vec<&String> = values.iter().filter(|s| s.contains("Evil")).collect();
    for s in &hits {
        let s = s.strip_prefix("Happening: ").unwrap_or(s);
        let s = s.strip_suffix(" · Small Atlas").unwrap_or(s);
        assert_eq!(s, EVIL, "{name}: the title came back changed");
    }
    hits.len()
}

/// `html` less its `<script>` elements' contents, and the JSON of its JSON-LD scripts. The
/// first `</script` ends a script, as in a browser: JSON that held one would be cut there, and
/// fail to parse.
fn split_scripts(name: &str, html: &str) -> (String, Vec<Value>) {
    let (mut markup, mut json) = (String::new(), Vec::new());
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        let open_end = at + rest[at..].find('>').unwrap() + 1;
        markup.push_str(&rest[..open_end]);
        let close = open_end + rest[open_end..].find("</script").expect("script closed");
        if rest[at..open_end].contains("application/ld+json") {
            let text = &rest[open_end..close];
            json.push(
                serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: JSON-LD does not parse ({e}): {text}")),
            );
        }
        rest = &rest[close..];
    }
    markup.push_str(rest);
    (markup, json)
}

fn check_html(name: &str, html: &str) -> usize {
    assert!(!html.contains("<script>alert") && !html.contains("</title>\""), "{name} carries EVIL as markup");
    assert_eq!(common::script_in(html), Vec::<String>::new(), "{name}: script or style from data");
    let (markup, ld) = split_scripts(name, html);
    // Outside scripts, every occurrence is the whole title, escaped: in text, in attributes
    // (aria-label, title) and in the SVG map's labels.
    // The one exception: the BibTeX to copy, whose field is TeX escaped, then HTML.
    let mut seen = 0;
    for (at, _) in markup.match_indices("Evil") {
        if markup[..at].ends_with("  title        = {") {
            let line = &markup[at..at + markup[at..].find('\n').unwrap()];
            let field = line.strip_suffix("},").expect("a BibTeX field ends with `},`");
            assert_eq!(bibtex_unescape(&common::decode_entities(field)), EVIL, "{name}: {line}");
        } else {
            assert!(markup[at..].starts_with(EVIL_ESCAPED), "{name}: {}", &markup[at..(at + 200).min(markup.len())]);
        }
        seen += 1;
    }
    let mut values = Vec::new();
    ld.iter().for_each(|v| strings(v, &mut values));
    seen + exact(name, &values)
}

/// A BibTeX field's text: TeX's special characters must come escaped (`\&`, `\{`…, or
/// `\textbackslash{}` and kin); braces may not be bare, or they would end the field.
fn bibtex_unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            let named = [("\\textbackslash{}", '\\'), ("\\textasciitilde{}", '~'), ("\\textasciicircum{}", '^')];
            if let Some((command, c)) = named.iter().find(|(command, _)| rest.starts_with(command)) {
                out.push(*c);
                rest = &rest[command.len()..];
                continue;
            }
            let escaped = rest[1..].chars().next().expect("a backslash ends the field");
            assert!("{}&%$#_".contains(escaped), "an unknown TeX command at {rest:?}");
            out.push(escaped);
            rest = &rest[1 + escaped.len_utf8()..];
        } else {
            assert!(!"{}&%$#_~^".contains(c), "an unescaped {c:?} at {rest:?}");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The one property `key` of the calendar's events whose value holds the title, raw: folded
/// lines joined (RFC 5545 §3.1: a line break followed by one space is removed).
fn ics_property(ics: &str, key: &str) -> String {
    let unfolded = ics.replace("\r\n ", "");
    let found: Vec<&str> = unfolded.lines().filter_map(|l| l.strip_prefix(&format!("{key}:"))).collect();
    assert_eq!(found.len(), 1, "{key} in\n{ics}");
    found[0].to_string()
}

/// RFC 5545 §3.3.11 TEXT: `\\`, `\;`, `\,` and `\n` are the only escapes.
fn ics_unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            assert!(!matches!(c, ',' | ';'), "an unescaped {c:?} in {text:?}");
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(e @ ('\\' | ';' | ',')) => out.push(e),
            Some('n' | 'N') => out.push('\n'),
            other => panic!("an invalid escape \\{other:?} in {text:?}"),
        }
    }
    out
}

fn check_ics(name: &str, ics: &str) -> usize {
    assert!(ics.ends_with("\r\n"), "{name}: lines end with CRLF");
    for line in ics.split_terminator("\r\n") {
        assert!(!line.contains('\n') && !line.contains('\r'), "{name}: a bare line break in {line:?}");
        // Folded at 75 octets, between characters (the file read as UTF-8, each line whole).
        assert!(line.len() <= 75, "{name}: a line of {} octets: {line:?}", line.len());
    }
    let summary = ics_property(ics, "SUMMARY");
    assert!(summary.contains(r"\, semi\; back\\slash"), "{name}: {summary}");
    assert!(ics.contains("\r\n "), "{name}: the long summary is folded");
    assert_eq!(ics_unescape(&summary), EVIL, "{name}");
    1
}

/// RFC 4180: fields split at commas, quoted ones with `""` for a quote and any character
/// inside; records end at CRLF or LF outside quotes.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => {
                assert!(field.is_empty(), "a quote inside an unquoted field: {field}");
                quoted = true;
            }
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => assert_eq!(chars.peek(), Some(&'\n'), "a bare CR"),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted && field.is_empty() && row.is_empty(), "the CSV ends inside a record");
    rows
}

fn check_csv(name: &str, text: &str) -> Vec<Vec<String>> {
    let rows = csv_rows(text);
    assert!(rows.iter().all(|r| r.len() == rows[0].len()), "{name}: rows of different lengths");
    let title = rows[0].iter().position(|h| h == "title").expect("a title column");
    let evil: Vec<&Vec<String>> = rows.iter().filter(|r| r[0].starts_with("evil")).collect();
    assert_eq!(evil.len(), 1, "{name}");
    assert_eq!(evil[0][title], EVIL, "{name}");
    rows
}

fn venv_python() -> PathBuf {
    let venv = std::env::var_os("ATLASGEN_TEST_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-data"));
    let python = venv.join(if cfg!(windows) { "Scripts/python.exe" } else { "bin/python" });
    assert!(python.exists(), "{} is missing: ./test.sh makes the venv", python.display());
    python
}

/// tests/data/read_outputs.py over `files`: what Python's parsers read in each.
fn read_with_python(files: &[PathBuf]) -> BTreeMap<String, Value> {
    let out = std::process::Command::new(venv_python())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/read_outputs.py"))
        .args(files)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn hostile_text_comes_back_exactly_from_every_output_format() {
    let (_dir, site) = hostile_site();
    let mut reached: BTreeMap<String, usize> = BTreeMap::new();
    let mut for_python = Vec::new();
    let mut csvs = BTreeMap::new();
    for e in walkdir::WalkDir::new(&site) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(&site).unwrap().to_string_lossy().replace('\\', "/");
        if !e.file_type().is_file() || rel.starts_with("pagefind/") || rel.starts_with("assets/fonts/") {
            continue;
        }
        // Every file is UTF-8 (an iCalendar line folded inside a character would not be).
        let text = std::fs::read_to_string(e.path()).unwrap_or_else(|err| panic!("{rel}: {err}"));
        let ext = rel.rsplit_once('.').map_or("", |(_, x)| x);
        if matches!(ext, "xml" | "svg" | "ics" | "csv") {
            for_python.push(e.path().to_path_buf());
        }
        if !text.contains("Evil") {
            continue;
        }
        let seen = match ext {
            "html" => check_html(&rel, &text),
            "json" | "geojson" => {
                let v: Value = serde_json::from_str(&text).unwrap_or_else(|err| panic!("{rel}: {err}"));
                let mut values = Vec::new();
                strings(&v, &mut values);
                exact(&rel, &values)
            }
            "csv" => {
                csvs.insert(e.path().to_path_buf(), check_csv(&rel, &text));
                1
            }
            "ics" => check_ics(&rel, &text),
            // XML: never as markup; its values are read back by Python below.
            "xml" | "svg" => {
                assert!(!text.contains("<script>") && !text.contains("<!-- Đồng"), "{rel} carries EVIL as markup");
                assert!(text.contains(EVIL_ESCAPED), "{rel}");
                1
            }
            _ => panic!("{rel}: the title reached a format this test does not check"),
        };
        assert!(seen > 0, "{rel} holds the title where no check looked");
        reached.insert(rel, seen);
    }
    for file in [
        "index.html",
        "towns/index.html",
        "towns/evil/index.html",
        "happenings/evil-day/index.html",
        "happenings/feed.xml",
        "data/atlas.json",
        "data/towns.geojson",
        "data/towns.csv",
        "data/happenings.csv",
        "data/happenings.ics",
    ] {
        assert!(reached.contains_key(file), "the title never reached {file}: {reached:?}");
    }
    // The town's page: its title, heading and JSON-LD `name`, the happening's in its feed entry.
    let page = std::fs::read_to_string(site.join("towns/evil/index.html")).unwrap();
    assert!(page.contains(&format!("<title>{EVIL_ESCAPED} · Small Atlas</title>")), "{page}");
    let (_, ld) = split_scripts("towns/evil", &page);
    assert!(ld.iter().any(|v| v["name"] == EVIL), "{ld:?}");

    // The same files through Python's parsers: well-formed XML everywhere, the same rows,
    // the same summary.
    let read = read_with_python(&for_python);
    assert!(read.len() >= 8, "{:?}", read.keys());
    for (file, rows) in &csvs {
        assert_eq!(&read[&file.to_string_lossy().to_string()], &serde_json::json!(rows), "{}", file.display());
    }
    let key = |rel: &str| site.join(rel).to_string_lossy().to_string();
    let events = read[&key("data/happenings.ics")].as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["SUMMARY"], EVIL);
    let feed: Vec<String> =
        read[&key("happenings/feed.xml")].as_array().unwrap().iter().map(|v| v.to_string()).collect();
    assert_eq!(feed.iter().filter(|v| v.contains("Evil")).count(), 1, "{feed:?}");
    assert!(read[&key("happenings/feed.xml")].as_array().unwrap().contains(&Value::from(EVIL)), "{feed:?}");
    let sitemap = read[&key("sitemap.xml")].as_array().unwrap();
    for url in ["https://example.org/small/towns/evil/", "https://example.org/small/happenings/evil-day/"] {
        assert!(sitemap.contains(&Value::from(url)), "{url} not in the sitemap: {sitemap:?}");
    }
}
