//! Partial renders for `serve`: what an edit touched, worked out from the model before and
//! after it, and only those pages rendered again.

use super::maps::Grounds;
use super::views::{self, Views};
use super::{Collect, Edition, Key, OutputFile, Pass, RecordValues, data, search, svgmap};
use super::{data_pages, prepare_edition, render_edition, search_entries, shared_data, shared_files};
use crate::diag::Diagnostics;
use crate::i18n::Locale;
use crate::model::Atlas;
use crate::urls::Route;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// What a render leaves for the next one to reuse: `serve` keeps it between saves.
pub struct RenderState {
    pub(super) editions: Vec<EditionState>,
    pub(super) grounds: Option<Grounds>,
    pub(super) described: Vec<data::DataFile>,
    pub(super) public: Vec<Route>,
}

impl RenderState {
    /// A state with nothing to reuse: the next [`update`] falls back to a full render.
    pub fn empty() -> RenderState {
        RenderState { editions: Vec::new(), grounds: None, described: Vec::new(), public: Vec::new() }
    }
}

/// One language's share of [`RenderState`].
#[derive(Default)]
pub(super) struct EditionState {
    /// Shared with the template environment's `get_record`.
    pub(super) views: std::sync::Arc<RecordValues>,
    pub(super) rows: RecordValues,
    pub(super) entries: HashMap<Key, search::Entry>,
    pub(super) page_entries: Vec<search::Entry>,
    pub(super) maps: HashMap<Key, svgmap::MapView>,
    pub(super) overview: Option<svgmap::MapView>,
    /// The records each page read through `get_record`, by output path.
    pub(super) deps: HashMap<String, Vec<Key>>,
}

/// What an edit changed in one language, and so what must be drawn again.
pub(super) struct Plan<'a> {
    pub(super) prev: &'a EditionState,
    /// Records whose view is built again: the edited ones and their neighbours.
    pub(super) affected: HashSet<Key>,
    /// Records whose mini-map shows something that changed.
    pub(super) redraw: HashSet<Key>,
    pub(super) overview: bool,
    /// Collections whose index lists an affected record.
    pub(super) collections: HashSet<String>,
    /// Facet pages (collection, field, value key) that list an affected record.
    pub(super) facet_values: HashSet<(String, String, String)>,
}

/// Renders again only what an edit touched: the edited records' pages, the pages of the
/// records they link to or that link to them, the index and facet pages that list them, maps
/// that show them, pages whose templates read them, and the home page. Returns the files that
/// were rendered again, or `None` when the edit needs a full render (records added or
/// removed). The search index and open data are left as they were; [`refresh_shared`] brings
/// them up to date.
pub fn update(
    editions: &[Edition],
    previous: &[Edition],
    state: &mut RenderState,
    root: &Path,
    diags: &mut Diagnostics,
    t: &mut crate::timings::Timings,
) -> Option<Vec<OutputFile>> {
    if editions.len() != previous.len() || state.editions.len() != editions.len() {
        return None;
    }
    let mut plans = Vec::with_capacity(editions.len());
    for ((new, old), prev) in editions.iter().zip(previous).zip(&state.editions) {
        plans.push(t.stage("plan", || plan(&new.atlas, &old.atlas, &new.locale, prev, state.grounds.as_ref()))?);
    }
    // Records that moved get a new view of their surroundings.
    if let Some(g) = state.grounds.as_mut() {
        let moved: HashSet<Key> = plans.iter().flat_map(|p| p.affected.iter().cloned()).collect();
        g.refresh(&editions[0].atlas, &moved);
    }
    let sink = Collect::default();
    let mut states = Vec::with_capacity(editions.len());
    for (ed, plan) in editions.iter().zip(&plans) {
        let pass = Pass { editions, root, grounds: state.grounds.as_ref(), sink: &sink };
        let prepared = prepare_edition(ed, Some(plan), t);
        states.push(render_edition(ed, &pass, Some(plan), prepared, diags, t).state);
    }
    drop(plans);
    state.editions = states;
    Some(sink.into_files())
}

/// The search index, open data (and its page) and sitemap, from the current state: what
/// [`update`] leaves stale, for `serve` to bring up to date once the edited pages are out.
pub fn refresh_shared(
    editions: &[Edition],
    state: &mut RenderState,
    root: &Path,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut t = crate::timings::Timings::default();
    let (mut files, described) = shared_data(editions, state.grounds.as_ref());
    state.described = described;
    files.extend(data_pages(editions, state, root, diags));
    let searched = editions[0]
        .atlas
        .config
        .search
        .then(|| t.stage("search index", || search::index(search_entries(editions, &state.editions))));
    files.extend(shared_files(editions, state, searched, diags));
    files
}

/// Works out what an edit touched in one language, or `None` if records came or went.
pub(super) fn plan<'a>(
    new: &Atlas,
    old: &Atlas,
    locale: &Locale,
    prev: &'a EditionState,
    grounds: Option<&Grounds>,
) -> Option<Plan<'a>> {
    let ids = |a: &Atlas| -> Vec<(String, Vec<String>)> {
        a.collections.iter().map(|(c, rs)| (c.clone(), rs.iter().map(|r| r.id.clone()).collect())).collect()
    };
    let mut new_ids = ids(new);
    let mut old_ids = ids(old);
    for (_, v) in new_ids.iter_mut().chain(old_ids.iter_mut()) {
        v.sort();
    }
    if new_ids != old_ids || new.pages.iter().map(|p| &p.id).ne(old.pages.iter().map(|p| &p.id)) {
        return None;
    }
    let changed: Vec<Key> =
        new.records().filter(|r| old.get(&r.collection, &r.id).is_none_or(|o| !same(o, r))).map(|r| r.key()).collect();
    // Neighbours, before and after the edit: what links to an edited record, and what it
    // links to (its references, citations and Markdown links are all backlinks of their targets).
    let edited: HashSet<(&str, &str)> = changed.iter().map(|k| (k.0.as_str(), k.1.as_str())).collect();
    let mut affected: HashSet<Key> = changed.iter().cloned().collect();
    for atlas in [new, old] {
        for (target, list) in &atlas.backlinks {
            if edited.contains(&(target.0.as_str(), target.1.as_str())) {
                affected.extend(list.iter().map(|b| (b.collection.clone(), b.id.clone())));
            }
            if list.iter().any(|b| edited.contains(&(b.collection.as_str(), b.id.as_str()))) {
                affected.insert(target.clone());
            }
        }
    }
    let collections: HashSet<String> = affected.iter().map(|k| k.0.clone()).collect();
    let mut facet_values = HashSet::new();
    for atlas in [new, old] {
        let views = Views { atlas, locale };
        for k in &affected {
            let (Some(r), Some(spec)) = (atlas.get(&k.0, &k.1), atlas.config.collection(&k.0)) else { continue };
            for f in &spec.facets {
                for (key, _) in views::facet_values(&views, &k.0, &f.value, r) {
                    facet_values.insert((k.0.clone(), f.value.clone(), key));
                }
            }
        }
    }
    let (mut redraw, mut overview) = (HashSet::new(), false);
    if let Some(g) = grounds {
        let mut points: Vec<(f64, f64)> = Vec::new();
        for atlas in [new, old] {
            let features = crate::map::features(atlas, &crate::map::layers(&atlas.config));
            for m in features.markers.iter().filter(|m| affected.contains(&(m.collection.clone(), m.id.clone()))) {
                points.push((m.lon, m.lat));
            }
            for r in features.routes.iter().filter(|r| affected.contains(&(r.collection.clone(), r.id.clone()))) {
                points.extend(r.points.iter().copied());
            }
        }
        let shows = |view: &svgmap::View| points.iter().any(|&(lon, lat)| view.shows(lon, lat));
        redraw = g
            .records
            .iter()
            .filter(|(k, (view, _))| affected.contains(*k) || shows(view))
            .map(|(k, _)| k.clone())
            .collect();
        overview = shows(&g.overview.0);
    }
    Some(Plan { prev, affected, redraw, overview, collections, facet_values })
}

/// Whether a record reads the same as before. Fields and narrative a save did not touch are
/// shared with the previous model (see [`crate::LoadCache`]), so most comparisons end at the
/// pointers.
pub(super) fn same(a: &crate::model::Record, b: &crate::model::Record) -> bool {
    use std::sync::Arc;
    let html = match (&a.body_html, &b.body_html) {
        (Some(x), Some(y)) => Arc::ptr_eq(x, y) || x == y,
        (x, y) => x == y,
    };
    a.title == b.title
        && (Arc::ptr_eq(&a.fields, &b.fields) || a.fields == b.fields)
        && html
        && a.untranslated == b.untranslated
}
