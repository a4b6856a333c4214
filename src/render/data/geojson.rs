//! `data/<collection>.geojson`: points, or routes as LineStrings (RFC 7946, lon/lat).

use super::csv::cell;
use crate::config::CollectionSpec;
use crate::map::Features;
use crate::model::{Atlas, Record};
use crate::urls::Urls;
use crate::validate::Value;
use serde_json::json;

/// Plain properties of a feature: id, title, url and every scalar field.
fn properties(atlas: &Atlas, r: &Record) -> geojson::JsonObject {
    let mut m = geojson::JsonObject::new();
    m.insert("id".into(), json!(r.id));
    m.insert("title".into(), json!(r.title));
    m.insert("url".into(), json!(atlas.urls.absolute(&Urls::record(&r.collection, &r.id))));
    for (k, v) in r.fields.iter() {
        if !matches!(v, Value::Geo(_) | Value::Citation(_) | Value::Object(_)) {
            m.insert(k.clone(), json!(cell(v, &atlas.urls)));
        }
    }
    m
}

pub(super) fn geojson(
    atlas: &Atlas,
    name: &str,
    _spec: &CollectionSpec,
    features: &Features,
) -> geojson::FeatureCollection {
    let mut out = Vec::new();
    // A point borrowed from another record (`map.near`) is no position of the record's own.
    for m in features.markers.iter().filter(|m| m.collection == name && m.near.is_none()) {
        let Some(r) = atlas.get(name, &m.id) else { continue };
        out.push(geojson::Feature {
            bbox: None,
            geometry: Some(geojson::Geometry::new(geojson::GeometryValue::new_point([m.lon, m.lat]))),
            id: Some(geojson::feature::Id::String(m.id.clone())),
            properties: Some(properties(atlas, r)),
            foreign_members: None,
        });
    }
    for route in features.routes.iter().filter(|x| x.collection == name) {
        let Some(r) = atlas.get(name, &route.id) else { continue };
        let line: Vec<[f64; 2]> = route.points.iter().map(|&(lon, lat)| [lon, lat]).collect();
        out.push(geojson::Feature {
            bbox: None,
            geometry: Some(geojson::Geometry::new(geojson::GeometryValue::new_line_string(line))),
            id: Some(geojson::feature::Id::String(route.id.clone())),
            properties: Some(properties(atlas, r)),
            foreign_members: None,
        });
    }
    geojson::FeatureCollection { bbox: None, features: out, foreign_members: None }
}
