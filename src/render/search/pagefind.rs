//! Pagefind, run in-process: the entries' metadata as Pagefind ranks it, one index per
//! language built on threads of their own, and their bundles merged into one. Behind the
//! `search` feature, which brings in most of atlasgen's dependencies.

use super::{BUNDLE_DIR, Entry, fail, stopped};
use crate::diag::Diagnostic;
use crate::render::OutputFile;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

impl Entry {
    /// Pagefind's metadata for the entry: `title`, `type`, `names` and `titles` (joined by
    /// " · "), and the folded words of them where Pagefind's own folding, which drops accents,
    /// does not reach ("dong" for "Đồng", not "mong" for "Móng"): `keys` of its own title and
    /// names, `other_keys` of its names in the other languages, which rank lower, as `titles`
    /// do, so that another language's name never outranks the page's own.
    fn meta(&self) -> BTreeMap<String, String> {
        let mut meta = BTreeMap::from([("title".to_string(), self.title.clone()), ("type".into(), self.kind.clone())]);
        for (field, list) in [("names", &self.names), ("titles", &self.titles)] {
            if !list.is_empty() {
                meta.insert(field.into(), list.join(" · "));
            }
        }
        let mut keys: Vec<String> = Vec::new();
        let own = std::iter::once(&self.title).chain(&self.names);
        let found = folded_keys(own, &mut keys);
        let others = folded_keys(self.titles.iter(), &mut keys);
        for (field, words) in [("keys", &keys[..found]), ("other_keys", &keys[found..found + others])] {
            if !words.is_empty() {
                meta.insert(field.into(), words.join(" "));
            }
        }
        meta
    }
}

/// Adds to `keys` the ASCII-folded words of `names` that Pagefind's own folding does not give
/// and that `keys` does not hold yet; returns how many it added.
fn folded_keys<'a>(names: impl Iterator<Item = &'a String>, keys: &mut Vec<String>) -> usize {
    let before = keys.len();
    for word in names.flat_map(|n| n.split_whitespace()) {
        // Words of Latin, Greek or Cyrillic script only: Han characters are not folded
        // into pinyin syllables that would match unrelated Latin words.
        if word.chars().any(|c| c.is_alphabetic() && c as u32 >= 0x2000) {
            continue;
        }
        let pagefinds: String = word.to_lowercase().nfd().filter(|c| !is_combining_mark(*c)).collect();
        for w in fold(word).split_whitespace() {
            if !pagefinds.contains(w) && !keys.iter().any(|k| k == w) {
                keys.push(w.to_string());
            }
        }
    }
    keys.len() - before
}

/// Lowercase ASCII words of a text: "Móng Cái – Dongxing" gives "mong cai dongxing", so a
/// search typed without diacritics finds it. Characters outside Latin script are kept.
fn fold(text: &str) -> String {
    let slugged = crate::ids::slug(text);
    slugged.replace('-', " ")
}

/// Pagefind's ready-made search interfaces, which the search page does without: it draws its
/// own results with Pagefind's search API (`pagefind.js`).
fn unused(path: &str) -> bool {
    let name = path.trim_start_matches(BUNDLE_DIR).trim_start_matches('/');
    ["pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight."]
        .iter()
        .any(|p| name.starts_with(p))
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
            } else if !unused(&f.path) && seen.insert(f.path.clone()) {
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
            let (url, meta) = (e.url.clone(), e.meta());
            index
                .add_custom_record(
                    e.url,
                    e.content,
                    e.language,
                    Some(meta),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::tests::entry;

    #[test]
    fn folds_vietnamese_titles() {
        assert_eq!(fold("Móng Cái – Dongxing"), "mong cai dongxing");
        assert_eq!(fold("Hữu Nghị – Youyi Guan"), "huu nghi youyi guan");
    }

    #[test]
    fn names_are_metadata_and_only_missing_folds_are_keys() {
        let e = entry("Hữu Nghị – Đồng Đăng", &["Hữu Nghị", "Youyi Guan"], &["友谊关", "Cửa khẩu Hữu Nghị"]);
        let meta = e.meta();
        assert_eq!(meta["title"], "Hữu Nghị – Đồng Đăng");
        assert_eq!(meta["type"], "Border gate");
        assert_eq!(meta["names"], "Hữu Nghị · Youyi Guan");
        assert_eq!(meta["titles"], "友谊关 · Cửa khẩu Hữu Nghị");
        // Pagefind drops the accents of "Hữu" and "Nghị" itself; "Đ" is a letter of its own,
        // which only the folded key reaches. Han characters are never folded.
        assert_eq!(meta["keys"], "dong dang");
        assert!(!meta.contains_key("other_keys"), "nothing of the other languages to fold");
        // The other languages' names fold into keys of their own, which rank lower; a word
        // the entry's own names already gave is not repeated.
        let zh = entry("芒街—东兴", &["Đồng Đăng"], &["Móng Cái – Đông Hưng", "Đồ Sơn", "Dongxing"]);
        let meta = zh.meta();
        assert_eq!(meta["keys"], "dong dang");
        assert_eq!(meta["other_keys"], "do");
        let plain = entry("Dongxing", &[], &[]);
        assert!(!plain.meta().contains_key("keys"), "nothing to fold");
        assert!(!plain.meta().contains_key("names"));
    }
}
