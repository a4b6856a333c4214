//! What maps show, derived from the schema: any collection with a `geo` field is a layer of
//! points; a collection whose `map.route` names a list of references to such records is a
//! layer of routes. A record of a mapped collection without a point of its own is placed,
//! approximately, through the fields its `map.near` names; one that cannot be placed at all is
//! listed as "not on the map", with the reason.
//! Nothing here names a collection of the shipped atlas; an editor's new collection with a
//! point field is mapped without code.
//!
//! The base map (`map.basemap`) is read here too: its format is documented in the README
//! ("Base maps") and in `tools/map-data/extract.mjs`, which makes it.

use crate::config::{CollectionSpec, Config, TypeName};
use crate::diag::{Diagnostic, Pos};
use crate::model::{Atlas, Record, RecordKey};
use crate::urls::Urls;
use crate::validate::Value;
use geo::{Coord, LineString, MultiPolygon, Polygon};
use std::path::Path;

/// A feature's names: the source's own (`name`) and one per language (`name:vi`).
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub name: String,
    /// (BCP 47 tag, name), as the base map gives them.
    pub by_language: Vec<(String, String)>,
}

impl Names {
    /// The name in `language` (a BCP 47 tag): the same tag, else the same primary language
    /// (`zh` finds `name:zh-Hans`), else the source's own name.
    pub fn get(&self, language: &str) -> &str {
        let primary = |t: &str| t.split('-').next().unwrap_or(t).to_ascii_lowercase();
        self.by_language
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(language))
            .or_else(|| self.by_language.iter().find(|(t, _)| primary(t) == primary(language)))
            .map_or(self.name.as_str(), |(_, n)| n.as_str())
    }

    fn read(f: &geojson::Feature) -> Names {
        let name = f.property("name").and_then(|v| v.as_str()).unwrap_or("").to_string();
        let by_language = f
            .properties
            .iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.strip_prefix("name:")?.to_string(), v.as_str()?.to_string())))
            .collect();
        Names { name, by_language }
    }
}

/// The ground under the atlas's own features: countries, borders and context layers.
#[derive(Debug, Clone, Default)]
pub struct Basemap {
    pub countries: Vec<Country>,
    /// The land border the atlas is about, emphasised.
    pub borders: Vec<LineString<f64>>,
    /// The countries on either side of it (ISO 3166-1 alpha-2), drawn lighter than the rest.
    pub border_countries: Vec<String>,
    /// Other land boundaries of the countries drawn.
    pub boundaries: Vec<LineString<f64>>,
    pub coast: Vec<LineString<f64>>,
    /// First-level divisions (provinces): their names and label points.
    pub admin1: Vec<Admin1>,
    /// The lines between first-level divisions.
    pub admin1_lines: Vec<LineString<f64>>,
    /// Lakes with their rank (1 largest … 4).
    pub lakes: Vec<(u8, MultiPolygon<f64>)>,
    /// Rivers with their rank (1 largest … 4).
    pub rivers: Vec<(u8, Vec<LineString<f64>>)>,
    /// Cities and towns, most important first.
    pub cities: Vec<City>,
    /// Credit line to print with every map.
    pub attribution: String,
    /// West, south, east, north.
    pub bbox: [f64; 4],
}

/// One country's outline, lon/lat.
#[derive(Debug, Clone)]
pub struct Country {
    pub iso: String,
    pub names: Names,
    pub shape: MultiPolygon<f64>,
}

/// A first-level division: its names and where its name goes.
#[derive(Debug, Clone)]
pub struct Admin1 {
    pub names: Names,
    pub country: String,
    /// Lon/lat of its label point.
    pub label: Option<(f64, f64)>,
}

/// A city or town.
#[derive(Debug, Clone)]
pub struct City {
    pub names: Names,
    pub lon: f64,
    pub lat: f64,
    /// 1 (capitals, ≥ 5 M people) … 9 (≥ 10 000).
    pub rank: u8,
    pub capital: bool,
}

impl Basemap {
    /// Reads the GeoJSON named by `map.basemap` in the configuration. Kinds it does not know
    /// are left out, so the format can grow.
    pub fn load(root: &Path, rel: &Path) -> Result<Basemap, Diagnostic> {
        let file = rel.to_string_lossy().replace('\\', "/");
        let bad = |m: String| {
            Diagnostic::error(&file, Pos::FILE, m).with_help(
                "map.basemap must be a GeoJSON FeatureCollection as tools/map-data/extract.mjs makes it (README: Base maps)",
            )
        };
        let bytes = match crate::input::read(root, &root.join(rel), crate::input::MAX_DATA_BYTES) {
            Ok(b) => b,
            Err(crate::input::Refused::Io(e)) => return Err(bad(format!("cannot read the base map: {e}"))),
            Err(refused) => return Err(refused.diagnostic(&file)),
        };
        let text = String::from_utf8(bytes).map_err(|_| bad("the base map is not valid UTF-8".into()))?;
        let fc: geojson::FeatureCollection =
            serde_json::from_str(&text).map_err(|e| bad(format!("invalid GeoJSON at line {}: {e}", e.line())))?;
        let mut b = Basemap::default();
        for f in &fc.features {
            let Some(g) = &f.geometry else { continue };
            let prop = |k: &str| f.property(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let rank = || f.property("rank").and_then(|v| v.as_u64()).unwrap_or(9).min(9) as u8;
            match prop("kind").as_str() {
                "country" => {
                    b.countries.push(Country { iso: prop("iso"), names: Names::read(f), shape: polygons(&g.value) })
                }
                "border" => {
                    b.borders.extend(lines(&g.value));
                    let sides = f.property("countries").and_then(|v| v.as_array()).into_iter().flatten();
                    b.border_countries.extend(sides.filter_map(|c| c.as_str()).map(str::to_string));
                }
                "boundary" => b.boundaries.extend(lines(&g.value)),
                "coast" => b.coast.extend(lines(&g.value)),
                "admin1-line" => b.admin1_lines.extend(lines(&g.value)),
                "admin1" => {
                    let label = f.property("label").and_then(|v| v.as_array()).and_then(|a| match a.as_slice() {
                        [x, y] => Some((x.as_f64()?, y.as_f64()?)),
                        _ => None,
                    });
                    b.admin1.push(Admin1 { names: Names::read(f), country: prop("country"), label })
                }
                "lake" => b.lakes.push((rank(), polygons(&g.value))),
                "river" => b.rivers.push((rank(), lines(&g.value))),
                "city" => {
                    if let geojson::GeometryValue::Point { coordinates: p } = &g.value
                        && p.len() >= 2
                    {
                        b.cities.push(City {
                            names: Names::read(f),
                            lon: p[0],
                            lat: p[1],
                            rank: rank(),
                            capital: f.property("capital").is_some_and(|v| !v.is_null()),
                        });
                    }
                }
                _ => {}
            }
        }
        b.cities.sort_by_key(|c| c.rank);
        b.bbox = match fc.bbox.as_deref() {
            Some([w, s, e, n]) => [*w, *s, *e, *n],
            _ => return Err(bad("the base map has no bbox [west, south, east, north]".into())),
        };
        b.attribution = fc
            .foreign_members
            .as_ref()
            .and_then(|m| m.get("attribution"))
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        Ok(b)
    }
}

fn line(points: &[geojson::Position]) -> LineString<f64> {
    LineString(points.iter().map(|p| Coord { x: p[0], y: p[1] }).collect())
}

fn lines(g: &geojson::GeometryValue) -> Vec<LineString<f64>> {
    match g {
        geojson::GeometryValue::LineString { coordinates } => vec![line(coordinates)],
        geojson::GeometryValue::MultiLineString { coordinates } => coordinates.iter().map(|l| line(l)).collect(),
        _ => vec![],
    }
}

fn polygon(rings: &[Vec<geojson::Position>]) -> Polygon<f64> {
    let mut rings = rings.iter().map(|r| line(r));
    let outer = rings.next().unwrap_or_else(|| LineString(vec![]));
    Polygon::new(outer, rings.collect())
}

fn polygons(g: &geojson::GeometryValue) -> MultiPolygon<f64> {
    match g {
        geojson::GeometryValue::Polygon { coordinates } => MultiPolygon(vec![polygon(coordinates)]),
        geojson::GeometryValue::MultiPolygon { coordinates } => {
            MultiPolygon(coordinates.iter().map(|p| polygon(p)).collect())
        }
        _ => MultiPolygon(vec![]),
    }
}

/// How one collection is mapped, resolved from its `map` settings and schema.
#[derive(Debug, Clone)]
pub struct Layer {
    pub collection: String,
    pub point: Option<String>,
    pub route: Option<String>,
    /// The enum field that colours it.
    pub colour: Option<String>,
    pub shape: Option<String>,
    pub precision: Option<String>,
    pub exact: Vec<String>,
    pub near: Vec<String>,
    pub overview: bool,
    pub labels: bool,
}

/// The mapped collections, in configuration order. A `geo` field makes a layer of points by
/// itself; a route is drawn only through the list field `map.route` names, because a list of
/// references (an event's gates, a zone's gates) is not in general a path.
pub fn layers(config: &Config) -> Vec<Layer> {
    config
        .collections
        .iter()
        .filter_map(|(name, c)| {
            let spec = &c.value;
            let point = spec
                .map
                .point
                .clone()
                .or_else(|| spec.fields.iter().find(|(_, f)| f.value.ty == TypeName::Geo).map(|(n, _)| n.clone()));
            let route = spec.map.route.clone();
            (point.is_some() || route.is_some()).then(|| Layer {
                collection: name.clone(),
                point,
                route,
                colour: spec.map.colour_field().map(str::to_string),
                shape: spec.map.shape.clone(),
                precision: spec.map.precision.clone(),
                exact: spec.map.exact.clone(),
                near: spec.map.near.clone(),
                overview: spec.map.overview,
                labels: spec.map.labels,
            })
        })
        .collect()
}

/// A marker: a record's point and how to draw it.
#[derive(Debug, Clone)]
pub struct Marker {
    pub collection: String,
    pub id: String,
    pub title: String,
    pub url: String,
    pub lat: f64,
    pub lon: f64,
    /// Index of the colour value in its enum (for the palette), and the value's label.
    pub colour: Option<(usize, String)>,
    pub shape: Option<(usize, String)>,
    /// False when the point is approximate: it marks only a town or district, or it is
    /// borrowed from another record (`near`).
    pub exact: bool,
    /// What the point marks, when not exact ("town").
    pub marks: Option<String>,
    /// The title of the record whose point it borrows, when placed through `near`.
    pub near: Option<String>,
    pub label: bool,
}

/// A route: a record's line through the points of the records it lists.
#[derive(Debug, Clone)]
pub struct Route {
    pub collection: String,
    pub id: String,
    pub title: String,
    pub url: String,
    /// Lon/lat.
    pub points: Vec<(f64, f64)>,
    /// How many places the route lists, and how many of them are on the map.
    pub listed: usize,
    pub colour: Option<(usize, String)>,
    pub shape: Option<(usize, String)>,
}

/// Why a record of a mapped collection is not on the map.
#[derive(Debug, Clone, PartialEq)]
pub enum Missing {
    /// It has no point, no route and nothing that `near` could place it by.
    NoPlace,
    /// The places it names (its route or `near` fields) have no point: their titles.
    PlacesWithoutPoint(Vec<String>),
}

/// A record of a mapped collection that no map can show.
#[derive(Debug, Clone)]
pub struct Unplaced {
    pub collection: String,
    pub id: String,
    pub title: String,
    pub url: String,
    pub why: Missing,
}

/// Everything that can be drawn, for the whole atlas.
#[derive(Debug, Clone, Default)]
pub struct Features {
    pub markers: Vec<Marker>,
    pub routes: Vec<Route>,
    pub unplaced: Vec<Unplaced>,
}

fn enum_value(spec: &CollectionSpec, field: &Option<String>, r: &Record) -> Option<(usize, String)> {
    let f = field.as_ref()?;
    let Some(Value::Enum(v)) = r.fields.get(f) else { return None };
    let i = spec.field(f)?.values.iter().position(|x| x == v)?;
    Some((i, spec.field(f)?.values.label(v)))
}

fn point_of(r: &Record, layer: &Layer) -> Option<(f64, f64)> {
    match r.fields.get(layer.point.as_ref()?) {
        Some(Value::Geo(g)) => Some((g.lon, g.lat)),
        _ => None,
    }
}

/// The records a reference field names, in order.
fn refs<'a>(atlas: &'a Atlas, value: Option<&Value>) -> Vec<&'a Record> {
    let one = |v: &Value| match v {
        Value::Ref(t) => atlas.get(&t.collection, &t.id),
        _ => None,
    };
    match value {
        Some(Value::List(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => vec![],
    }
}

/// Where a record is drawn.
enum Placement {
    /// Its own point; `marks` says what it marks when that is approximate.
    Point {
        at: (f64, f64),
        exact: bool,
        marks: Option<String>,
    },
    /// A line through the points of the places its route lists.
    Route {
        points: Vec<(f64, f64)>,
        listed: usize,
    },
    /// Another record's point: the first place its route or `near` fields name that is on
    /// the map.
    Near {
        at: (f64, f64),
        of: String,
    },
    Nowhere(Missing),
}

/// How deep `near` may chain (a zone near a gate near a province).
const NEAR_DEPTH: usize = 3;

fn placement(atlas: &Atlas, layers: &[Layer], layer: &Layer, r: &Record, depth: usize) -> Placement {
    if let Some(at) = point_of(r, layer) {
        let spec = atlas.config.collection(&layer.collection).expect("layer of a known collection");
        let marks = match (&layer.precision, layer.precision.as_ref().and_then(|p| r.fields.get(p))) {
            (Some(_), Some(Value::Enum(v))) => Some(v.clone()),
            _ => None,
        };
        let exact = marks.as_ref().is_none_or(|m| layer.exact.contains(m));
        let marks = if exact {
            None
        } else {
            let labels = layer.precision.as_ref().and_then(|p| spec.field(p)).map(|f| &f.values);
            marks.map(|m| labels.map_or_else(|| m.replace('-', " "), |l| l.label(&m)))
        };
        return Placement::Point { at, exact, marks };
    }
    let mut without: Vec<String> = Vec::new();
    let mut first: Option<((f64, f64), String)> = None;
    if let Some(route) = &layer.route {
        let places = refs(atlas, r.fields.get(route));
        let located: Vec<((f64, f64), &Record)> = places
            .iter()
            .filter_map(|t| {
                let tl = layers.iter().find(|l| l.collection == t.collection)?;
                point_of(t, tl).map(|p| (p, *t))
            })
            .collect();
        if located.len() >= 2 {
            return Placement::Route { points: located.iter().map(|(p, _)| *p).collect(), listed: places.len() };
        }
        first = located.first().map(|(p, t)| (*p, t.title.clone()));
        without.extend(
            places.iter().filter(|t| !located.iter().any(|(_, l)| l.key() == t.key())).map(|t| t.title.clone()),
        );
    }
    if first.is_none() && depth < NEAR_DEPTH {
        'fields: for f in &layer.near {
            for t in refs(atlas, r.fields.get(f)) {
                let Some(tl) = layers.iter().find(|l| l.collection == t.collection) else { continue };
                match placement(atlas, layers, tl, t, depth + 1) {
                    Placement::Point { at, .. } | Placement::Near { at, .. } => {
                        first = Some((at, t.title.clone()));
                        break 'fields;
                    }
                    _ => without.push(t.title.clone()),
                }
            }
        }
    }
    match first {
        Some((at, of)) => Placement::Near { at, of },
        None if without.is_empty() => Placement::Nowhere(Missing::NoPlace),
        None => {
            without.dedup();
            Placement::Nowhere(Missing::PlacesWithoutPoint(without))
        }
    }
}

/// Collects every marker and route of the atlas, and the records that cannot be placed.
pub fn features(atlas: &Atlas, layers: &[Layer]) -> Features {
    let mut out = Features::default();
    for layer in layers {
        let spec = atlas.config.collection(&layer.collection).expect("layer of a known collection");
        for r in &atlas.collections[&layer.collection] {
            let url = atlas.urls.url(&Urls::record(&r.collection, &r.id));
            let colour = enum_value(spec, &layer.colour, r);
            // A line's dash pattern is no marker's shape: a route drawn as a point is a circle.
            let shape = if layer.route.is_some() { None } else { enum_value(spec, &layer.shape, r) };
            let marker = |at: (f64, f64), exact: bool, marks: Option<String>, near: Option<String>| Marker {
                collection: r.collection.clone(),
                id: r.id.clone(),
                title: r.title.clone(),
                url: url.clone(),
                lon: at.0,
                lat: at.1,
                colour: colour.clone(),
                shape: shape.clone(),
                exact,
                marks,
                near,
                label: layer.labels,
            };
            match placement(atlas, layers, layer, r, 0) {
                Placement::Point { at, exact, marks } => out.markers.push(marker(at, exact, marks, None)),
                Placement::Near { at, of } => out.markers.push(marker(at, false, None, Some(of))),
                Placement::Route { points, listed } => out.routes.push(Route {
                    collection: r.collection.clone(),
                    id: r.id.clone(),
                    title: r.title.clone(),
                    url,
                    points,
                    listed,
                    colour,
                    shape: enum_value(spec, &layer.shape, r),
                }),
                Placement::Nowhere(why) => out.unplaced.push(Unplaced {
                    collection: r.collection.clone(),
                    id: r.id.clone(),
                    title: r.title.clone(),
                    url,
                    why,
                }),
            }
        }
    }
    out
}

/// Where a record appears on maps: its marker's point (its own, or the one it borrows) and
/// its route's points, as `atlas` places the records it names (the record itself need not
/// be the atlas's: an edited record's previous version, say).
pub fn points_of(atlas: &Atlas, layers: &[Layer], r: &Record) -> Vec<(f64, f64)> {
    let Some(layer) = layers.iter().find(|l| l.collection == r.collection) else { return Vec::new() };
    match placement(atlas, layers, layer, r, 0) {
        Placement::Point { at, .. } | Placement::Near { at, .. } => vec![at],
        Placement::Route { points, .. } => points,
        Placement::Nowhere(_) => vec![],
    }
}

/// The records whose place on the map comes, through their route or `near` fields and at
/// any depth, from one of `keys`: they move when those do.
pub fn dependents<'a>(
    atlas: &Atlas,
    layers: &[Layer],
    keys: impl IntoIterator<Item = &'a RecordKey>,
) -> std::collections::HashSet<RecordKey> {
    let mut moved: std::collections::HashSet<RecordKey> = keys.into_iter().cloned().collect();
    let mut out = std::collections::HashSet::new();
    for _ in 0..=NEAR_DEPTH {
        let mut more = Vec::new();
        for layer in layers.iter().filter(|l| l.route.is_some() || !l.near.is_empty()) {
            for r in &atlas.collections[&layer.collection] {
                if moved.contains(&r.key()) {
                    continue;
                }
                let through = layer.route.iter().chain(&layer.near);
                if through.flat_map(|f| refs(atlas, r.fields.get(f))).any(|t| moved.contains(&t.key())) {
                    more.push(r.key());
                }
            }
        }
        if more.is_empty() {
            break;
        }
        out.extend(more.iter().cloned());
        moved.extend(more);
    }
    out
}

/// The lon/lat points a record's mini-map centres on: its own point, its route, or the
/// points of the mapped records it references (a zone's gates, an event's places).
pub fn focus_of(atlas: &Atlas, features: &Features, r: &Record) -> Vec<(f64, f64)> {
    if let Some(m) = features.markers.iter().find(|m| m.collection == r.collection && m.id == r.id) {
        return vec![(m.lon, m.lat)];
    }
    if let Some(route) = features.routes.iter().find(|x| x.collection == r.collection && x.id == r.id) {
        return route.points.clone();
    }
    let mut out = Vec::new();
    for t in crate::links::refs_of(&r.fields, &atlas.config, &r.collection).into_iter().map(|f| f.target) {
        if t.collection == atlas.config.citations() {
            continue;
        }
        if let Some(m) = features.markers.iter().find(|m| m.collection == t.collection && m.id == t.id) {
            out.push((m.lon, m.lat));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fall_back_from_tag_to_language_to_the_source() {
        let n = Names {
            name: "Dongxing".into(),
            by_language: vec![("zh-Hans".into(), "东兴".into()), ("vi".into(), "Đông Hưng".into())],
        };
        assert_eq!(n.get("zh-Hans"), "东兴");
        assert_eq!(n.get("zh"), "东兴");
        assert_eq!(n.get("vi"), "Đông Hưng");
        assert_eq!(n.get("de"), "Dongxing");
    }
}
