//! What maps show, derived from the schema: any collection with a `geo` field is a layer of
//! points; a collection whose `map.route` names a list of references to such records is a
//! layer of routes.
//! Nothing here names a collection of the shipped atlas; an editor's new collection with a
//! point field is mapped without code.

use crate::config::{CollectionSpec, Config, TypeName};
use crate::diag::{Diagnostic, Pos};
use crate::model::{Atlas, Record};
use crate::urls::Urls;
use crate::validate::Value;
use geo::{Coord, LineString, MultiLineString, MultiPolygon, Polygon};
use std::path::Path;

/// Countries and borders to draw under the atlas's own features.
#[derive(Debug, Clone)]
pub struct Basemap {
    pub countries: Vec<Country>,
    /// Borders to emphasise (the Vietnam–China land border), as lon/lat lines.
    pub borders: MultiLineString<f64>,
    /// Credit line to print with every map.
    pub attribution: String,
    /// West, south, east, north.
    pub bbox: [f64; 4],
}

/// One country's outline, lon/lat.
#[derive(Debug, Clone)]
pub struct Country {
    pub iso: String,
    pub name: String,
    pub shape: MultiPolygon<f64>,
}

impl Basemap {
    /// Reads the GeoJSON named by `map.basemap` in the configuration.
    pub fn load(root: &Path, rel: &Path) -> Result<Basemap, Diagnostic> {
        let file = rel.to_string_lossy().replace('\\', "/");
        let bad = |m: String| {
            Diagnostic::error(&file, Pos::FILE, m)
                .with_help("map.basemap must be a GeoJSON FeatureCollection (see tools/map-data/extract.mjs)")
        };
        let bytes = match crate::input::read(root, &root.join(rel), crate::input::MAX_DATA_BYTES) {
            Ok(b) => b,
            Err(crate::input::Refused::Io(e)) => return Err(bad(format!("cannot read the base map: {e}"))),
            Err(refused) => return Err(refused.diagnostic(&file)),
        };
        let text = String::from_utf8(bytes).map_err(|_| bad("the base map is not valid UTF-8".into()))?;
        let fc: geojson::FeatureCollection =
            serde_json::from_str(&text).map_err(|e| bad(format!("invalid GeoJSON at line {}: {e}", e.line())))?;
        let prop = |f: &geojson::Feature, k: &str| f.property(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let mut countries = Vec::new();
        let mut borders = Vec::new();
        for f in &fc.features {
            let Some(g) = &f.geometry else { continue };
            match (prop(f, "kind").as_str(), &g.value) {
                ("country", geojson::GeometryValue::MultiPolygon { coordinates }) => countries.push(Country {
                    iso: prop(f, "iso"),
                    name: prop(f, "name"),
                    shape: MultiPolygon(coordinates.iter().map(|p| polygon(p)).collect()),
                }),
                ("country", geojson::GeometryValue::Polygon { coordinates }) => countries.push(Country {
                    iso: prop(f, "iso"),
                    name: prop(f, "name"),
                    shape: MultiPolygon(vec![polygon(coordinates)]),
                }),
                ("border", geojson::GeometryValue::MultiLineString { coordinates }) => {
                    borders.extend(coordinates.iter().map(|l| line(l)))
                }
                ("border", geojson::GeometryValue::LineString { coordinates }) => borders.push(line(coordinates)),
                _ => {}
            }
        }
        let bbox = match fc.bbox.as_deref() {
            Some([w, s, e, n]) => [*w, *s, *e, *n],
            _ => return Err(bad("the base map has no bbox [west, south, east, north]".into())),
        };
        let attribution = fc
            .foreign_members
            .as_ref()
            .and_then(|m| m.get("attribution"))
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        Ok(Basemap { countries, borders: MultiLineString(borders), attribution, bbox })
    }
}

fn line(points: &[geojson::Position]) -> LineString<f64> {
    LineString(points.iter().map(|p| Coord { x: p[0], y: p[1] }).collect())
}

fn polygon(rings: &[Vec<geojson::Position>]) -> Polygon<f64> {
    let mut rings = rings.iter().map(|r| line(r));
    let outer = rings.next().unwrap_or_else(|| LineString(vec![]));
    Polygon::new(outer, rings.collect())
}

/// How one collection is mapped, resolved from its `map` settings and schema.
#[derive(Debug, Clone)]
pub struct Layer {
    pub collection: String,
    pub point: Option<String>,
    pub route: Option<String>,
    pub colour: Option<String>,
    pub shape: Option<String>,
    pub precision: Option<String>,
    pub exact: Vec<String>,
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
                colour: spec.map.colour.clone(),
                shape: spec.map.shape.clone(),
                precision: spec.map.precision.clone(),
                exact: spec.map.exact.clone(),
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
    /// Index of the colour value in its enum (for the palette), and the value's text.
    pub colour: Option<(usize, String)>,
    pub shape: Option<(usize, String)>,
    /// False when the point marks only a town or district, not the place itself.
    pub exact: bool,
    /// What the point marks, when not exact ("town").
    pub marks: Option<String>,
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
    pub colour: Option<(usize, String)>,
    pub shape: Option<(usize, String)>,
}

/// Everything that can be drawn, for the whole atlas.
#[derive(Debug, Clone, Default)]
pub struct Features {
    pub markers: Vec<Marker>,
    pub routes: Vec<Route>,
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

/// Collects every marker and route of the atlas.
pub fn features(atlas: &Atlas, layers: &[Layer]) -> Features {
    let mut out = Features::default();
    for layer in layers {
        let spec = atlas.config.collection(&layer.collection).expect("layer of a known collection");
        for r in &atlas.collections[&layer.collection] {
            let url = atlas.urls.url(&Urls::record(&r.collection, &r.id));
            if let Some((lon, lat)) = point_of(r, layer) {
                let marks = match (&layer.precision, layer.precision.as_ref().and_then(|p| r.fields.get(p))) {
                    (Some(_), Some(Value::Enum(v))) => Some(v.clone()),
                    _ => None,
                };
                let exact = marks.as_ref().is_none_or(|m| layer.exact.contains(m));
                out.markers.push(Marker {
                    collection: r.collection.clone(),
                    id: r.id.clone(),
                    title: r.title.clone(),
                    url: url.clone(),
                    lat,
                    lon,
                    colour: enum_value(spec, &layer.colour, r),
                    shape: enum_value(spec, &layer.shape, r),
                    exact,
                    marks: if exact {
                        None
                    } else {
                        let labels = layer.precision.as_ref().and_then(|p| spec.field(p)).map(|f| &f.values);
                        marks.map(|m| labels.map_or_else(|| m.replace('-', " "), |l| l.label(&m)))
                    },
                    label: layer.labels,
                });
            }
            if let Some(points) = route_of(atlas, layers, layer, r) {
                out.routes.push(Route {
                    collection: r.collection.clone(),
                    id: r.id.clone(),
                    title: r.title.clone(),
                    url,
                    points,
                    colour: enum_value(spec, &layer.colour, r),
                    shape: enum_value(spec, &layer.shape, r),
                });
            }
        }
    }
    out
}

/// The points of a record's route: the points of the records its route field lists, when
/// there are two or more.
fn route_of(atlas: &Atlas, layers: &[Layer], layer: &Layer, r: &Record) -> Option<Vec<(f64, f64)>> {
    let Some(Value::List(items)) = r.fields.get(layer.route.as_ref()?) else { return None };
    let points: Vec<(f64, f64)> = items
        .iter()
        .filter_map(|v| match v {
            Value::Ref(t) => {
                let target = atlas.get(&t.collection, &t.id)?;
                let tl = layers.iter().find(|l| l.collection == t.collection)?;
                point_of(target, tl)
            }
            _ => None,
        })
        .collect();
    (points.len() >= 2).then_some(points)
}

/// Where a record appears on maps: its marker's point and its route's points, as `atlas`
/// places the records it lists (the record itself need not be the atlas's: an edited
/// record's previous version, say).
pub fn points_of(atlas: &Atlas, layers: &[Layer], r: &Record) -> Vec<(f64, f64)> {
    let Some(layer) = layers.iter().find(|l| l.collection == r.collection) else { return Vec::new() };
    let mut out: Vec<(f64, f64)> = point_of(r, layer).into_iter().collect();
    out.extend(route_of(atlas, layers, layer, r).unwrap_or_default());
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
    for (_, _, t) in crate::links::refs_of(&r.fields, &atlas.config, &r.collection) {
        if t.collection == atlas.config.citations() {
            continue;
        }
        if let Some(m) = features.markers.iter().find(|m| m.collection == t.collection && m.id == t.id) {
            out.push((m.lon, m.lat));
        }
    }
    out
}
