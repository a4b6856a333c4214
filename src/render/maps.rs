//! The maps of the site: the ground under each (projected once for every language) and the
//! maps drawn over it in each language. The home page shows an overview of the collections
//! on overview maps, each mapped collection's index a map of its own records, and every
//! record with a place, or that references records with one, a mini-map centred on it.
//! Overviews frame what they draw.

use super::palette::Palette;
use super::svgmap::fold;
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
    /// The towns the maps name after the atlas's records ([`town_names`]).
    pub(super) town_names: HashMap<usize, String>,
}

/// Where each map of the site looks, and the ground under it: the same in every language,
/// so worked out once.
pub(super) struct Grounds {
    pub(super) base: Arc<crate::map::Basemap>,
    pub(super) prepared: svgmap::Prepared,
    /// The home page's overview (key `None`) and each mapped collection's (its name).
    pub(super) overviews: HashMap<Option<String>, (svgmap::View, Arc<svgmap::Ground>)>,
    pub(super) records: HashMap<RecordKey, (svgmap::View, Arc<svgmap::Ground>)>,
    /// The records that are a town of the base map, by the town's index ([`town_records`]).
    pub(super) towns: HashMap<usize, Vec<RecordKey>>,
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
        let mut g =
            Grounds { base, prepared, overviews: HashMap::new(), records: HashMap::new(), towns: HashMap::new() };
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
        self.towns = town_records(&self.base, &features);
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
        let Maps { overviews: prev_overviews, records: prev, town_names: prev_towns } = prev;
        let Some(grounds) = grounds else { return Maps::default() };
        let base = &*grounds.base;
        let prepared = &grounds.prepared;
        let config = &atlas.config;
        let layers = crate::map::layers(config);
        let features = crate::map::features(atlas, &layers);
        let town_names = town_names(base, &grounds.towns, &features, &locale.language.code);
        // A town renamed by an edit may be on any map.
        let redraw = if town_names == prev_towns { redraw } else { &Redraw::ALL };
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
                    town_names: &town_names,
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
                        town_names: &town_names,
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
        Maps { overviews: Overviews { home, indexes }, records: kept, town_names }
    }
}

/// The records that are a town of the base map: placed at their own point (not borrowed)
/// within 0.12° of it, and named as it is once a bracketed qualifier is dropped ("Lạng Sơn
/// (city)" is Lạng Sơn; "Hà Nội" is GeoNames' "Hanoi"). Found in the default language, whose
/// names the base map's own are compared with.
fn town_records(base: &crate::map::Basemap, features: &Features) -> HashMap<usize, Vec<RecordKey>> {
    let mut towns: HashMap<usize, Vec<RecordKey>> = HashMap::new();
    for m in features.markers.iter().filter(|m| m.near.is_none()) {
        let title = fold(without_qualifier(&m.title));
        for (i, c) in base.cities.iter().enumerate() {
            if (m.lon - c.lon).abs() <= 0.12
                && (m.lat - c.lat).abs() <= 0.12
                && !title.is_empty()
                && std::iter::once(&c.names.name)
                    .chain(c.names.by_language.iter().map(|(_, n)| n))
                    .any(|n| fold(n) == title)
            {
                towns.entry(i).or_default().push(RecordKey::new(&m.collection, &m.id));
            }
        }
    }
    towns
}

/// The names maps in `language` give towns from the atlas's records of them in that language,
/// where the base map has no name of its own for the language and its name is in another
/// script (下龙 for Hạ Long on a Chinese map, from the record 下龙市: an administrative suffix
/// after two or more Han characters is dropped, as town labels drop it) or is the record's
/// name without its diacritics (GeoNames' "Dien Bien Phu" is the atlas's Điện Biên Phủ). A
/// town whose records disagree keeps the base map's name.
fn town_names(
    base: &crate::map::Basemap,
    towns: &HashMap<usize, Vec<RecordKey>>,
    features: &Features,
    language: &str,
) -> HashMap<usize, String> {
    let titles: HashMap<(&str, &str), &str> =
        features.markers.iter().map(|m| ((m.collection.as_str(), m.id.as_str()), m.title.as_str())).collect();
    let mut out = HashMap::new();
    for (&i, keys) in towns {
        let own = base.cities[i].names.get(language);
        let names: HashSet<String> = keys
            .iter()
            .filter_map(|k| titles.get(&(k.collection.as_str(), k.id.as_str())))
            .map(|t| town_label(t))
            .collect();
        if let [name] = names.into_iter().collect::<Vec<_>>().as_slice()
            && (east_asian(name) != east_asian(own) || (name != own && fold(name) == fold(own)))
            && base.cities[i].names.own(language).is_none()
        {
            out.insert(i, name.clone());
        }
    }
    out
}

/// Whether a name is written in an East Asian script (Han, kana, hangul), where Latin letters
/// would be out of place, or the other way round.
fn east_asian(name: &str) -> bool {
    name.chars().any(|c| c.is_alphabetic() && c as u32 >= 0x2E80)
}

/// A title without a bracketed qualifier at its end: "Lạng Sơn (city)", "老街（铁路）".
fn without_qualifier(title: &str) -> &str {
    let t = title.trim_end();
    match (t.ends_with([')', '）']), t.rfind(['(', '（'])) {
        (true, Some(open)) if open > 0 => t[..open].trim_end(),
        _ => t,
    }
}

/// A record's title as a town label: no qualifier, and no administrative suffix (市, 县, 镇,
/// 区, 省) after two or more Han characters: 下龙市 → 下龙, 同登市镇 → 同登.
fn town_label(title: &str) -> String {
    let mut t: Vec<char> = without_qualifier(title).chars().collect();
    while t.len() > 2
        && matches!(t.last(), Some('市' | '县' | '镇' | '区' | '省'))
        && t[..t.len() - 1].iter().all(|c| east_asian(&c.to_string()))
    {
        t.pop();
    }
    t.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::{Basemap, City, Marker, Names};

    fn city(name: &str, zh: Option<&str>, lon: f64, lat: f64) -> City {
        let by_language = zh.map(|n| vec![("zh-Hans".to_string(), n.to_string())]).unwrap_or_default();
        City { names: Names { name: name.into(), by_language }, lon, lat, rank: 5, capital: false }
    }

    fn marker(id: &str, title: &str, lon: f64, lat: f64, near: bool) -> Marker {
        Marker {
            collection: "places".into(),
            id: id.into(),
            title: title.into(),
            url: String::new(),
            lat,
            lon,
            colour: None,
            shape: None,
            exact: !near,
            marks: None,
            near: near.then(|| "a province".to_string()),
            label: false,
        }
    }

    fn features(markers: Vec<Marker>) -> Features {
        Features { markers, ..Features::default() }
    }

    #[test]
    fn towns_the_base_map_names_in_another_script_take_the_name_of_the_atlas_record_of_them() {
        let base = Basemap {
            cities: vec![
                city("Ha Long", None, 107.08, 20.95),
                city("Lạng Sơn", Some("谅山"), 106.76, 21.85),
                city("Tuyên Quang", None, 105.21, 21.82),
                city("Sơn La", None, 103.9, 21.33),
                city("Cao Bằng", None, 106.26, 22.67),
            ],
            ..Basemap::default()
        };
        // The default language's records: Hạ Long at its point; Lạng Sơn city (qualified);
        // a province and its city that share Tuyên Quang's point; Sơn La placed only through
        // `near`; Cao Bằng by two records the Chinese edition names differently.
        let english = features(vec![
            marker("ha-long", "Hạ Long", 107.07, 20.96, false),
            marker("lang-son-city", "Lạng Sơn (city)", 106.76, 21.85, false),
            marker("prov-tuyen-quang", "Tuyên Quang", 105.21, 21.82, false),
            marker("tuyen-quang-city", "Tuyên Quang (city)", 105.22, 21.82, false),
            marker("near-son-la", "Sơn La", 103.9, 21.33, true),
            marker("cao-bang", "Cao Bằng", 106.26, 22.67, false),
            marker("cao-bang-town", "Cao Bằng (town)", 106.26, 22.67, false),
            marker("far", "Hạ Long", 108.5, 20.95, false),
        ]);
        let towns = town_records(&base, &english);
        assert_eq!(towns[&0], [RecordKey::new("places", "ha-long")], "within 0.12°, named as the town");
        assert_eq!(towns[&2].len(), 2);
        assert!(!towns.contains_key(&3), "a point borrowed through `near` is no town's");
        let chinese = features(vec![
            marker("ha-long", "下龙市", 107.07, 20.96, false),
            marker("lang-son-city", "谅山市", 106.76, 21.85, false),
            marker("prov-tuyen-quang", "宣光省", 105.21, 21.82, false),
            marker("tuyen-quang-city", "宣光市", 105.22, 21.82, false),
            marker("cao-bang", "高平市", 106.26, 22.67, false),
            marker("cao-bang-town", "高平镇（旧）", 106.26, 22.67, false),
        ]);
        let zh = town_names(&base, &towns, &chinese, "zh-Hans");
        assert_eq!(zh.get(&0).map(String::as_str), Some("下龙"), "the record's name without its suffix");
        assert_eq!(zh.get(&2).map(String::as_str), Some("宣光"), "two records, one name");
        assert!(!zh.contains_key(&1), "the base map's own Chinese name stays");
        assert_eq!(zh.get(&4).map(String::as_str), Some("高平"), "the suffix and the qualifier are dropped");
        let disagreeing = features(vec![
            marker("cao-bang", "高平市", 106.26, 22.67, false),
            marker("cao-bang-town", "高平镇（旧）", 106.26, 22.67, false),
            marker("prov-tuyen-quang", "宣光省", 105.21, 21.82, false),
            marker("tuyen-quang-city", "安平市", 105.22, 21.82, false),
        ]);
        let zh = town_names(&base, &towns, &disagreeing, "zh-Hans");
        assert!(!zh.contains_key(&2), "records that name the town differently leave it its own: {zh:?}");
        assert_eq!(zh.get(&4).map(String::as_str), Some("高平"));
        // A name in the base map's script is taken only where it is the base map's with its
        // diacritics: "Hạ Long" for "Ha Long", not "Thành phố Hạ Long".
        let vietnamese = features(vec![marker("ha-long", "Thành phố Hạ Long", 107.07, 20.96, false)]);
        assert!(town_names(&base, &towns, &vietnamese, "vi").is_empty());
        let en = town_names(&base, &towns, &english, "en");
        assert_eq!(en.get(&0).map(String::as_str), Some("Hạ Long"), "{en:?}");
        assert!(!en.contains_key(&2), "Tuyên Quang is already named so: {en:?}");
    }

    #[test]
    fn town_labels_drop_qualifiers_and_administrative_suffixes() {
        assert_eq!(town_label("下龙市"), "下龙");
        assert_eq!(town_label("同登市镇"), "同登");
        assert_eq!(town_label("老街（铁路）"), "老街");
        assert_eq!(town_label("Lạng Sơn (city)"), "Lạng Sơn");
        assert_eq!(town_label("新加坡"), "新加坡");
        assert_eq!(town_label("县城"), "县城", "two characters stay");
    }
}
