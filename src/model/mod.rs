//! The atlas as a whole: records indexed by collection and id, references resolved, backlinks
//! and citations computed, narrative rendered. Built once from checked records; read-only after.

use crate::config::Config;
use crate::config::Language;
use crate::content::{Body, RawPage};
use crate::diag::Diagnostic;
use crate::markdown::Resolve;
use crate::urls::Urls;
use crate::validate::{Checked, Fields, Value};
use indexmap::IndexMap;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

mod build;
mod change;
mod localize;
mod memo;
mod order;
mod patch;
mod record;
mod resolve;

pub use crate::ids::RecordKey;
pub use crate::links::BacklinkKind;
pub use change::Change;
pub use memo::Memo;
pub use resolve::Titles;
use resolve::{AtlasResolve, Lost};

/// A record ready for rendering.
#[derive(Debug, Clone)]
pub struct Record {
    pub collection: String,
    pub id: String,
    /// Source file, relative to the atlas root, and where in it the record starts.
    pub file: String,
    pub pos: crate::diag::Pos,
    pub title: String,
    pub fields: Fields,
    /// In another language, the default language's fields of a translated record: facets key
    /// on them, so a value's page has the same URL in every language.
    pub canonical: Option<Fields>,
    /// The narrative as HTML (records from YAML lists have none); shared with the record's
    /// views rather than copied into them.
    pub body_html: Option<std::sync::Arc<str>>,
    /// The narrative's Markdown, kept only when other languages render it again.
    pub body_md: Option<Body>,
    /// The images its narrative shows (body and Markdown fields), as paths under `static/`.
    pub images: Vec<String>,
    /// Shown in another language than its own because it has no translation into this one.
    pub untranslated: bool,
}

impl Record {
    /// The record's key in maps of records.
    pub fn key(&self) -> RecordKey {
        RecordKey::new(self.collection.clone(), self.id.clone())
    }
}

/// A record's translation into one language: the translatable fields it gives and its
/// narrative.
#[derive(Debug, Clone)]
pub struct Translation {
    pub file: String,
    /// Where in its file the translation starts (an item of a translated list).
    pub pos: crate::diag::Pos,
    pub fields: Fields,
    pub body: Option<Body>,
}

/// A plain page ready for rendering.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub file: String,
    pub title: String,
    pub description: String,
    pub html: String,
    pub md: Body,
    /// The images its narrative shows, as paths under `static/`.
    pub images: Vec<String>,
    /// Shown in the default language because it has no translation into this one.
    pub untranslated: bool,
}

/// A record that points at another, grouped on the target's page by `kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlink {
    pub kind: BacklinkKind,
    /// The record that points.
    pub from: RecordKey,
}

/// Everything the renderer reads.
#[derive(Debug)]
pub struct Atlas {
    pub config: Config,
    pub urls: Urls,
    /// Records per collection, in the collection's sort order; every configured collection
    /// is present, possibly empty.
    pub collections: IndexMap<String, Vec<Record>>,
    pub pages: Vec<Page>,
    /// Who points at each record, in a stable order.
    pub backlinks: HashMap<RecordKey, Vec<Backlink>>,
    /// Short labels of sources for citations ("Chu & Duong 2024").
    pub cite_labels: HashMap<String, String>,
    /// When each content file last changed, from the atlas's git history (see
    /// [`crate::history`]); empty outside a git checkout.
    pub updated: std::sync::Arc<HashMap<String, crate::date::Date>>,
    /// Where each record stands in its collection, by collection then id: looked up with
    /// borrowed names, so `get` allocates nothing.
    index: HashMap<String, HashMap<String, usize>>,
    /// The language of this atlas's text; see [`Atlas::localize`] for the others.
    pub language: Language,
    /// Record translations per language code.
    translations: HashMap<String, HashMap<RecordKey, Translation>>,
    /// Page translations per language code, by page id.
    page_translations: HashMap<String, HashMap<String, RawPage>>,
    /// What files that could not be read took with them (see [`resolve::Lost`]).
    lost: Lost,
}

impl Record {
    /// The date or span in `field`, a single date counting as a span of itself.
    pub fn period(&self, field: &str) -> Option<crate::date::Period> {
        self.fields.get(field)?.period()
    }

    /// The first Markdown text field, in schema order: the record's summary where it has one.
    /// Whether a translation would give this record anything: narrative, or text in a field
    /// its schema lets a translation give.
    pub fn has_text_to_translate(&self, spec: &crate::config::CollectionSpec) -> bool {
        self.body_md.as_ref().is_some_and(|b| !b.text.trim().is_empty())
            || spec
                .fields
                .iter()
                .any(|(n, f)| f.value.translation().is_some() && self.fields.get(n).is_some_and(Value::has_text))
    }

    pub fn first_text(&self) -> Option<&str> {
        self.fields.values().find_map(|v| match v {
            Value::Text(t, _) => Some(t.as_str()),
            _ => None,
        })
    }
}

impl Atlas {
    /// Puts the backlink lists of `targets` in order: grouped by collection (configuration
    /// order), then heading; within a group they follow the linking collection's own order
    /// (events by date, and so on). A backlink given twice (by two references of one record)
    /// is kept once.
    fn sort_backlinks<'a>(&mut self, targets: impl Iterator<Item = &'a RecordKey>) {
        let Atlas { config, index, backlinks, .. } = self;
        let position = |collection: &str, id: &str| index.get(collection).and_then(|ids| ids.get(id)).copied();
        let group_order: HashMap<&str, usize> =
            config.collections.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
        let wanted: HashSet<&RecordKey> = targets.collect();
        backlinks.par_iter_mut().filter(|(k, _)| wanted.contains(k)).for_each(|(_, list)| {
            // Stable, and equal backlinks have equal keys: repeats end up side by side.
            list.sort_by_cached_key(|b| {
                let from = &b.from;
                (
                    group_order.get(from.collection.as_str()).copied(),
                    b.kind.heading().to_string(),
                    position(&from.collection, &from.id),
                )
            });
            list.dedup();
        });
    }

    pub fn get(&self, collection: &str, id: &str) -> Option<&Record> {
        self.collections.get(collection)?.get(self.position(collection, id)?)
    }

    /// Where a record stands in its collection's order.
    /// A record's translation into `language`, if it has one.
    pub fn translation(&self, language: &str, collection: &str, id: &str) -> Option<&Translation> {
        self.translations.get(language)?.get(&RecordKey::new(collection, id))
    }

    /// Whether a plain page has a translation into `language`.
    pub fn page_translated(&self, language: &str, id: &str) -> bool {
        self.page_translations.get(language).is_some_and(|t| t.contains_key(id))
    }

    pub fn position(&self, collection: &str, id: &str) -> Option<usize> {
        self.index.get(collection)?.get(id).copied()
    }

    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.collections.values().flatten()
    }

    /// A resolver over this atlas, for rendering Markdown in text fields.
    pub fn resolver(&self) -> impl Resolve + '_ {
        AtlasResolve(self)
    }
}

/// What a translation gives that its record does not match: a field the record lacks (it
/// would show in one language only), or a list of objects whose items differ in number (they
/// are laid over the record's items in order, so a missing or extra item would shift them).
pub(crate) fn misaligned(t: &Checked, record: &Fields) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (name, value) in t.fields.iter() {
        let pos = || t.keys.iter().find(|(k, _)| k == name).map_or(crate::diag::Pos::FILE, |(_, p)| *p);
        if !record.contains_key(name) {
            out.push(
                Diagnostic::error(&t.raw.file, pos(), format!("this translation gives `{name}`, which the record does not have"))
                    .with_help("a translation only translates what the record gives; remove it here, or add it to the record first"),
            );
            continue;
        }
        let (Value::List(items), Some(Value::List(base))) = (value, record.get(name)) else { continue };
        if !items.iter().any(|v| matches!(v, Value::Object(_))) || items.len() == base.len() {
            continue;
        }
        out.push(
            Diagnostic::error(
                &t.raw.file,
                pos(),
                format!(
                    "this translation of `{name}` has {} items, but the record has {}",
                    items.len(),
                    base.len()
                ),
            )
            .with_help("give one item per item of the record, in the same order; write `{}` for an item with nothing to translate"),
        );
    }
    out
}
