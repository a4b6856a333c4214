//! Full-text search with Pagefind, run in-process over the pages rendered in memory.
//!
//! Templates mark what is indexed (`data-pagefind-body` on record and plain pages, a
//! `data-pagefind-filter` naming the collection), so index and facet pages, which only repeat
//! records, stay out of results. Pagefind's index and its UI are written into the site under
//! `pagefind/`; nothing is fetched from elsewhere when a reader searches.
//!
//! Readers type "Mong Cai" for Móng Cái and "huu nghi" for Hữu Nghị: every indexed page carries
//! the ASCII-folded form of its title in an attribute Pagefind indexes (see `fold`).

use super::OutputFile;
use crate::diag::{Diagnostic, Pos};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

/// Where the bundle goes in the site.
pub const BUNDLE_DIR: &str = "pagefind";

/// Indexes the HTML pages among `files` that opt in, and returns Pagefind's files. With
/// `language`, every page is indexed as that language; without, Pagefind reads each page's
/// `<html lang>` and builds one index per language, which its UI picks by the page's own.
pub fn index(files: &[OutputFile], language: Option<&str>) -> Result<Vec<OutputFile>, Diagnostic> {
    let fail = |what: &str, e: String| {
        Diagnostic::error(BUNDLE_DIR, Pos::FILE, format!("search index: {what}: {e}"))
            .with_help("this is a fault in atlasgen or Pagefind, not in the atlas; please report it")
    };
    // Pagefind's API is async. Indexing runs on a thread of its own with its own runtime, so
    // callers that already drive a runtime (`serve`) can call this like any other function.
    std::thread::scope(|scope| {
        scope
            .spawn(|| index_on_this_thread(files, language, &fail))
            .join()
            .unwrap_or_else(|_| Err(fail("the indexing thread stopped", "it panicked".into())))
    })
}

fn index_on_this_thread(
    files: &[OutputFile],
    language: Option<&str>,
    fail: &(dyn Fn(&str, String) -> Diagnostic + Sync),
) -> Result<Vec<OutputFile>, Diagnostic> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail("cannot start", e.to_string()))?;
    runtime.block_on(async {
        let builder = PagefindServiceConfig::builder().keep_index_url(false);
        let config = match language {
            Some(l) => builder.force_language(l.to_string()).build(),
            None => builder.build(),
        };
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| fail("cannot create the index", e.to_string()))?;
        for f in files.iter().filter(|f| f.path.ends_with(".html")) {
            let Ok(html) = std::str::from_utf8(&f.bytes) else { continue };
            if !html.contains("data-pagefind-body") {
                continue;
            }
            // Site-relative: the UI prepends the base path (its `baseUrl`), as a sub-path needs.
            let url = format!("/{}", f.path.trim_end_matches("index.html"));
            index
                .add_html_file(None, Some(url), html.to_string())
                .await
                .map_err(|e| fail(&format!("cannot index {}", f.path), e.to_string()))?;
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

/// Lowercase ASCII words of a text: "Móng Cái – Dongxing" gives "mong cai dongxing", so a
/// search typed without diacritics finds it. Characters outside Latin script are kept.
pub fn fold(text: &str) -> String {
    let slugged = crate::content::slug(text);
    slugged.replace('-', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese_titles() {
        assert_eq!(fold("Móng Cái – Dongxing"), "mong cai dongxing");
        assert_eq!(fold("Hữu Nghị – Youyi Guan"), "huu nghi youyi guan");
    }
}
