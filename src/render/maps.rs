//! The maps of the site: the ground under each (projected once for every language) and the
//! maps drawn over it in each language.

use super::incremental::Plan;
use super::{Key, svgmap};
use crate::diag::Diagnostics;
use crate::i18n::Locale;
use crate::model::Atlas;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// The base map, when the atlas has one; a broken one is reported and maps are left out.
pub(super) fn load_basemap(atlas: &Atlas, root: &Path, diags: &mut Diagnostics) -> Option<crate::map::Basemap> {
    let rel = atlas.config.map.basemap.as_ref()?;
    crate::map::Basemap::load(root, rel).map_err(|d| diags.push(d)).ok()
}

/// The maps of the site: one overview, and a mini-map per record that has a place on it.
pub(super) struct Maps {
    pub(super) overview: Option<svgmap::MapView>,
    pub(super) records: HashMap<(String, String), svgmap::MapView>,
    /// Collections drawn on the overview.
    pub(super) mapped: Vec<String>,
}

/// Where each map of the site looks, and the ground under it: the same in every language,
/// so worked out once.
pub(super) struct Grounds {
    pub(super) base: Arc<crate::map::Basemap>,
    pub(super) prepared: svgmap::Prepared,
    pub(super) overview: (svgmap::View, svgmap::Ground),
    pub(super) records: HashMap<Key, (svgmap::View, Arc<svgmap::Ground>)>,
}

impl Grounds {
    pub(super) fn new(atlas: &Atlas, base: Arc<crate::map::Basemap>) -> Grounds {
        let bbox = atlas.config.map.overview.map(|b| [b.west, b.south, b.east, b.north]).unwrap_or(base.bbox);
        let view = svgmap::View::fit(bbox, 960.0);
        let prepared = svgmap::prepare(&base);
        let overview = (view, svgmap::ground(&prepared, &view));
        let mut g = Grounds { base, prepared, overview, records: HashMap::new() };
        g.refresh(atlas, &atlas.records().map(|r| r.key()).collect());
        g
    }

    /// Works out the views of the records in `keys` (again). Records that centre on the same
    /// places share a view, and its ground is made once.
    pub(super) fn refresh(&mut self, atlas: &Atlas, keys: &HashSet<Key>) {
        let features = crate::map::features(atlas, &crate::map::layers(&atlas.config));
        let views: Vec<(Key, Option<svgmap::View>)> = keys
            .par_iter()
            .map(|k| {
                let focus =
                    atlas.get(&k.0, &k.1).map(|r| crate::map::focus_of(atlas, &features, r)).unwrap_or_default();
                (k.clone(), (!focus.is_empty()).then(|| svgmap::View::around(&focus, 1.6, 480.0, 4.0 / 3.0)))
            })
            .collect();
        // The grounds already made for these views, then those still to make.
        let mut made: HashMap<[u64; 6], Arc<svgmap::Ground>> =
            self.records.values().map(|(v, g)| (v.key(), Arc::clone(g))).collect();
        let mut todo: Vec<svgmap::View> = Vec::new();
        let mut listed: HashSet<[u64; 6]> = HashSet::new();
        for view in views.iter().filter_map(|(_, v)| *v) {
            if !made.contains_key(&view.key()) && listed.insert(view.key()) {
                todo.push(view);
            }
        }
        let prepared = &self.prepared;
        let fresh: Vec<([u64; 6], Arc<svgmap::Ground>)> =
            todo.par_iter().map(|v| (v.key(), Arc::new(svgmap::ground(prepared, v)))).collect();
        made.extend(fresh);
        for (k, view) in views {
            match view {
                Some(v) => self.records.insert(k, (v, Arc::clone(&made[&v.key()]))),
                None => self.records.remove(&k),
            };
        }
    }
}

impl Maps {
    /// The maps of one language; with a plan, only those that show something that changed
    /// are drawn again, and the others are kept from the previous render's (`prev`).
    pub(super) fn new(
        atlas: &Atlas,
        locale: &Locale,
        grounds: Option<&Grounds>,
        plan: Option<&Plan>,
        prev: HashMap<Key, svgmap::MapView>,
        prev_overview: Option<svgmap::MapView>,
    ) -> Maps {
        let none = Maps { overview: None, records: HashMap::new(), mapped: vec![] };
        let Some(grounds) = grounds else { return none };
        let base = &*grounds.base;
        let layers = crate::map::layers(&atlas.config);
        let features = crate::map::features(atlas, &layers);
        let mapped: Vec<String> = layers.iter().filter(|l| l.overview).map(|l| l.collection.clone()).collect();
        let description = locale.tf(
            "{what} drawn over the countries of the region; every marker and line links to its page, and the same items are listed below the map.",
            &[(
                "what",
                &mapped
                    .iter()
                    .filter_map(|c| atlas.config.collection(c))
                    .map(|c| locale.t(&c.title))
                    .collect::<Vec<_>>()
                    .join(", "),
            )],
        );
        let draw_overview = plan.is_none_or(|p| p.overview) || prev_overview.is_none();
        let overview = draw_overview.then(|| {
            svgmap::draw(
                base,
                &grounds.overview.1,
                &features,
                &grounds.overview.0,
                &svgmap::Draw {
                    id: "map-overview",
                    title: &locale.tf("Map of the {atlas}", &[("atlas", &locale.t(&atlas.config.title))]),
                    description: &description,
                    focus: None,
                    only: Some(&mapped),
                    labels: true,
                    locale,
                },
            )
        });
        let overview = overview.or(prev_overview);
        let mut kept = prev;
        let todo: Vec<&crate::model::Record> =
            atlas.records().filter(|r| plan.is_none_or(|p| p.redraw.contains(&r.key()))).collect();
        // A record that is not on the map itself (an event that names a gate) is shown with its
        // surroundings only, which are the same for every record with the same view: those
        // share one drawing, made once, under their own titles.
        let on_map: HashSet<(&str, &str)> = features
            .markers
            .iter()
            .map(|m| (m.collection.as_str(), m.id.as_str()))
            .chain(features.routes.iter().map(|r| (r.collection.as_str(), r.id.as_str())))
            .collect();
        let mut shared_views: HashMap<[u64; 6], &(svgmap::View, Arc<svgmap::Ground>)> = HashMap::new();
        for r in &todo {
            if !on_map.contains(&(r.collection.as_str(), r.id.as_str()))
                && let Some(vg) = grounds.records.get(&r.key())
            {
                shared_views.entry(vg.0.key()).or_insert(vg);
            }
        }
        // A record map's title and description.
        let texts = |title: &str| {
            (
                locale.tf("Map of {record}", &[("record", title)]),
                locale.tf(
                    "{record} and its surroundings; nearby records are shown faded and link to their pages.",
                    &[("record", title)],
                ),
            )
        };
        let draw = |view: &svgmap::View, ground: &svgmap::Ground, focus: (&str, &str), title: &str| {
            let (title_text, description) = texts(title);
            svgmap::draw(
                base,
                ground,
                &features,
                view,
                &svgmap::Draw {
                    id: "map-record",
                    title: &title_text,
                    description: &description,
                    focus: Some(focus),
                    only: None,
                    labels: true,
                    locale,
                },
            )
        };
        let shared: HashMap<[u64; 6], svgmap::MapView> = shared_views
            .into_iter()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(k, (view, ground))| (k, draw(view, ground, ("", ""), "")))
            .collect();
        let records: Vec<(Key, Option<svgmap::MapView>)> = todo
            .par_iter()
            .map(|r| {
                let key = r.key();
                let Some((view, ground)) = grounds.records.get(&key) else { return (key, None) };
                let drawn = match shared.get(&view.key()) {
                    Some(m) if !on_map.contains(&(r.collection.as_str(), r.id.as_str())) => {
                        let (title, description) = texts(&r.title);
                        m.retitled(&title, &description)
                    }
                    _ => draw(view, ground, (&r.collection, &r.id), &r.title),
                };
                (key, Some(drawn))
            })
            .collect();
        for (k, m) in records {
            match m {
                Some(m) => kept.insert(k, m),
                None => kept.remove(&k),
            };
        }
        Maps { overview, records: kept, mapped }
    }
}
