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
//!
//! The parts: `basemap` reads the ground under the atlas's features; `layer` says which
//! collections are mapped and how; `place` finds where a record goes (its point, its route,
//! or a point borrowed through `near`); `features` gathers the markers and routes that maps
//! draw. This file only names them, so the rest of the crate keeps `crate::map::X`.

mod basemap;
mod features;
mod layer;
mod place;

pub use basemap::{Admin1, Basemap, City, Country, Names, River};
pub use features::{Features, Marker, Route, Unplaced, features, focus_of};
pub use layer::{Layer, layers};
pub use place::{Missing, dependents, points_of};
