//! A multilingual atlas: the small fixture published in English, Vietnamese and Chinese
//! (`tests/fixtures/multilingual` laid over `tests/fixtures/small`).

use crate::common;

use atlasgen::{BuildOptions, build};
use std::path::{Path, PathBuf};

fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = common::fixture_overlay("small", "multilingual");
    let out = dir.path().join("site");
    build(&BuildOptions { root: dir.path().into(), output: out.clone(), base_url: None, force: false })
        .expect("the fixture builds");
    (dir, out)
}

fn read(site: &Path, page: &str) -> String {
    std::fs::read_to_string(site.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

#[test]
fn each_language_has_its_prefix_lang_and_alternates() {
    let (_dir, site) = built();
    for (page, lang) in [
        ("towns/mong-cai/index.html", "en"),
        ("vi/towns/mong-cai/index.html", "vi"),
        ("zh/towns/mong-cai/index.html", "zh-Hans"),
    ] {
        let html = read(&site, page);
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{page}");
        for (code, url) in [
            ("en", "https://example.org/small/towns/mong-cai/"),
            ("vi", "https://example.org/small/vi/towns/mong-cai/"),
            ("zh-Hans", "https://example.org/small/zh/towns/mong-cai/"),
        ] {
            assert!(html.contains(&format!("hreflang=\"{code}\" href=\"{url}\"")), "{page} lacks the {code} alternate");
        }
        // The switcher keeps the reader on the same record.
        assert!(html.contains("href=\"/small/vi/towns/mong-cai/\" hreflang=\"vi\""), "{page}");
        // Assets are shared by every language.
        assert!(html.contains("href=\"/small/assets/atlasgen.css\""), "{page}");
    }
}

#[test]
fn translations_give_narrative_and_translatable_fields() {
    let (_dir, site) = built();
    let vi = read(&site, "vi/towns/mong-cai/index.html");
    assert!(vi.contains("<h1") && vi.contains("Thành phố Móng Cái</h1>"), "translated name is the title");
    assert!(vi.contains("Một thành phố biên giới"), "translated narrative");
    assert!(vi.contains("href=\"/small/vi/towns/dongxing/\""), "links stay in the language");
    assert!(vi.contains("tháng 9 năm 2008"), "dates in Vietnamese");
    assert!(vi.contains("thành phố"), "enum value from the atlas's i18n table");
    assert!(vi.contains(">Thị trấn<"), "collection title from the atlas's i18n table");
    assert!(vi.contains("Nguồn"), "built-in interface strings");
    // Every text field is translatable unless it sets `lang`: the province is.
    assert!(vi.contains("tỉnh Quảng Ninh"), "a string field without translatable: true");
    assert!(!read(&site, "towns/mong-cai/index.html").contains("tỉnh Quảng Ninh"));
    // Records kept in a YAML list are translated by a list beside it.
    assert!(read(&site, "vi/happenings/treaty/index.html").contains("Ký kết hiệp ước</h1>"));
    assert!(read(&site, "happenings/treaty/index.html").contains("Treaty signed</h1>"));
    let zh = read(&site, "zh/towns/mong-cai/index.html");
    assert!(zh.contains("芒街市</h1>") && zh.contains("2008年9月"));
    // Names in their own scripts whatever the language.
    assert!(zh.contains("Quảng Ninh"));
}

#[test]
fn untranslated_records_fall_back_and_say_so() {
    let (_dir, site) = built();
    let vi = read(&site, "vi/towns/dongxing/index.html");
    assert!(vi.contains("class=\"caveat caveat-untranslated untranslated\""), "notice");
    assert!(vi.contains("narrative\" lang=\"en\">"), "English text is marked as English");
    let en = read(&site, "towns/dongxing/index.html");
    assert!(!en.contains("untranslated"));
    let about = read(&site, "zh/about/index.html");
    assert!(about.contains("class=\"note untranslated\""));
    assert!(read(&site, "vi/about/index.html").contains("Giới thiệu"));
}

#[test]
fn sitemap_feeds_and_search_cover_every_language() {
    let (_dir, site) = built();
    let sitemap = read(&site, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/small/zh/towns/mong-cai/</loc>"));
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"vi\" href=\"https://example.org/small/vi/towns/mong-cai/\"/>"
    ));
    // Every page exists in every language.
    let pages = |dir: &Path| {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .filter(|e| {
                !e.path().strip_prefix(&site).unwrap().starts_with("vi")
                    && !e.path().strip_prefix(&site).unwrap().starts_with("zh")
            })
            .count()
    };
    let count = |dir: &str| {
        walkdir::WalkDir::new(site.join(dir))
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .count()
    };
    assert_eq!(count("vi"), pages(&site));
    assert_eq!(count("zh"), pages(&site));
    let entry = read(&site, "pagefind/pagefind-entry.json");
    for lang in ["\"en\"", "\"vi\"", "\"zh-hans\""] {
        assert!(entry.contains(lang), "no {lang} search index: {entry}");
    }
    // Open data is written once, at the root.
    assert!(site.join("data/atlas.json").is_file() && !site.join("vi/data/atlas.json").exists());
}

#[test]
fn a_table_for_a_language_not_published_is_reported() {
    let dir = common::fixture_copy("small");
    std::fs::create_dir_all(dir.path().join("i18n")).unwrap();
    std::fs::write(dir.path().join("i18n/fr.yaml"), "\"Towns\": \"Villes\"\n").unwrap();
    let rendered = atlasgen::check(dir.path(), None).unwrap_or_else(|_| panic!("an unused table is not an error"));
    let warning = rendered
        .diagnostics
        .into_vec()
        .into_iter()
        .find(|d| d.file == "i18n/fr.yaml")
        .expect("a warning names the table");
    assert!(warning.message.contains("not used"), "{}", warning.message);
}

#[test]
fn citation_locators_and_notes_are_translated_by_the_language_tables_and_counted_when_not() {
    let dir = common::fixture_overlay("small", "multilingual");
    let record = dir.path().join("content/towns/mong-cai.md");
    let text = std::fs::read_to_string(&record)
        .unwrap()
        .replace("loc: \"§4\"", "loc: \"§4 (border gates)\", note: \"a *port* city\"");
    std::fs::write(&record, text).unwrap();
    let table = dir.path().join("i18n/vi.yaml");
    let mut vi = std::fs::read_to_string(&table).unwrap();
    vi.push_str("\"§4 (border gates)\": \"§4 (các cửa khẩu)\"\n\"a *port* city\": \"một thành phố *cảng*\"\n");
    std::fs::write(&table, vi).unwrap();
    let out = dir.path().join("site");
    build(&BuildOptions { root: dir.path().into(), output: out.clone(), base_url: None, force: false })
        .expect("the fixture builds");
    // Translated where the table has it, as written where it has not (the default language
    // and Chinese, which has no table).
    let vi = read(&out, "vi/towns/mong-cai/index.html");
    assert!(vi.contains("§4 (các cửa khẩu)") && vi.contains("một thành phố <em>cảng</em>"), "locator and note");
    for page in ["towns/mong-cai/index.html", "zh/towns/mong-cai/index.html"] {
        let html = read(&out, page);
        assert!(html.contains("§4 (border gates)") && html.contains("a <em>port</em> city"), "{page}");
    }
    let checked = atlasgen::check(dir.path(), None).expect("the fixture checks");
    let coverage = checked.coverage();
    let missing = |code: &str| coverage.iter().find(|c| c.code == code).map(|c| c.citations_missing.clone());
    assert_eq!(missing("vi"), Some(vec![]));
    // A locator without a letter ("§4") reads the same everywhere and is never asked for.
    assert_eq!(missing("zh-Hans"), Some(vec!["§4 (border gates)".to_string(), "a *port* city".to_string()]));
    let table = atlasgen::coverage::missing_table(coverage.iter().find(|c| c.code == "zh-Hans").unwrap());
    assert!(table.contains("\"§4 (border gates)\": \"§4 (border gates)\""), "{table}");
}
