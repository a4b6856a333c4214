//! What an edit touched in one language, worked out from the model before and after it: the
//! records whose views are made again, the maps, indexes and facet pages that show them.

use super::maps::Grounds;
use super::views::Views;
use super::{RecordKey, facets, svgmap};
use crate::i18n::Locale;
use crate::model::{Atlas, Change};
use crate::urls::facet_slug;
use std::collections::HashSet;

/// What an edit changed in one language, and so what must be drawn again.
pub(super) struct Impact {
    /// Records whose view is built again: the edited ones and their neighbours.
    pub(super) affected: HashSet<RecordKey>,
    /// Records whose mini-map shows something that changed.
    pub(super) redraw: HashSet<RecordKey>,
    /// Whether the home page's overview shows something that changed.
    pub(super) overview: bool,
    /// Collections whose index lists an affected record.
    pub(super) collections: HashSet<String>,
    /// Facet pages that list an affected record.
    pub(super) facet_values: HashSet<FacetPage>,
    /// Collections whose records are in another order.
    pub(super) reordered: HashSet<String>,
}

/// A facet page: a collection's records with one value of one field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct FacetPage {
    pub(super) collection: String,
    pub(super) field: String,
    /// The value's slug, as in the page's URL.
    pub(super) value: String,
}

/// The records whose pages show a changed record's title through another record: a record's
/// timeline lists each dated record that names it with every record that one names (an
/// event naming two gates is on both gates' pages, each entry naming both), so a gate
/// retitled is shown on the pages of the gates it shares an event with.
fn shown_through_timelines(new: &Atlas, change: &Change) -> HashSet<RecordKey> {
    let mut out = HashSet::new();
    for k in &change.changed {
        let Some(now) = new.get(&k.collection, &k.id) else { continue };
        if change.old.get(k).is_some_and(|was| was.title == now.title) {
            continue;
        }
        for b in new.backlinks.get(k).into_iter().flatten() {
            let dated = new.config.collection(&b.from.collection).is_some_and(|c| c.timeline.is_some());
            let Some(entry) = new.get(&b.from.collection, &b.from.id).filter(|_| dated) else { continue };
            for f in crate::links::refs_of(&entry.fields, &new.config, &entry.collection) {
                out.insert(RecordKey::new(f.target.collection.clone(), f.target.id.clone()));
            }
        }
    }
    out
}

impl Impact {
    /// Works out what an edit touched in one language.
    pub(super) fn of(new: &Atlas, change: &Change, locale: &Locale, grounds: Option<&Grounds>) -> Impact {
        let mut affected = change.affected();
        // Records placed through an affected one (a zone drawn at its gate, the gate at its
        // province) move with it.
        if grounds.is_some() {
            let layers = crate::map::layers(&new.config);
            let old: Vec<RecordKey> = change.old.keys().cloned().collect();
            affected.extend(crate::map::dependents(new, &layers, affected.iter().chain(&old)));
        }
        affected.extend(shown_through_timelines(new, change));
        let collections: HashSet<String> = affected.iter().map(|k| k.collection.clone()).collect();
        // Facet pages listing an affected record, before or after: only a changed record's facet
        // values can differ from before.
        let views = Views { atlas: new, locale };
        let mut facet_values = HashSet::new();
        let records = affected.iter().filter_map(|k| new.get(&k.collection, &k.id)).chain(change.old.values());
        for r in records {
            let Some(spec) = new.config.collection(&r.collection) else { continue };
            for f in &spec.facets {
                for (key, _) in facets::facet_values(&views, &r.collection, &f.value, r) {
                    facet_values.insert(FacetPage {
                        collection: r.collection.clone(),
                        field: f.value.clone(),
                        value: facet_slug(&key).into_owned(),
                    });
                }
            }
        }
        let (mut redraw, mut overview) = (HashSet::new(), false);
        if let Some(g) = grounds {
            // Where the affected records are drawn now, and where the changed ones were.
            let layers = crate::map::layers(&new.config);
            let features = crate::map::features(new, &layers);
            let mut points: Vec<(f64, f64)> = Vec::new();
            for m in features
                .markers
                .iter()
                .filter(|m| affected.contains(&RecordKey::new(m.collection.clone(), m.id.clone())))
            {
                points.push((m.lon, m.lat));
            }
            for r in features
                .routes
                .iter()
                .filter(|r| affected.contains(&RecordKey::new(r.collection.clone(), r.id.clone())))
            {
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
                || affected.iter().any(|k| home_layers.contains(&k.collection.as_str()));
        }
        Impact { affected, redraw, overview, collections, facet_values, reordered: change.reordered.clone() }
    }
}
