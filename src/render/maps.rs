//! The maps of the site: the ground under each (projected once for every language) and the
//! maps drawn over it in each language. The home page shows an overview of the collections
//! on overview maps, each mapped collection's index a map of its own records, and every
//! record with a place, or that references records with one, a mini-map centred on it.
//! Overviews frame what they draw.

use super::palette::Palette;
use super::{RecordKey, svgmap};
use crate::diag::Diagnostics;
use crate::i18n::Locale;
use crate::map::{Features, Layer};
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

/// Width of overview maps and record maps, in map units.
const OVERVIEW_WIDTH: f64 = 960.0;
const RECORD_WIDTH: f64 = 480.0;

/// The overview maps of one language: the home page's and each mapped collection's.
#[derive(Default)]
pub(super) struct Overviews {
    pub(super) home: Option<svgmap::MapView>,
    pub(super) indexes: HashMap<String, svgmap::MapView>,
}

/// Which maps of a language are drawn: all of them, or after an edit those that show
/// something it changed (the others are kept from the previous render).
pub(super) struct Redraw<'a> {
    /// The home page's overview.
    pub(super) overview: bool,
    /// A collection's index map, by collection.
    pub(super) index: &'a (dyn Fn(&str) -> bool + Sync),
    /// A record's mini-map, by record.
    pub(super) record: &'a (dyn Fn(&RecordKey) -> bool + Sync),
}

impl Redraw<'_> {
    /// Every map.
    pub(super) const ALL: Redraw<'static> = Redraw { overview: true, index: &|_| true, record: &|_| true };
}

/// The maps of one language.
#[derive(Default)]
pub(super) struct Maps {
    pub(super) overviews: Overviews,
    pub(super) records: HashMap<RecordKey, svgmap::MapView>,
}

/// Where each map of the site looks, and the ground under it: the same in every language,
/// so worked out once.
pub(super) struct Grounds {
    pub(super) base: Arc<crate::map::Basemap>,
    pub(super) prepared: svgmap::Prepared,
    /// The home page's overview (key `None`) and each mapped collection's (its name).
    pub(super) overviews: HashMap<Option<String>, (svgmap::View, Arc<svgmap::Ground>)>,
    pub(super) records: HashMap<RecordKey, (svgmap::View, Arc<svgmap::Ground>)>,
}

/// The collections the home page's overview draws.
fn on_overview(layers: &[Layer]) -> Vec<String> {
    layers.iter().filter(|l| l.overview).map(|l| l.collection.clone()).collect()
}

/// The points an overview of `collections` frames: their markers, or where they have none,
/// their routes.
fn framed(features: &Features, collections: &[String]) -> Vec<(f64, f64)> {
    let shown = |c: &str| collections.iter().any(|x| x == c);
    let points: Vec<(f64, f64)> =
        features.markers.iter().filter(|m| shown(&m.collection)).map(|m| (m.lon, m.lat)).collect();
    if !points.is_empty() {
        return points;
    }
    features.routes.iter().filter(|r| shown(&r.collection)).flat_map(|r| r.points.iter().copied()).collect()
}

impl Grounds {
    pub(super) fn new(atlas: &Atlas, base: Arc<crate::map::Basemap>) -> Grounds {
        let prepared = svgmap::prepare(&base);
        let mut g = Grounds { base, prepared, overviews: HashMap::new(), records: HashMap::new() };
        g.refresh(atlas, &atlas.records().map(|r| r.key()).collect());
        g
    }

    /// The views of the overviews, framed on what they draw now.
    fn overview_views(
        &self,
        atlas: &Atlas,
        layers: &[Layer],
        features: &Features,
    ) -> Vec<(Option<String>, svgmap::View)> {
        let bbox = self.base.bbox;
        let home = match atlas.config.map.overview {
            Some(b) => svgmap::View::fit([b.west, b.south, b.east, b.north], OVERVIEW_WIDTH),
            None => svgmap::View::frame(&framed(features, &on_overview(layers)), bbox, OVERVIEW_WIDTH),
        };
        let mut out = vec![(None, home)];
        for l in layers {
            let points = framed(features, std::slice::from_ref(&l.collection));
            out.push((Some(l.collection.clone()), svgmap::View::frame(&points, bbox, OVERVIEW_WIDTH)));
        }
        out
    }

    /// Works out the views of the records in `keys` (again), and of the overviews. Maps that
    /// look at the same place share a view, and its ground is made once.
    pub(super) fn refresh(&mut self, atlas: &Atlas, keys: &HashSet<RecordKey>) {
        let layers = crate::map::layers(&atlas.config);
        let features = crate::map::features(atlas, &layers);
        let views: Vec<(RecordKey, Option<svgmap::View>)> = keys
            .par_iter()
            .map(|k| {
                let focus = atlas
                    .get(&k.collection, &k.id)
                    .map(|r| crate::map::focus_of(atlas, &features, r))
                    .unwrap_or_default();
                (k.clone(), (!focus.is_empty()).then(|| svgmap::View::around(&focus, 1.6, RECORD_WIDTH, 4.0 / 3.0)))
            })
            .collect();
        let overviews = self.overview_views(atlas, &layers, &features);
        // The grounds already made for these views, then those still to make.
        let mut made: HashMap<[u64; 6], Arc<svgmap::Ground>> =
            self.records.values().chain(self.overviews.values()).map(|(v, g)| (v.key(), Arc::clone(g))).collect();
        let mut todo: Vec<svgmap::View> = Vec::new();
        let mut listed: HashSet<[u64; 6]> = HashSet::new();
        for view in views.iter().filter_map(|(_, v)| *v).chain(overviews.iter().map(|(_, v)| *v)) {
            if !made.contains_key(&view.key()) && listed.insert(view.key()) {
                todo.push(view);
            }
        }
        let (base, prepared) = (&*self.base, &self.prepared);
        let fresh: Vec<([u64; 6], Arc<svgmap::Ground>)> =
            todo.par_iter().map(|v| (v.key(), Arc::new(svgmap::ground(base, prepared, v)))).collect();
        made.extend(fresh);
        for (k, view) in views {
            match view {
                Some(v) => self.records.insert(k, (v, Arc::clone(&made[&v.key()]))),
                None => self.records.remove(&k),
            };
        }
        self.overviews = overviews.into_iter().map(|(k, v)| (k, (v, Arc::clone(&made[&v.key()])))).collect();
    }
}

impl Maps {
    /// The maps of one language that `redraw` names; the others are kept from `prev`, the
    /// previous render's.
    pub(super) fn new(atlas: &Atlas, locale: &Locale, grounds: Option<&Grounds>, redraw: &Redraw, prev: Maps) -> Maps {
        let Maps { overviews: prev_overviews, records: prev } = prev;
        let Some(grounds) = grounds else { return Maps { overviews: Overviews::default(), records: HashMap::new() } };
        let base = &*grounds.base;
        let prepared = &grounds.prepared;
        let config = &atlas.config;
        let layers = crate::map::layers(config);
        let features = crate::map::features(atlas, &layers);
        let palette = Palette::new(config, &layers);
        let home_layers = on_overview(&layers);
        let labelled: Vec<String> = layers.iter().filter(|l| l.labels).map(|l| l.collection.clone()).collect();
        let description = |collections: &[String]| {
            locale.tf(
                "{what} drawn over the countries of the region; every marker and line links to its page, and the same items are listed below the map.",
                &[(
                    "what",
                    &collections
                        .iter()
                        .filter_map(|c| config.collection(c))
                        .map(|c| locale.t(&c.title))
                        .collect::<Vec<_>>()
                        .join(", "),
                )],
            )
        };
        let draw = |key: &Option<String>, only: &[String], labelled: &[String], title: &str| {
            let (view, ground) = &grounds.overviews[key];
            svgmap::draw(
                base,
                prepared,
                ground,
                &features,
                &palette,
                view,
                &svgmap::Draw {
                    id: "map-overview",
                    title,
                    description: &description(only),
                    focus: None,
                    only: Some(only),
                    labelled,
                    complete: only,
                    locale,
                    config,
                },
            )
        };
        let Overviews { home: prev_home, indexes: mut prev_indexes } = prev_overviews;
        let home = if redraw.overview || prev_home.is_none() {
            let title = locale.tf("Map of the {atlas}", &[("atlas", &locale.t(&config.title))]);
            Some(draw(&None, &home_layers, &labelled, &title))
        } else {
            prev_home
        };
        let indexes: HashMap<String, svgmap::MapView> = layers
            .par_iter()
            .filter_map(|l| {
                let c = &l.collection;
                let spec = config.collection(c)?;
                let again = (redraw.index)(c);
                if !again && let Some(kept) = prev_indexes.get(c) {
                    return Some((c.clone(), kept.clone()));
                }
                let only = std::slice::from_ref(c);
                let title = locale.tf("Map of {collection}", &[("collection", &locale.t(&spec.title))]);
                Some((c.clone(), draw(&Some(c.clone()), only, only, &title)))
            })
            .collect();
        prev_indexes.clear();
        // A record's map shows the collections of the overview and the record's own.
        let record_layers = |c: &str| {
            let mut only = home_layers.clone();
            if !only.iter().any(|x| x == c) {
                only.push(c.to_string());
            }
            only
        };
        let mut kept = prev;
        let records: Vec<(RecordKey, Option<svgmap::MapView>)> = atlas
            .records()
            // An affected record may have gained a map the plan could not know of (it named
            // a record with a place for the first time).
            .filter(|r| (redraw.record)(&r.key()))
            .collect::<Vec<_>>()
            .par_iter()
            .map(|r| {
                let key = r.key();
                let Some((view, ground)) = grounds.records.get(&key) else { return (key, None) };
                let title = locale.tf("Map of {record}", &[("record", &r.title)]);
                let description = locale.tf(
                    "{record} and its surroundings; nearby records are shown faded and link to their pages.",
                    &[("record", &r.title)],
                );
                let only = record_layers(&r.collection);
                let drawn = svgmap::draw(
                    base,
                    prepared,
                    ground,
                    &features,
                    &palette,
                    view,
                    &svgmap::Draw {
                        id: "map-record",
                        title: &title,
                        description: &description,
                        focus: Some((&r.collection, &r.id)),
                        only: Some(&only),
                        labelled: &labelled,
                        complete: &[],
                        locale,
                        config,
                    },
                );
                (key, Some(drawn))
            })
            .collect();
        for (k, m) in records {
            match m {
                Some(m) => kept.insert(k, m),
                None => kept.remove(&k),
            };
        }
        Maps { overviews: Overviews { home, indexes }, records: kept }
    }
}
