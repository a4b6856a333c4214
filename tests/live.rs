//! `serve`'s session ([`atlasgen::live::Live`]) brings the site in memory up to date after each
//! edit with as little work as it can: most saves are patched into the model in place, and only
//! the pages they touched are rendered again. These tests hold it to a build from scratch: after
//! every edit of a series, each made on top of the last, the site in memory must be, file for
//! file, the site a build of the same files renders.

mod common;

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
    // A template that fails on one page's title: a plain page's edit builds the model again,
    // and its pages fail to render.
    s.template(
        "pages/about.html",
        "{% extends \"builtin/page.html\" %}{% block main %}{% if page.title == \"Broken\" %}{{ missing.value }}{% endif %}{{ super() }}{% endblock %}",
    );
    let path = s.save("content/about.md", "title: About", "title: Broken");
    let err = s.live.edit(Touched::Content, Some(&[path]), &mut Timings::default()).err().expect("the page fails");
    assert!(err.has_errors(), "the failure is reported: {err:?}");
    // A record's save meanwhile, which a patch could take, renders everything: the page is
    // still broken, and says so.
    let path = s.save("content/towns/mong-cai.md", "A border city", "A busy border city");
    let err = s.live.edit(Touched::Content, Some(&[path]), &mut Timings::default()).err().expect("still broken");
    assert!(err.sorted().iter().any(|d| d.file == "templates/pages/about.html"), "{err:?}");
    // The fix renders everything, and the site is current again; the next record's save is
    // patched.
    assert_eq!(s.edit("content/about.md", "title: Broken", "title: About").0, How::Full);
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
