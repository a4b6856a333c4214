//! The `atlasgen` command as a new user meets it: `init` in a fresh clone, then `check`,
//! `build`, `schema` and `new`; `check --format github` on a pull request; and what ships
//! beside the binary for atlas repositories: the workflows and the setup action (checked
//! with actionlint), the JSON Schemas (checked with Python's jsonschema against real YAML),
//! and the crate's package.
//!
//! actionlint, jsonschema and ruamel.yaml come from `.venv-data` (tests/data/requirements.txt;
//! `./test.sh` makes it), or from the folder `ATLASGEN_TEST_VENV` names.

use crate::common;

use common::{atlasgen, run};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A tool of the test venv (`python`, `actionlint`).
fn venv_tool(name: &str) -> PathBuf {
    let venv = std::env::var_os("ATLASGEN_TEST_VENV").map(PathBuf::from).unwrap_or_else(|| repo().join(".venv-data"));
    let exe = if cfg!(windows) { format!("{name}.exe") } else { name.to_string() };
    let tool = venv.join(if cfg!(windows) { "Scripts" } else { "bin" }).join(exe);
    assert!(
        tool.exists(),
        "{} is missing: ./test.sh makes the venv (python3 -m venv .venv-data && .venv-data/bin/pip install -r tests/data/requirements.txt)",
        tool.display()
    );
    tool
}

/// actionlint over `files`, from `dir` (so `uses: ./` finds the action there).
fn actionlint(dir: &Path, files: &[PathBuf]) {
    let out = Command::new(venv_tool("actionlint"))
        .current_dir(dir)
        .arg("-no-color")
        .args(files)
        .output()
        .expect("actionlint runs");
    assert!(
        out.status.success(),
        "actionlint found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn workflows(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    files
}

/// tests/data/validate_schemas.py: the schemas in `schemas` against the YAML of `atlas`.
fn validate_schemas(schemas: &Path, atlas: &Path) -> (bool, String) {
    let out = Command::new(venv_tool("python"))
        .arg(repo().join("tests/data/validate_schemas.py"))
        .arg(schemas)
        .arg(atlas)
        .output()
        .expect("python runs");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// A folder as `git clone` leaves it: `.git` (with its origin and branch) and a README.
fn fresh_clone() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let git = dir.path().join(".git");
    std::fs::create_dir_all(git.join("refs/heads")).unwrap();
    std::fs::write(git.join("HEAD"), "ref: refs/heads/trunk\n").unwrap();
    std::fs::write(
        git.join("config"),
        "[core]\n\trepositoryformatversion = 0\n[remote \"origin\"]\n\turl = https://github.com/someone/field-notes.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("README.md"), "# Field notes\n").unwrap();
    dir
}

#[test]
fn init_in_a_fresh_clone_makes_a_repository_that_checks_builds_and_lints() {
    let clone = fresh_clone();
    let dir = clone.path();
    let (code, _, err) = run(&mut atlasgen(dir, &["init", "."]));
    assert_eq!(code, 0, "{err}");
    for f in [
        "atlas.yaml",
        "content/places/greenwich-meridian.md",
        "content/sources.yaml",
        ".gitignore",
        ".github/workflows/pages.yml",
        ".github/workflows/check.yml",
        "EDITING.md",
    ] {
        assert!(dir.join(f).is_file(), "init wrote no {f}: {err}");
    }
    // The clone's README is left as it was; the editors' guide goes beside it.
    assert_eq!(std::fs::read_to_string(dir.join("README.md")).unwrap(), "# Field notes\n");

    // The repository and its Pages address come from the clone.
    let config = std::fs::read_to_string(dir.join("atlas.yaml")).unwrap();
    assert!(config.contains("base_url: https://someone.github.io/field-notes/\n"), "{config}");
    assert!(config.contains("repository: {url: https://github.com/someone/field-notes, branch: trunk}"), "{config}");
    // The workflows install this very version through the setup action, on the clone's branch.
    let pages = std::fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap();
    let action = format!("uses: {}", atlasgen::scaffold::action_ref());
    assert!(pages.contains(&action) && pages.contains("branches: [trunk]"), "{pages}");
    assert!(!pages.contains("cargo") && !pages.contains("__"), "{pages}");
    let check = std::fs::read_to_string(dir.join(".github/workflows/check.yml")).unwrap();
    assert!(check.contains(&action) && check.contains("atlasgen check --format github"), "{check}");

    let (code, _, err) = run(&mut atlasgen(dir, &["check"]));
    assert_eq!((code, err.as_str()), (0, "no problems found\n"));
    let (code, _, err) = run(&mut atlasgen(dir, &["build"]));
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(dir.join("site/places/greenwich-meridian/index.html")).unwrap();
    assert!(
        page.contains(
            "href=\"https://github.com/someone/field-notes/edit/trunk/content/places/greenwich-meridian.md\">Edit this page</a>"
        ),
        "{page}"
    );
    let source = std::fs::read_to_string(dir.join("site/sources/meridian-conference-1884/index.html")).unwrap();
    assert!(source.contains("/edit/trunk/content/sources.yaml#L2\""), "a listed record links to its line");

    let (code, _, err) = run(&mut atlasgen(dir, &["schema"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("    \"./schemas/sources.schema.json\": [\"content/sources.yaml\", "), "{err}");
    assert!(err.contains("    \"./schemas/atlas.schema.json\": \"atlas.yaml\",\n"), "{err}");
    let (ok, out) = validate_schemas(&dir.join("schemas"), dir);
    assert!(ok, "{out}");
    assert!(out.contains("{\"places\": 1, \"sources\": 1}"), "{out}");

    actionlint(dir, &workflows(dir));
}

#[test]
fn init_never_overwrites_and_lists_what_is_in_the_way() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("atlas.yaml"), "title: mine\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine\n").unwrap();
    std::fs::write(dir.path().join("LICENSE"), "mine\n").unwrap();
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["init"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("these files would be overwritten: atlas.yaml"), "{err}");
    assert!(err.contains("more than a fresh clone would: notes.txt"), "{err}");
    assert!(!err.lines().next().unwrap().contains("LICENSE"), "a licence is expected in a fresh clone: {err}");
    assert_eq!(std::fs::read_to_string(dir.path().join("atlas.yaml")).unwrap(), "title: mine\n");
    assert!(!dir.path().join(".gitignore").exists() && !dir.path().join("content").exists());
}

#[test]
fn the_repository_workflows_and_setup_action_pass_actionlint() {
    // setup-action.yml uses the action as `./`, so actionlint reads action.yml too: its
    // inputs, outputs and metadata.
    let files = workflows(repo());
    assert!(files.iter().any(|f| f.ends_with("setup-action.yml")), "{files:?}");
    let setup = std::fs::read_to_string(repo().join(".github/workflows/setup-action.yml")).unwrap();
    assert!(setup.contains("uses: ./\n"), "the action's test workflow runs the action in this repository");
    actionlint(repo(), &files);
}

#[test]
fn the_setup_action_installs_this_version_by_default() {
    // The release workflow refuses a tag that differs from either.
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let default = format!(
        "  version:\n    description: The atlasgen release to install, e.g. 0.1.0 (default the version this action is pinned to).\n    required: false\n    default: \"{}\"\n",
        env!("CARGO_PKG_VERSION")
    );
    assert!(action.contains(&default), "action.yml's default version is not {}", env!("CARGO_PKG_VERSION"));
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        let release = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
        assert!(action.contains(&format!("target={target}")), "the action knows no {target}");
        assert!(release.contains(&format!("target: {target}")), "the release builds no {target}");
    }
}

#[test]
fn check_format_github_annotates_and_summarises_every_problem() {
    // The atlas in a subfolder of the repository: annotations name files from its root.
    let ws = tempfile::tempdir().unwrap();
    let atlas = ws.path().join("atlas");
    std::fs::create_dir(&atlas).unwrap();
    common::copy_dir(&common::fixture("small"), &atlas, &[]);
    common::copy_dir(&repo().join("tests/invalid/github-format"), &atlas, &["expected.txt"]);
    let summary = ws.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let (code, out, err) = run(atlasgen(&atlas, &["check", "--format", "github"])
        .env("GITHUB_WORKSPACE", ws.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "o/r")
        .env("GITHUB_SHA", "abc123"));
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out,
        // No orphan warning: with a record lost to its invalid id, what links where is not known.
        "::error file=atlas/content/towns/a%2Cb.md,title=atlasgen check::invalid id \"a,b\": ids may use only lowercase a-z, 0-9 and -%0Ahelp: use \"a-b\"\n\
         ::error file=atlas/content/towns/bad.md,line=3,col=7,title=atlasgen check::`village` is not an allowed value of `kind`%0Ahelp: allowed values: city, town\n\
         ::warning file=atlas/content/towns/bad.md,line=6,col=1,title=atlasgen check::unfilled placeholder: `TODO` is still here%0Ahelp: write the real value (or text) in its place and delete the TODO mark\n"
    );
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        "earlier step\n### atlasgen check: 2 errors, 1 warning\n\n| | Where | Problem | How to fix it |\n|---|---|---|---|\n\
         | error | [atlas/content/towns/a,b.md](https://github.com/o/r/blob/abc123/atlas/content/towns/a%2Cb.md) | invalid id \"a,b\": ids may use only lowercase a-z, 0-9 and - | use \"a-b\" |\n\
         | error | [atlas/content/towns/bad.md:3:7](https://github.com/o/r/blob/abc123/atlas/content/towns/bad.md#L3) | `village` is not an allowed value of `kind` | allowed values: city, town |\n\
         | warning | [atlas/content/towns/bad.md:6:1](https://github.com/o/r/blob/abc123/atlas/content/towns/bad.md#L6) | unfilled placeholder: `TODO` is still here | write the real value (or text) in its place and delete the TODO mark |\n"
    );
    // The log keeps the full form, with the quoted line.
    assert!(err.contains("3 | kind: village"), "{err}");
}

#[test]
fn schemas_validate_the_shipped_atlas_and_reject_a_broken_one() {
    let out = tempfile::tempdir().unwrap();
    let schemas = out.path().join("schemas");
    let (code, _, err) = run(&mut atlasgen(repo(), &["schema", "--output", schemas.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
    let (ok, report) = validate_schemas(&schemas, repo());
    assert!(ok, "{report}");
    // Every collection's files were read: list files and Markdown front matter both.
    let counts = report.lines().find(|l| l.starts_with("files checked per collection:")).expect(&report);
    for c in ["gates", "corridors", "zones", "events", "places", "figures", "discrepancies", "sources"] {
        assert!(counts.contains(&format!("\"{c}\": ")), "{c} not checked: {counts}");
    }

    // A broken copy: a list record with a misspelt field and a value not allowed, a Markdown
    // record without a required field, and a date that is not one.
    let broken = out.path().join("broken");
    std::fs::create_dir_all(broken.join("content/gates")).unwrap();
    std::fs::copy(repo().join("atlas.yaml"), broken.join("atlas.yaml")).unwrap();
    std::fs::write(
        broken.join("content/events.yaml"),
        "- id: ev-broken\n  title: Broken\n  date: \"1999-13\"\n  kind: rumour\n  sumary: x\n  sources: [chu-duong-2024]\n",
    )
    .unwrap();
    let gate = std::fs::read_to_string(repo().join("content/gates/mong-cai-dongxing.md")).unwrap();
    let without_mode: String = gate.lines().filter(|l| !l.starts_with("mode:")).map(|l| format!("{l}\n")).collect();
    std::fs::write(broken.join("content/gates/mong-cai-dongxing.md"), without_mode).unwrap();
    let (ok, report) = validate_schemas(&schemas, &broken);
    assert!(!ok, "{report}");
    for expected in [
        "FAIL content/events.yaml: 0: Additional properties are not allowed ('sumary' was unexpected)",
        "FAIL content/events.yaml: 0/kind: 'rumour' is not one of",
        "FAIL content/events.yaml: 0/date: '1999-13' is not valid under any of the given schemas",
        "FAIL content/gates/mong-cai-dongxing.md: (top): 'mode' is a required property",
    ] {
        assert!(report.contains(expected), "no {expected:?} in:\n{report}");
    }
}

#[test]
fn new_appends_to_a_yaml_list_and_check_points_at_its_placeholders() {
    let dir = common::fixture_copy("small");
    let list = dir.path().join("content/happenings.yaml");
    let before = format!("# Happenings, a list.\n{}", std::fs::read_to_string(&list).unwrap());
    std::fs::write(&list, &before).unwrap();
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["new", "happenings", "new-talks"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("added `new-talks` to content/happenings.yaml at line 13"), "{err}");
    let after = std::fs::read_to_string(&list).unwrap();
    assert_eq!(
        after,
        format!(
            "{before}- id: new-talks\n  title: \"TODO\"\n  date: \"YYYY-MM-DD\"  # TODO\n  # The ids of `roads` records.\n  # roads: [todo]\n"
        )
    );
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["check"]));
    assert_eq!(code, 1, "the date placeholder is not a date: {err}");
    assert!(
        err.contains("warning: unfilled placeholder: `TODO` is still here\n  --> content/happenings.yaml:14:11"),
        "{err}"
    );
    assert!(err.contains("--> content/happenings.yaml:15:25"), "{err}");

    // A collection without a list gets a Markdown file; a valid placeholder (the enum's first
    // value) is still pointed at.
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["new", "towns", "lao-cai"]));
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(dir.path().join("content/towns/lao-cai.md")).unwrap();
    assert!(md.contains("\nkind: city  # TODO\n"), "{md}");
    assert!(md.contains("\n---\nTODO: write the narrative here"), "{md}");

    // The same id again: pointed at where it is.
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["new", "happenings", "talks"]));
    assert_eq!(code, 1);
    assert!(err.contains("`talks` already exists in `happenings`\n  --> content/happenings.yaml:5:3"), "{err}");
    // A collection that is not one: a usage error, with a suggestion, naming no file.
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["new", "town", "x"]));
    assert_eq!(
        (code, err.as_str()),
        (2, "error: `town` is not a collection of this atlas\n  = help: did you mean `towns`?\n")
    );
}

/// `new` writes valid YAML whatever the schema holds: a description over several lines, enum
/// values YAML would read as something else (`yes`) or could not read plain (`a: b`).
#[test]
fn new_writes_valid_yaml_for_any_schema() {
    let dir = common::fixture_copy("small");
    let config = dir.path().join("atlas.yaml");
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "      kind: {type: enum, values: [city, town], required: true}\n",
        "      kind:\n        type: enum\n        values: [\"yes\", \"a: b\", town]\n        required: true\n        description: |\n          What the place is.\n          kind: not a key\n",
    );
    assert!(text.contains("a: b"), "the fixture's kind field moved");
    std::fs::write(&config, text).unwrap();
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["new", "towns", "lao-cai"]));
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(dir.path().join("content/towns/lao-cai.md")).unwrap();
    assert!(
        md.contains("# What the place is.\n# kind: not a key One of: yes, a: b, town.\nkind: \"yes\"  # TODO\n"),
        "{md}"
    );
    // check reads it: the placeholders are reported, the YAML is not.
    let (_, _, err) = run(&mut atlasgen(dir.path(), &["check"]));
    assert!(!err.contains("invalid YAML"), "{err}");
    assert!(err.contains("unfilled placeholder") && err.contains("content/towns/lao-cai.md"), "{err}");
}

#[test]
fn commands_find_the_atlas_from_a_subfolder() {
    let dir = common::fixture_copy("small");
    let sub = dir.path().join("content/towns");
    let (code, _, err) = run(&mut atlasgen(&sub, &["check"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.starts_with("note: using the atlas in "), "{err}");
    let (code, _, err) = run(&mut atlasgen(&sub, &["new", "towns", "bac-luan"]));
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("content/towns/bac-luan.md").is_file());
}

#[test]
fn build_options_work_without_the_subcommand() {
    let dir = common::fixture_copy("small");
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["--timings", "--output", "out"]));
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("out/index.html").is_file());
    assert!(err.contains("built ") && err.contains("load config"), "timings are printed: {err}");
    // A subcommand and build options together are refused, not silently dropped.
    let (code, _, _) = run(&mut atlasgen(dir.path(), &["--timings", "check"]));
    assert_eq!(code, 2);
}

#[test]
fn base_url_must_be_an_absolute_http_url() {
    let dir = common::fixture_copy("small");
    for args in [&["build", "--base-url", "example.org/atlas"][..], &["--base-url", "ftp://example.org/"][..]] {
        let (code, _, err) = run(&mut atlasgen(dir.path(), args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("is not an absolute http(s) URL"), "{err}");
    }
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["build", "--base-url", "https:///atlas/"]));
    assert_eq!(code, 2);
    assert!(err.contains("names no host"), "{err}");
    assert!(!dir.path().join("site").exists(), "nothing is written");
}

#[test]
fn the_package_holds_what_builds_the_tool_and_no_more() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(repo())
        .args(["package", "--list", "--locked", "--allow-dirty"])
        .output()
        .expect("cargo runs");
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{list}{}", String::from_utf8_lossy(&out.stderr));
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "src/main.rs",
        "src/render/defaults/record.html",
        "src/render/defaults/i18n/vi.yaml",
        "src/scaffold/pages.yml",
    ] {
        assert!(list.lines().any(|l| l == needed), "the package has no {needed}:\n{list}");
    }
    for left_out in ["content/", "tests/", "bench/", "data/", "i18n/", "tools/", ".github/", "action.yml", "atlas.yaml"]
    {
        assert!(!list.lines().any(|l| l.starts_with(left_out)), "the package holds {left_out}:\n{list}");
    }
}

#[test]
fn home_blocks_read_the_fields_the_configuration_names() {
    // An atlas whose dates are not in a field called `date`, whose figures have a `count` and
    // no `value`: the home page shows them from the fields atlas.yaml names.
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["init"]));
    assert_eq!(code, 0, "{err}");
    let config = dir.path().join("atlas.yaml");
    let text = std::fs::read_to_string(&config).unwrap().replacen(
        "collections:\n",
        "home:\n  latest: {collection: places, field: established}\n  figures: {collection: places, field: featured, value: count}\ncollections:\n",
        1,
    );
    let text = text.replacen(
        "      location: {type: geo",
        "      featured: {type: bool}\n      count: {type: integer}\n      location: {type: geo",
        1,
    );
    std::fs::write(&config, text).unwrap();
    let record = dir.path().join("content/places/greenwich-meridian.md");
    let text = std::fs::read_to_string(&record).unwrap().replacen(
        "kind: landmark\n",
        "kind: landmark\nfeatured: true\ncount: 1\n",
        1,
    );
    std::fs::write(&record, text).unwrap();
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["build"]));
    assert_eq!(code, 0, "{err}");
    let home = std::fs::read_to_string(dir.path().join("site/index.html")).unwrap();
    assert!(
        home.contains(
            "<span class=\"figure-value\">1</span> <span class=\"figure-label\">Prime meridian at Greenwich</span>"
        ),
        "{home}"
    );
    assert!(home.contains("<li><time datetime=\"1884-10\">October 1884</time>: <a href="), "{home}");

    // A figure field the collection does not have is reported where it is named.
    let text = std::fs::read_to_string(&config).unwrap().replacen("value: count}", "value: cuont}", 1);
    std::fs::write(&config, text).unwrap();
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["check"]));
    assert_eq!(code, 1);
    assert!(err.contains("home: `cuont` is not a field of `places`"), "{err}");
}

#[test]
fn init_leaves_a_working_map_and_the_one_line_to_remake_it() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["init"]));
    assert_eq!(code, 0, "{err}");
    // The base map is there, in the documented format, with its credit and region.
    let base: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("data/basemap.geojson")).unwrap()).unwrap();
    assert_eq!(base["type"], "FeatureCollection");
    assert!(base["attribution"].as_str().unwrap().contains("Natural Earth"), "{}", base["attribution"]);
    let kinds: Vec<&str> =
        base["features"].as_array().unwrap().iter().map(|f| f["properties"]["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"country") && kinds.contains(&"coast"), "{kinds:?}");
    // atlas.yaml uses it, keeps the options it was made from, and gives the line that makes one
    // for another region; so does the editors' guide.
    let config = std::fs::read_to_string(dir.path().join("atlas.yaml")).unwrap();
    let line = format!(
        "git clone --depth 1 {} /tmp/atlasgen && (cd /tmp/atlasgen/tools/map-data && npm run setup) && \
         node /tmp/atlasgen/tools/map-data/extract.mjs --atlas atlas.yaml",
        env!("CARGO_PKG_REPOSITORY")
    );
    assert!(config.contains("map:\n  basemap: data/basemap.geojson\n  extract:\n"), "{config}");
    assert!(config.contains(&format!("#   {line}\n")), "{config}");
    let guide = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
    assert!(guide.contains(&format!("\n{line}\n")), "{guide}");
    assert!(repo().join("tools/map-data/extract.mjs").is_file(), "the line runs a file atlasgen has");

    // The sample place is drawn over the land it stands on, on its own page and the home page.
    let (code, _, err) = run(&mut atlasgen(dir.path(), &["build"]));
    assert_eq!((code, err.contains("warning")), (0, false), "{err}");
    let page = std::fs::read_to_string(dir.path().join("site/places/greenwich-meridian/index.html")).unwrap();
    let svg = &page[page.find("<svg class=\"map\"").expect("the place's page has a map")..];
    assert!(svg.contains("<path class=\"country country-gb"), "the map draws Great Britain");
    assert!(svg.contains("class=\"coast\""), "the map draws the coast");
    assert!(svg.contains("class=\"marker-link l-places"), "the map marks the place");
    assert!(page.contains("Natural Earth"), "the map credits its source");
    let home = std::fs::read_to_string(dir.path().join("site/index.html")).unwrap();
    assert!(home.contains("<svg class=\"map\"") && home.contains("country-gb"), "the home page has a map");
}
