//! Routes: schematic lines through the places a record lists, each a link, drawn under the
//! markers with the focused route last.

use super::geometry::path_data;
use super::legend::{Legend, singular};
use super::{Draw, MapItem, View, value_classes};
use crate::html::escape;
use crate::map::Features;
use crate::render::palette::{self, Palette};
use std::fmt::Write as _;

/// The routes of `features` that `opts` allows and `view` shows, as SVG, adding their legend
/// entries and list items.
pub(super) fn draw_routes(
    features: &Features,
    palette: &Palette,
    view: &View,
    opts: &Draw,
    legend: &mut Legend,
    items: &mut Vec<MapItem>,
) -> String {
    let l = opts.locale;
    let mut routes: Vec<_> =
        features.routes.iter().filter(|r| opts.allowed(&r.collection) || opts.is_focus(&r.collection, &r.id)).collect();
    routes.sort_by_key(|r| opts.is_focus(&r.collection, &r.id));
    let mut route_svg = String::new();
    for r in routes {
        let pts: Vec<(f64, f64)> = r.points.iter().map(|&(lon, lat)| view.project(lon, lat)).collect();
        if !pts.iter().any(|p| view.contains(*p)) {
            continue;
        }
        let colour = palette.colour(&r.collection, r.colour.as_ref().map(|c| c.0));
        let shape = palette.shape(&r.collection, r.shape.as_ref().map(|s| s.0), true);
        let mut what: Vec<String> =
            [r.colour.as_ref(), r.shape.as_ref()].into_iter().flatten().map(|v| l.t(&v.1)).collect();
        what.push(l.t("schematic line through the places it lists"));
        if r.listed > r.points.len() {
            what.push(l.tf(
                "{shown} of its {listed} places have a position",
                &[("shown", &l.integer(r.points.len() as i64)), ("listed", &l.integer(r.listed as i64))],
            ));
        }
        let what = what.join(", ");
        let classes = value_classes(&r.collection, &r.colour, &r.shape);
        let state = if opts.is_focus(&r.collection, &r.id) {
            " focus"
        } else if opts.faded(&r.collection, &r.id) {
            " faded"
        } else {
            ""
        };
        let d = path_data(&pts, false);
        let dash = palette::dash(shape);
        let _ = write!(
            route_svg,
            "<a href=\"{}\" class=\"route-link{classes}{state}\" aria-label=\"{}\" data-name=\"{}\" data-what=\"{}\">\
             <path class=\"route-hit\" d=\"{d}\"/><path class=\"route s-{shape}\" d=\"{d}\" stroke=\"{colour}\"{}/></a>",
            escape(&r.url),
            escape(&format!("{} ({what})", r.title)),
            escape(&r.title),
            escape(&what),
            if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") }
        );
        if let Some((ci, kind)) = &r.colour {
            legend.add(
                4,
                *ci,
                format!("<path class=\"route s-solid\" d=\"M1 8L23 8\" stroke=\"{colour}\"/>"),
                l.t(kind),
            );
        } else {
            legend.add(
                4,
                0,
                format!("<path class=\"route s-solid\" d=\"M1 8L23 8\" stroke=\"{colour}\"/>"),
                singular(opts, &r.collection),
            );
        }
        if let Some((si, status)) = &r.shape {
            legend.add(5, *si, line_swatch(shape), l.t(status));
        }
        legend.add(
            6,
            0,
            String::new(),
            l.t("Lines are schematic: straight between the places a route lists, not its alignment."),
        );
        items.push(MapItem { title: r.title.clone(), url: r.url.clone(), note: what });
    }
    route_svg
}

fn line_swatch(shape: &str) -> String {
    let dash = palette::dash(shape);
    format!(
        "<path class=\"route s-{shape}\" d=\"M1 8L23 8\" stroke=\"#555\"{}/>",
        if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") }
    )
}
