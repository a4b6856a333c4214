//! Which collections are mapped and how, resolved once from the configuration and schema, so
//! that placing and drawing read settings rather than the schema.

use crate::config::{Config, TypeName};

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
