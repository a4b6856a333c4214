//! What maps draw, for the whole atlas: a marker for each placed point, a line for each
//! route, and the records no map can show (listed as "not on the map", with the reason).

use super::layer::Layer;
use super::place::{Missing, Placement, placement};
use crate::config::CollectionSpec;
use crate::model::{Atlas, Record};
use crate::urls::Urls;
use crate::validate::Value;

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
