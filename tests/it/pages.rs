//! Reader-first record pages, built from a small atlas written here: one linked-records list
//! with each record once; a record's history told once where an event tells it; caveats
//! folded into one note; a discrepancy's readings; the lead, summary and key facts; previous
//! and next; the licence; the last change from git; the schema checks of the new keys.

use atlasgen::{BuildOptions, build};
use std::path::{Path, PathBuf};

const CONFIG: &str = r#"title: Pages Atlas
base_url: https://example.org/pa/
locale: en-GB
citations: refs
discrepancies: issues
licence: {name: CC BY 4.0, url: "https://creativecommons.org/licenses/by/4.0/", id: CC-BY-4.0}
collections:
  gates:
    title: Gates
    singular: Gate
    title_field: name
    columns: [region, rank, kind]
    key_facts: [rank, kind]
    sort: [rank, name]
    map: {precision: precision, exact: [gate], note: point_note}
    fields:
      name: {type: string, required: true}
      region: {type: string}
      rank: {type: enum, values: {international: international, main: main, minor: "minor crossing"}, required: true}
      kind: {type: enum, values: [road, rail]}
      location: {type: geo}
      precision: {type: enum, values: [gate, town]}
      point_note: {type: string}
      history:
        type: list
        item:
          type: object
          fields:
            date: {type: daterange}
            rank: {type: enum, values: [opened, upgraded]}
            note: {type: text}
      issues: {type: list, item: {type: ref, collection: issues}, inverse: Records affected}
      sources: {type: list, item: {type: citation}}
  roads:
    title: Roads
    singular: Road
    title_field: name
    fields:
      name: {type: string, required: true}
      gates: {type: list, item: {type: ref, collection: gates}, inverse: Roads through this gate}
  events:
    title: Events
    singular: Event
    title_field: title
    summary: summary
    sort: [date]
    timeline: {date: date}
    fields:
      title: {type: string, required: true}
      date: {type: daterange, required: true}
      summary: {type: text, required: true}
      gates: {type: list, item: {type: ref, collection: gates}, inverse: Events}
  issues:
    title: Issues
    singular: Issue
    title_field: title
    summary: what
    fields:
      title: {type: string, required: true}
      what: {type: text, required: true}
      readings:
        type: list
        item:
          type: object
          fields:
            source: {type: citation, required: true}
            reading: {type: text, required: true}
            adopted: {type: bool}
      published: {type: text, required: true}
  refs:
    title: References
    singular: Reference
    title_field: title
    fields:
      title: {type: string, required: true}
"#;

/// Writes the atlas into a temporary folder: `extra` files are (path, text) pairs.
fn atlas(config: &str, extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files: &[(&str, &str)] = &[
        ("atlas.yaml", config),
        (
            "content/gates/north.md",
            "---\nname: North gate\nregion: Hills\nrank: international\nkind: road\nlocation: {lat: 22.5, lon: 106.5}\nprecision: town\npoint_note: The point marks the town hall.\nhistory:\n  - {rank: opened, note: Opened as a local crossing.}\n  - {date: \"2020-05-01\", rank: upgraded, note: Made international.}\nissues: [name-clash]\nsources: [{ref: book, loc: \"p. 4\"}]\n---\nNorth gate faces the hills. It is the oldest crossing.\n\n## Roads\n\nThe [coast road](@/roads/coast) ends here.\n",
        ),
        (
            "content/gates/south.md",
            "---\nname: South gate\nrank: minor\nsources: [book]\n---\nSouth gate is a minor crossing.\n",
        ),
        (
            "content/gates/west.md",
            "---\nname: West gate\nrank: main\nlocation: {lat: 22.4, lon: 106.2}\nprecision: gate\n---\nWest gate.\n",
        ),
        (
            "content/roads/coast.md",
            "---\nname: Coast road\ngates: [north]\n---\nThe coast road reaches [North gate](@/gates/north).\n",
        ),
        (
            "content/events.yaml",
            "- id: upgrade\n  title: North gate upgraded\n  date: \"2020-05-01\"\n  summary: The two sides upgrade North gate.\n  gates: [north]\n- id: survey\n  title: Survey\n  date: \"1990\"\n  summary: A survey of the hills.\n  gates: [north]\n",
        ),
        (
            "content/issues.yaml",
            "- id: name-clash\n  title: Two names for North gate\n  what: The book and the map name the gate differently.\n  readings:\n    - {source: {ref: book, loc: \"p. 4\"}, reading: The book calls it *North gate*., adopted: true}\n    - {source: {ref: map}, reading: The map calls it Upper gate.}\n  published: The atlas calls it North gate.\n",
        ),
        ("content/refs.yaml", "- id: book\n  title: A book\n- id: map\n  title: A map\n"),
    ];
    for (path, text) in files.iter().chain(extra) {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn build_in(dir: &Path) -> PathBuf {
    let opts = BuildOptions { root: dir.to_path_buf(), output: "site".into(), base_url: None, force: false };
    if let Err(d) = build(&opts) {
        panic!("the atlas failed to build: {:#?}", d.into_vec());
    }
    dir.join("site")
}

fn read(site: &Path, page: &str) -> String {
    std::fs::read_to_string(site.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[i..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn linked_records_list_each_record_once_and_leave_events_to_the_timeline() {
    let dir = atlas(CONFIG, &[]);
    let site = build_in(dir.path());
    let gate = read(&site, "gates/north/index.html");
    let linked = between(&gate, "class=\"backlinks\"", "</section>");
    // The road both references the gate and mentions it: listed once, under the reference's heading.
    assert_eq!(linked.matches("href=\"/pa/roads/coast/\"").count(), 1, "{linked}");
    assert!(linked.contains("Roads through this gate") && !linked.contains("Mentioned in"), "{linked}");
    // The events are on the gate's timeline, not listed again.
    assert!(!linked.contains("/pa/events/"), "{linked}");
    let timeline = between(&gate, "class=\"record-timeline\"", "</section>");
    assert!(timeline.contains("/pa/events/upgrade/") && timeline.contains("/pa/events/survey/"));
    // The dated history line is told once, in the event of its day; the undated one stays a field.
    assert_eq!(gate.matches("Made international.").count(), 1, "the history line is told once");
    assert!(between(&gate, "/pa/events/upgrade/", "</li>").contains("Made international."));
    let details = between(&gate, "class=\"details\"", "</section>");
    assert!(details.contains("Opened as a local crossing.") && !details.contains("Made international."), "{details}");
}

#[test]
fn a_record_page_leads_with_its_story() {
    let dir = atlas(CONFIG, &[]);
    let site = build_in(dir.path());
    let gate = read(&site, "gates/north/index.html");
    // The description is the narrative's first sentence, the lead its opening paragraph.
    assert!(gate.contains("<meta name=\"description\" content=\"North gate faces the hills.\">"), "description");
    assert!(between(&gate, "class=\"record-lead", "</div>").contains("It is the oldest crossing."));
    assert!(
        !between(&gate, "class=\"record-lead", "</div>").contains("Roads"),
        "the lead stops at the first paragraph"
    );
    // The key facts, in the box beside the lead, are left out of the details.
    let facts = between(&gate, "class=\"facts\"", "</dl>");
    assert!(facts.contains("international") && facts.contains("road"), "{facts}");
    let details = between(&gate, "class=\"details\"", "</section>");
    assert!(details.contains("Hills") && !details.contains(">road<"), "{details}");
    // Caveats fold into one note: the discrepancy with what the atlas publishes, the point.
    let note = between(&gate, "<details class=\"hatnote\">", "</details>");
    assert!(
        note.contains("The sources disagree on 1 point") && note.contains("The map point is approximate"),
        "{note}"
    );
    assert!(
        note.contains("href=\"/pa/issues/name-clash/\"") && note.contains("The atlas calls it North gate."),
        "{note}"
    );
    assert!(
        note.contains("The map point marks the town, not the exact site. The point marks the town hall."),
        "{note}"
    );
    // An event's summary field is its line under the title, and its lead when it has no narrative.
    let event = read(&site, "events/upgrade/index.html");
    assert!(event.contains("<meta name=\"description\" content=\"The two sides upgrade North gate.\">"));
    assert!(between(&event, "class=\"record-lead", "</div>").contains("The two sides upgrade North gate."));
    // A gate with no point says it is not on the maps.
    assert!(
        read(&site, "gates/south/index.html").contains("This record has no coordinates, so it is not on the maps.")
    );
}

#[test]
fn previous_and_next_follow_the_collections_order() {
    let dir = atlas(CONFIG, &[]);
    let site = build_in(dir.path());
    // Sorted by rank in the schema's order: international (north), main (west), minor (south).
    let west = read(&site, "gates/west/index.html");
    let nav = between(&west, "class=\"prev-next\"", "</nav>");
    assert!(
        nav.contains("rel=\"prev\" href=\"/pa/gates/north/\"")
            && nav.contains("rel=\"next\" href=\"/pa/gates/south/\""),
        "{nav}"
    );
    let index = read(&site, "gates/index.html");
    let at = |id: &str| index.find(&format!("/pa/gates/{id}/")).unwrap();
    assert!(at("north") < at("west") && at("west") < at("south"), "ranks sort by the schema's order");
    assert!(index.contains("data-sort=\"2\""), "an enum cell carries its rank for sorting");
    assert!(!read(&site, "gates/north/index.html").contains("rel=\"prev\""), "the first has no previous");
}

#[test]
fn a_discrepancy_lays_out_its_readings() {
    let dir = atlas(CONFIG, &[]);
    let site = build_in(dir.path());
    let issue = read(&site, "issues/name-clash/index.html");
    let readings = between(&issue, "class=\"readings\"", "</section>");
    assert_eq!(readings.matches("<li class=\"reading").count(), 2);
    assert!(readings.contains("<li class=\"reading adopted\">"), "{readings}");
    assert!(readings.contains("href=\"/pa/refs/book/\"") && readings.contains(", p. 4"), "{readings}");
    assert!(readings.contains("The book calls it <em>North gate</em>."), "{readings}");
    assert!(between(&issue, "class=\"published\"", "</div>").contains("The atlas calls it North gate."));
    assert!(
        !between(&issue, "class=\"record-main\"", "class=\"record-foot\"").contains("class=\"details\""),
        "readings are not repeated as fields"
    );
}

#[test]
fn the_licence_is_stated_everywhere_it_matters() {
    let dir = atlas(CONFIG, &[]);
    let site = build_in(dir.path());
    let home = read(&site, "index.html");
    assert!(home.contains("<link rel=\"license\" href=\"https://creativecommons.org/licenses/by/4.0/\">"));
    assert!(home.contains("<a rel=\"license\" href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>"));
    let package: serde_json::Value = serde_json::from_str(&read(&site, "datapackage.json")).unwrap();
    assert_eq!(
        package["licenses"],
        serde_json::json!([{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "CC BY 4.0"}])
    );
    assert!(
        read(&site, "gates/north/index.html").contains("\"license\":\"https://creativecommons.org/licenses/by/4.0/\"")
    );
}

#[test]
fn the_last_change_comes_from_git() {
    let dir = atlas(CONFIG, &[]);
    let git = |args: &[&str], date: &str| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    // Without history, no date.
    let site = build_in(dir.path());
    assert!(!read(&site, "gates/north/index.html").contains("class=\"updated\""));
    git(&["init", "-q"], "2021-01-01T12:00:00Z");
    git(&["add", "atlas.yaml", "content"], "2021-01-01T12:00:00Z");
    git(&["commit", "-q", "-m", "first"], "2021-01-01T12:00:00Z");
    std::fs::write(
        dir.path().join("content/gates/west.md"),
        "---\nname: West gate\nrank: main\n---\nWest gate, edited.\n",
    )
    .unwrap();
    git(&["commit", "-q", "-am", "second"], "2023-06-15T12:00:00Z");
    let site = build_in(dir.path());
    let west = read(&site, "gates/west/index.html");
    assert!(
        west.contains("<time datetime=\"2023-06-15\">15 June 2023</time>"),
        "{}",
        between(&west, "record-foot", "</footer>")
    );
    assert!(west.contains("year         = {2023}"), "BibTeX carries the year");
    assert!(read(&site, "gates/north/index.html").contains("<time datetime=\"2021-01-01\">1 January 2021</time>"));
}

#[test]
fn the_new_keys_are_checked() {
    let bad = CONFIG
        .replace("key_facts: [rank, kind]", "key_facts: [rnak, kind]")
        .replace("summary: summary", "summary: date")
        .replace("discrepancies: issues", "discrepancies: isues")
        .replace("note: point_note}", "note: precision}");
    let dir = atlas(&bad, &[]);
    let opts = BuildOptions { root: dir.path().to_path_buf(), output: "site".into(), base_url: None, force: false };
    let errors: Vec<String> =
        build(&opts).unwrap_err().into_vec().into_iter().map(|d| format!("{} ({:?})", d.message, d.help)).collect();
    let has = |s: &str| errors.iter().any(|e| e.contains(s));
    assert!(has("key fact `rnak` is not a field of `gates`") && has("did you mean `rank`?"), "{errors:#?}");
    assert!(has("summary `date` of `events` must be a string or text field"), "{errors:#?}");
    assert!(has("discrepancies: unknown collection `isues`"), "{errors:#?}");
    assert!(has("map.note of `gates` must name a string or text field"), "{errors:#?}");
    let shapeless =
        CONFIG.replace("source: {type: citation, required: true}", "source: {type: string, required: true}");
    let dir = atlas(&shapeless, &[]);
    let opts = BuildOptions { root: dir.path().to_path_buf(), output: "site".into(), base_url: None, force: false };
    let errors = build(&opts).unwrap_err().into_vec();
    assert!(
        errors.iter().any(|d| d.message.contains("`readings` of the discrepancy collection `issues`")),
        "{errors:#?}"
    );
}

/// A record linked from many others (a source document cited by most of an atlas) keeps its
/// page readable: a group of linked records shows its first dozen and folds the rest, and a
/// timeline of more than a dozen entries lists dates and titles only.
#[test]
fn long_lists_of_linked_records_and_events_stay_short() {
    let roads: Vec<(String, String)> = (1..=30)
        .map(|i| {
            (format!("content/roads/r{i:02}.md"), format!("---\nname: Road {i:02}\ngates: [west]\n---\nRoad {i:02}.\n"))
        })
        .collect();
    let events: String = (1..=14)
        .map(|i| format!("- id: e{i:02}\n  title: Event {i:02}\n  date: \"{}\"\n  summary: Summary of event {i:02}.\n  gates: [west]\n", 1950 + i))
        .collect();
    let mut extra: Vec<(&str, &str)> = roads.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let events_yaml = format!(
        "{events}- id: upgrade\n  title: North gate upgraded\n  date: \"2020-05-01\"\n  summary: The two sides upgrade North gate.\n  gates: [north]\n"
    );
    extra.push(("content/events.yaml", &events_yaml));
    let dir = atlas(CONFIG, &extra);
    let site = build_in(dir.path());
    let west = read(&site, "gates/west/index.html");
    let linked = between(&west, "class=\"backlinks\"", "</section>");
    assert_eq!(linked.matches("href=\"/pa/roads/r").count(), 30, "every road is listed: {linked}");
    let folded = between(linked, "<details class=\"more\">", "</details>");
    assert!(folded.contains("<summary>Show 18 more</summary>"), "{folded}");
    assert_eq!(folded.matches("href=\"/pa/roads/r").count(), 18, "{folded}");
    assert!(!folded.contains("/pa/roads/r12/") && folded.contains("/pa/roads/r13/"), "the first dozen stay open");
    let timeline = between(&west, "class=\"record-timeline\"", "</section>");
    assert!(timeline.contains("class=\"timeline compact\""), "{timeline}");
    assert_eq!(timeline.matches("href=\"/pa/events/e").count(), 14, "{timeline}");
    assert!(!timeline.contains("Summary of event"), "a long timeline lists titles only: {timeline}");
    // A short timeline keeps its summaries.
    let north = read(&site, "gates/north/index.html");
    let short = between(&north, "class=\"record-timeline\"", "</section>");
    assert!(!short.contains("compact") && short.contains("The two sides upgrade North gate."), "{short}");
}
