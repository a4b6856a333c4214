//! Maps drawn at build time as inline SVG: no tiles, no third-party service, readable and
//! printable without script. The site's script (atlasgen.js, with Panzoom) adds zoom and pan.
//!
//! Lon/lat is projected with spherical Mercator into a view box, clipped to the view and
//! simplified, so a mini-map of one gate carries only the coastline it shows. The ground
//! (countries, provinces, rivers, lakes, coast, borders) is the same in every language and
//! drawn once per view; markers, routes and every label are drawn per language.
//!
//! Markers and labels keep their screen size as the map zooms: they are drawn in screen
//! pixels inside groups the stylesheet scales by `--u` (the inverse of the zoom). Their
//! layout is worked out for each zoom level of [`labels::LEVELS`]: markers too close to be
//! told apart are spread in a fan around their common centre, with a leader line to their true
//! point, and labels are placed where they overlap nothing (see `labels.rs`). Each element
//! carries the levels it shows at (`lod v2 v3`); the script switches `data-level` as the
//! reader zooms, and without it the stylesheet shows level 2 (level 1 on narrow screens).

mod geometry;
mod ground;
mod legend;
mod markers;
mod names;
pub(super) use names::fold;
mod overlays;
mod rivers;
mod routes;
mod view;

pub use ground::{Ground, Prepared, ground, prepare};
pub use view::View;

use crate::html::escape;
use crate::map::{Basemap, Features, Missing};
use crate::render::palette::Palette;
use legend::Legend;
use names::Names;
use overlays::Overlays;
use serde::Serialize;
use std::fmt::Write as _;

/// A legend entry: a small SVG swatch and what it means.
#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    pub swatch: String,
    pub label: String,
}

/// An item drawn on the map, or left off it, for the text lists beside it.
#[derive(Debug, Clone, Serialize)]
pub struct MapItem {
    pub title: String,
    pub url: String,
    pub note: String,
}

/// A drawn map, ready for a template.
#[derive(Debug, Clone, Serialize)]
pub struct MapView {
    pub id: String,
    pub svg: String,
    pub legend: Vec<LegendItem>,
    pub items: Vec<MapItem>,
    /// Records this map should show but cannot place, each with the reason.
    pub unplaced: Vec<MapItem>,
    pub attribution: String,
}

/// What to draw and how.
pub struct Draw<'a> {
    /// Unique among the maps of a page; prefixes element ids.
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// The record the map is about: drawn on top, the rest faded.
    pub focus: Option<(&'a str, &'a str)>,
    /// Collections whose markers and routes may appear; `None` for all.
    pub only: Option<&'a [String]>,
    /// Collections whose markers are labelled (besides the focus).
    pub labelled: &'a [String],
    /// Collections whose records that cannot be placed are listed under the map.
    pub complete: &'a [String],
    /// Names for towns of the base map (by index) from the atlas's own records of them, where
    /// the base map's name is in another script or lacks the diacritics (see
    /// `render::maps::town_names`).
    pub town_names: &'a std::collections::HashMap<usize, String>,
    /// The language of the legend, names and notes.
    pub locale: &'a crate::i18n::Locale,
    pub config: &'a crate::config::Config,
}

impl Draw<'_> {
    /// Whether markers and routes of `collection` may appear.
    fn allowed(&self, collection: &str) -> bool {
        self.only.is_none_or(|o| o.iter().any(|c| c == collection))
    }

    fn is_focus(&self, collection: &str, id: &str) -> bool {
        self.focus.is_some_and(|(c, i)| c == collection && i == id)
    }

    /// Whether a record is drawn faded: the map has a focus and it is another record.
    fn faded(&self, collection: &str, id: &str) -> bool {
        self.focus.is_some() && !self.is_focus(collection, id)
    }
}

/// Draws a map of `view` over its `ground` with the atlas's features.
#[allow(clippy::too_many_arguments)]
pub fn draw(
    base: &Basemap,
    prep: &Prepared,
    ground: &Ground,
    features: &Features,
    palette: &Palette,
    view: &View,
    opts: &Draw,
) -> MapView {
    let l = opts.locale;
    let id = opts.id;
    let mut legend = Legend::default();
    let mut items = Vec::new();

    // Routes first, so markers sit on top; the focused route last of all.
    let route_svg = routes::draw_routes(features, palette, view, opts, &mut legend, &mut items);
    // Markers in the view, the focus last (on top), spread where they crowd.
    let (placed, first) = markers::place(features, view, opts);
    // The overlays (locator inset, scale bar) take corners free of markers.
    let overlays = Overlays::new(prep, view, &placed);
    // Labels, level by level, most important first.
    let names = Names::new(base, ground, &placed, view, opts);
    let levels = names.place(ground, &placed, view, &overlays.obstacles(), first);

    // The SVG.
    let mut svg = String::with_capacity(ground.paths.len() + route_svg.len() + 8192);
    let _ = write!(
        svg,
        "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"group\" \
         aria-labelledby=\"{id}-title {id}-desc\" data-km=\"{kmpu:.5}\" data-first-level=\"{first}\"{inset}>\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc><g class=\"map-view\">\
         <rect class=\"sea\" x=\"-2000\" y=\"-2000\" width=\"{}\" height=\"{}\"/>",
        escape(opts.title),
        escape(opts.description),
        view.width + 4000.0,
        view.height + 4000.0,
        w = view.width,
        h = view.height,
        kmpu = overlays.kmpu,
        inset = overlays.inset_attribute(view),
    );
    svg.push_str(&ground.paths);
    if !route_svg.is_empty() {
        let _ = write!(svg, "<g class=\"routes\">{route_svg}</g>");
    }
    let leaders = markers::leaders(&placed);
    if !leaders.is_empty() {
        let _ = write!(svg, "<g class=\"leaders\" aria-hidden=\"true\">{leaders}</g>");
    }
    names::write_labels(&mut svg, &levels, &mut legend, l);
    svg.push_str("<g class=\"markers\">");
    markers::write_markers(&mut svg, &placed, palette, opts, &mut legend, &mut items);
    svg.push_str("</g></g>");
    overlays.write(&mut svg, view, prep, l);
    legend.add_ground(base, ground, l);

    items.sort_by(|a, b| a.title.cmp(&b.title));
    items.dedup_by(|a, b| a.url == b.url);
    let mut unplaced: Vec<MapItem> = features
        .unplaced
        .iter()
        .filter(|u| opts.complete.contains(&u.collection) || opts.is_focus(&u.collection, &u.id))
        .map(|u| MapItem {
            title: u.title.clone(),
            url: u.url.clone(),
            note: match &u.why {
                Missing::NoPlace => l.t("no position, route or place is given"),
                Missing::PlacesWithoutPoint(places) => {
                    l.tf("none of the places it names has a position ({places})", &[("places", &places.join(", "))])
                }
            },
        })
        .collect();
    unplaced.sort_by(|a, b| a.title.cmp(&b.title));
    MapView { id: id.to_string(), svg, legend: legend.finish(), items, unplaced, attribution: base.attribution.clone() }
}

/// ` lod v0 v1`: the classes that show an element at these levels.
fn level_classes(levels: &[usize]) -> String {
    let mut s = String::new();
    push_level_classes(&mut s, levels);
    s
}

/// Appends [`level_classes`] to `out`.
fn push_level_classes(out: &mut String, levels: &[usize]) {
    for &lv in levels {
        out.push_str(" v");
        match u8::try_from(lv) {
            Ok(d @ 0..=9) => out.push(char::from(b'0' + d)),
            _ => {
                let _ = write!(out, "{lv}");
            }
        }
    }
}

/// The classes naming a feature's layer and values (` l-gates v-status-international`), for
/// stylesheets to restyle.
fn value_classes(collection: &str, colour: &Option<(usize, String)>, shape: &Option<(usize, String)>) -> String {
    let slug = |s: &str| crate::urls::facet_slug(s).into_owned();
    let mut s = format!(" l-{}", slug(collection));
    for (i, v) in [colour, shape].into_iter().flatten() {
        let _ = write!(s, " v{i}-{}", slug(v));
    }
    s
}
