//! Every command of the built `atlasgen` binary, run as an editor or a workflow runs it, on
//! copies of the fixture atlases: the exit code of each outcome (src/main.rs: 0 success, 1
//! problems in the atlas, 2 wrong usage), what it prints for people (rustc-style, on stderr)
//! and for tools (`check --format json`: one object per problem on stdout), and what `build
//! --output`, `schema`, `new` and `init` write. tests/it/cli.rs holds what ships for atlas
//! repositories (`init` in a clone, workflows, JSON Schemas against real YAML, GitHub's format).

use crate::common;

use common::{atlasgen, copy_dir, fixture_copy, run};
use serde_json::Value;
use std::path::Path;

/// The atlas a case runs in.
#[derive(Clone, Copy, Debug)]
enum Atlas {
    /// The small fixture: it builds, with one warning (an orphan record).
    Clean,
    /// The small fixture with one invalid record (`kind: village`).
    Broken,
    /// The small fixture with an atlas.yaml that is not valid YAML.
    BadConfig,
    /// An empty folder: no atlas.yaml.
    Empty,
}

const BAD_TOWN: &str = "---\nname: Bad\nkind: village\nsources: [chu-2024]\n---\nText.\n";

fn make(atlas: Atlas) -> tempfile::TempDir {
    match atlas {
        Atlas::Empty => tempfile::tempdir().unwrap(),
        Atlas::Clean => fixture_copy("small"),
        Atlas::Broken => {
            let dir = fixture_copy("small");
            std::fs::write(dir.path().join("content/towns/bad.md"), BAD_TOWN).unwrap();
            dir
        }
        Atlas::BadConfig => {
            let dir = fixture_copy("small");
            std::fs::write(dir.path().join("atlas.yaml"), "title: [\n").unwrap();
            dir
        }
    }
}

/// Each command's outcomes, with the code main.rs returns for it and a piece of what it prints
/// (on stdout when the piece starts with `stdout:`, else on stderr).
#[test]
fn every_command_exits_0_1_or_2_as_documented() {
    use Atlas::*;
    let version = format!("stdout:atlasgen {}\n", env!("CARGO_PKG_VERSION"));
    let mut cases: Vec<(Atlas, Vec<&str>, i32, &str)> = vec![
        // 0: success (warnings do not fail a run).
        (Clean, vec!["--version"], 0, &version),
        (Clean, vec!["--help"], 0, "stdout:Usage: atlasgen [OPTIONS]"),
        (Clean, vec![], 0, "0 errors, 1 warning\nbuilt 23 pages"),
        (Clean, vec!["build"], 0, "built 23 pages"),
        (Clean, vec!["check"], 0, "0 errors, 1 warning\n"),
        (Clean, vec!["check", "--format", "json"], 0, "stdout:{\"severity\":\"warning\""),
        (Clean, vec!["check", "--format", "github"], 0, "stdout:::warning file=content/happenings.yaml,line=1,col=3"),
        (Clean, vec!["schema"], 0, "wrote ./schemas/towns.schema.json\n"),
        (Clean, vec!["strings", "en"], 0, "the `en` tables lack no interface string"),
        (Clean, vec!["new", "towns", "lao-cai"], 0, "content/towns/lao-cai.md"),
        (Empty, vec!["init"], 0, "created a new atlas in .:\n  atlas.yaml\n"),
        // 1: problems in the atlas.
        (Broken, vec![], 1, "build failed; nothing was written"),
        (Broken, vec!["build", "--output", "out"], 1, "1 error, 1 warning\nbuild failed"),
        (Broken, vec!["check"], 1, "error: `village` is not an allowed value of `kind`"),
        (
            Broken,
            vec!["check", "--format", "json"],
            1,
            "stdout:{\"severity\":\"error\",\"file\":\"content/towns/bad.md\"",
        ),
        (Broken, vec!["check", "--format", "github"], 1, "stdout:::error file=content/towns/bad.md,line=3,col=7"),
        (Broken, vec!["strings", "en"], 1, "--> content/towns/bad.md:3:7"),
        (BadConfig, vec!["schema"], 1, "error: invalid configuration"),
        (BadConfig, vec!["new", "towns", "x"], 1, "--> atlas.yaml:1:8"),
        (BadConfig, vec!["check"], 1, "error: invalid configuration"),
        (Empty, vec!["check"], 1, "error: cannot read the configuration"),
        (Empty, vec!["build"], 1, "--> atlas.yaml\n"),
        (Clean, vec!["new", "towns", "mong-cai"], 1, "`mong-cai` already exists in `towns`"),
        // 2: wrong usage, refused before the atlas is read or written.
        (Clean, vec!["bogus"], 2, "unrecognized subcommand 'bogus'"),
        (Clean, vec!["check", "--format", "yaml"], 2, "invalid value 'yaml' for '--format <FORMAT>'"),
        (Clean, vec!["--timings", "check"], 2, "error:"),
        (Clean, vec!["build", "--base-url", "example.org/x"], 2, "is not an absolute http(s) URL"),
        (Clean, vec!["new", "towns"], 2, "the following required arguments were not provided"),
        (Clean, vec!["new", "--md", "--file", "x.yaml", "towns", "a"], 2, "cannot be used with"),
        (Clean, vec!["new", "town", "x"], 2, "did you mean `towns`?"),
        (Clean, vec!["new", "happenings", "x", "--file", "content/nope.yaml"], 2, "is not a YAML list of `happenings`"),
        (Clean, vec!["strings", "xx"], 2, "error: `xx` is not a language of the atlas (en)"),
        (Clean, vec!["init"], 2, "these files would be overwritten: atlas.yaml"),
        (Broken, vec!["check", "--format", "yaml"], 2, "possible values: human, json, github"),
    ];
    if cfg!(feature = "serve") {
        cases.push((Clean, vec!["serve", "--port", "abc"], 2, "invalid value 'abc' for '--port <PORT>'"));
    }
    let mut wrong = Vec::new();
    for (atlas, args, code, shown) in &cases {
        let dir = make(*atlas);
        let (got, out, err) = run(&mut atlasgen(dir.path(), args));
        let (stream, piece) = match shown.strip_prefix("stdout:") {
            Some(p) => (&out, p),
            None => (&err, *shown),
        };
        if got != *code || !stream.contains(piece) {
            wrong.push(format!("{atlas:?} {args:?}: exit {got} (want {code}), no {piece:?} in\n{out}{err}"));
        }
        // Only a build that succeeds writes a site.
        let wrote = dir.path().join("site").exists() || dir.path().join("out").exists();
        let builds = args.is_empty() || args[0] == "build";
        if wrote != (builds && *code == 0) {
            wrong.push(format!("{atlas:?} {args:?}: exit {got} and a site written: {wrote}"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} cases wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n\n"));
}

#[test]
fn check_prints_each_problem_rustc_style_on_stderr() {
    let dir = make(Atlas::Broken);
    let (code, out, err) = run(&mut atlasgen(dir.path(), &["check"]));
    assert_eq!(code, 1);
    assert_eq!(out, "", "the human format writes to stderr only");
    assert_eq!(
        err,
        "warning: `treaty` in `happenings` is an orphan: it links to no record and none links to it\n\
         \x20 --> content/happenings.yaml:1:3\n\
         \x20 |\n\
         1 | - id: treaty\n\
         \x20 |   ^\n\
         \x20 = help: reference it from a related record, cite a source in it, or remove it\n\
         \n\
         error: `village` is not an allowed value of `kind`\n\
         \x20 --> content/towns/bad.md:3:7\n\
         \x20 |\n\
         3 | kind: village\n\
         \x20 |       ^\n\
         \x20 = help: allowed values: city, town\n\
         \n\
         1 error, 1 warning\n"
    );
    // A clean atlas says so, in one line.
    let fresh = tempfile::tempdir().unwrap();
    assert_eq!(run(&mut atlasgen(fresh.path(), &["init"])).0, 0);
    assert_eq!(run(&mut atlasgen(fresh.path(), &["check"])), (0, String::new(), "no problems found\n".into()));
}

/// The JSON lines of `check --format json`, each parsed.
fn json_lines(out: &str) -> Vec<Value> {
    out.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect()
}

#[test]
fn check_json_gives_one_object_per_problem_with_its_place() {
    // The invalid corpus's case of seven errors in one file: the same problems, with the same
    // places, as its expected.txt lists (the orphan warning besides).
    let dir = fixture_copy("small");
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid/several-errors-one-file");
    copy_dir(&case, dir.path(), &["expected.txt"]);
    let (code, out, err) = run(&mut atlasgen(dir.path(), &["check", "--format", "json"]));
    assert_eq!(code, 1, "{err}");
    assert_eq!(err, "", "JSON output leaves stderr empty");
    let found = json_lines(&out);
    let mut expected = vec![(
        "warning".to_string(),
        "content/happenings.yaml".to_string(),
        1,
        3,
        "`treaty` in `happenings` is an orphan".to_string(),
    )];
    for l in std::fs::read_to_string(case.join("expected.txt")).unwrap().lines().filter(|l| !l.is_empty()) {
        // `error content/towns/bad.md:3:7: message`
        let (severity, rest) = l.split_once(' ').unwrap();
        let mut parts = rest.splitn(4, ':');
        let (file, line, column) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        let message = parts.next().unwrap().trim();
        expected.push((severity.into(), file.into(), line.parse().unwrap(), column.parse().unwrap(), message.into()));
    }
    assert_eq!(found.len(), expected.len(), "{out}");
    for (v, (severity, file, line, column, message)) in found.iter().zip(&expected) {
        let object = v.as_object().unwrap_or_else(|| panic!("not an object: {v}"));
        let keys: Vec<&str> = object.keys().map(String::as_str).collect(); // sorted by serde_json
        assert_eq!(keys, ["column", "file", "help", "line", "message", "severity"], "{v}");
        assert_eq!(v["severity"], severity.as_str(), "{v}");
        assert_eq!(v["file"], file.as_str(), "{v}");
        assert_eq!((v["line"].as_u64(), v["column"].as_u64()), (Some(*line), Some(*column)), "{v}");
        assert!(v["message"].as_str().unwrap().contains(message.as_str()), "{v} should say {message:?}");
        assert!(!v["help"].as_str().unwrap().is_empty(), "{v}");
    }
    // Backticks, quotes and angle brackets in messages survive the JSON.
    assert_eq!(
        found[7]["help"],
        "link a record as @/<collection>/<id>, a collection as @/<collection>, a page as @/<page>"
    );

    // A problem with a whole file is at line 0, column 0; one without help has no `help` key.
    let empty = tempfile::tempdir().unwrap();
    let (code, out, _) = run(&mut atlasgen(empty.path(), &["check", "--format", "json"]));
    assert_eq!(code, 1);
    let found = json_lines(&out);
    assert_eq!(found.len(), 1, "{out}");
    assert_eq!(
        (&found[0]["file"], &found[0]["line"], &found[0]["column"]),
        (&"atlas.yaml".into(), &0.into(), &0.into())
    );
    assert!(found[0]["message"].as_str().unwrap().starts_with("cannot read the configuration: "), "{out}");

    // No problem, no line.
    let fresh = tempfile::tempdir().unwrap();
    assert_eq!(run(&mut atlasgen(fresh.path(), &["init"])).0, 0);
    assert_eq!(run(&mut atlasgen(fresh.path(), &["check", "--format", "json"])), (0, String::new(), String::new()));
}

/// Files under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    files.sort();
    files
}

#[test]
fn build_output_writes_where_asked_and_replaces_only_its_own_sites() {
    let dir = make(Atlas::Clean);
    let (code, out, err) = run(&mut atlasgen(dir.path(), &["build", "--output", "out/site"]));
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let site = dir.path().join("out/site");
    let files = files_under(&site);
    // The summary counts what is on disk: every HTML file is a page, every file but the marker
    // that says atlasgen wrote the folder is counted.
    let pages = files.iter().filter(|f| f.ends_with(".html")).count();
    let summary = err.lines().find(|l| l.starts_with("built ")).expect(&err);
    assert!(
        summary.starts_with(&format!("built {pages} pages ({} files) in ", files.len() - 1)),
        "{summary} but {pages} pages and {} files on disk",
        files.len()
    );
    assert!(summary.ends_with(" ms: 2 towns, 2 roads, 3 happenings, 2 refs"), "{summary}");
    assert!(files.contains(&".atlasgen-site".to_string()) && files.contains(&"towns/mong-cai/index.html".into()));
    assert!(!dir.path().join("site").exists(), "the default folder is left alone");

    // An absolute --output, and the short form.
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("public");
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["build", "-o", target.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(files_under(&target), files, "the same site wherever it goes");

    // A folder atlasgen did not write is refused, and kept, unless --force.
    let mine = elsewhere.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("keep.txt"), "mine\n").unwrap();
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["build", "--output", mine.to_str().unwrap()]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error: refusing to replace the output: it is a folder atlasgen did not write"), "{err}");
    assert_eq!(files_under(&mine), ["keep.txt"]);
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["build", "--output", mine.to_str().unwrap(), "--force"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(files_under(&mine), files, "--force replaced the folder with the site");
    // Once atlasgen's, it is rebuilt without --force.
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["build", "--output", mine.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn schema_writes_a_json_schema_for_the_configuration_and_each_collection() {
    let dir = make(Atlas::Clean);
    let (code, out, err) = run(&mut atlasgen(dir.path(), &["schema", "--output", "editor/schemas"]));
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let written = files_under(&dir.path().join("editor/schemas"));
    let names = ["atlas", "happenings", "refs", "roads", "towns"].map(|n| format!("{n}.schema.json"));
    assert_eq!(written, names);
    for name in &names {
        assert!(err.contains(&format!("wrote ./editor/schemas/{name}\n")), "{name} not listed: {err}");
        let text = std::fs::read_to_string(dir.path().join("editor/schemas").join(name)).unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(schema["$schema"].as_str().is_some_and(|s| s.contains("json-schema.org")), "{name}: {schema}");
    }
    let towns: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("editor/schemas/towns.schema.json")).unwrap())
            .unwrap();
    let record = &towns["$defs"]["record"];
    assert_eq!(record["additionalProperties"], false);
    assert_eq!(record["properties"]["kind"]["enum"], serde_json::json!(["city", "town"]), "{record}");
    // The settings printed for VS Code map each collection's files to its schema.
    assert!(
        err.contains("\"./editor/schemas/roads.schema.json\": [\"content/roads.yaml\", \"content/roads.yml\", \"content/roads/*.yaml\"]"),
        "{err}"
    );
}

#[test]
fn a_new_record_filled_in_checks_clean_and_is_built() {
    let dir = make(Atlas::Clean);
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["new", "towns", "lao-cai"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.starts_with("created content/towns/lao-cai.md"), "{err}");
    let file = dir.path().join("content/towns/lao-cai.md");
    // Its placeholders are pointed at, in order; the one that names a source is an error.
    let (code, out, _) = run(&mut atlasgen(dir.path(), &["check", "--format", "json"]));
    assert_eq!(code, 1, "{out}");
    let found: Vec<Value> = json_lines(&out).into_iter().filter(|v| v["file"] == "content/towns/lao-cai.md").collect();
    let places: Vec<(u64, u64)> =
        found.iter().map(|v| (v["line"].as_u64().unwrap(), v["column"].as_u64().unwrap())).collect();
    assert!(places.len() >= 5 && places.is_sorted(), "{out}");
    for v in &found {
        let message = v["message"].as_str().unwrap();
        match v["severity"].as_str().unwrap() {
            "warning" => assert_eq!(message, "unfilled placeholder: `TODO` is still here"),
            _ => assert_eq!(message, "no record `todo` in `refs`"),
        }
    }
    // Fill it in: no warning about it is left, and the build has its page.
    std::fs::write(
        &file,
        "---\nname: Lào Cai\nkind: city\nsources: [chu-2024]\n---\nA town on the Red River, linked to [Móng Cái](@/towns/mong-cai).\n",
    )
    .unwrap();
    let (code, out, _) = run(&mut atlasgen(dir.path(), &["check", "--format", "json"]));
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("lao-cai"), "{out}");
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["build"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("3 towns"), "{err}");
    let page = std::fs::read_to_string(dir.path().join("site/towns/lao-cai/index.html")).unwrap();
    assert!(page.contains(">Lào Cai</h1>"), "{page}");

    // --md: a Markdown file even for a collection kept in a YAML list.
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["new", "happenings", "fair", "--md"]));
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(dir.path().join("content/happenings/fair.md")).unwrap();
    assert!(md.starts_with("---\n") && md.contains("\ntitle: \"TODO\""), "{md}");
    assert!(!std::fs::read_to_string(dir.path().join("content/happenings.yaml")).unwrap().contains("fair"));
}

#[test]
fn init_writes_the_files_it_lists_into_a_new_folder() {
    let parent = tempfile::tempdir().unwrap();
    let (code, out, err) = run(&mut atlasgen(parent.path(), &["init", "field-notes"]));
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let dir = parent.path().join("field-notes");
    let mut lines = err.lines();
    assert_eq!(lines.next(), Some("created a new atlas in field-notes:"));
    let listed: Vec<String> = lines.by_ref().take_while(|l| l.starts_with("  ")).map(|l| l[2..].to_string()).collect();
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    assert_eq!(listed_sorted, files_under(&dir), "init lists exactly what it wrote");
    assert!(listed.contains(&"atlas.yaml".to_string()) && listed.contains(&"README.md".to_string()), "{err}");
    assert!(
        err.ends_with(
            "next: cd field-notes && atlasgen serve, and read README.md: how to add records, check them and publish\n"
        ),
        "{err}"
    );
    // The new atlas is one the other commands take as it is.
    for args in [&["check"][..], &["build"], &["schema"], &["new", "places", "prime-meridian"]] {
        let (code, _, err) = run(&mut atlasgen(&dir, args));
        assert_eq!(code, 0, "{args:?}: {err}");
    }
}

/// `serve` that cannot listen says why and exits 1 at once (it does not build, then wait).
#[cfg(feature = "serve")]
#[test]
fn serve_exits_1_when_its_port_is_taken() {
    let dir = make(Atlas::Clean);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut child = atlasgen(dir.path(), &["serve", "--port", &port])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("serve kept running on a port already taken");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.ends_with(&format!(
            "error: cannot listen on 127.0.0.1:{port}: Address already in use (os error 98) (pick another --port)\n"
        )) || (cfg!(not(target_os = "linux")) && err.contains("(pick another --port)")),
        "{err}"
    );
}
