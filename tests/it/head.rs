//! The `<head>` of pages, which readers never see and search engines, feed readers and link
//! previews read: the canonical URL, the alternates in the other language (hreflang), Open
//! Graph (its locale as `language_TERRITORY`, and the other language's) and the JSON-LD.
//! Snapshots of a record page, a collection index and the home page of the Alps fixture in both
//! its languages (German at the root, French under `/fr/`), with the JSON-LD pretty-printed,
//! plus assertions that hold the languages' heads to one another.
//! `INSTA_UPDATE=always cargo test --release --test it head::` rewrites the snapshots.

use crate::common;

use atlasgen::{BuildOptions, build};
use serde_json::Value;

const SITE: &str = "https://example.org/alpen/";

/// The pages, by snapshot name and path under the site, German then French.
const PAGES: [(&str, &str); 6] = [
    ("home_de", ""),
    ("home_fr", "fr/"),
    ("index_de", "paesse/"),
    ("index_fr", "fr/paesse/"),
    ("record_de", "paesse/gotthardpass/"),
    ("record_fr", "fr/paesse/gotthardpass/"),
];

/// The `<head>` element of a page, each JSON-LD block parsed and pretty-printed (so a change
/// in it reads as a line of the snapshot's diff, and JSON that does not parse fails here).
fn head_of(page: &str, html: &str) -> (String, Vec<Value>) {
    let start = html.find("<head>").unwrap_or_else(|| panic!("{page}: no <head>"));
    let end = html.find("</head>").unwrap_or_else(|| panic!("{page}: no </head>")) + "</head>".len();
    let mut head = html[start..end].to_string();
    let mut ld = Vec::new();
    const OPEN: &str = "<script type=\"application/ld+json\">";
    let mut from = 0;
    while let Some(at) = head[from..].find(OPEN) {
        let body = from + at + OPEN.len();
        let close = body + head[body..].find("</script>").unwrap();
        let v: Value = serde_json::from_str(&head[body..close]).unwrap_or_else(|e| panic!("{page}: JSON-LD: {e}"));
        let pretty = format!("\n{}\n", serde_json::to_string_pretty(&v).unwrap());
        head.replace_range(body..close, &pretty);
        from = body + pretty.len();
        ld.push(v);
    }
    (head, ld)
}

/// The value of the first `<tag …>` in `head` holding `marker`, attribute `attr`.
fn attr(head: &str, marker: &str, attr: &str) -> Option<String> {
    let tag = head.split('<').find(|t| t.contains(marker))?;
    let rest = &tag[tag.find(&format!(" {attr}=\""))? + attr.len() + 3..];
    Some(rest[..rest.find('"')?].to_string())
}

#[test]
fn heads_of_a_record_an_index_and_the_home_in_two_languages() {
    let dir = common::fixture_copy("alps");
    let opts = BuildOptions { root: dir.path().into(), output: "site".into(), base_url: None, force: false };
    build(&opts).unwrap_or_else(|d| panic!("{:#?}", d.into_vec()));
    let site = dir.path().join("site");
    for (name, path) in PAGES {
        let html = std::fs::read_to_string(site.join(path).join("index.html")).unwrap();
        let (head, ld) = head_of(path, &html);
        // The version is redacted: a release changes it on every page, and nothing else.
        let generator = format!("<meta name=\"generator\" content=\"atlasgen {}\">", env!("CARGO_PKG_VERSION"));
        assert!(head.contains(&generator), "{path}");
        let head = head.replace(&generator, "<meta name=\"generator\" content=\"atlasgen [version]\">");
        insta::assert_snapshot!(name, head);

        let (lang, other, other_path) = match path.strip_prefix("fr/") {
            Some(rest) => ("fr", "de", rest.to_string()),
            None => ("de", "fr", format!("fr/{path}")),
        };
        // Open Graph's `language_TERRITORY`, the territory CLDR's likely one for the language.
        let og = |code: &str| match code {
            "fr" => "fr_FR",
            _ => "de_DE",
        };
        let german = path.strip_prefix("fr/").unwrap_or(path);
        let url = format!("{SITE}{path}");
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{path}");
        // The page names itself the same way everywhere: canonical, Open Graph, JSON-LD.
        assert_eq!(attr(&head, "rel=\"canonical\"", "href"), Some(url.clone()), "{path}");
        assert_eq!(attr(&head, "property=\"og:url\"", "content"), Some(url.clone()), "{path}");
        assert_eq!(attr(&head, "property=\"og:locale\"", "content").as_deref(), Some(og(lang)), "{path}");
        // The other language is the one alternate locale.
        let alternates: Vec<&str> = head.matches("property=\"og:locale:alternate\"").collect();
        assert_eq!(alternates.len(), 1, "{path}");
        assert_eq!(attr(&head, "property=\"og:locale:alternate\"", "content").as_deref(), Some(og(other)), "{path}");
        if name.starts_with("record") {
            assert_eq!(ld.len(), 1, "{path}: one JSON-LD block");
            let name_of = |v: &Value| v["name"].as_str().map(str::to_string);
            assert_eq!(name_of(&ld[0]), attr(&head, "property=\"og:title\"", "content"), "{path}");
            assert_eq!(
                (ld[0]["url"].as_str(), ld[0]["inLanguage"].as_str()),
                (Some(url.as_str()), Some(lang)),
                "{path}"
            );
        }
        // Both languages are listed in each, the German page is the default, and the other
        // language's alternate is a page of the site.
        assert_eq!(attr(&head, "hreflang=\"x-default\"", "href"), Some(format!("{SITE}{german}")), "{path}");
        assert_eq!(attr(&head, &format!("hreflang=\"{lang}\""), "href"), Some(url.clone()), "{path}");
        let alternate = attr(&head, &format!("hreflang=\"{other}\""), "href").unwrap();
        let alternate_path = alternate.strip_prefix(SITE).unwrap_or_else(|| panic!("{path}: {alternate}"));
        assert_eq!(alternate_path, other_path, "{path}");
        assert!(site.join(alternate_path).join("index.html").is_file(), "{path}: {alternate} is not a page");
    }
}
