//! How the names a record uses resolve: references in its fields, links and citations in
//! its narrative. While the model is built, [`Lookup`] answers from the titles known so far;
//! once built, [`AtlasResolve`] answers from the atlas itself, and while an edit is planned,
//! [`Edited`] from the atlas with the edit's new titles and labels laid over it.

use super::{Atlas, BacklinkKind, RecordKey};
use crate::config::Config;
use crate::content::CONTENT_DIR;
use crate::content::RawPage;
use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::links::refs_of;
use crate::markdown::Resolve;
use crate::urls::Urls;
use crate::validate::{Checked, Value};
use indexmap::IndexMap;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A backlink a record gives: the record it points at, and the heading it is listed under.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Edge {
    pub(super) target: RecordKey,
    pub(super) kind: BacklinkKind,
}

/// What files that could not be read at all took with them: the collections some of whose
/// records are missing, and whether some plain page is. A reference into them is not reported
/// as dangling, since the record may well be in the lost file: one broken line in a list of
/// sources would otherwise bury its own error under one for every citation of the sources.
/// The build fails all the same, on the file's own error.
#[derive(Debug, Default, Clone)]
pub(super) struct Lost {
    collections: HashSet<String>,
    pages: bool,
}

impl Lost {
    /// From the problems the loading found (those marked as a [`Diagnostic::cause`]).
    pub(super) fn from(diags: &Diagnostics, config: &Config) -> Lost {
        let mut lost = Lost::default();
        let translation = |file: &str| {
            let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
            stem.rsplit_once('.').is_some_and(|(_, lang)| config.is_translation_language(lang))
        };
        for d in diags.iter().filter(|d| d.cause) {
            let Some(rest) = d.file.strip_prefix(&format!("{CONTENT_DIR}/")) else { continue };
            match rest.split('/').collect::<Vec<_>>().as_slice() {
                [file] if translation(file) => {}
                [file] if file.ends_with(".md") => lost.pages = true,
                [file] => {
                    lost.collections.insert(file.rsplit_once('.').map_or(*file, |(s, _)| s).to_string());
                }
                [collection, file] if !translation(file) => {
                    lost.collections.insert(collection.to_string());
                }
                _ => {}
            }
        }
        lost
    }

    /// Whether no file was lost.
    pub(super) fn is_empty(&self) -> bool {
        self.collections.is_empty() && !self.pages
    }

    /// Whether records of `collection` may be missing.
    pub(super) fn covers(&self, collection: &str) -> bool {
        self.collections.contains(collection)
    }
}

/// Record titles and URLs, enough to resolve links while narrative is rendered.
pub(super) struct Lookup<'a> {
    pub(super) titles: &'a HashMap<RecordKey, String>,
    pub(super) cite_labels: &'a HashMap<String, String>,
    pub(super) config: &'a Config,
    pub(super) urls: &'a Urls,
    pub(super) pages: &'a [RawPage],
    /// A name into what a lost file took resolves to itself (see [`Lost`]).
    pub(super) lost: &'a Lost,
}

impl Resolve for Lookup<'_> {
    fn record(&self, collection: &str, id: &str) -> Option<(String, String)> {
        let url = self.urls.url(&Urls::record(collection, id));
        match self.titles.get(&RecordKey::new(collection, id)) {
            Some(title) => Some((url, title.clone())),
            None => self.lost.covers(collection).then(|| (url, id.to_string())),
        }
    }
    fn named(&self, name: &str) -> Option<String> {
        if self.config.collections.contains_key(name) {
            return Some(self.urls.url(&Urls::collection(name)));
        }
        (self.lost.pages || self.pages.iter().any(|p| p.id == name)).then(|| self.urls.url(&Urls::page(name)))
    }
    fn source(&self, id: &str) -> Option<(String, String)> {
        let url = self.urls.url(&Urls::record(self.config.citations(), id));
        match self.cite_labels.get(id) {
            Some(label) => Some((url, label.clone())),
            None => self.lost.covers(self.config.citations()).then(|| (url, id.to_string())),
        }
    }
    fn base_path(&self) -> &str {
        self.urls.root_path()
    }
    fn image(&self, src: &str) -> Result<std::sync::Arc<crate::images::Image>, String> {
        narrative_image(self.config, src)
    }
    fn sources_hint(&self) -> String {
        format!("the `{}` collection", self.config.citations())
    }
}

/// The image a narrative names, from the atlas's `static/` (made once; see [`crate::images`]).
fn narrative_image(config: &Config, src: &str) -> Result<std::sync::Arc<crate::images::Image>, String> {
    crate::images::load(&config.root.join(crate::layout::STATIC_DIR), src).map(|p| std::sync::Arc::clone(&p.image))
}

pub(super) struct AtlasResolve<'a>(pub(super) &'a Atlas);

impl Resolve for AtlasResolve<'_> {
    fn record(&self, collection: &str, id: &str) -> Option<(String, String)> {
        let url = self.0.urls.url(&Urls::record(collection, id));
        match self.0.get(collection, id) {
            Some(r) => Some((url, r.title.clone())),
            None => self.0.lost.covers(collection).then(|| (url, id.to_string())),
        }
    }
    fn named(&self, name: &str) -> Option<String> {
        if self.0.config.collections.contains_key(name) {
            return Some(self.0.urls.url(&Urls::collection(name)));
        }
        (self.0.lost.pages || self.0.pages.iter().any(|p| p.id == name)).then(|| self.0.urls.url(&Urls::page(name)))
    }
    fn source(&self, id: &str) -> Option<(String, String)> {
        let url = self.0.urls.url(&Urls::record(self.0.config.citations(), id));
        match self.0.cite_labels.get(id) {
            Some(label) => Some((url, label.clone())),
            None => self.0.lost.covers(self.0.config.citations()).then(|| (url, id.to_string())),
        }
    }
    fn base_path(&self) -> &str {
        self.0.urls.root_path()
    }
    fn image(&self, src: &str) -> Result<std::sync::Arc<crate::images::Image>, String> {
        narrative_image(&self.0.config, src)
    }
}

/// The atlas as the edit would have it, as far as names resolve: the edited records' new
/// titles and the edited sources' new citation labels over the atlas's own. The edited
/// records' narrative, and the narrative that names them, are rendered against it before
/// anything in the atlas changes.
pub(super) struct Edited<'a> {
    pub(super) atlas: &'a Atlas,
    /// The new titles of the records the edit retitles.
    pub(super) titles: HashMap<RecordKey, String>,
    /// The new labels of the sources the edit relabels, by id.
    pub(super) labels: HashMap<String, String>,
}

impl Edited<'_> {
    fn new_title(&self, collection: &str, id: &str) -> Option<&String> {
        if self.titles.is_empty() {
            return None;
        }
        self.titles.get(&RecordKey::new(collection, id))
    }
}

impl Titles for Edited<'_> {
    fn title(&self, collection: &str, id: &str) -> Option<&str> {
        match self.new_title(collection, id) {
            Some(t) => Some(t),
            None => self.atlas.title(collection, id),
        }
    }
    fn ids<'a>(&'a self, collection: &str) -> Vec<&'a str> {
        self.atlas.ids(collection)
    }
}

impl Resolve for Edited<'_> {
    fn record(&self, collection: &str, id: &str) -> Option<(String, String)> {
        match self.new_title(collection, id) {
            Some(t) => Some((self.atlas.urls.url(&Urls::record(collection, id)), t.clone())),
            None => AtlasResolve(self.atlas).record(collection, id),
        }
    }
    fn named(&self, name: &str) -> Option<String> {
        AtlasResolve(self.atlas).named(name)
    }
    fn source(&self, id: &str) -> Option<(String, String)> {
        match self.labels.get(id) {
            Some(label) => Some((self.atlas.urls.url(&Urls::record(self.atlas.config.citations(), id)), label.clone())),
            None => AtlasResolve(self.atlas).source(id),
        }
    }
    fn base_path(&self) -> &str {
        self.atlas.urls.root_path()
    }
    fn image(&self, src: &str) -> Result<Arc<crate::images::Image>, String> {
        AtlasResolve(self.atlas).image(src)
    }
}

/// The records a model knows while it is made or patched: their titles, by key.
pub trait Titles: Sync {
    fn title(&self, collection: &str, id: &str) -> Option<&str>;
    /// The ids of a collection's records, for "did you mean".
    fn ids<'a>(&'a self, collection: &str) -> Vec<&'a str>;
}

/// While a model is built: the titles gathered from its checked records.
impl Titles for HashMap<RecordKey, String> {
    fn title(&self, collection: &str, id: &str) -> Option<&str> {
        self.get(&RecordKey::new(collection, id)).map(String::as_str)
    }
    fn ids<'a>(&'a self, collection: &str) -> Vec<&'a str> {
        self.keys().filter(|k| k.collection == collection).map(|k| k.id.as_str()).collect()
    }
}

/// Once it is built (and while it is patched): the atlas's own records.
impl Titles for Atlas {
    fn title(&self, collection: &str, id: &str) -> Option<&str> {
        self.get(collection, id).map(|r| r.title.as_str())
    }
    fn ids<'a>(&'a self, collection: &str) -> Vec<&'a str> {
        self.collections.get(collection).into_iter().flatten().map(|r| r.id.as_str()).collect()
    }
}

/// Checks that every reference in `fields`, those of a record of `collection` read from `file`,
/// lands on a record of the right collection; returns the references as backlinks to add,
/// the problems, and how many references were not checked because they
/// point into what a lost file took (see [`Lost`]).
pub(super) fn check_refs(
    fields: &IndexMap<String, Value>,
    collection: &str,
    file: &str,
    config: &Config,
    titles: &dyn Titles,
    lost: &Lost,
) -> (Vec<Edge>, Vec<Diagnostic>, usize) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut unchecked = 0;
    for f in refs_of(fields, config, collection) {
        let r = f.target;
        if titles.title(&r.collection, &r.id).is_some() {
            out.push(Edge { target: RecordKey::new(r.collection.clone(), r.id.clone()), kind: f.kind });
            continue;
        }
        if lost.covers(&r.collection) {
            unchecked += 1;
            continue;
        }
        let elsewhere: Vec<&str> =
            config.collections.keys().filter(|k| titles.title(k, &r.id).is_some()).map(String::as_str).collect();
        let help = if let Some(other) = elsewhere.first() {
            format!("`{}` is a record of `{other}`, but this field points into `{}`", r.id, r.collection)
        } else {
            let ids = titles.ids(&r.collection);
            match did_you_mean(&r.id, ids) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("add a record `{}` to `{}`, or fix the id", r.id, r.collection),
            }
        };
        let what = if elsewhere.is_empty() { "no record" } else { "wrong collection:" };
        problems
            .push(Diagnostic::error(file, r.pos, format!("{what} `{}` in `{}`", r.id, r.collection)).with_help(help));
    }
    (out, problems, unchecked)
}

/// The short label a citation shows: "Family Year", "A & B Year", "A et al. Year", from the
/// source's authors and year (the fields `citation_label` names, by default `authors` and
/// `year`, else the year of `date`) when it has them, else its title.
pub(super) fn cite_label(c: &Checked, title: &str, config: &Config) -> String {
    let names = &config.citation_label;
    // "Chu, T. V." gives "Chu"; an organisation "BBRTV (Guangxi radio, …)" gives "BBRTV".
    let family = |a: &Value| match a {
        Value::Str(s) if s.contains('(') => s.split('(').next().unwrap_or(s).trim().to_string(),
        Value::Str(s) => s.split(',').next().unwrap_or(s).trim().to_string(),
        _ => String::new(),
    };
    let authors: Vec<String> = match c.fields.get(&names.authors) {
        Some(Value::List(items)) => items.iter().map(family).filter(|s| !s.is_empty()).collect(),
        _ => vec![],
    };
    let year = match (c.fields.get(&names.year), c.fields.get(&names.date)) {
        (Some(Value::Int(y)), _) => Some(y.to_string()),
        (_, Some(Value::Date(d))) => Some(d.year.to_string()),
        _ => None,
    };
    let who = match authors.as_slice() {
        [] => title.to_string(),
        [a] => a.clone(),
        [a, b] => format!("{a} & {b}"),
        [a, ..] => format!("{a} et al."),
    };
    match year {
        Some(y) => format!("{who} {y}"),
        None => who,
    }
}
