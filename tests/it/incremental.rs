//! `serve` renders again only what an edit touched. These tests hold the partial render to
//! the full one: every page whose bytes a full render changes must be in the partial render,
//! with the same bytes, and pages nothing touched must be left alone.

use crate::common;

use atlasgen::render::{self, OutputFile};
use atlasgen::timings::Timings;
use std::collections::HashMap;
use std::path::Path;

fn full(root: &Path) -> (Vec<render::Edition>, HashMap<String, Vec<u8>>, render::RenderState) {
    full_cached(root, &mut atlasgen::LoadCache::default())
}

/// [`full`], loading through `cache` as `serve` does.
fn full_cached(
    root: &Path,
    cache: &mut atlasgen::LoadCache,
) -> (Vec<render::Edition>, HashMap<String, Vec<u8>>, render::RenderState) {
    let (editions, mut diags) = atlasgen::load(root, None, &mut Timings::default(), cache).expect("the fixture loads");
    let files = atlasgen::output::Collect::default();
    let state = render::render(&editions, root, &mut diags, &mut Timings::default(), &files);
    assert!(!diags.has_errors());
    (editions, files.into_files().into_iter().map(|f| (f.path, f.bytes)).collect(), state)
}

/// Files a partial render leaves for `refresh_shared`: search, open data and the sitemap.
fn shared(path: &str) -> bool {
    path.starts_with("pagefind/")
        || path.starts_with("data/")
        || path.ends_with("data/index.html")
        || path == "datapackage.json"
        || path == "sitemap.xml"
}

/// Edits a file, renders partially and checks the result against a full render. Returns the
/// paths rendered again. Loads go through one cache, as in `serve`: what it reuses (files,
/// narrative) must give the pages a build from scratch gives.
fn edit_and_compare(root: &Path, file: &str, from: &str, to: &str) -> Vec<String> {
    let mut cache = atlasgen::LoadCache::keeping();
    let (old, before, mut state) = full_cached(root, &mut cache);
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();

    let (new, mut diags) = atlasgen::load(root, None, &mut Timings::default(), &mut cache).unwrap();
    let changes = render::changes_between(&new, &old).expect("the models compare");
    let partial: Vec<OutputFile> =
        render::update(&new, &changes, &mut state, root, &mut diags, &mut Timings::default())
            .expect("an edit is partial")
            .files;
    let (_, after, _) = full(root);
    let redone: HashMap<&str, &Vec<u8>> = partial.iter().map(|f| (f.path.as_str(), &f.bytes)).collect();
    for (p, bytes) in &redone {
        assert_eq!(Some(*bytes), after.get(*p), "{p} differs from a full render");
    }
    for (p, bytes) in &after {
        if !shared(p) && before.get(p) != Some(bytes) {
            assert!(redone.contains_key(p.as_str()), "{p} changed but was not rendered again");
        }
    }
    // The rest of the site follows with `refresh_shared`.
    let rest = render::refresh_shared(&new, &mut state, root, &mut diags);
    for f in &rest {
        if f.path != "sitemap.xml" && !f.path.starts_with("pagefind/") {
            assert_eq!(Some(&f.bytes), after.get(&f.path), "{} differs after refresh_shared", f.path);
        }
    }
    let pages = after.keys().filter(|p| p.ends_with(".html")).count();
    let mut paths: Vec<String> = redone.keys().map(|p| p.to_string()).collect();
    paths.sort();
    assert!(paths.len() < pages, "a partial render should not redo all {pages} pages: {paths:?}");
    paths
}

#[test]
fn a_narrative_edit_renders_the_record_and_its_lists() {
    let dir = common::fixture_copy("small");
    let paths = edit_and_compare(dir.path(), "content/towns/mong-cai.md", "A border city", "A busy border city");
    assert!(paths.contains(&"towns/mong-cai/index.html".to_string()), "{paths:?}");
    assert!(!paths.contains(&"refs/le-2020/index.html".to_string()), "an untouched source page was redone: {paths:?}");
}

#[test]
fn a_renamed_record_renders_the_pages_that_name_it() {
    let dir = common::fixture_copy("small");
    let paths = edit_and_compare(dir.path(), "content/towns/mong-cai.md", "name: Móng Cái", "name: Móng Cái City");
    for page in ["towns/mong-cai/index.html", "roads/coastal-road/index.html", "roads/index.html", "index.html"] {
        assert!(paths.contains(&page.to_string()), "{page} not rendered again: {paths:?}");
    }
}

#[test]
fn a_changed_source_renders_the_narrative_that_cites_it() {
    let dir = common::fixture_copy("small");
    // Móng Cái's narrative cites chu-2024 as "Chu & Duong 2024".
    let paths = edit_and_compare(dir.path(), "content/refs.yaml", "year: 2024", "year: 2025");
    assert!(paths.contains(&"towns/mong-cai/index.html".to_string()), "{paths:?}");
}

#[test]
fn a_facet_change_renders_both_facet_pages() {
    let dir = common::fixture_copy("small");
    let paths = edit_and_compare(dir.path(), "content/towns/mong-cai.md", "kind: city", "kind: town");
    for page in ["towns/by-kind/city/index.html", "towns/by-kind/town/index.html"] {
        assert!(paths.contains(&page.to_string()), "{page} not rendered again: {paths:?}");
    }
}

#[test]
fn adding_a_record_asks_for_a_full_render() {
    let dir = common::fixture_copy("small");
    let root = dir.path();
    let (old, _, mut state) = full(root);
    let text = std::fs::read_to_string(root.join("content/towns/dongxing.md")).unwrap();
    std::fs::write(root.join("content/towns/new-town.md"), text).unwrap();
    let (new, mut diags) = atlasgen::load(root, None, &mut Timings::default(), &mut Default::default()).unwrap();
    let partial = render::changes_between(&new, &old)
        .and_then(|c| render::update(&new, &c, &mut state, root, &mut diags, &mut Timings::default()));
    assert!(partial.is_none());
}

/// The titles of Móng Cái and Dongxing (and Hạ Long, if any) after a cached load.
fn towns(root: &Path, cache: &mut atlasgen::LoadCache) -> Vec<String> {
    let (editions, _) = atlasgen::load(root, None, &mut Timings::default(), cache).expect("the fixture loads");
    let atlas = &editions[0].atlas;
    ["mong-cai", "dongxing", "ha-long"]
        .iter()
        .filter_map(|id| atlas.get("towns", id))
        .map(|r| r.title.clone())
        .collect()
}

#[test]
fn a_watched_edit_reads_only_the_files_it_names() {
    let dir = common::fixture_copy("small");
    let root = dir.path();
    let mut cache = atlasgen::LoadCache::keeping();
    assert_eq!(towns(root, &mut cache), ["Móng Cái", "Dongxing"]);
    let rename = |file: &str, from: &str, to: &str| {
        let path = root.join("content/towns").join(file);
        std::fs::write(&path, std::fs::read_to_string(&path).unwrap().replacen(from, to, 1)).unwrap();
        path
    };
    // Told of one file, the cache reads that file and looks at no other.
    let mong_cai = rename("mong-cai.md", "name: Móng Cái", "name: Móng Cái City");
    rename("dongxing.md", "name: Dongxing", "name: Dongxing Town");
    cache.changed(Some(&[mong_cai]));
    assert_eq!(towns(root, &mut cache), ["Móng Cái City", "Dongxing"]);
    // Untold, it compares every file's size and time.
    assert_eq!(towns(root, &mut cache), ["Móng Cái City", "Dongxing Town"]);
    // A new file, even when named, brings back the walk of content/.
    let new = root.join("content/towns/ha-long.md");
    std::fs::write(&new, "---\nname: Hạ Long\nkind: city\nsources: [chu-2024]\n---\nA bay.\n").unwrap();
    cache.changed(Some(&[new]));
    assert_eq!(towns(root, &mut cache), ["Móng Cái City", "Dongxing Town", "Hạ Long"]);
}
