//! Where a record goes on the map: its own point, a line through the places its route lists,
//! or a point borrowed through its `near` fields; and which records move when others do.
//! Kept apart from `features` because an incremental rebuild asks where single records go
//! (what an edit moved) without gathering every feature.

use super::layer::Layer;
use crate::model::{Atlas, Record, RecordKey};
use crate::validate::Value;

/// Why a record of a mapped collection is not on the map.
#[derive(Debug, Clone, PartialEq)]
pub enum Missing {
    /// It has no point, no route and nothing that `near` could place it by.
    NoPlace,
    /// The places it names (its route or `near` fields) have no point: their titles.
    PlacesWithoutPoint(Vec<String>),
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
pub(super) enum Placement {
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

pub(super) fn placement(atlas: &Atlas, layers: &[Layer], layer: &Layer, r: &Record, depth: usize) -> Placement {
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
