//! Partial renders for `serve`: what an edit touched, worked out from the model before and
//! after it, and only those pages rendered again.

use super::impact::Impact;
use super::maps::{Maps, Redraw};
use super::plan::SitePlan;
use super::state::{EditionState, RenderState, page_entries};
use super::views::{self, Views};
use super::{
    Collect, Edition, OutputFile, Pass, RecordKey, Sink, facets, render_after_data, render_pages, search, shared,
};
use crate::diag::Diagnostics;
use crate::model::Change;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;

/// What a partial render made: the pages an edit touched, drawn again, and the pages it
/// emptied (a facet value no record has any more), to be taken out of the site.
pub struct Partial {
    pub files: Vec<OutputFile>,
    /// Paths relative to the output folder.
    pub removed: Vec<String>,
}

/// What changed in each language between two models of the atlas, or `None` when they cannot
/// be compared (languages or records added or removed): then only a full render will do.
pub fn changes_between(editions: &[Edition], previous: &[Edition]) -> Option<Vec<Change>> {
    if editions.len() != previous.len() {
        return None;
    }
    editions.iter().zip(previous).map(|(new, old)| Change::between(&new.atlas, &old.atlas)).collect()
}

/// Renders again only what an edit touched (each language's [`Change`]; a patched model
/// knows them, see [`crate::model::Atlas::patch`], or [`changes_between`] works them out):
/// the edited records' pages, the pages of the records they link to or that link to them,
/// the index and facet pages that list them, maps that show them, pages whose templates read
/// them, and the home page. Returns the files that were rendered again, or `None` when the
/// edit needs a full render. The search index and open data are left as they were;
/// [`refresh_shared`] brings them up to date.
pub fn update(
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
    let impacts: Vec<Impact> = editions
        .iter()
        .zip(changes)
        .map(|(ed, change)| t.stage("plan", || Impact::of(&ed.atlas, change, &ed.locale, state.grounds.as_ref())))
        .collect();
    // Records that moved get a new view of their surroundings.
    if let Some(g) = state.grounds.as_mut() {
        let moved: HashSet<RecordKey> = impacts.iter().flat_map(|p| p.affected.iter().cloned()).collect();
        g.refresh(&editions[0].atlas, &moved);
    }
    let sink = Collect::default();
    let pass = Pass { editions, root, sink: &sink };
    let mut removed = Vec::new();
    // Each language's state from the last render is brought up to date in place.
    for ((ed, impact), st) in editions.iter().zip(&impacts).zip(&mut state.editions) {
        refresh_edition(ed, impact, st, t);
        let prefix = &ed.locale.language.prefix;
        removed.extend(std::mem::take(&mut st.vanished).into_iter().map(|r| format!("{prefix}{}", r.file())));
        let redraw = Redraw {
            overview: impact.overview,
            index: &|c| impact.collections.contains(c),
            record: &|k| impact.redraw.contains(k) || impact.affected.contains(k),
        };
        let maps =
            t.stage("maps", || Maps::new(&ed.atlas, &ed.locale, state.grounds.as_ref(), &redraw, st.take_maps()));
        st.set_maps(maps);
        let plan = SitePlan::new(&ed.atlas, &st.collections);
        let pages = plan.affected_by(impact, st);
        let reads = render_pages(ed, &pass, &pages, st, &[], diags, t);
        drop(pages);
        drop(plan);
        st.record_reads(reads);
    }
    Some(Partial { files: sink.into_files(), removed })
}

/// Brings one language's state up to date after an edit: the views of the affected records,
/// the collection views that list them, the plain pages' search entries.
fn refresh_edition(ed: &Edition, impact: &Impact, st: &mut EditionState, t: &mut crate::timings::Timings) {
    let atlas = &ed.atlas;
    let views = Views { atlas, locale: &ed.locale };
    t.stage("record views", || {
        st.add_records(ed, impact.affected.iter().filter_map(|k| atlas.get(&k.collection, &k.id)).collect())
    });
    t.stage("collection views", || {
        let fresh: Vec<(usize, views::CollectionView)> = atlas
            .collections
            .keys()
            .enumerate()
            .filter(|(i, name)| impact.collections.contains(*name) || *i >= st.collections.len())
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(i, name)| {
                let view = match st.collections.get(i) {
                    // Records edited in place: the facets follow them.
                    Some(prev) if !impact.reordered.contains(name) => {
                        let mut positions: Vec<usize> = impact
                            .affected
                            .iter()
                            .filter(|k| k.collection == *name)
                            .filter_map(|k| atlas.position(&k.collection, &k.id))
                            .collect();
                        positions.sort_unstable();
                        views.collection_patched(name, prev, &positions)
                    }
                    _ => views.collection(name),
                };
                (i, view)
            })
            .collect();
        for (i, view) in fresh {
            if i < st.collections.len() {
                let gone = facets::vanished(&st.collections[i], &view);
                st.vanished.extend(gone);
                st.collections[i] = view;
            } else {
                st.collections.push(view);
            }
        }
    });
    st.page_entries = page_entries(ed);
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
    let (files, described) = shared::open_data(editions, state.grounds.as_ref());
    state.described = described;
    let sink = Collect::default();
    files.into_iter().for_each(|f| sink.put(f));
    render_after_data(editions, state, root, &sink, diags);
    let searched = editions[0]
        .atlas
        .config
        .search
        .then(|| t.stage("search index", || search::index(shared::search_entries(editions, &state.editions))));
    shared::files(editions, state, root, searched, diags).into_iter().for_each(|f| sink.put(f));
    sink.into_files()
}
