//! Another atlas in another language: the Alpine crossings of Switzerland
//! (`tests/fixtures/alps`), in German (the default, at the site root) and French (`/fr/`),
//! with collection and field names of its own (`paesse`, `kanton`, `wintersperre`…). It holds
//! atlasgen to CLDR dates and numbers, transliterated slugs, facet URLs that are the same in
//! every language, enum labels, the default language's interface table, site-absolute links
//! in translations and maps drawn on the atlas's own base map.

use crate::common;

use atlasgen::{BuildOptions, build};
use std::path::{Path, PathBuf};

/// The site path of `base_url` in the fixture's atlas.yaml.
const BASE: &str = "/alpen/";
const SITE_URL: &str = "https://example.org/alpen/";

/// The passes of the fixture (each has a `lage`, so each is drawn on the maps).
const PASSES: [&str; 10] = [
    "berninapass",
    "gotthardpass",
    "grosser-st-bernhard",
    "julierpass",
    "klausenpass",
    "malojapass",
    "ofenpass",
    "san-bernardino-pass",
    "simplonpass",
    "spluegenpass",
];

fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = common::fixture_copy("alps");
    let out = dir.path().join("site");
    build(&BuildOptions { root: dir.path().into(), output: out.clone(), base_url: None, force: false })
        .expect("the fixture builds");
    (dir, out)
}

fn read(site: &Path, page: &str) -> String {
    std::fs::read_to_string(site.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// Every HTML page of the site, as (path relative to the site, contents).
fn pages(site: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(site).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// Whether a page (by its path relative to the site) is in French.
fn is_french(rel: &str) -> bool {
    rel.starts_with("fr/")
}

/// The text a reader sees: tags, attributes, scripts, styles and templates (the root 404
/// page's other languages, shown in place of the page only at their addresses) removed,
/// entities decoded, whitespace collapsed. (SVG `<title>` and `<text>` stay: they are read out
/// or drawn.)
fn visible_text(html: &str) -> String {
    let mut s = html.to_string();
    for tag in ["script", "style", "template"] {
        while let Some(start) = s.find(&format!("<{tag}")) {
            let end = s[start..].find(&format!("</{tag}>")).map_or(s.len(), |e| start + e + tag.len() + 3);
            s.replace_range(start..end, " ");
        }
    }
    let mut text = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    // ASCII whitespace only: a French no-break space before `:` is part of the text.
    text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text nodes of a page (between tags), trimmed, scripts and styles left out.
fn text_nodes(html: &str) -> Vec<String> {
    let text = visible_text(&html.replace('<', "\u{1}<").replace('>', ">\u{1}"));
    text.split('\u{1}')
        .map(|t| t.trim_matches(|c: char| c.is_ascii_whitespace()).to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Whether `needle` occurs in `text` as a whole word or phrase (not inside a longer word).
fn has_phrase(text: &str, needle: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(needle)
        .any(|(i, _)| !word(text[..i].chars().next_back()) && !word(text[i + needle.len()..].chars().next()))
}

/// The values of every `attr="…"` in `html`.
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    html.match_indices(&pat)
        .map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            &rest[..rest.find('"').expect("a closed attribute")]
        })
        .collect()
}

/// The targets of a page's links (`<a href>`), leaving out the language switcher's (which
/// carry `hreflang`) and the `<link>` alternates.
fn link_hrefs(html: &str) -> Vec<&str> {
    html.match_indices("<a ")
        .filter_map(|(i, _)| {
            let tag = &html[i..i + html[i..].find('>').expect("a closed tag")];
            if tag.contains(" hreflang=") { None } else { attr_values(tag, "href").first().copied() }
        })
        .collect()
}

/// The file an internal URL path (`/alpen/…`, or the absolute `https://example.org/alpen/…`)
/// is served from, or `None` for a URL outside the site.
fn target(site: &Path, url: &str) -> Option<PathBuf> {
    let path = url.strip_prefix(SITE_URL).map(|p| format!("{BASE}{p}")).unwrap_or_else(|| url.to_string());
    let rel = path.strip_prefix(BASE)?;
    let rel = rel.split(['#', '?']).next().unwrap();
    Some(if rel.is_empty() || rel.ends_with('/') { site.join(rel).join("index.html") } else { site.join(rel) })
}

/// The inline SVG map of a page (the first `<svg class="map"…</svg>`).
fn map_svg(html: &str) -> &str {
    let start = html.find("<svg class=\"map\"").expect("a map");
    let end = html[start..].find("</svg>").expect("a closed map") + start;
    &html[start..end]
}

#[test]
fn dates_are_written_as_cldr_writes_them_at_their_own_precision() {
    let (_dir, site) = built();
    // A day.
    let de = visible_text(&read(&site, "tunnel/gotthard-strassentunnel/index.html"));
    assert!(de.contains("5. September 1980"), "German day: {de}");
    assert!(!de.contains("5 September 1980") && !de.contains("September 5, 1980"), "no English date: {de}");
    let fr = visible_text(&read(&site, "fr/tunnel/gotthard-strassentunnel/index.html"));
    assert!(fr.contains("5 septembre 1980"), "French day: {fr}");
    // A year stays a year.
    for (page, month) in
        [("ereignisse/alpeninitiative/index.html", "Januar"), ("fr/ereignisse/alpeninitiative/index.html", "janvier")]
    {
        let html = read(&site, page);
        assert!(html.contains("<time datetime=\"1994\">1994</time>"), "{page}: a year is shown as the year");
        assert!(!visible_text(&html).contains(&format!("{month} 1994")), "{page}: a year is not a month");
    }
    // A month.
    assert!(visible_text(&read(&site, "ereignisse/napoleon-grosser-st-bernhard/index.html")).contains("Mai 1800"));
    assert!(visible_text(&read(&site, "fr/ereignisse/napoleon-grosser-st-bernhard/index.html")).contains("mai 1800"));
    // A span reads as a span, in the record and on the timeline.
    for page in ["ereignisse/bau-gotthard-strassentunnel/index.html", "ereignisse/index.html"] {
        assert!(visible_text(&read(&site, page)).contains("5. Mai 1970 – 5. September 1980"), "{page}");
    }
    for page in ["fr/ereignisse/bau-gotthard-strassentunnel/index.html", "fr/ereignisse/index.html"] {
        assert!(visible_text(&read(&site, page)).contains("5 mai 1970 – 5 septembre 1980"), "{page}");
    }
    assert!(visible_text(&read(&site, "ereignisse/index.html")).contains("1820 – 1830"), "a span of years");
}

#[test]
fn numbers_are_written_in_the_page_language() {
    let (_dir, site) = built();
    for page in ["tunnel/gotthard-basistunnel/index.html", "fr/tunnel/gotthard-basistunnel/index.html"] {
        let html = read(&site, page);
        assert!(html.contains("<dd>57,09</dd>"), "{page}: a decimal comma in the infobox");
        assert!(!visible_text(&html).contains("57.09"), "{page}: no decimal point in the text");
    }
    let table = visible_text(&read(&site, "tunnel/index.html"));
    assert!(table.contains("34,6") && table.contains("5,8") && !table.contains("34.6"), "{table}");
}

#[test]
fn slugs_are_transliterated_and_facet_urls_are_the_same_in_every_language() {
    let (_dir, site) = built();
    let de = read(&site, "paesse/by-kanton/graubunden/index.html");
    let fr = read(&site, "fr/paesse/by-kanton/graubunden/index.html");
    assert!(visible_text(&de).contains("Graubünden"));
    let fr_text = visible_text(&fr);
    assert!(fr_text.contains("Grisons") && !fr_text.contains("Graubünden"), "the French label: {fr_text}");
    // The same page in both languages lists the same passes.
    assert!(de.contains("href=\"/alpen/paesse/julierpass/\"") && fr.contains("href=\"/alpen/fr/paesse/julierpass/\""));
    // No facet page is named after a translated label.
    for wrong in ["fr/paesse/by-kanton/grisons", "fr/paesse/by-kanton/valais", "paesse/by-kanton/graub-nden"] {
        assert!(!site.join(wrong).exists(), "{wrong} exists");
    }
    // Every facet link on every French page leads to a page that exists.
    let mut facet_links = 0;
    for (rel, html) in pages(&site).iter().filter(|(rel, _)| is_french(rel)) {
        for href in link_hrefs(html).into_iter().filter(|h| h.contains("/by-")) {
            let file = target(&site, href).unwrap_or_else(|| panic!("{rel}: {href} is outside the site"));
            assert!(file.is_file(), "{rel} links {href}, which does not exist");
            let path = href.strip_prefix("https://example.org").unwrap_or(href);
            assert!(path.starts_with("/alpen/fr/"), "{rel}: {href} leaves the French site");
            facet_links += 1;
        }
    }
    assert!(facet_links > 50, "only {facet_links} facet links checked");
}

#[test]
fn every_internal_link_alternate_and_sitemap_entry_exists() {
    let (_dir, site) = built();
    let all = pages(&site);
    for (rel, html) in &all {
        for url in attr_values(html, "href").into_iter().chain(attr_values(html, "src")) {
            if let Some(file) = target(&site, url) {
                assert!(file.is_file(), "{rel} links {url}, which does not exist");
            }
        }
    }
    // hreflang alternates of a French facet page, and of every page.
    let facet = read(&site, "fr/paesse/by-kanton/graubunden/index.html");
    for (code, url) in [
        ("de", "https://example.org/alpen/paesse/by-kanton/graubunden/"),
        ("fr", "https://example.org/alpen/fr/paesse/by-kanton/graubunden/"),
        ("x-default", "https://example.org/alpen/paesse/by-kanton/graubunden/"),
    ] {
        assert!(facet.contains(&format!("hreflang=\"{code}\" href=\"{url}\"")), "the {code} alternate");
    }
    let mut alternates = 0;
    for (rel, html) in &all {
        for (i, _) in html.match_indices("<link rel=\"alternate\" hreflang=") {
            let link = &html[i..i + html[i..].find('>').unwrap()];
            let url = attr_values(link, "href")[0];
            let file = target(&site, url).unwrap_or_else(|| panic!("{rel}: alternate {url} outside the site"));
            assert!(file.is_file(), "{rel}: alternate {url} does not exist");
            alternates += 1;
        }
    }
    assert!(alternates > 3 * 100, "only {alternates} alternates checked");
    // The sitemap lists only pages that exist, and every page of both languages.
    let sitemap = read(&site, "sitemap.xml");
    let locs: Vec<&str> = sitemap
        .match_indices("<loc>")
        .map(|(i, _)| &sitemap[i + 5..i + sitemap[i..].find("</loc>").unwrap()])
        .collect();
    for url in locs.iter().copied().chain(attr_values(&sitemap, "href")) {
        let file = target(&site, url).unwrap_or_else(|| panic!("sitemap: {url} outside the site"));
        assert!(file.is_file(), "the sitemap lists {url}, which does not exist");
    }
    for page in ["paesse/by-kanton/graubunden/", "fr/paesse/by-kanton/graubunden/", "fr/paesse/by-ganzjaehrig/yes/"] {
        assert!(locs.contains(&format!("{SITE_URL}{page}").as_str()), "the sitemap lacks {page}");
    }
}

#[test]
fn a_bool_facet_has_the_same_url_in_both_languages() {
    let (_dir, site) = built();
    for value in ["yes", "no"] {
        for prefix in ["", "fr/"] {
            let page = format!("{prefix}paesse/by-ganzjaehrig/{value}/index.html");
            assert!(site.join(&page).is_file(), "{page} is missing");
        }
    }
    for wrong in ["ja", "nein", "oui", "non"] {
        for prefix in ["", "fr/"] {
            assert!(!site.join(format!("{prefix}paesse/by-ganzjaehrig/{wrong}")).exists(), "{prefix}…/{wrong}");
        }
    }
    // The label is translated, the URL is not.
    assert!(visible_text(&read(&site, "paesse/by-ganzjaehrig/yes/index.html")).contains("Ganzjährig befahrbar: ja"));
    assert!(
        visible_text(&read(&site, "fr/paesse/by-ganzjaehrig/yes/index.html"))
            .contains("Praticable toute l’année\u{a0}: oui")
    );
    let julier = read(&site, "fr/paesse/julierpass/index.html");
    assert!(julier.contains("<dd>oui</dd>"), "a bool field reads oui in French");
}

#[test]
fn enum_values_are_shown_by_their_labels_never_their_codes() {
    let (_dir, site) = built();
    let (mut de_label, mut fr_label) = (false, false);
    for (rel, html) in pages(&site) {
        let text = visible_text(&html);
        for code in ["winter_closure", "open_all_year", "winter closure", "open all year", "strasse", "bahn"] {
            assert!(!has_phrase(&text, code), "{rel} shows the code {code:?}");
        }
        if is_french(&rel) {
            fr_label |= text.contains("Fermé en hiver") && text.contains("Ouvert toute l’année");
            // A value, a legend entry or a map-list line in German ("…: Wintersperre").
            for node in text_nodes(&html) {
                for label in ["Wintersperre", "Ganzjährig offen", "Eisenbahntunnel", "Strassentunnel"] {
                    let shown = node == label
                        || node.ends_with(&format!(": {label}"))
                        || node.ends_with(&format!(":\u{a0}{label}"));
                    assert!(!shown, "{rel}: the German label {label:?} in {node:?}");
                }
            }
        } else {
            de_label |= text.contains("Wintersperre") && text.contains("Ganzjährig offen");
        }
    }
    assert!(de_label && fr_label, "the labels are shown (de {de_label}, fr {fr_label})");
    assert!(visible_text(&read(&site, "tunnel/index.html")).contains("Eisenbahntunnel"));
    assert!(visible_text(&read(&site, "fr/tunnel/index.html")).contains("Tunnel ferroviaire"));
}

#[test]
fn the_default_language_table_overrides_the_built_in_english() {
    let (dir, site) = built();
    let home = read(&site, "paesse/gotthardpass/index.html");
    assert!(home.contains("<button type=\"submit\">Suchen</button>"), "the search button");
    assert!(home.contains("placeholder=\"Im Atlas suchen\""), "the search box");
    assert!(home.contains("<li><a href=\"/alpen/\">Startseite</a></li>"), "the Home breadcrumb");
    assert!(home.contains("aria-label=\"Brotkrümelnavigation\""), "the breadcrumbs' name");
    // No built-in English text on any page of either language: every literal piece of every
    // built-in string must be absent from the text, unless the translation keeps it.
    let rendered = atlasgen::check(dir.path(), None).expect("the fixture checks");
    let keys = atlasgen::i18n::builtin_keys();
    let all = pages(&site);
    for edition in &rendered.editions {
        let locale = &edition.locale;
        let french = locale.language.code == "fr";
        let mut pieces: Vec<(String, String)> = Vec::new();
        for key in &keys {
            let translated = locale.t(key);
            let literal = strip_markup(key);
            for piece in literal.split(['{', '}']).step_by(2) {
                let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
                if piece.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !translated.contains(piece) {
                    pieces.push((key.clone(), piece.to_string()));
                }
            }
        }
        assert!(pieces.len() > 60, "{} pieces", pieces.len());
        for (rel, html) in all.iter().filter(|(rel, _)| is_french(rel) == french) {
            let text = visible_text(html);
            for (key, piece) in &pieces {
                assert!(!has_phrase(&text, piece), "{rel} shows {piece:?} of the built-in {key:?}");
            }
        }
    }
}

/// A built-in string with its markup (`<a href=…>`, `<em>`) left out.
fn strip_markup(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push('{');
                out.push('}');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn site_absolute_links_keep_the_site_root_in_every_language() {
    let (_dir, site) = built();
    for page in ["paesse/gotthardpass/index.html", "fr/paesse/gotthardpass/index.html"] {
        let html = read(&site, page);
        assert!(html.contains("srcset=\"/alpen/assets/img/teufelsbruecke-"), "{page}: the image's copies");
        assert!(!html.contains("/alpen/fr/bilder/"), "{page}: a language prefix on a site-absolute link");
        assert!(!html.contains("/alpen/fr/assets/"), "{page}: a language prefix on an image copy");
    }
    for page in ["ueber/index.html", "fr/ueber/index.html"] {
        let html = read(&site, page);
        assert!(html.contains("href=\"/alpen/bilder/teufelsbruecke.png\""), "{page}: the link");
        assert!(!html.contains("/alpen/fr/bilder/"), "{page}");
    }
    let png = std::fs::read(site.join("bilder/teufelsbruecke.png")).expect("the image is copied");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 100, "a real PNG");
    assert!(!site.join("fr/bilder").exists(), "static files are not copied per language");
}

/// The `<figure>` the narrative's image of the Teufelsbrücke, alone in its paragraph, becomes.
fn narrative_figure(html: &str) -> &str {
    html.match_indices("<figure")
        .map(|(start, _)| &html[start..start + html[start..].find("</figure>").expect("ends") + "</figure>".len()])
        .find(|f| f.contains("teufelsbruecke"))
        .expect("the narrative's figure")
}

#[test]
fn a_narrative_image_is_a_figure_with_responsive_copies() {
    let (_dir, site) = built();
    let html = read(&site, "paesse/gotthardpass/index.html");
    let figure = narrative_figure(&html);
    insta::assert_snapshot!("gotthardpass_figure", figure.replace("><", ">\n<"));
    let fr = read(&site, "fr/paesse/gotthardpass/index.html");
    assert!(narrative_figure(&fr).contains("<figcaption>Le pont du Diable"), "the French caption");
    // The original is 480 pixels wide: one copy at its own width, in WebP and PNG.
    let copies: Vec<String> = std::fs::read_dir(site.join("assets/img"))
        .expect("the copies' folder")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("teufelsbruecke-"))
        .collect();
    assert_eq!(copies.len(), 2, "{copies:?}");
    for ext in ["webp", "png"] {
        let name = copies.iter().find(|n| n.ends_with(&format!("-480.{ext}"))).expect(ext);
        assert!(figure.contains(&format!("/alpen/assets/img/{name} 480w")), "{name} in the srcset");
        let bytes = std::fs::read(site.join("assets/img").join(name)).unwrap();
        let img = image::load_from_memory(&bytes).expect("a readable copy");
        assert_eq!((img.width(), img.height()), (480, 270), "{name}");
    }
}

#[test]
fn heading_ids_are_transliterated() {
    let (_dir, site) = built();
    assert!(
        read(&site, "paesse/gotthardpass/index.html")
            .contains("<h2 id=\"uber-die-schollenen\">Über die Schöllenen</h2>")
    );
    assert!(
        read(&site, "fr/paesse/gotthardpass/index.html")
            .contains("<h2 id=\"par-les-schollenen\">Par les Schöllenen</h2>")
    );
    assert!(read(&site, "ueber/index.html").contains("<h2 id=\"hohen-und-wintersperren\">"));
}

#[test]
fn check_reports_full_coverage_for_french_and_no_missing_german_strings() {
    let dir = common::fixture_copy("alps");
    let rendered = atlasgen::check(dir.path(), None).expect("the fixture checks");
    let diagnostics = rendered.diagnostics.clone().into_vec();
    assert!(diagnostics.is_empty(), "warnings: {:?}", diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>());
    let coverage = rendered.coverage();
    let fr = coverage.iter().find(|c| c.code == "fr").expect("French coverage");
    assert_eq!(fr.percent(), 100, "missing: {:?}", fr.missing);
    assert!(fr.records >= 49 && fr.complete == fr.records, "{} of {}", fr.complete, fr.records);
    assert_eq!((fr.pages, fr.pages_missing.len()), (1, 0), "the About page");
    assert!(fr.strings_missing.is_empty(), "French strings missing: {:?}", fr.strings_missing);
    // German is the default: only its interface strings could be missing.
    if let Some(de) = coverage.iter().find(|c| c.code == "de") {
        assert!(de.strings_missing.is_empty(), "German strings missing: {:?}", de.strings_missing);
    }
    // Without its table, German lacks every built-in string: the report does notice.
    std::fs::remove_file(dir.path().join("i18n/de.yaml")).unwrap();
    let bare = atlasgen::check(dir.path(), None).expect("the fixture checks without a German table");
    let de = bare.coverage().into_iter().find(|c| c.code == "de").expect("German lacks strings");
    assert_eq!(de.strings_missing.len(), atlasgen::i18n::builtin_keys().len());
}

#[test]
fn maps_are_drawn_on_the_atlas_base_map() {
    let (_dir, site) = built();
    for (page, prefix) in [("index.html", "/alpen/"), ("fr/index.html", "/alpen/fr/"), ("paesse/index.html", "/alpen/")]
    {
        let html = read(&site, page);
        let svg = map_svg(&html);
        for country in ["country-ch", "country-it", "country-at", "country-fr"] {
            assert!(svg.contains(&format!("class=\"country {country}")), "{page}: {country}");
        }
        for pass in PASSES {
            assert!(svg.contains(&format!("<a href=\"{prefix}paesse/{pass}/\"")), "{page}: no marker for {pass}");
        }
        // A collection's index map shows that collection; the home map shows every one.
        if !page.starts_with("paesse/") {
            assert!(svg.contains(&format!("<a href=\"{prefix}tunnel/gotthard-basistunnel/\"")), "{page}: a route");
        }
    }
    // A pass's mini-map is centred on it, with the country it lies in.
    for (page, prefix, title) in [
        ("paesse/gotthardpass/index.html", "/alpen/", "Karte: Gotthardpass"),
        ("fr/paesse/gotthardpass/index.html", "/alpen/fr/", "Carte\u{a0}: Col du Saint-Gothard"),
    ] {
        let html = read(&site, page);
        let svg = map_svg(&html);
        assert!(svg.contains("class=\"country country-ch"), "{page}: Switzerland");
        assert!(svg.contains(&format!("<title id=\"map-record-title\">{title}</title>")), "{page}: the map's name");
        let marker = svg
            .find(&format!("<a href=\"{prefix}paesse/gotthardpass/\" class=\"marker-link"))
            .expect("the pass's own marker");
        let tag = &svg[marker..marker + svg[marker..].find('>').unwrap()];
        assert!(tag.contains(" focus\""), "{page}: the focus marker: {tag}");
    }
}

/// `atlasgen strings` lists nothing for a complete language: French, and German, the default.
#[test]
fn the_strings_command_lists_nothing_for_a_complete_language() {
    let root = common::fixture("alps");
    for lang in ["fr", "de"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_atlasgen"))
            .args(["strings", lang, "--root"])
            .arg(&root)
            .output()
            .unwrap();
        assert!(out.status.success(), "{lang}: {}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.lines().all(|l| l.starts_with('#')), "{lang}: entries listed: {stdout}");
    }
}

#[test]
fn a_record_with_nothing_to_translate_is_not_marked_untranslated() {
    let (_dir, site) = built();
    let html = read(&site, "fr/quellen/fuorcla-simplon/index.html");
    assert!(!html.contains("class=\"note untranslated\""), "the notice on a source");
}

#[test]

fn structured_data_carries_plain_text() {
    let (_dir, site) = built();
    for (rel, html) in pages(&site) {
        if let Some(i) = html.find("<script type=\"application/ld+json\">") {
            let json = &html[i..i + html[i..].find("</script>").unwrap()];
            assert!(!json.contains("](@/") && !json.contains("[@"), "{rel}: Markdown in JSON-LD: {json}");
        }
    }
}

#[test]
fn map_labels_are_in_the_page_language() {
    let (_dir, site) = built();
    for (page, names) in
        [("index.html", ["Schweiz", "Italien", "Österreich"]), ("fr/index.html", ["Suisse", "Italie", "Autriche"])]
    {
        let html = read(&site, page);
        let svg = map_svg(&html);
        for name in names {
            assert!(svg.contains(&format!(">{name}</text>")), "{page}: no {name} on the map");
        }
        assert!(!svg.contains(">Switzerland</text>"), "{page}: an English country name");
    }
}

/// A map label as written: the levels it shows at, its class, text, anchor and offset.
struct MapLabel {
    levels: Vec<usize>,
    class: String,
    text: String,
    rect: atlasgen::render::labels::Rect,
}

/// The labels of a map, each with the box its placement measured (the fonts of
/// `render/svgmap/names.rs`, by class).
fn map_labels(svg: &str) -> Vec<MapLabel> {
    use atlasgen::render::labels::{Font, Rect, text_width};
    let attr = |s: &str, name: &str| -> f64 {
        let i = s.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("no {name} in {s}")) + name.len() + 3;
        s[i..i + s[i..].find('"').unwrap()].parse().unwrap()
    };
    let part = &svg[svg.find("<g class=\"labels\"").expect("labels")..];
    part.split("<g class=\"lod")
        .skip(1)
        .map(|g| {
            let levels = g[..g.find('"').unwrap()].split_whitespace().map(|v| v[1..].parse().unwrap()).collect();
            let t = g.find("translate(").unwrap() + "translate(".len();
            let xy: Vec<f64> = g[t..t + g[t..].find(')').unwrap()].split(' ').map(|v| v.parse().unwrap()).collect();
            let text_tag = &g[g.find("<text").unwrap()..];
            let class = text_tag[13..13 + text_tag[13..].find('"').unwrap()].to_string();
            let text =
                common::decode_entities(&text_tag[text_tag.find('>').unwrap() + 1..text_tag.find("</text>").unwrap()]);
            let font = |size, bold, spacing, upper| Font { size, bold, spacing, upper };
            let f = match class.as_str() {
                "rec focus" => font(13.5, true, 0.0, false),
                "rec" | "rec approx" => font(12.0, false, 0.0, false),
                "country-name" => font(13.0, false, 0.14, true),
                "city" => font(11.0, false, 0.0, false),
                "city big" => font(12.5, true, 0.0, false),
                "admin1-name" => font(10.5, false, 0.08, false),
                "river-name" => font(11.0, false, 0.02, false),
                other => panic!("a label of unknown class {other}"),
            };
            let (dx, dy) = (attr(text_tag, "x"), attr(text_tag, "y") - f.size * 0.36);
            let (hw, hh) = (text_width(&text, &f) / 2.0 + 2.5, f.size * 0.62 + 1.5);
            MapLabel { levels, class, text, rect: Rect { ax: xy[0], ay: xy[1], dx, dy, hw, hh } }
        })
        .collect()
}

/// The base map names the Rhône (tests/fixtures/alps/data/basemap.names.yaml): the maps that
/// show it name it in the page's language, beside the other labels, never over one.
#[test]
fn a_named_river_is_labelled_in_the_page_language_clear_of_the_other_labels() {
    use atlasgen::render::labels::{LEVELS, overlap};
    let (_dir, site) = built();
    for (page, name, other) in [
        ("paesse/simplonpass/index.html", "Rhone", "Rhône"),
        ("fr/paesse/simplonpass/index.html", "Rhône", "Rhone"),
        ("index.html", "Rhone", "Rhône"),
        ("fr/index.html", "Rhône", "Rhone"),
    ] {
        let labels = map_labels(map_svg(&read(&site, page)));
        let rivers: Vec<&MapLabel> = labels.iter().filter(|l| l.class == "river-name").collect();
        assert!(rivers.iter().any(|l| l.text == name), "{page}: the river is not named {name}");
        assert!(rivers.iter().all(|l| l.text == name), "{page}: a river named in another language ({other})");
        // The pass's town and the atlas's markers are still named: the river comes after them.
        assert!(labels.iter().any(|l| l.class.starts_with("rec")), "{page}: no marker label");
        for (lv, &k) in LEVELS.iter().enumerate() {
            let shown: Vec<&MapLabel> = labels.iter().filter(|l| l.levels.contains(&lv)).collect();
            for (i, a) in shown.iter().enumerate() {
                for b in &shown[i + 1..] {
                    assert!(
                        !overlap(&a.rect, &b.rect, k, 2.0 * k),
                        "{page}, level {lv}: \"{}\" overlaps \"{}\"",
                        a.text,
                        b.text
                    );
                }
            }
        }
    }
}

#[test]
fn atlas_texts_from_atlas_yaml_are_translated() {
    let (_dir, site) = built();
    let text = visible_text(&read(&site, "fr/index.html"));
    for german in
        ["Alpenübergänge der Schweiz", "Strassenpässe über die Schweizer Alpen", "Strassen- und Eisenbahntunnel"]
    {
        assert!(!text.contains(german), "the French home page shows {german:?}");
    }
}

#[test]
fn the_timeline_writes_a_year_known_only_to_its_year_once() {
    let (_dir, site) = built();
    let html = read(&site, "ereignisse/index.html");
    // A date known only to its year sits under that year's heading: it is kept for screen
    // readers and machines but not shown again ("1994 | 1994").
    assert!(html.contains("<time datetime=\"1994\" class=\"visually-hidden\">1994</time>"), "{html}");
    // A fuller date is shown as written.
    assert!(visible_text(&html).contains("5. Mai 1970 – 5. September 1980"));
}

/// The main navigation's `<a>` tags, in order.
fn section_links(html: &str) -> Vec<&str> {
    let start = html.find("<nav class=\"sections\"").expect("the main navigation");
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split("<a ").skip(1).map(|a| &a[..a.find("</a>").unwrap()]).collect()
}

#[test]
fn the_open_data_page_ends_the_main_navigation_in_each_language() {
    let (_dir, site) = built();
    for (prefix, title) in [("", "Offene Daten"), ("fr/", "Données ouvertes")] {
        let home = read(&site, &format!("{prefix}index.html"));
        let links = section_links(&home);
        assert_eq!(
            links.last().copied(),
            Some(format!("href=\"/alpen/{prefix}data/\">{title}").as_str()),
            "{prefix}: {links:?}"
        );
        assert!(links.iter().all(|a| !a.contains("aria-current")), "{prefix}: nothing current on the home page");
        // On the data page itself it is the current section, and the only one.
        let data = read(&site, &format!("{prefix}data/index.html"));
        let current: Vec<&str> = section_links(&data).into_iter().filter(|a| a.contains("aria-current")).collect();
        assert_eq!(
            current,
            [format!("href=\"/alpen/{prefix}data/\" aria-current=\"page\">{title}").as_str()],
            "{prefix}"
        );
    }
}
