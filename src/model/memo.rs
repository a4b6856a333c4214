//! Narrative as an earlier build of the model rendered it, reused by the next build when
//! neither its Markdown nor any answer it was given (a linked record's title and URL, a
//! source's label, a page's URL) has changed. `serve` keeps one between saves, so a save
//! renders again only the narrative it touched; a one-off build keeps nothing.

use crate::markdown::{self, Rendered, Resolve};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::RecordKey;

/// Rendered narrative by record; see the module's documentation.
#[derive(Default)]
pub struct Memo {
    keep: bool,
    /// A record's texts by slot: its body (`None` if it has none), then the Markdown values
    /// of its fields.
    entries: HashMap<RecordKey, Vec<Option<Arc<Narrative>>>>,
}

/// One text, rendered, with what rendering it asked of the rest of the atlas.
pub(super) struct Narrative {
    text: String,
    inline: bool,
    asked: Vec<Asked>,
    /// The HTML, shared with the record that shows it.
    pub(super) html: Arc<str>,
    /// Everything else rendering found ([`Rendered::html`] is left empty).
    pub(super) found: Rendered,
}

/// A question rendering asked of the atlas, and the answer it got.
enum Asked {
    Record(String, String, Option<(String, String)>),
    Named(String, Option<String>),
    Source(String, Option<(String, String)>),
    /// An image's path and what it named: a changed or added file renders the text again.
    Image(String, Result<Arc<crate::images::Image>, String>),
}

impl Asked {
    fn holds(&self, resolve: &dyn Resolve) -> bool {
        match self {
            Asked::Record(c, i, a) => resolve.record(c, i) == *a,
            Asked::Named(n, a) => resolve.named(n) == *a,
            Asked::Source(i, a) => resolve.source(i) == *a,
            Asked::Image(src, a) => resolve.image(src) == *a,
        }
    }
}

/// A resolver that notes every question and its answer.
struct Recorder<'a> {
    inner: &'a dyn Resolve,
    asked: RefCell<Vec<Asked>>,
}

impl Resolve for Recorder<'_> {
    fn record(&self, collection: &str, id: &str) -> Option<(String, String)> {
        let a = self.inner.record(collection, id);
        self.asked.borrow_mut().push(Asked::Record(collection.into(), id.into(), a.clone()));
        a
    }
    fn named(&self, name: &str) -> Option<String> {
        let a = self.inner.named(name);
        self.asked.borrow_mut().push(Asked::Named(name.into(), a.clone()));
        a
    }
    fn source(&self, id: &str) -> Option<(String, String)> {
        let a = self.inner.source(id);
        self.asked.borrow_mut().push(Asked::Source(id.into(), a.clone()));
        a
    }
    fn base_path(&self) -> &str {
        self.inner.base_path()
    }
    fn image(&self, src: &str) -> Result<Arc<crate::images::Image>, String> {
        let a = self.inner.image(src);
        self.asked.borrow_mut().push(Asked::Image(src.into(), a.clone()));
        a
    }
    fn sources_hint(&self) -> String {
        self.inner.sources_hint()
    }
}

impl Memo {
    /// A memo that remembers what it rendered for the next build.
    pub fn keeping() -> Memo {
        Memo { keep: true, entries: HashMap::new() }
    }

    /// Forgets everything (the configuration changed: URLs and labels may all differ).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Renders `text`, the text in slot `n` of record `key` (0 its body, then the Markdown
    /// values of its fields; see [`markdown::render`]), or hands back the earlier rendering
    /// when the text is the same and every answer it was given still holds.
    pub(super) fn render(
        &self,
        key: &RecordKey,
        n: usize,
        text: &str,
        resolve: &dyn Resolve,
        inline: bool,
    ) -> Arc<Narrative> {
        if !self.keep {
            let mut found = markdown::render(text, resolve, inline);
            let html = Arc::from(std::mem::take(&mut found.html));
            return Arc::new(Narrative { text: String::new(), inline, asked: Vec::new(), html, found });
        }
        if let Some(n) = self.entries.get(key).and_then(|texts| texts.get(n)?.as_ref())
            && n.text == text
            && n.inline == inline
            && n.asked.iter().all(|a| a.holds(resolve))
        {
            return Arc::clone(n);
        }
        let recorder = Recorder { inner: resolve, asked: RefCell::new(Vec::new()) };
        let mut found = markdown::render(text, &recorder, inline);
        let html = Arc::from(std::mem::take(&mut found.html));
        let asked = recorder.asked.into_inner();
        Arc::new(Narrative { text: text.to_string(), inline, asked, html, found })
    }

    /// Keeps exactly `entries`, the narrative of the build just made (a keeping memo only).
    pub(super) fn replace(&mut self, entries: impl Iterator<Item = (RecordKey, Vec<Option<Arc<Narrative>>>)>) {
        if self.keep {
            self.entries = entries.collect();
        }
    }

    pub(super) fn keeps(&self) -> bool {
        self.keep
    }

    /// A record's texts as last rendered, by slot (nothing for a record it does not hold).
    pub(super) fn texts(&self, key: &RecordKey) -> &[Option<Arc<Narrative>>] {
        self.entries.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Keeps `texts` as the record's texts (a patched record's).
    pub(super) fn set(&mut self, key: RecordKey, texts: Vec<Option<Arc<Narrative>>>) {
        if self.keep {
            self.entries.insert(key, texts);
        }
    }

    /// The records whose narrative asked for one of `records` or cited one of `sources`: the
    /// narrative a new title or citation label may change.
    pub(super) fn askers(&self, records: &HashSet<RecordKey>, sources: &HashSet<String>) -> Vec<RecordKey> {
        let asks = |n: &Narrative| {
            n.asked.iter().any(|a| match a {
                Asked::Record(c, i, _) => records.iter().any(|k| k.is(c, i)),
                Asked::Source(i, _) => sources.contains(i),
                Asked::Named(..) | Asked::Image(..) => false,
            })
        };
        let mut found: Vec<RecordKey> = self
            .entries
            .iter()
            .filter(|(_, texts)| texts.iter().flatten().any(|n| asks(n)))
            .map(|(k, _)| k.clone())
            .collect();
        found.sort();
        found
    }

    /// Every record's narrative that links into a section of `target`, as (record, anchor).
    pub(super) fn wanting(&self, target: &RecordKey) -> Vec<(&RecordKey, &str)> {
        self.entries
            .iter()
            .filter_map(|(k, texts)| Some((k, texts.first()?.as_ref()?)))
            .flat_map(|(k, n)| {
                n.found.anchors_wanted.iter().filter(|w| w.target == *target).map(move |w| (k, w.anchor.as_str()))
            })
            .collect()
    }
}

impl Narrative {
    /// The Markdown it was rendered from, and whether inline.
    pub(super) fn source(&self) -> (&str, bool) {
        (&self.text, self.inline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Knows one source, whose label is `label`.
    struct Sources {
        label: &'static str,
    }
    impl Resolve for Sources {
        fn record(&self, _: &str, _: &str) -> Option<(String, String)> {
            None
        }
        fn named(&self, _: &str) -> Option<String> {
            None
        }
        fn source(&self, id: &str) -> Option<(String, String)> {
            (id == "chu-2024").then(|| ("/sources/chu-2024/".into(), self.label.into()))
        }
        fn base_path(&self) -> &str {
            "/"
        }
        fn image(&self, src: &str) -> Result<Arc<crate::images::Image>, String> {
            Err(format!("no image {src}"))
        }
    }

    fn kept(memo: &mut Memo, key: &RecordKey, n: Arc<Narrative>) {
        memo.replace(std::iter::once((key.clone(), vec![Some(n)])));
    }

    #[test]
    fn narrative_is_reused_until_its_text_or_an_answer_changes() {
        let key: RecordKey = RecordKey::new("towns", "mong-cai");
        let text = "A border city [@chu-2024].";
        let old = Sources { label: "Chu & Duong 2024" };
        let mut memo = Memo::keeping();
        let first = memo.render(&key, 0, text, &old, false);
        kept(&mut memo, &key, Arc::clone(&first));
        let again = memo.render(&key, 0, text, &old, false);
        assert!(Arc::ptr_eq(&first, &again), "same text, same answers: the rendering is reused");

        let edited = memo.render(&key, 0, "A busy border city [@chu-2024].", &old, false);
        assert!(!Arc::ptr_eq(&first, &edited) && edited.html.contains("busy"));

        let relabelled = memo.render(&key, 0, text, &Sources { label: "Chu & Duong 2025" }, false);
        assert!(!Arc::ptr_eq(&first, &relabelled) && relabelled.html.contains("2025"));

        let elsewhere = memo.render(&RecordKey::new("towns", "dongxing"), 0, text, &old, false);
        assert!(!Arc::ptr_eq(&first, &elsewhere), "another record's slot is its own");
    }

    #[test]
    fn a_one_off_memo_keeps_nothing() {
        let key: RecordKey = RecordKey::new("towns", "mong-cai");
        let mut memo = Memo::default();
        let first = memo.render(&key, 0, "Text.", &Sources { label: "x" }, false);
        kept(&mut memo, &key, Arc::clone(&first));
        assert!(!Arc::ptr_eq(&first, &memo.render(&key, 0, "Text.", &Sources { label: "x" }, false)));
    }
}
