//! Builds the fixture atlas under `tests/fixtures/small` and checks the pages it writes:
//! snapshots of the `<main>` of key pages, plus direct assertions on links, backlinks,
//! citations, escaping and the sub-path. `INSTA_UPDATE=always cargo test` rewrites snapshots.

use crate::common;

use atlasgen::diag::Severity;
use atlasgen::{BuildOptions, build};
use common::{copy_dir, fixture, fixture_copy};
use std::path::{Path, PathBuf};

/// Builds a copy of a fixture into a temporary folder; returns the folder (kept alive) and site.
fn build_fixture(name: &str, base_url: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path(), &[]);
    let opts = BuildOptions {
        root: dir.path().to_path_buf(),
        output: "site".into(),
        base_url: base_url.map(str::to_string),
        force: false,
    };
    if let Err(d) = build(&opts) {
        panic!("fixture {name} failed to build: {:#?}", d.into_vec());
    }
    let site = dir.path().join("site");
    (dir, site)
}

fn read(site: &Path, page: &str) -> String {
    std::fs::read_to_string(site.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// The `<main>` element of a page: what the snapshot is about (not the shared chrome).
fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page closes </main>") + "</main>".len();
    html[start..end].to_string()
}

#[test]
fn key_pages_match_snapshots() {
    let (_dir, site) = build_fixture("small", None);
    for (name, page) in [
        ("home", "index.html"),
        ("towns_index", "towns/index.html"),
        ("town_record", "towns/mong-cai/index.html"),
        ("road_record", "roads/coastal-road/index.html"),
        ("facet_value", "roads/by-status/open/index.html"),
        ("bibliography", "refs/index.html"),
        ("source_record", "refs/chu-2024/index.html"),
        ("about_page", "about/index.html"),
    ] {
        insta::assert_snapshot!(name, main_of(&read(&site, page)));
    }
}

#[test]
fn every_internal_url_carries_the_sub_path() {
    let (_dir, site) = build_fixture("small", None);
    for entry in walkdir::WalkDir::new(&site) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let url = &part[..part.find('"').unwrap()];
                if url.starts_with('/') {
                    assert!(url.starts_with("/small/"), "{}: {url} misses the sub-path", entry.path().display());
                }
            }
        }
    }
}

#[test]
fn backlinks_citations_and_facets() {
    let (_dir, site) = build_fixture("small", None);
    let town = read(&site, "towns/mong-cai/index.html");
    assert!(town.contains("<h3>Roads through this town <span class=\"count\">"), "gate lists the roads through it");
    assert!(town.contains("href=\"/small/roads/new-bridge/\""));
    let road = read(&site, "roads/coastal-road/index.html");
    // Happenings that name the road are on its timeline in date order: 1977 talks before the
    // 2001 opening.
    let (talks, opening) =
        (road.find("/small/happenings/talks/").unwrap(), road.find("/small/happenings/opening/").unwrap());
    assert!(talks < opening, "backlinks follow the linking collection's order");
    let source = read(&site, "refs/chu-2024/index.html");
    assert!(source.contains("<h3>Cited by <span class=\"count\">"));
    for cited_by in ["/small/towns/mong-cai/", "/small/towns/dongxing/", "/small/roads/coastal-road/"] {
        assert!(source.contains(cited_by), "source lists {cited_by} among what cites it");
    }
    assert!(town.contains("Chu &amp; Duong 2024</a>, §4)</cite>"), "citation label with locator");
    let facet = read(&site, "roads/by-status/planned/index.html");
    assert!(facet.contains("New bridge") && !facet.contains("Coastal road"));
    assert!(read(&site, "towns/index.html").contains("<td lang=\"zh-Hans\">东兴</td>"));
}

#[test]
fn narrative_html_is_escaped_and_period_dates_read_well() {
    let (_dir, site) = build_fixture("small", None);
    let town = read(&site, "towns/mong-cai/index.html");
    assert!(town.contains("Raw &lt;b&gt;HTML&lt;/b&gt; is shown as text."));
    assert!(town.contains("<time datetime=\"2008-09\">September 2008</time>"));
    let happenings = read(&site, "happenings/index.html");
    assert!(happenings.contains("October 1977 – June 1978"));
    // The default sort is by date: talks (1977), treaty (1999), opening (2001).
    let order: Vec<usize> = ["talks/", "treaty/", "opening/"]
        .iter()
        .map(|s| happenings.find(&format!("/small/happenings/{s}")).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "happenings sorted by date");
}

#[test]
fn site_files_for_static_hosting() {
    let (_dir, site) = build_fixture("small", Some("https://user.github.io/atlas"));
    assert!(site.join(".nojekyll").is_file());
    assert!(read(&site, "404.html").contains("Page not found"));
    let sitemap = read(&site, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://user.github.io/atlas/towns/mong-cai/</loc>"));
    assert!(!sitemap.contains("404.html"));
    assert!(read(&site, "robots.txt").contains("Sitemap: https://user.github.io/atlas/sitemap.xml"));
    assert!(read(&site, "index.html").contains("href=\"/atlas/assets/atlasgen.css\""));
}

/// The sitemap is made from the model, apart from the pages a build writes: the two must list
/// the same pages, every page but the 404 page.
#[test]
fn the_sitemap_lists_every_page_a_build_writes() {
    let (_dir, site) = build_fixture("small", Some("https://user.github.io/atlas"));
    let sitemap = read(&site, "sitemap.xml");
    let mut listed: Vec<String> = sitemap
        .split("<loc>https://user.github.io/atlas/")
        .skip(1)
        .map(|rest| format!("{}index.html", &rest[..rest.find("</loc>").unwrap()]))
        .collect();
    let mut pages: Vec<String> = walkdir::WalkDir::new(&site)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| e.path().strip_prefix(&site).unwrap().to_string_lossy().replace('\\', "/"))
        .filter(|p| !p.starts_with("pagefind/"))
        .collect();
    listed.sort();
    pages.sort();
    assert!(pages.len() > 20, "{pages:?}");
    assert_eq!(listed, pages);
}

#[test]
fn a_failed_build_leaves_the_previous_site() {
    let (dir, site) = build_fixture("small", None);
    let before = read(&site, "towns/mong-cai/index.html");
    std::fs::write(dir.path().join("content/towns/broken.md"), "---\nname: Broken\nkind: village\n---\n").unwrap();
    let opts = BuildOptions { root: dir.path().to_path_buf(), output: "site".into(), base_url: None, force: false };
    let errors = build(&opts).unwrap_err().into_vec();
    assert!(
        errors.iter().any(|d| d.file == "content/towns/broken.md"
            && d.line == 3
            && d.message.contains("`village` is not an allowed value")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|d| d.message.contains("missing required field `sources`")),
        "all problems in one run: {errors:#?}"
    );
    assert_eq!(read(&site, "towns/mong-cai/index.html"), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("building"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder left behind: {leftovers:?}");
}

#[test]
fn refuses_to_write_over_the_atlas() {
    let dir = fixture_copy("small");
    for out in [".", "content", "templates", "..", "content/towns"] {
        let opts = BuildOptions { root: dir.path().to_path_buf(), output: out.into(), base_url: None, force: false };
        let e = build(&opts).unwrap_err().into_vec();
        assert!(e[0].message.starts_with("refusing to write the site into"), "{out}: {e:?}");
    }
    assert!(dir.path().join("content/towns/mong-cai.md").is_file());
}

#[test]
fn template_typo_names_template_and_line() {
    let dir = fixture_copy("small");
    std::fs::write(
        dir.path().join("templates/page.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.titel }}</h1>\n{% endblock %}\n",
    )
    .unwrap();
    let opts = BuildOptions { root: dir.path().to_path_buf(), output: "site".into(), base_url: None, force: false };
    let e: Vec<_> =
        build(&opts).unwrap_err().into_vec().into_iter().filter(|d| d.severity == Severity::Error).collect();
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!((e[0].file.as_str(), e[0].line), ("templates/page.html", 3));
    assert!(e[0].message.contains("undefined"), "{}", e[0].message);
    assert!(!dir.path().join("site").exists(), "nothing written");
}

#[test]
fn isolated_records_are_reported_as_warnings() {
    let dir = fixture_copy("small");
    let opts = BuildOptions { root: dir.path().to_path_buf(), output: "site".into(), base_url: None, force: false };
    let report = build(&opts).expect("warnings do not stop a build");
    let warnings = report.diagnostics.into_vec();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!((warnings[0].file.as_str(), warnings[0].line), ("content/happenings.yaml", 1));
    assert!(warnings[0].message.contains("`treaty` in `happenings` is an orphan"));
}

#[test]
fn maps_come_from_the_schema() {
    // Towns are mapped from their geo field alone; roads name their route (`map: {route: towns}`).
    let (_dir, site) = build_fixture("small", None);
    let home = read(&site, "index.html");
    assert!(home.contains("<svg class=\"map\""), "the home page has an overview map");
    assert!(home.contains("<title id=\"map-overview-title\">Map of the Small Atlas</title>"));
    assert!(
        home.contains("<a href=\"/small/towns/mong-cai/\" class=\"marker-link l-towns\" aria-label=\"Móng Cái\""),
        "each town is a named link, with classes naming its layer"
    );
    assert!(
        home.contains(
            "<a href=\"/small/roads/coastal-road/\" class=\"route-link l-roads\" aria-label=\"Coastal road ("
        ),
        "a road is drawn through its towns"
    );
    assert!(home.contains("<path class=\"border\""), "the base map's border is drawn");
    assert!(home.contains("Base map: Test shapes drawn for the fixture."), "with its attribution");
    assert!(home.contains("src=\"/small/assets/panzoom.min.js\""), "maps zoom with the site's own Panzoom");
    let road = read(&site, "roads/coastal-road/index.html");
    assert!(road.contains("class=\"route-link l-roads focus\""), "a road's page centres on its own route");
    // A road through a single town has no line to draw: it is drawn, hollow, at that town.
    let bridge = read(&site, "roads/new-bridge/index.html");
    assert!(!bridge.contains("class=\"route-link l-roads focus\""), "one town is not a route");
    assert!(bridge.contains("class=\"marker-link l-roads approx focus\""), "a one-town road is an approximate marker");
    assert!(bridge.contains("position approximate: placed at"), "which says where it is placed");
}

#[test]
fn a_pair_is_labelled_by_both_its_names_where_they_fit() {
    // A record named for both sides of a crossing ("A – B") is labelled so wherever the whole
    // name fits, by its first side elsewhere; the aria-label keeps the whole name.
    let dir = fixture_copy("small");
    let town = dir.path().join("content/towns/mong-cai.md");
    let text = std::fs::read_to_string(&town).unwrap().replace("name: Móng Cái\n", "name: Móng Cái – Bắc Luân\n");
    std::fs::write(&town, text).unwrap();
    let opts = BuildOptions { root: dir.path().to_path_buf(), output: "site".into(), base_url: None, force: false };
    build(&opts).unwrap_or_else(|d| panic!("{:#?}", d.into_vec()));
    // A record's own map always names it.
    let page = read(&dir.path().join("site"), "towns/mong-cai/index.html");
    let labels: Vec<&str> = page
        .split("<text class=\"rec")
        .skip(1)
        .filter_map(|t| t.split_once('>').and_then(|(_, r)| r.split_once('<')).map(|(l, _)| l))
        .collect();
    assert!(labels.contains(&"Móng Cái – Bắc Luân"), "the whole name where it fits: {labels:?}");
    assert!(labels.iter().all(|l| *l != "Bắc Luân"), "never the second side alone: {labels:?}");
    assert!(page.contains("aria-label=\"Móng Cái – Bắc Luân\""), "the marker's link names the pair");
}
