//! `serve`'s session ([`atlasgen::live::Live`]) brings the site in memory up to date after each
//! edit with as little work as it can: most saves are patched into the model in place, and only
//! the pages they touched are rendered again. These tests hold it to a build from scratch: after
//! every edit of a series, each made on top of the last, the site in memory must be, file for
//! file, the site a build of the same files renders.

use crate::common;

use atlasgen::live::{Live, Touched};
use atlasgen::timings::Timings;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// A session over a copy of a fixture, and the site it serves.
struct Session {
    dir: tempfile::TempDir,
    live: Live,
    site: HashMap<String, Vec<u8>>,
}

/// How an edit was brought in.
#[derive(Debug, PartialEq)]
enum How {
    /// The model patched in place, the touched pages rendered again.
    Patched,
    /// The model built again, the touched pages rendered again.
    Partial,
    /// Everything rendered again.
    Full,
}

/// Every file a build renders from `root`, by path.
fn from_scratch(root: &Path) -> HashMap<String, Vec<u8>> {
    let rendered = atlasgen::check(root, None).unwrap_or_else(|d| panic!("the atlas builds: {d:?}"));
    rendered.files.into_iter().map(|f| (f.path, f.bytes)).collect()
}

impl Session {
    fn start(dir: tempfile::TempDir) -> Session {
        let (live, built) = Live::start(dir.path(), None, &mut Timings::default()).expect("the fixture builds");
        let site = built.files.into_iter().map(|f| (f.path, f.bytes)).collect();
        Session { dir, live, site }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Replaces `from` with `to` in `file` and tells the session, as `serve`'s watcher does.
    fn save(&self, file: &str, from: &str, to: &str) -> std::path::PathBuf {
        let path = self.root().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        path
    }

    /// Writes a new file (or removes one, with `None`) and tells the session, as `serve`'s
    /// watcher does; checks the site against a build.
    fn put(&mut self, file: &str, text: Option<&str>) -> How {
        let path = self.root().join(file);
        match text {
            Some(t) => {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, t).unwrap();
            }
            None => std::fs::remove_file(&path).unwrap(),
        }
        let built = self
            .live
            .edit(Touched::Content, Some(&[path]), &mut Timings::default())
            .unwrap_or_else(|d| panic!("writing {file} breaks the atlas: {d:?}"));
        self.take(built, file)
    }

    /// Saves the configuration as editors that save by rename do (a new file renamed over
    /// the old one) and tells the session; checks the site against a build.
    fn rename_config(&mut self, from: &str, to: &str) {
        let path = self.root().join("atlas.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "atlas.yaml has no {from:?}");
        std::fs::write(self.root().join("atlas.yaml.tmp"), text.replacen(from, to, 1)).unwrap();
        std::fs::rename(self.root().join("atlas.yaml.tmp"), &path).unwrap();
        let built = self.live.edit(Touched::Layout, None, &mut Timings::default()).expect("the atlas builds");
        self.take(built, "atlas.yaml");
    }

    /// Takes an edit's files into the site, as `serve` does, and checks it against a build.
    fn take(&mut self, built: atlasgen::live::Rebuilt, file: &str) -> How {
        let how = match (built.partial, built.patched) {
            (true, true) => How::Patched,
            (true, false) => How::Partial,
            _ => How::Full,
        };
        if !built.partial {
            self.site.clear();
        }
        for gone in &built.removed {
            self.site.remove(gone);
        }
        self.site.extend(built.files.into_iter().map(|f| (f.path, f.bytes)));
        if built.partial {
            let (shared, diags) = self.live.refresh_shared();
            assert!(!diags.has_errors(), "{diags:?}");
            self.site.retain(|p, _| !p.starts_with("pagefind/"));
            self.site.extend(shared.into_iter().map(|f| (f.path, f.bytes)));
        }
        self.assert_current(file);
        how
    }

    /// Writes the template `name` and tells the session, as a template's save does.
    fn template(&mut self, name: &str, text: &str) {
        let path = self.root().join("templates").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let built = self.live.edit(Touched::Layout, None, &mut Timings::default()).expect("the template renders");
        self.site = built.files.into_iter().map(|f| (f.path, f.bytes)).collect();
    }

    /// Saves an edit the atlas takes; checks the site against a build and returns how the
    /// edit was brought in and the pages rendered again.
    fn edit(&mut self, file: &str, from: &str, to: &str) -> (How, BTreeSet<String>) {
        let path = self.save(file, from, to);
        let built = self
            .live
            .edit(Touched::Content, Some(&[path]), &mut Timings::default())
            .unwrap_or_else(|d| panic!("editing {file} breaks the atlas: {d:?}"));
        let how = match (built.partial, built.patched) {
            (true, true) => How::Patched,
            (true, false) => How::Partial,
            _ => How::Full,
        };
        let redone: BTreeSet<String> = built.files.iter().map(|f| f.path.clone()).collect();
        if !built.partial {
            self.site.clear();
        }
        for gone in &built.removed {
            self.site.remove(gone);
        }
        self.site.extend(built.files.into_iter().map(|f| (f.path, f.bytes)));
        if built.partial {
            let (shared, diags) = self.live.refresh_shared();
            assert!(!diags.has_errors(), "{diags:?}");
            // A new search index replaces the old one whole, as in `serve`.
            self.site.retain(|p, _| !p.starts_with("pagefind/"));
            self.site.extend(shared.into_iter().map(|f| (f.path, f.bytes)));
        }
        self.assert_current(file);
        (how, redone)
    }

    /// The site in memory is the site a build of the files now renders.
    fn assert_current(&self, after: &str) {
        let expected = from_scratch(self.root());
        let mut paths: BTreeSet<&String> = expected.keys().collect();
        paths.extend(self.site.keys());
        for p in paths {
            match (self.site.get(p), expected.get(p)) {
                (Some(a), Some(b)) if a == b => {}
                (Some(a), Some(b)) => panic!(
                    "after editing {after}: {p} differs from a build:\n--- session\n{}\n--- build\n{}",
                    String::from_utf8_lossy(a),
                    String::from_utf8_lossy(b)
                ),
                (Some(_), None) => panic!("after editing {after}: {p} is served but a build has no such file"),
                (None, _) => panic!("after editing {after}: {p} is missing"),
            }
        }
    }
}

#[test]
fn a_series_of_record_edits_is_patched_and_matches_a_build() {
    let mut s = Session::start(common::fixture_copy("small"));
    let towns = "content/towns/mong-cai.md";

    let (how, pages) = s.edit(towns, "A border city", "A busy border city");
    assert_eq!(how, How::Patched);
    assert!(pages.contains("towns/mong-cai/index.html"), "{pages:?}");
    assert!(!pages.contains("refs/le-2020/index.html"), "an untouched source page was redone: {pages:?}");

    // A new title: pages naming the town, and its place in the towns' order.
    let (how, pages) = s.edit(towns, "name: Móng Cái", "name: A Móng Cái");
    assert_eq!(how, How::Patched);
    for page in ["towns/mong-cai/index.html", "roads/coastal-road/index.html", "towns/index.html", "index.html"] {
        assert!(pages.contains(page), "{page} not rendered again: {pages:?}");
    }
    assert_eq!(s.edit(towns, "name: A Móng Cái", "name: Móng Cái").0, How::Patched);

    // A facet value: both facet pages.
    let (how, pages) = s.edit(towns, "kind: city", "kind: town");
    assert_eq!(how, How::Patched);
    for page in ["towns/by-kind/city/index.html", "towns/by-kind/town/index.html"] {
        assert!(pages.contains(page), "{page} not rendered again: {pages:?}");
    }

    // A source's year changes its citation label, in the narrative that cites it.
    let (how, pages) = s.edit("content/refs.yaml", "year: 2024", "year: 2025");
    assert_eq!(how, How::Patched);
    assert!(pages.contains("towns/mong-cai/index.html"), "{pages:?}");

    // References move: backlinks leave one record for another.
    assert_eq!(s.edit("content/roads.yaml", "towns: [mong-cai]\n", "towns: [dongxing]\n").0, How::Patched);
    assert_eq!(s.edit("content/happenings.yaml", "roads: [coastal-road]\n", "roads: [new-bridge]\n").0, How::Patched);

    // An earlier record of a YAML list grows a line: the records after it move down the file.
    let (how, _) = s.edit(
        "content/refs.yaml",
        "authors: [\"Chu, T. V.\", \"Duong, V. H.\"]",
        "authors:\n    - \"Chu, T. V.\"\n    - \"Duong, V. H.\"",
    );
    assert_eq!(how, How::Patched);

    // A save that changes nothing draws nothing.
    let (how, pages) = s.edit(towns, "kind: town", "kind: town");
    assert_eq!((how, pages.len()), (How::Patched, 0), "{pages:?}");

    // A record that was an orphan gets a link, so its warning goes: a build says so.
    let (how, _) =
        s.edit("content/happenings.yaml", "date: \"1999-12-30\"\n", "date: \"1999-12-30\"\n  roads: [coastal-road]\n");
    assert_eq!(how, How::Partial);
    // And from there on, edits are patched again.
    assert_eq!(s.edit(towns, "A busy border city", "A border city").0, How::Patched);
}

#[test]
fn an_edit_that_breaks_the_atlas_keeps_the_last_good_site_until_fixed() {
    let mut s = Session::start(common::fixture_copy("small"));
    let before = s.site.clone();
    let towns = "content/towns/mong-cai.md";

    // A link to a section that exists.
    s.edit("content/towns/dongxing.md", "across the river.", "across the river.\n\n## Market\n\nA market.");
    assert_eq!(s.edit(towns, "(@/towns/dongxing)", "(@/towns/dongxing#market)").0, How::Patched);

    // The heading goes: the link breaks, and the error names the file, line and column.
    let path = s.save("content/towns/dongxing.md", "## Market", "## Bazaar");
    let err = s.live.edit(Touched::Content, Some(&[path]), &mut Timings::default()).err().expect("a broken link fails");
    let d = err.sorted().into_iter().find(|d| d.message.contains("#market")).unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!((d.file.as_str(), d.line), (towns, 9), "{d:?}");

    // A dangling reference, while the link is still broken: both are reported.
    let path = s.save("content/roads.yaml", "towns: [mong-cai]\n", "towns: [mong-kai]\n");
    let err = s.live.edit(Touched::Content, Some(&[path]), &mut Timings::default()).err().expect("still broken");
    assert!(err.sorted().iter().any(|d| d.message.contains("mong-kai")), "{err:?}");
    assert!(err.sorted().iter().any(|d| d.message.contains("#market")), "{err:?}");

    // Fixed: the site is current again, and the next edit is patched.
    s.save("content/roads.yaml", "towns: [mong-kai]\n", "towns: [mong-cai]\n");
    s.edit("content/towns/dongxing.md", "## Bazaar", "## Market");
    assert_eq!(s.edit(towns, "A border city", "A busy border city").0, How::Patched);
    assert_ne!(s.site, before);
}

#[test]
fn an_edit_that_breaks_a_patched_render_renders_everything_next() {
    let mut s = Session::start(common::fixture_copy("small"));
    // A template that fails on one town's province: the patch holds, its pages do not.
    s.template(
        "towns/record.html",
        "{% extends \"builtin/record.html\" %}{% block main %}{% if record.data.province and record.data.province.text == \"Nowhere\" %}{{ missing.value }}{% endif %}{{ super() }}{% endblock %}",
    );
    let path = s.save("content/towns/mong-cai.md", "province: Quảng Ninh", "province: Nowhere");
    assert!(s.live.edit(Touched::Content, Some(&[path]), &mut Timings::default()).is_err());
    let (how, _) = s.edit("content/towns/mong-cai.md", "province: Nowhere", "province: Quảng Ninh");
    assert_eq!(how, How::Full);
}

#[test]
fn translations_and_pages_follow_edits() {
    let mut s = Session::start(common::fixture_overlay("small", "multilingual"));
    let (how, pages) = s.edit("content/towns/mong-cai.vi.md", "Một thành phố biên giới", "Một thành phố cửa khẩu");
    assert_eq!(how, How::Patched);
    assert!(pages.contains("vi/towns/mong-cai/index.html"), "{pages:?}");
    let (how, pages) = s.edit("content/towns/dongxing.md", "name: Dongxing", "name: Dongxing City");
    assert_eq!(how, How::Patched);
    for page in ["towns/dongxing/index.html", "vi/towns/mong-cai/index.html", "zh/towns/dongxing/index.html"] {
        assert!(pages.contains(page), "{page} not rendered again: {pages:?}");
    }
    // A page is not a record: the model is built again, and the pages it touched rendered.
    assert_eq!(s.edit("content/about.md", "A fixture for", "A small fixture for").0, How::Partial);
}

/// An atlas of four gates tagged with lists, written into a temporary folder.
fn tagged() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/gates")).unwrap();
    std::fs::write(
        root.join("atlas.yaml"),
        "title: Tags\ndescription: Gates by tag.\nbase_url: https://example.org/\nsearch: false\n\
         collections:\n  gates:\n    title: Gates\n    singular: Gate\n    title_field: name\n    sort: [name]\n    facets: [tags, status]\n\
         \x20   fields:\n      name: {type: string, required: true}\n      status: {type: enum, values: [open, closed]}\n\
         \x20     tags: {type: list, item: {type: string}}\n      next: {type: ref, collection: gates}\n",
    )
    .unwrap();
    for (id, name, tags, next) in [
        ("a", "Alpha", "[rice, coal]", "b"),
        ("b", "Bravo", "[coal]", "c"),
        ("c", "Charlie", "[Rice, timber]", "d"),
        ("d", "Delta", "[timber]", "a"),
    ] {
        std::fs::write(
            root.join(format!("content/gates/{id}.md")),
            format!("---\nname: {name}\nstatus: open\ntags: {tags}\nnext: {next}\n---\nThe gate {name}.\n"),
        )
        .unwrap();
    }
    dir
}

#[test]
fn facets_follow_edits_of_their_records() {
    let mut s = Session::start(tagged());
    // A value gains a member, another loses its only one.
    let (how, pages) = s.edit("content/gates/d.md", "tags: [timber]", "tags: [coal]");
    assert_eq!(how, How::Patched);
    for page in ["gates/by-tags/coal/index.html", "gates/by-tags/timber/index.html", "gates/by-tags/index.html"] {
        assert!(pages.contains(page), "{page} not rendered again: {pages:?}");
    }
    // A new value, and one whose key ties with another's ("Rice", "rice"): the first record
    // to show a value gives its text and its place among ties.
    assert_eq!(s.edit("content/gates/b.md", "tags: [coal]", "tags: [rice, salt, coal]").0, How::Patched);
    assert_eq!(s.edit("content/gates/a.md", "tags: [rice, coal]", "tags: [coal]").0, How::Patched);
    assert_eq!(s.edit("content/gates/c.md", "tags: [Rice, timber]", "tags: [timber, Rice]").0, How::Patched);
    // An enum facet, and a record that moves in the order (its facets' members move too).
    assert_eq!(s.edit("content/gates/c.md", "status: open", "status: closed").0, How::Patched);
    assert_eq!(s.edit("content/gates/a.md", "name: Alpha", "name: Zulu").0, How::Patched);
    assert_eq!(s.edit("content/gates/c.md", "tags: [timber, Rice]", "tags: []").0, How::Patched);
}

#[test]
fn a_render_that_fails_after_a_build_renders_everything_next() {
    let mut s = Session::start(common::fixture_copy("small"));
    // A template that fails on one page's description: a plain page's edit builds the model
    // again, and its pages fail to render. (A page's title is in every page's navigation: a
    // new one renders everything, which leaves nothing half done.)
    s.template(
        "pages/about.html",
        "{% extends \"builtin/page.html\" %}{% block main %}{% if page.description == \"Broken\" %}{{ missing.value }}{% endif %}{{ super() }}{% endblock %}",
    );
    let path = s.save("content/about.md", "description: What this fixture is.", "description: Broken");
    let err = s.live.edit(Touched::Content, Some(&[path]), &mut Timings::default()).err().expect("the page fails");
    assert!(err.has_errors(), "the failure is reported: {err:?}");
    // A record's save meanwhile, which a patch could take, renders everything: the page is
    // still broken, and says so.
    let path = s.save("content/towns/mong-cai.md", "A border city", "A busy border city");
    let err = s.live.edit(Touched::Content, Some(&[path]), &mut Timings::default()).err().expect("still broken");
    assert!(err.sorted().iter().any(|d| d.file == "templates/pages/about.html"), "{err:?}");
    // The fix renders everything, and the site is current again; the next record's save is
    // patched.
    assert_eq!(s.edit("content/about.md", "description: Broken", "description: What this fixture is.").0, How::Full);
    assert_eq!(s.edit("content/towns/mong-cai.md", "A busy border city", "A border city").0, How::Patched);
}

#[test]
fn a_clean_save_after_a_broken_one_still_reports_the_broken_file() {
    let mut s = Session::start(common::fixture_copy("small"));
    // A record file that no longer parses: the edit fails.
    let broken = s.save("content/towns/dongxing.md", "kind: city", "kind: [city");
    assert!(s.live.edit(Touched::Content, Some(&[broken]), &mut Timings::default()).is_err());
    // Another record's save, which a patch could take: the atlas is still broken, as a build says.
    let path = s.save("content/towns/mong-cai.md", "A border city", "A busy border city");
    let err = s.live.edit(Touched::Content, Some(&[path]), &mut Timings::default()).err().expect("still broken");
    assert!(err.sorted().iter().any(|d| d.file == "content/towns/dongxing.md"), "{err:?}");
    // The fix: the site is current again.
    s.edit("content/towns/dongxing.md", "kind: [city", "kind: city");
}

/// An atlas in two languages with a timeline: gates, events that name gates (each entry of a
/// gate's timeline lists every gate its event names), and notes on the sources that records
/// point at (as the shipped atlas's discrepancies).
fn dated() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/gates")).unwrap();
    std::fs::write(
        root.join("atlas.yaml"),
        "title: Dated\ndescription: Gates and events.\nbase_url: https://example.org/\nsearch: false\n\
         language: en\nlanguages:\n  - {code: en, name: English}\n  - {code: vi, name: Tiếng Việt}\n\
         home:\n  latest: {collection: events, field: date, count: 3}\n\
         collections:\n\
         \x20 gates:\n    title: Gates\n    singular: Gate\n    title_field: name\n    columns: [status]\n    sort: [name]\n    facets: [status]\n\
         \x20   fields:\n      name: {type: string, required: true, translatable: true}\n      status: {type: enum, values: [open, closed]}\n\
         \x20     notes: {type: list, item: {type: ref, collection: notes}, inverse: Records affected}\n\
         \x20 events:\n    title: Timeline\n    singular: Event\n    title_field: title\n    sort: [date]\n\
         \x20   timeline: {date: date, filter: kind, eras: [{title: Early, start: 1900}, {title: Late, start: 2000}]}\n\
         \x20   fields:\n      title: {type: string, required: true, translatable: true}\n      date: {type: daterange, required: true}\n\
         \x20     kind: {type: enum, values: [treaty, opening]}\n      summary: {type: text, translatable: true}\n\
         \x20     gates: {type: list, item: {type: ref, collection: gates}, inverse: Events}\n\
         \x20 notes:\n    title: Notes\n    singular: Note\n    title_field: title\n    sort: [title]\n\
         \x20   fields:\n      title: {type: string, required: true, translatable: true}\n",
    )
    .unwrap();
    for (id, name, status) in [("alpha", "Alpha", "open"), ("bravo", "Bravo", "open"), ("charlie", "Charlie", "closed")]
    {
        std::fs::write(
            root.join(format!("content/gates/{id}.md")),
            format!("---\nname: {name}\nstatus: {status}\nnotes: [n-one]\n---\nThe gate {name}.\n"),
        )
        .unwrap();
    }
    std::fs::write(
        root.join("content/events.yaml"),
        "- id: e-one\n  title: Alpha and Bravo open\n  date: \"1950\"\n  kind: opening\n  summary: Two gates *open*.\n  gates: [alpha, bravo]\n\
         - id: e-two\n  title: Bravo and Charlie agree\n  date: \"2001-05\"\n  kind: treaty\n  gates: [bravo, charlie]\n\
         - id: e-three\n  title: Charlie closes\n  date: \"2010\"\n  kind: treaty\n  gates: [charlie]\n",
    )
    .unwrap();
    std::fs::write(root.join("content/notes.yaml"), "- id: n-one\n  title: The sources disagree\n").unwrap();
    std::fs::write(root.join("content/about.md"), "---\ntitle: About\n---\nAn atlas of [Alpha](@/gates/alpha).\n")
        .unwrap();
    dir
}

/// A gate's page lists the events that name it, and each event with every gate it names: a
/// gate retitled changes the pages of the gates it shares an event with, through that event.
#[test]
fn titles_shown_through_another_record_follow_edits() {
    let mut s = Session::start(dated());
    let (_, pages) = s.edit("content/gates/bravo.md", "name: Bravo", "name: Bravo Bridge");
    for page in
        ["gates/alpha/index.html", "gates/charlie/index.html", "vi/gates/alpha/index.html", "events/e-one/index.html"]
    {
        assert!(pages.contains(page), "{page} not rendered again: {pages:?}");
    }
    // A rename that moves the gate in its collection's order, and back.
    s.edit("content/gates/bravo.md", "name: Bravo Bridge", "name: Zulu");
    s.edit("content/gates/bravo.md", "name: Zulu", "name: Bravo");
    // An event that stops naming a gate, and one that starts.
    s.edit("content/events.yaml", "gates: [alpha, bravo]", "gates: [alpha]");
    s.edit("content/events.yaml", "gates: [charlie]\n", "gates: [charlie, alpha]\n");
    // A note retitled: the pages of the records it affects say so.
    s.edit("content/notes.yaml", "The sources disagree", "The sources contradict each other");
}

/// Translations that come and go: the translated record's pages, the index and facet pages
/// that list it, the pages that name it (its note, its events, and through them other gates),
/// in that language; a page translated and not any more.
#[test]
fn translations_added_and_removed_follow() {
    let mut s = Session::start(dated());
    s.put("content/gates/alpha.vi.md", Some("---\nname: Cửa khẩu Alpha\n---\nCửa khẩu Alpha.\n"));
    for page in ["vi/gates/index.html", "vi/notes/n-one/index.html", "vi/gates/bravo/index.html"] {
        let text = String::from_utf8_lossy(&s.site[page]).to_string();
        assert!(text.contains("Cửa khẩu Alpha"), "{page} does not show the translation");
    }
    s.edit("content/gates/alpha.vi.md", "Cửa khẩu Alpha", "Cửa khẩu A");
    s.put("content/gates/alpha.vi.md", None);
    s.put("content/about.vi.md", Some("---\ntitle: Giới thiệu\n---\nVề [Alpha](@/gates/alpha).\n"));
    s.put("content/about.vi.md", None);
    // A page retitled: the navigation of every page names it.
    assert_eq!(s.edit("content/about.md", "title: About", "title: About the atlas").0, How::Full);
    // A record added and removed, in a list and as a file of its own.
    s.edit("content/notes.yaml", "- id: n-one\n", "- id: n-two\n  title: Another note\n- id: n-one\n");
    s.put("content/gates/delta.md", Some("---\nname: Delta\nstatus: closed\nnotes: [n-two]\n---\nNew.\n"));
    s.put("content/gates/delta.md", None);
}

/// Saves that keep a file's size, one right after another (within one tick of the file
/// system's clock), are each taken.
#[test]
fn quick_saves_of_the_same_size_are_each_taken() {
    let mut s = Session::start(dated());
    for _ in 0..3 {
        s.edit("content/gates/charlie.md", "name: Charlie", "name: Charlix");
        s.edit("content/gates/charlie.md", "name: Charlix", "name: Charlie");
        s.edit("content/gates/charlie.md", "status: closed", "status: open  ");
        s.edit("content/gates/charlie.md", "status: open  ", "status: closed");
    }
}

/// The configuration saved by renaming a new file over it, twice in a row.
#[test]
fn the_configuration_saved_by_rename_twice() {
    let mut s = Session::start(dated());
    s.rename_config("title: Dated", "title: Dates");
    s.rename_config("title: Dates", "title: Dated");
    s.rename_config("values: [open, closed]", "values: [open, closed, planned]");
}

#[test]
fn edit_links_follow_records_that_move_down_their_list() {
    // With a repository, a record of a YAML list links to its line: when an earlier record
    // takes more lines (and reads the same), the pages of those after it change, and only those.
    let dir = common::fixture_copy("small");
    let config = dir.path().join("atlas.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replacen("citations: refs\n", "citations: refs\nrepository: {url: https://github.com/o/r}\n", 1),
    )
    .unwrap();
    let mut s = Session::start(dir);
    let talks = String::from_utf8(s.site["happenings/talks/index.html"].clone()).unwrap();
    assert!(talks.contains("https://github.com/o/r/edit/main/content/happenings.yaml#L4"), "{talks}");
    let (how, pages) =
        s.edit("content/happenings.yaml", "  title: Treaty signed\n", "  title: >-\n    Treaty\n    signed\n");
    assert_eq!(how, How::Patched);
    for page in ["happenings/talks/index.html", "happenings/opening/index.html"] {
        assert!(pages.contains(page), "{page} not rendered again: {pages:?}");
    }
    let talks = String::from_utf8(s.site["happenings/talks/index.html"].clone()).unwrap();
    assert!(talks.contains("content/happenings.yaml#L6"), "{talks}");
    assert!(!pages.contains("happenings/treaty/index.html"), "the record that grew reads the same: {pages:?}");
}

/// Edits a property test makes, each a pair of texts a file holds one of: applying one swaps
/// them. Together they change narrative, titles (and so the order of a list), facet values,
/// citation labels, references both ways and dates.
const TOGGLES: &[(&str, &str, &str)] = &[
    ("content/towns/mong-cai.md", "A border city", "A busy border city"),
    ("content/towns/mong-cai.md", "name: Móng Cái", "name: Zz Móng Cái"),
    ("content/towns/mong-cai.md", "kind: city", "kind: town"),
    ("content/towns/dongxing.md", "kind: city", "kind: town"),
    ("content/refs.yaml", "year: 2024", "year: 2025"),
    ("content/roads.yaml", "  towns: [mong-cai]\n", "  towns: [dongxing]\n"),
    ("content/roads.yaml", "status: planned", "status: open"),
    ("content/happenings.yaml", "  roads: [coastal-road]\n- id: opening", "  roads: [new-bridge]\n- id: opening"),
    ("content/happenings.yaml", "date: \"2001\"", "date: \"1960\""),
];

/// The small fixture with a road page template that reads a town through `get_record`, so
/// that what a page read decides whether an edit renders it again.
fn reading() -> tempfile::TempDir {
    let dir = common::fixture_copy("small");
    let templates = dir.path().join("templates/roads");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("record.html"),
        "{% extends \"builtin/record.html\" %}{% block edit %}{% set t = get_record(\"towns\", \"dongxing\") %}<p class=\"read\">{{ t.title }}: {{ t.data.kind.value }}</p>{% endblock %}",
    )
    .unwrap();
    dir
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 12, ..Default::default() })]

    /// Any series of edits, each on top of the last, leaves the site in memory the site a build
    /// of the same files renders (checked after every edit).
    #[test]
    fn any_series_of_edits_matches_a_build(series in proptest::collection::vec(0..TOGGLES.len(), 1..6)) {
        let mut s = Session::start(reading());
        for i in series {
            let (file, a, b) = TOGGLES[i];
            let text = std::fs::read_to_string(s.root().join(file)).unwrap();
            let (from, to) = if text.contains(a) { (a, b) } else { (b, a) };
            s.edit(file, from, to);
        }
    }
}

/// A page that reads a record through `get_record` is rendered again when that record changes
/// (a town's page, which neither links to the reference its template reads nor is linked from
/// it, and, without a base map, shares no map with it), and only then.
#[test]
fn pages_that_read_a_record_follow_it() {
    let dir = common::fixture_copy("small");
    let config = dir.path().join("atlas.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replacen("map:\n  basemap: data/basemap.geojson\n", "", 1)).unwrap();
    std::fs::create_dir_all(dir.path().join("templates/towns")).unwrap();
    std::fs::write(
        dir.path().join("templates/towns/record.html"),
        "{% extends \"builtin/record.html\" %}{% block edit %}<p class=\"read\">{{ get_record(\"refs\", \"le-2020\").title }}</p>{% endblock %}",
    )
    .unwrap();
    let mut s = Session::start(dir);
    let page = "towns/mong-cai/index.html";
    let (_, pages) = s.edit("content/refs.yaml", "title: Border trade", "title: Trade across the border");
    assert!(pages.contains(page), "{pages:?}");
    assert!(String::from_utf8_lossy(&s.site[page]).contains("<p class=\"read\">Trade across the border</p>"));
    let (_, pages) = s.edit("content/refs.yaml", "year: 2020", "year: 2021");
    assert!(pages.contains(page), "{pages:?}");
    let (_, pages) = s.edit("content/happenings.yaml", "title: Treaty signed", "title: Treaty");
    assert!(!pages.is_empty() && !pages.contains(page), "{pages:?}");
}
