//! What a render makes before its pages and keeps for the next one (`serve` keeps it between
//! saves): each record's view, index row and search entry, each collection's view, the maps,
//! and the records each page read through `get_record`.

use super::maps::{Grounds, Maps, Overviews};
use super::views::{self, Views};
use super::{Edition, RecordKey, data, objects, search, svgmap};
use crate::model::Record;
use crate::urls::Urls;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Each record's view as a template value, by (collection, id).
pub(super) type RecordValues = HashMap<RecordKey, minijinja::Value>;

/// What a render leaves for the next one to reuse.
pub struct RenderState {
    pub(super) editions: Vec<EditionState>,
    pub(super) grounds: Option<Grounds>,
    pub(super) described: Vec<data::DataFile>,
}

impl RenderState {
    /// A state with nothing to reuse: the next [`super::update`] falls back to a full render.
    pub fn empty() -> RenderState {
        RenderState { editions: Vec::new(), grounds: None, described: Vec::new() }
    }
}

/// One language's share of [`RenderState`].
#[derive(Default)]
pub(super) struct EditionState {
    /// Shared with the template environment's `get_record`.
    pub(super) views: Arc<RecordValues>,
    /// Each record's index row, by collection then id (looked up without making a key).
    pub(super) rows: HashMap<String, HashMap<String, minijinja::Value>>,
    pub(super) entries: HashMap<RecordKey, search::Entry>,
    pub(super) page_entries: Vec<search::Entry>,
    /// Each collection's view (with its facets' values and counts), in configuration order.
    pub(super) collections: Vec<views::CollectionView>,
    /// Facet pages whose value the last edit left without records.
    pub(super) vanished: Vec<crate::urls::Route>,
    pub(super) maps: HashMap<RecordKey, svgmap::MapView>,
    pub(super) overviews: Overviews,
    pub(super) town_names: HashMap<usize, String>,
    /// The records each page read through `get_record`, by output path.
    pub(super) deps: HashMap<String, Vec<RecordKey>>,
}

impl EditionState {
    /// Everything of one language made afresh: record and collection views, search entries.
    pub(super) fn new(ed: &Edition, t: &mut crate::timings::Timings) -> EditionState {
        let mut st = EditionState::default();
        let atlas = &ed.atlas;
        t.stage("record views", || st.add_records(ed, atlas.records().collect()));
        let views = Views { atlas, locale: &ed.locale };
        st.collections = t.stage("collection views", || {
            atlas.collections.keys().collect::<Vec<_>>().into_par_iter().map(|name| views.collection(name)).collect()
        });
        st.page_entries = page_entries(ed);
        st
    }

    /// Builds the views, index rows and search entries of `records`, in place of any they had.
    /// Each record's view is built once: its own page and every `get_record()` call share it.
    pub(super) fn add_records(&mut self, ed: &Edition, records: Vec<&Record>) {
        let atlas = &ed.atlas;
        let views = Views { atlas, locale: &ed.locale };
        let search = atlas.config.search;
        let columns: HashMap<&str, Arc<[String]>> = atlas
            .config
            .collections
            .iter()
            .map(|(name, c)| (name.as_str(), c.value.columns.iter().map(|c| c.value.clone()).collect()))
            .collect();
        let built: Vec<_> = records
            .par_iter()
            .map(|r| {
                let view = Arc::new(views.record(r));
                let entry = search.then(|| search::entry(&views, r, &view));
                let row = objects::Row::new(Arc::clone(&view), Arc::clone(&columns[r.collection.as_str()]));
                (r.key(), view.value(), minijinja::Value::from_object(row), entry)
            })
            .collect();
        // Filled in place: the previous render's template environments, which shared the map,
        // are gone.
        let record_views = Arc::make_mut(&mut self.views);
        for (key, view, row, entry) in built {
            record_views.insert(key.clone(), view);
            self.rows.entry(key.collection.clone()).or_default().insert(key.id.clone(), row);
            if let Some(e) = entry {
                self.entries.insert(key, e);
            }
        }
    }
}

impl EditionState {
    /// Keeps a language's freshly drawn maps (the pages read them from here).
    pub(super) fn set_maps(&mut self, maps: Maps) {
        self.maps = maps.records;
        self.overviews = maps.overviews;
        self.town_names = maps.town_names;
    }

    /// The maps of the last render, for the next one to keep what it does not draw again.
    pub(super) fn take_maps(&mut self) -> Maps {
        Maps {
            records: std::mem::take(&mut self.maps),
            overviews: std::mem::take(&mut self.overviews),
            town_names: std::mem::take(&mut self.town_names),
        }
    }

    /// Notes the records each rendered page read through `get_record`, by output path.
    pub(super) fn record_reads(&mut self, reads: Vec<(String, Vec<RecordKey>)>) {
        for (path, read) in reads {
            if read.is_empty() {
                self.deps.remove(&path);
            } else {
                self.deps.insert(path, read);
            }
        }
    }
}

/// The search entries of the plain pages of one language (none when the atlas has no search).
pub(super) fn page_entries(ed: &Edition) -> Vec<search::Entry> {
    let (atlas, locale) = (&ed.atlas, &*ed.locale);
    if !atlas.config.search {
        return Vec::new();
    }
    atlas
        .pages
        .iter()
        .map(|p| search::Entry {
            url: format!("/{}{}", locale.language.prefix, Urls::page(&p.id).0),
            title: p.title.clone(),
            content: search::page_text(&p.title, &p.html, &locale.language.code),
            language: locale.language.code.to_lowercase(),
            filter: locale.t("Pages"),
            filter_name: locale.t("Collection"),
            kind: locale.t("Page"),
            names: Vec::new(),
            titles: Vec::new(),
        })
        .collect()
}
