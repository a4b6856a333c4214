//! Partial renders for `serve`: what an edit touched, worked out from the model before and
//! after it, and only those pages rendered again.

use super::facets;
use super::maps::Grounds;
use super::views::{self, Views};
use super::{Collect, Edition, Key, OutputFile, Pass, RecordValues, data, search, svgmap};
use super::{data_pages, prepare_edition, render_edition, search_entries, shared_data, shared_files};
use crate::diag::Diagnostics;
use crate::i18n::Locale;
use crate::model::{Atlas, Change};
use crate::urls::facet_slug;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// What a render leaves for the next one to reuse: `serve` keeps it between saves.
pub struct RenderState {
    pub(super) editions: Vec<EditionState>,
    pub(super) grounds: Option<Grounds>,
    pub(super) described: Vec<data::DataFile>,
}

impl RenderState {
    /// A state with nothing to reuse: the next [`update`] falls back to a full render.
    pub fn empty() -> RenderState {
        RenderState { editions: Vec::new(), grounds: None, described: Vec::new() }
    }
}

/// One language's share of [`RenderState`].
#[derive(Default)]
pub(super) struct EditionState {
    /// Shared with the template environment's `get_record`.
    pub(super) views: std::sync::Arc<RecordValues>,
    /// Each record's index row, by collection then id (looked up without making a key).
    pub(super) rows: HashMap<String, HashMap<String, minijinja::Value>>,
    pub(super) entries: HashMap<Key, search::Entry>,
    pub(super) page_entries: Vec<search::Entry>,
    /// Each collection's view (with its facets' values and counts), in configuration order.
    pub(super) collections: Vec<views::CollectionView>,
    /// Facet pages whose value the last edit left without records.
    pub(super) vanished: Vec<crate::urls::Route>,
    pub(super) maps: HashMap<Key, svgmap::MapView>,
    pub(super) overviews: super::maps::Overviews,
    /// The records each page read through `get_record`, by output path.
    pub(super) deps: HashMap<String, Vec<Key>>,
}

/// What a partial render made: the pages an edit touched, drawn again, and the pages it
/// emptied (a facet value no record has any more), to be taken out of the site.
pub struct Partial {
    pub files: Vec<OutputFile>,
    /// Paths relative to the output folder.
    pub removed: Vec<String>,
}

/// What an edit changed in one language, and so what must be drawn again.
pub(super) struct Plan {
    /// Records whose view is built again: the edited ones and their neighbours.
    pub(super) affected: HashSet<Key>,
    /// Records whose mini-map shows something that changed.
    pub(super) redraw: HashSet<Key>,
    /// Whether the home page's overview shows something that changed.
    pub(super) overview: bool,
    /// Collections whose index lists an affected record.
    pub(super) collections: HashSet<String>,
    /// Facet pages (collection, field, value's slug) that list an affected record.
    pub(super) facet_values: HashSet<(String, String, String)>,
    /// Collections whose records are in another order.
    pub(super) reordered: HashSet<String>,
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
) -> Option<Partial> {
    if editions.len() != previous.len() {
        return None;
    }
    let changes = editions
        .iter()
        .zip(previous)
        .map(|(new, old)| Change::between(&new.atlas, &old.atlas))
        .collect::<Option<Vec<Change>>>()?;
    update_with(editions, &changes, state, root, diags, t)
}

/// [`update`], told what changed in each language (a patched model knows; see
/// [`crate::model::Atlas::patch`]).
pub fn update_with(
    editions: &[Edition],
    changes: &[Change],
    state: &mut RenderState,
    root: &Path,
    diags: &mut Diagnostics,
    t: &mut crate::timings::Timings,
) -> Option<Partial> {
    if changes.len() != editions.len() || state.editions.len() != editions.len() {
        return None;
    }
    // A save that changed nothing the pages show (its file was touched, say) draws nothing.
    if changes.iter().all(Change::is_empty) {
        return Some(Partial { files: Vec::new(), removed: Vec::new() });
    }
    // A plain page retitled (or translated) is named in the navigation of every page.
    if changes.iter().any(|c| c.page_titles) {
        return None;
    }
    let plans: Vec<Plan> = editions
        .iter()
        .zip(changes)
        .map(|(ed, change)| t.stage("plan", || plan(&ed.atlas, change, &ed.locale, state.grounds.as_ref())))
        .collect();
    // Records that moved get a new view of their surroundings.
    if let Some(g) = state.grounds.as_mut() {
        let moved: HashSet<Key> = plans.iter().flat_map(|p| p.affected.iter().cloned()).collect();
        g.refresh(&editions[0].atlas, &moved);
    }
    let sink = Collect::default();
    // Each language's state from the last render is brought up to date in place.
    let previous = std::mem::take(&mut state.editions);
    let mut states = Vec::with_capacity(editions.len());
    let mut removed = Vec::new();
    for ((ed, plan), prev) in editions.iter().zip(&plans).zip(previous) {
        let pass = Pass { editions, root, grounds: state.grounds.as_ref(), sink: &sink };
        let mut prepared = prepare_edition(ed, Some(plan), prev, t);
        let prefix = &ed.locale.language.prefix;
        removed.extend(std::mem::take(&mut prepared.vanished).into_iter().map(|r| format!("{prefix}{}", r.file())));
        states.push(render_edition(ed, &pass, Some(plan), prepared, diags, t));
    }
    state.editions = states;
    Some(Partial { files: sink.into_files(), removed })
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

/// The records whose pages show a changed record's title through another record: a record's
/// timeline lists each dated record that names it with every record that one names (an
/// event naming two gates is on both gates' pages, each entry naming both), so a gate
/// retitled is shown on the pages of the gates it shares an event with.
fn shown_through_timelines(new: &Atlas, change: &Change) -> HashSet<Key> {
    let mut out = HashSet::new();
    for k in &change.changed {
        let Some(now) = new.get(&k.0, &k.1) else { continue };
        if change.old.get(k).is_some_and(|was| was.title == now.title) {
            continue;
        }
        for b in new.backlinks.get(k).into_iter().flatten() {
            let dated = new.config.collection(&b.collection).is_some_and(|c| c.timeline.is_some());
            let Some(entry) = new.get(&b.collection, &b.id).filter(|_| dated) else { continue };
            for (_, _, target) in crate::links::refs_of(&entry.fields, &new.config, &entry.collection) {
                out.insert((target.collection.clone(), target.id.clone()));
            }
        }
    }
    out
}

/// Works out what an edit touched in one language.
pub(super) fn plan(new: &Atlas, change: &Change, locale: &Locale, grounds: Option<&Grounds>) -> Plan {
    let mut affected = change.affected();
    // Records placed through an affected one (a zone drawn at its gate, the gate at its
    // province) move with it.
    if grounds.is_some() {
        let layers = crate::map::layers(&new.config);
        let old: Vec<Key> = change.old.keys().cloned().collect();
        affected.extend(crate::map::dependents(new, &layers, affected.iter().chain(&old)));
    }
    affected.extend(shown_through_timelines(new, change));
    let collections: HashSet<String> = affected.iter().map(|k| k.0.clone()).collect();
    // Facet pages listing an affected record, before or after: only a changed record's facet
    // values can differ from before.
    let views = Views { atlas: new, locale };
    let mut facet_values = HashSet::new();
    let records = affected.iter().filter_map(|k| new.get(&k.0, &k.1)).chain(change.old.values());
    for r in records {
        let Some(spec) = new.config.collection(&r.collection) else { continue };
        for f in &spec.facets {
            for (key, _) in facets::facet_values(&views, &r.collection, &f.value, r) {
                facet_values.insert((r.collection.clone(), f.value.clone(), facet_slug(&key).into_owned()));
            }
        }
    }
    let (mut redraw, mut overview) = (HashSet::new(), false);
    if let Some(g) = grounds {
        // Where the affected records are drawn now, and where the changed ones were.
        let layers = crate::map::layers(&new.config);
        let features = crate::map::features(new, &layers);
        let mut points: Vec<(f64, f64)> = Vec::new();
        for m in features.markers.iter().filter(|m| affected.contains(&(m.collection.clone(), m.id.clone()))) {
            points.push((m.lon, m.lat));
        }
        for r in features.routes.iter().filter(|r| affected.contains(&(r.collection.clone(), r.id.clone()))) {
            points.extend(r.points.iter().copied());
        }
        for r in change.old.values() {
            points.extend(crate::map::points_of(new, &layers, r));
        }
        let shows = |view: &svgmap::View| points.iter().any(|&(lon, lat)| view.shows(lon, lat));
        redraw = g
            .records
            .iter()
            .filter(|(k, (view, _))| affected.contains(*k) || shows(view))
            .map(|(k, _)| k.clone())
            .collect();
        let home_layers: Vec<&str> = layers.iter().filter(|l| l.overview).map(|l| l.collection.as_str()).collect();
        overview = g.overviews.get(&None).is_some_and(|(v, _)| shows(v))
            || affected.iter().any(|k| home_layers.contains(&k.0.as_str()));
    }
    Plan { affected, redraw, overview, collections, facet_values, reordered: change.reordered.clone() }
}
