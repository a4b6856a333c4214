//! Full-text search with Pagefind, run in-process over the records in memory.
//!
//! Records and pages go to Pagefind as custom records built from the model, with the
//! collection as a filter. Indexing from the model rather than from the rendered HTML keeps
//! maps, navigation and lists of other records out of the index, whatever the templates draw,
//! and spares Pagefind parsing every page. Pagefind's index and its scripts are written into
//! the site under `pagefind/`; nothing is fetched from elsewhere when a reader searches.
//!
//! Names come first. A record's title and its other names — its `alias` fields, the names
//! its `title_fields` give — are metadata that Pagefind searches and ranks above the text
//! (`metaWeights` in `atlasgen-search.js`), and so are its titles and names in the atlas's
//! other languages, ranked below its own. The text is what excerpts are cut from, so it holds
//! the fields as "Label: value" and the narrative, never the title again. Readers type "Mong
//! Cai" for Móng Cái: Pagefind matches letters without their accents, and the `keys` and
//! `other_keys` fields carry the ASCII-folded names for letters that have no accent to drop
//! ("Dong Dang" for Đồng Đăng). Each language gets its own index, which the search page picks
//! by its `<html lang>`; Chinese text is split into words by Pagefind's segmenter (its
//! `extended` feature).
//!
//! This module makes the entries; `pagefind.rs`, behind the `search` cargo feature, indexes
//! them.

#[cfg(not(feature = "search"))]
use super::OutputFile;
use super::views::{RecordView, ValueView, Views};
use crate::diag::{Diagnostic, Pos};
use crate::urls::Urls;

#[cfg(feature = "search")]
mod pagefind;
#[cfg(feature = "search")]
pub use self::pagefind::index;

/// Without the `search` feature there is no indexer: the site gets no index, and its search
/// page finds nothing.
#[cfg(not(feature = "search"))]
pub fn index(entries: Vec<Entry>) -> Result<Vec<OutputFile>, Diagnostic> {
    drop(entries);
    Ok(Vec::new())
}

/// Where the bundle goes in the site.
pub const BUNDLE_DIR: &str = "pagefind";

/// One searchable page.
#[derive(Debug, Clone)]
// Without the `search` feature nothing reads an entry but the tests.
#[cfg_attr(not(feature = "search"), allow(dead_code))]
pub struct Entry {
    /// URL relative to the site's root (`/vi/gates/x/`); the search script prepends the base path.
    pub url: String,
    pub title: String,
    /// Plain text excerpts are cut from: labelled field values, then the narrative.
    pub content: String,
    /// Lowercase BCP 47 tag, as Pagefind keys its indexes (`zh-hans`).
    pub language: String,
    /// The collection's title, or "Pages", under the filter's name in the page's language.
    pub filter: String,
    pub filter_name: String,
    /// What the page is, shown beside each result: the collection's singular ("Border gate").
    pub kind: String,
    /// Other names of the record (its `alias` and `title_fields` fields).
    pub names: Vec<String>,
    /// The record's titles and other names in the atlas's other languages, where they differ
    /// from its own: found, but ranked below its own names.
    pub titles: Vec<String>,
}

/// A failure of the indexer itself, not of the atlas.
fn fail(what: &str, e: String) -> Diagnostic {
    Diagnostic::error(BUNDLE_DIR, Pos::FILE, format!("search index: {what}: {e}"))
        .with_help("this is a fault in atlasgen or Pagefind, not in the atlas; please report it")
}

/// The error of an indexing thread that stopped without an answer.
pub fn stopped() -> Diagnostic {
    fail("the indexing thread stopped", "it panicked".into())
}

/// The text of HTML that atlasgen rendered itself: tags dropped (the edges of blocks and line
/// breaks become spaces, inline tags such as links and emphasis nothing, so "(<a>x</a>)" reads
/// "(x)"), the five entities it writes decoded.
pub fn plain_text(html: &str) -> String {
    const INLINE: [&str; 14] =
        ["a", "em", "strong", "cite", "span", "code", "sup", "sub", "mark", "abbr", "b", "i", "del", "time"];
    let mut out = String::with_capacity(html.len());
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(name), '>') => {
                let name = name.trim_start_matches('/');
                let name = name.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or_default();
                if !INLINE.contains(&name.to_ascii_lowercase().as_str()) {
                    out.push(' ');
                }
                tag = None;
            }
            (Some(name), c) => name.push(c),
            (None, c) => out.push(c),
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// Whether Pagefind splits this language's text into words (it does for Chinese, Japanese
/// and Thai, not for metadata): there the title goes into the text too, so a word inside it
/// ("河内" in "中越陆地边界条约在河内签署") is found.
fn segmented(language: &str) -> bool {
    crate::i18n::unspaced(language)
}

/// In a language Pagefind splits into words, the title joins the text (at its end, where an
/// excerpt seldom reaches), so the words inside it are found.
fn with_title(content: &mut String, title: &str, language: &str) {
    if segmented(language) {
        content.push_str(" · ");
        content.push_str(title);
    }
}

/// The text of a plain page for the index: its own text, the title being metadata.
pub(super) fn page_text(title: &str, html: &str, language: &str) -> String {
    let mut content = plain_text(html).split_whitespace().collect::<Vec<_>>().join(" ");
    with_title(&mut content, title, &language.to_lowercase());
    content
}

/// The plain text of a value for the index: references by their titles, lists joined,
/// objects' fields in order; citations, points and addresses, which say nothing a reader
/// searches for, left out.
fn searchable(v: &ValueView, locale: &crate::i18n::Locale) -> Option<String> {
    match v {
        ValueView::Citation(_) | ValueView::Geo { .. } | ValueView::Url { .. } => None,
        ValueView::Text { html, .. } => Some(plain_text(html).split_whitespace().collect::<Vec<_>>().join(" ")),
        ValueView::List { items, .. } => {
            let parts: Vec<String> = items.iter().filter_map(|i| searchable(i, locale)).collect();
            (!parts.is_empty()).then(|| locale.list(&parts))
        }
        ValueView::Object { fields, .. } => {
            let parts: Vec<String> = fields.iter().filter_map(|f| searchable(&f.value, locale)).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        other => Some(other.text().to_string()).filter(|t| !t.is_empty()),
    }
}

/// What search knows of a record: its title and other names as metadata, and as text its
/// prose fields, its other fields as "Label: value", and its narrative.
pub(super) fn entry(views: &Views, r: &crate::model::Record, view: &RecordView) -> Entry {
    let locale = views.locale;
    let spec = views.atlas.config.collection(&r.collection);
    let title_field = spec.map(|c| c.title_field.value.as_str()).unwrap_or_default();
    let alias = |name: &str| {
        spec.is_some_and(|c| c.field(name).is_some_and(|f| f.alias) || c.title_fields.values().any(|t| t.value == name))
    };
    let mut names: Vec<String> = Vec::new();
    let (mut prose, mut labelled) = (Vec::new(), Vec::new());
    for f in view.fields.iter().filter(|f| f.name != title_field) {
        if alias(&f.name) {
            let items: Vec<&ValueView> = match &f.value {
                ValueView::List { items, .. } => items.iter().collect(),
                v => vec![v],
            };
            for name in items.into_iter().map(|v| v.text().trim()) {
                if !name.is_empty() && name != r.title && !names.iter().any(|n| n == name) {
                    names.push(name.to_string());
                }
            }
        }
        let Some(text) = searchable(&f.value, locale) else { continue };
        match f.value {
            ValueView::Text { .. } => prose.push(text),
            _ => labelled.push(locale.labelled(&f.label, &text)),
        }
    }
    let mut content = prose.join(" ");
    let narrative = r.body_html.as_deref().map(plain_text).unwrap_or_default();
    for part in [labelled.join(" · "), narrative.split_whitespace().collect::<Vec<_>>().join(" ")] {
        if !part.trim().is_empty() {
            content.push_str(if content.is_empty() { "" } else { " · " });
            content.push_str(part.trim());
        }
    }
    let language = locale.language.code.to_lowercase();
    with_title(&mut content, &r.title, &language);
    let collection = spec.map(|c| (c.title.as_str(), c.singular.as_str())).unwrap_or_default();
    Entry {
        url: format!("/{}{}", locale.language.prefix, Urls::record(&r.collection, &r.id).0),
        title: r.title.clone(),
        content,
        language,
        filter: locale.t(collection.0),
        filter_name: locale.t("Collection"),
        kind: locale.t(collection.1),
        names,
        titles: Vec::new(),
    }
}

/// Gives a record's entry its `titles` and other names in the atlas's other languages (`all`
/// holds them all, its own too), so a reader of the English pages who types the Vietnamese or
/// Chinese title finds it, and one of the Chinese pages who types the Vietnamese name.
pub(super) fn add_titles<'a>(e: &mut Entry, all: impl Iterator<Item = &'a str>) {
    for t in all {
        if t != e.title && !e.titles.iter().any(|m| m == t) && !e.names.iter().any(|m| m == t) {
            e.titles.push(t.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_of_rendered_html() {
        assert_eq!(
            plain_text("<p>Tom &amp; <em>Jerry</em></p><p>b</p>").split_whitespace().collect::<Vec<_>>(),
            ["Tom", "&", "Jerry", "b"]
        );
        assert_eq!(
            plain_text("<p>Gate (<cite class=\"cite\"><a href=\"/s/\">Chu 2024</a>, §3</cite>).<br>Next</p>").trim(),
            "Gate (Chu 2024, §3). Next"
        );
    }

    pub(super) fn entry(title: &str, names: &[&str], titles: &[&str]) -> Entry {
        Entry {
            url: "/gates/x/".into(),
            title: title.into(),
            content: String::new(),
            language: "en".into(),
            filter: "Border gates".into(),
            filter_name: "Collection".into(),
            kind: "Border gate".into(),
            names: names.iter().map(|s| s.to_string()).collect(),
            titles: titles.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn other_languages_titles_are_added_once() {
        let mut e = entry("Móng Cái – Dongxing", &["Dongxing"], &[]);
        add_titles(
            &mut e,
            ["Móng Cái – Dongxing", "Cửa khẩu Móng Cái", "芒街—东兴", "Dongxing", "芒街—东兴"].into_iter(),
        );
        assert_eq!(e.titles, ["Cửa khẩu Móng Cái", "芒街—东兴"]);
    }

    #[test]
    fn page_text_leaves_the_title_to_metadata_except_where_words_are_not_spaced() {
        assert_eq!(page_text("About", "<h2>About</h2><p>The <em>atlas</em>.</p>", "en"), "About The atlas.");
        assert_eq!(page_text("关于", "<p>本图集。</p>", "zh-Hans"), "本图集。 · 关于");
        assert!(!page_text("About", "<p>x</p>", "en").contains("About"));
    }
}
