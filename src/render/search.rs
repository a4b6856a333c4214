//! Full-text search with Pagefind, run in-process over the records in memory.
//!
//! Records and pages go to Pagefind as custom records built from the model: their title, the
//! text of their fields and their narrative, with the collection as a filter. Indexing from
//! the model rather than from the rendered HTML keeps maps, navigation and lists of other
//! records out of the index, whatever the templates draw, and spares Pagefind parsing every
//! page. Pagefind's index and its UI are written into the site under `pagefind/`; nothing is
//! fetched from elsewhere when a reader searches.
//!
//! Readers type "Mong Cai" for Móng Cái and "huu nghi" for Hữu Nghị: every record's text
//! carries the ASCII-folded form of its title too (see `fold`). Each language gets its own
//! index, which Pagefind's UI picks by the page's `<html lang>`; Chinese text is split into
//! words by Pagefind's segmenter (its `extended` feature).

use super::OutputFile;
use super::views::{RecordView, ValueView, Views};
use crate::diag::{Diagnostic, Pos};
use crate::urls::Urls;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::collections::BTreeMap;

/// Where the bundle goes in the site.
pub const BUNDLE_DIR: &str = "pagefind";

/// One searchable page.
#[derive(Debug, Clone)]
pub struct Entry {
    /// URL relative to the site's root (`/vi/gates/x/`); the UI prepends the base path.
    pub url: String,
    pub title: String,
    /// Plain text: title, folded title, field values, narrative.
    pub content: String,
    /// Lowercase BCP 47 tag, as Pagefind keys its indexes (`zh-hans`).
    pub language: String,
    /// The collection's title, or "Pages", under the filter's name in the page's language.
    pub filter: String,
    pub filter_name: String,
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

/// The file listing a bundle's languages, which Pagefind's UI reads first.
const ENTRY_FILE: &str = "pagefind-entry.json";

/// The entry file, as Pagefind writes it (its fields in its order).
#[derive(serde::Serialize, serde::Deserialize)]
struct EntryFile {
    version: String,
    languages: BTreeMap<String, EntryLanguage>,
    include_characters: Vec<char>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct EntryLanguage {
    hash: String,
    wasm: Option<String>,
    page_count: usize,
}

/// Indexes `entries` and returns Pagefind's files.
///
/// Pagefind indexes one language after another on one thread, so each language gets an index
/// of its own, on a thread of its own, and their bundles are merged: every language's files
/// are its own (named by their content) but for the scripts they share, and the entry file
/// lists them all, as one index of every language would.
pub fn index(entries: Vec<Entry>) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut languages: Vec<Vec<Entry>> = Vec::new();
    for e in entries {
        match languages.iter_mut().find(|l| l[0].language == e.language) {
            Some(l) => l.push(e),
            None => languages.push(vec![e]),
        }
    }
    // Pagefind's API is async. Indexing runs on threads of its own with their own runtimes, so
    // callers that already drive a runtime (`serve`) can call this like any other function.
    let bundles: Vec<Result<Vec<OutputFile>, Diagnostic>> = std::thread::scope(|scope| {
        let threads: Vec<_> = languages.into_iter().map(|l| scope.spawn(|| index_on_this_thread(l))).collect();
        threads.into_iter().map(|t| t.join().unwrap_or_else(|_| Err(stopped()))).collect()
    });
    let mut files: Vec<OutputFile> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut entry: Option<EntryFile> = None;
    for bundle in bundles {
        for f in bundle? {
            if f.path == format!("{BUNDLE_DIR}/{ENTRY_FILE}") {
                let this: EntryFile =
                    serde_json::from_slice(&f.bytes).map_err(|e| fail("cannot read its entry file", e.to_string()))?;
                match &mut entry {
                    None => entry = Some(this),
                    Some(all) => all.languages.extend(this.languages),
                }
            } else if seen.insert(f.path.clone()) {
                files.push(f);
            }
        }
    }
    if let Some(entry) = entry {
        let bytes = serde_json::to_vec(&entry).map_err(|e| fail("cannot write its entry file", e.to_string()))?;
        files.push(OutputFile { path: format!("{BUNDLE_DIR}/{ENTRY_FILE}"), bytes });
    }
    Ok(files)
}

fn index_on_this_thread(entries: Vec<Entry>) -> Result<Vec<OutputFile>, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail("cannot start", e.to_string()))?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder().keep_index_url(false).build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| fail("cannot create the index", e.to_string()))?;
        for e in entries {
            let url = e.url.clone();
            index
                .add_custom_record(
                    e.url,
                    e.content,
                    e.language,
                    Some(BTreeMap::from([("title".to_string(), e.title)])),
                    Some(BTreeMap::from([(e.filter_name, vec![e.filter])])),
                    None,
                )
                .await
                .map_err(|err| fail(&format!("cannot index {url}"), err.to_string()))?;
        }
        let out = index.get_files().await.map_err(|e| fail("cannot build", e.to_string()))?;
        Ok(out
            .into_iter()
            .map(|s| OutputFile {
                path: format!("{BUNDLE_DIR}/{}", s.filename.to_string_lossy().replace('\\', "/")),
                bytes: s.contents,
            })
            .collect())
    })
}

/// The text of HTML that atlasgen rendered itself: tags dropped (block ends become spaces),
/// the five entities it writes decoded.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                out.push(' ');
            }
            (true, '>') => in_tag = false,
            (false, c) => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// Lowercase ASCII words of a text: "Móng Cái – Dongxing" gives "mong cai dongxing", so a
/// search typed without diacritics finds it. Characters outside Latin script are kept.
pub fn fold(text: &str) -> String {
    let slugged = crate::content::slug(text);
    slugged.replace('-', " ")
}

/// What search knows of a record: its title (also folded to ASCII), its field values and its
/// narrative, as plain text.
pub(super) fn entry(views: &Views, r: &crate::model::Record, view: &RecordView) -> Entry {
    let mut content = format!("{} {}", r.title, fold(&r.title));
    for f in &view.fields {
        content.push(' ');
        match &f.value {
            ValueView::Text { html, .. } => content.push_str(&plain_text(html)),
            other => content.push_str(other.text()),
        }
    }
    if let Some(html) = &r.body_html {
        content.push(' ');
        content.push_str(&plain_text(html));
    }
    let collection = views.atlas.config.collection(&r.collection).map(|c| c.title.as_str()).unwrap_or_default();
    Entry {
        url: format!("/{}{}", views.locale.language.prefix, Urls::record(&r.collection, &r.id).0),
        title: r.title.clone(),
        content,
        language: views.locale.language.code.to_lowercase(),
        filter: views.locale.t(collection),
        filter_name: views.locale.t("Collection"),
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
    }

    #[test]
    fn folds_vietnamese_titles() {
        assert_eq!(fold("Móng Cái – Dongxing"), "mong cai dongxing");
        assert_eq!(fold("Hữu Nghị – Youyi Guan"), "huu nghi youyi guan");
    }
}
