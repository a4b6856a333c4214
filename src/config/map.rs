//! The map settings of `atlas.yaml`: the site's base map and bounds (`map:`, `bounds:`), and a
//! collection's map (`map:` under a collection): colours, shapes and what is drawn.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::path::PathBuf;

/// Site-wide map settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteMap {
    /// GeoJSON with `kind: country` polygons and `kind: border` lines; no maps without it.
    pub basemap: Option<PathBuf>,
    /// The area the home page's overview shows; without it, the overview frames what it
    /// draws (within the base map's `bbox`).
    pub overview: Option<Bounds>,
    /// The options of the base-map extraction (`tools/map-data/extract.mjs --atlas
    /// atlas.yaml`): atlasgen only checks their names, the extraction checks their values.
    #[schemars(with = "Option<IndexMap<String, serde_json::Value>>")]
    pub extract: Option<Spanned<IndexMap<String, serde_json::Value>>>,
}

/// The options `tools/map-data/extract.mjs` reads from `map.extract` (its `KNOWN_KEYS`).
pub const EXTRACT_OPTIONS: [&str; 15] = [
    "box",
    "margin",
    "countries",
    "border",
    "layers",
    "admin1",
    "languages",
    "min_population",
    "river_level",
    "lake_area",
    "tolerance",
    "precision",
    "coast_resolution",
    "names",
    "output",
];

/// A latitude/longitude box, in decimal degrees.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl Bounds {
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }
}

/// Map settings of a collection; every key is optional.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MapSpec {
    /// The `geo` field giving each record's point.
    pub point: Option<String>,
    /// A list of references to mapped records, drawn as a line through their points.
    pub route: Option<String>,
    /// An enum field whose value sets the marker's colour (or the line's colour); or one
    /// colour for the whole layer, written `"#rrggbb"`.
    pub colour: Option<String>,
    /// Colours of the `colour` field's values (`{international: "#d55e00"}`); values left out
    /// take the next colour of the default, colour-blind-safe palette.
    #[serde(default)]
    pub colours: IndexMap<String, String>,
    /// An enum field whose value sets the marker's shape (or the line's dash pattern).
    pub shape: Option<String>,
    /// Shapes of the `shape` field's values: for markers `circle`, `square`, `diamond`,
    /// `triangle`; for lines `solid`, `dashed`, `dotted`, `dash-dot`, `band` (wide and pale,
    /// for a corridor rather than a line). Values left out take
    /// them in that order.
    #[serde(default)]
    pub shapes: IndexMap<String, String>,
    /// An enum field saying what the point marks, and the values that mean "exactly here";
    /// other values are drawn hollow and said to be approximate.
    pub precision: Option<String>,
    #[serde(default)]
    pub exact: Vec<String>,
    /// A text field saying which place an approximate point marks ("the town centre"), added
    /// to the page's note that the point is approximate.
    pub note: Option<String>,
    /// Reference fields (a `ref`, or a list of them) that place a record without a point of
    /// its own, tried in order: the first record they name that is on the map gives an
    /// approximate (hollow) marker, said to be approximate in the legend and its tooltip.
    #[serde(default)]
    pub near: Vec<String>,
    /// Whether the collection appears on overview maps (it always appears on record maps).
    #[serde(default = "super::site::yes")]
    pub overview: bool,
    /// Whether markers get text labels on overview maps.
    #[serde(default)]
    pub labels: bool,
}

/// Marker shapes a `shapes` block may name, in the order values take them by default.
pub const MARKER_SHAPES: [&str; 4] = ["circle", "square", "diamond", "triangle"];
/// Line patterns a `shapes` block may name for routes, in the order values take them.
pub const LINE_SHAPES: [&str; 5] = ["solid", "dashed", "dotted", "dash-dot", "band"];

impl MapSpec {
    /// The enum field that colours the layer, unless `colour` is one colour for all of it.
    pub fn colour_field(&self) -> Option<&str> {
        self.colour.as_deref().filter(|c| !c.starts_with('#'))
    }

    /// The layer's one colour, when `colour` is written `"#rrggbb"`.
    pub fn fixed_colour(&self) -> Option<&str> {
        self.colour.as_deref().filter(|c| c.starts_with('#'))
    }
}

/// Whether `s` is a CSS hex colour atlasgen accepts: `#rgb` or `#rrggbb`.
pub fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#').is_some_and(|h| (h.len() == 3 || h.len() == 6) && h.chars().all(|c| c.is_ascii_hexdigit()))
}

impl Default for MapSpec {
    /// A collection without a `map` block is mapped from its schema and shown on overviews.
    fn default() -> Self {
        MapSpec {
            point: None,
            route: None,
            colour: None,
            shape: None,
            colours: IndexMap::new(),
            shapes: IndexMap::new(),
            precision: None,
            exact: vec![],
            note: None,
            near: vec![],
            overview: true,
            labels: false,
        }
    }
}
