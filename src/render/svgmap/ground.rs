//! The ground of a map: countries, provinces, rivers, lakes, coast and borders, projected,
//! clipped and simplified for one view, with the points where country names may go. It is
//! the costly part of a map and the same in every language, so it is worked out once per
//! view ([`ground`]) from the base map projected once per site ([`prepare`]).

use super::View;
use super::geometry::{Ring, area, clip_line, edge_distance, inside_polygon, path_data, pixels, push_path, simplify};
use super::rivers::{RiverLine, river_lines};
use crate::html::escape;
use crate::map::Basemap;
use geo::{Coord, LineString};
use std::fmt::Write as _;

/// The base map projected once; see [`ground`].
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Each country's polygons, exterior ring first, by the index of the base map's country.
    countries: Vec<Vec<Vec<Ring>>>,
    borders: Vec<Ring>,
    boundaries: Vec<Ring>,
    coast: Vec<Ring>,
    admin1_lines: Vec<Ring>,
    lakes: Vec<Vec<Vec<Ring>>>,
    rivers: Vec<(u8, Vec<Ring>)>,
    /// The named rivers' lines, by the index of the base map's named river (for their names).
    named_rivers: Vec<Vec<Ring>>,
    /// The locator inset: the base map's countries in a small box, and how it is framed.
    pub(super) inset: Inset,
}

/// A small map of the whole base map, on which each map shows where it lies.
#[derive(Debug, Clone)]
pub(super) struct Inset {
    pub(super) view: View,
    pub(super) paths: String,
}

/// The inset's width in screen pixels.
pub(super) const INSET_WIDTH: f64 = 108.0;

/// Projects the base map to Mercator, once for every map of the site.
pub fn prepare(base: &Basemap) -> Prepared {
    let polys = |shape: &geo::MultiPolygon<f64>| -> Vec<Vec<Ring>> {
        shape.0.iter().map(|p| std::iter::once(p.exterior()).chain(p.interiors()).map(Ring::new).collect()).collect()
    };
    let lines = |m: &[LineString<f64>]| -> Vec<Ring> { m.iter().flat_map(|l| Ring::pieces(l, 48)).collect() };
    let countries: Vec<Vec<Vec<Ring>>> = base.countries.iter().map(|c| polys(&c.shape)).collect();
    // The inset: the base map's box at a fixed small width, its countries heavily simplified.
    let [w, s, e, n] = base.bbox;
    let view = View::fit([w, s, e, n], INSET_WIDTH);
    let mut paths = String::new();
    for polys in &countries {
        let mut d = String::new();
        for rings in polys {
            let pts = pixels(&view, &rings[0], true, 0.8);
            if pts.len() >= 3 {
                d.push_str(&path_data(&pts, true));
            }
        }
        if !d.is_empty() {
            let _ = write!(paths, "<path class=\"inset-land\" d=\"{d}\"/>");
        }
    }
    Prepared {
        countries,
        borders: lines(&base.borders),
        boundaries: lines(&base.boundaries),
        coast: lines(&base.coast),
        admin1_lines: lines(&base.admin1_lines),
        lakes: base.lakes.iter().map(|(_, shape)| polys(shape)).collect(),
        rivers: base.rivers.iter().map(|(rank, m)| (*rank, lines(m))).collect(),
        named_rivers: base.named_rivers.iter().map(|r| lines(&r.lines)).collect(),
        inset: Inset { view, paths },
    }
}

/// A country's visible shape in a view, and the points its name may go at.
#[derive(Debug, Clone)]
pub(super) struct CountryPlace {
    /// Index into the base map's countries.
    pub(super) country: usize,
    /// The visible polygons, in pixels (exterior ring first), simplified to 2 pixels.
    pub(super) parts: Vec<Vec<Vec<(f64, f64)>>>,
    /// Candidate label points, most room first: (x, y, part).
    pub(super) spots: Vec<(f64, f64, usize)>,
}

/// The countries, provinces, rivers, lakes and borders of one view, and where their names
/// may go: the costly part of a map (projection, clipping, simplification, poles of
/// inaccessibility), the same in every language, so worked out once.
#[derive(Debug, Clone)]
pub struct Ground {
    pub(super) paths: String,
    pub(super) countries: Vec<CountryPlace>,
    /// Indices of the base map's cities inside the view.
    pub(super) cities: Vec<usize>,
    /// Indices of the base map's first-level divisions whose label point is in the view.
    pub(super) admin1: Vec<usize>,
    /// The named rivers the view shows, and where their names may go.
    pub(super) rivers: Vec<RiverLine>,
    /// Whether the view shows a river, a lake, provinces, other boundaries (for the legend).
    pub(super) has: [bool; 4],
}

/// How finely lines are simplified, in pixels: fine enough for twice the drawn size.
const TOLERANCE: f64 = 0.35;

/// Projects the base map into `view`.
pub fn ground(base: &Basemap, prep: &Prepared, view: &View) -> Ground {
    let mut svg = String::from("<g class=\"ground\" aria-hidden=\"true\">");
    let mut countries = Vec::new();
    for (ci, polys) in prep.countries.iter().enumerate() {
        let mut d = String::new();
        let mut parts: Vec<Vec<Vec<(f64, f64)>>> = Vec::new();
        for rings in polys {
            let mut part = Vec::new();
            for (i, ring) in rings.iter().enumerate() {
                let pts = pixels(view, ring, true, TOLERANCE);
                if pts.len() < 3 {
                    if i == 0 {
                        break;
                    }
                    continue;
                }
                push_path(&mut d, &pts, true);
                part.push(pts);
            }
            if !part.is_empty() {
                parts.push(part);
            }
        }
        if d.is_empty() {
            continue;
        }
        let iso = &base.countries[ci].iso;
        let main = if base.border_countries.contains(iso) { " main" } else { "" };
        let _ = write!(svg, "<path class=\"country country-{}{main}\" d=\"{d}\"/>", escape(&iso.to_lowercase()));
        // A coarser outline is enough to find room for a name, and much quicker to search.
        let parts: Vec<Vec<Vec<(f64, f64)>>> = parts
            .into_iter()
            .map(|part| part.into_iter().map(|r| simplify(r, 2.0)).filter(|r| r.len() >= 3).collect::<Vec<_>>())
            .filter(|part| !part.is_empty())
            .collect();
        let spots = label_spots(&parts, view);
        countries.push(CountryPlace { country: ci, parts, spots });
    }
    let mut lakes = String::new();
    for polys in &prep.lakes {
        for rings in polys {
            for ring in rings.iter().take(1) {
                let pts = pixels(view, ring, true, TOLERANCE);
                if pts.len() >= 3 && area(&pts) > 1.5 {
                    push_path(&mut lakes, &pts, true);
                }
            }
        }
    }
    let line_group = |class: &str, rings: &[Ring], svg: &mut String| -> bool {
        let mut d = String::new();
        for r in rings {
            for piece in clip_line(view, r, TOLERANCE) {
                push_path(&mut d, &piece, false);
            }
        }
        if !d.is_empty() {
            let _ = write!(svg, "<path class=\"{class}\" d=\"{d}\"/>");
        }
        !d.is_empty()
    };
    let has_lakes = !lakes.is_empty();
    if has_lakes {
        let _ = write!(svg, "<path class=\"lake\" d=\"{lakes}\"/>");
    }
    let has_admin = line_group("admin1-line", &prep.admin1_lines, &mut svg);
    let mut has_rivers = false;
    for (rank, rings) in &prep.rivers {
        has_rivers |= line_group(&format!("river river-{rank}"), rings, &mut svg);
    }
    line_group("coast", &prep.coast, &mut svg);
    let has_boundaries = line_group("boundary", &prep.boundaries, &mut svg);
    line_group("border-band", &prep.borders, &mut svg);
    line_group("border", &prep.borders, &mut svg);
    svg.push_str("</g>");
    let cities = base.cities.iter().enumerate().filter(|(_, c)| view.shows(c.lon, c.lat)).map(|(i, _)| i).collect();
    let admin1 = base
        .admin1
        .iter()
        .enumerate()
        .filter(|(_, a)| a.label.is_some_and(|(lon, lat)| view.shows(lon, lat)))
        .map(|(i, _)| i)
        .collect();
    let rivers = river_lines(&prep.named_rivers, view);
    Ground { paths: svg, countries, cities, admin1, rivers, has: [has_rivers, has_lakes, has_admin, has_boundaries] }
}

/// How close to the true pole of inaccessibility a country's name point is found, in pixels: a
/// name is a dozen pixels tall and wider still, so a few pixels off the best point cannot be
/// seen, and each halving of this distance costs the search another round of cells.
const POLE_PRECISION: f64 = 4.0;

/// Where a country's name may go: the pole of inaccessibility of each sizeable visible part
/// (the point farthest from its edges, so the name sits inside even an L-shaped country),
/// then other roomy points of the largest part, most room first.
fn label_spots(parts: &[Vec<Vec<(f64, f64)>>], view: &View) -> Vec<(f64, f64, usize)> {
    let min_room = 8.0;
    let mut spots: Vec<(f64, f64, usize, f64)> = Vec::new();
    for (pi, part) in parts.iter().enumerate() {
        let ext = &part[0];
        if area(ext) < 400.0 {
            continue;
        }
        let poly = geo::Polygon::new(
            LineString(ext.iter().map(|&(x, y)| Coord { x, y }).collect()),
            part[1..].iter().map(|r| LineString(r.iter().map(|&(x, y)| Coord { x, y }).collect())).collect(),
        );
        if let Ok(p) = polylabel::polylabel(&poly, &POLE_PRECISION) {
            let room = edge_distance(part, (p.x(), p.y()));
            if room >= min_room && view.contains((p.x(), p.y())) {
                spots.push((p.x(), p.y(), pi, room));
            }
        }
        // More places to try, on a grid over the part, for when the best spot is taken.
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in ext {
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
        }
        let step = ((x1 - x0).max(y1 - y0) / 8.0).max(16.0);
        let mut y = y0 + step / 2.0;
        while y < y1 {
            let mut x = x0 + step / 2.0;
            while x < x1 {
                if inside_polygon(part, (x, y)) {
                    let room = edge_distance(part, (x, y));
                    if room >= min_room * 1.5 {
                        spots.push((x, y, pi, room * 0.9));
                    }
                }
                x += step;
            }
            y += step;
        }
    }
    spots.sort_by(|a, b| b.3.total_cmp(&a.3));
    spots.truncate(12);
    spots.into_iter().map(|(x, y, p, _)| (x, y, p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_names_go_where_the_country_has_most_room() {
        // An L: a tall bar on the left and a long foot; its middle of bounding box (50, 50)
        // is outside it.
        let l = vec![vec![(0.0, 0.0), (30.0, 0.0), (30.0, 70.0), (100.0, 70.0), (100.0, 100.0), (0.0, 100.0)]];
        let v = View::fit([0.0, 0.0, 1.0, 1.0], 100.0);
        let spots = label_spots(std::slice::from_ref(&l), &v);
        assert!(!spots.is_empty());
        for (x, y, _) in &spots {
            assert!(inside_polygon(&l, (*x, *y)), "({x}, {y}) is outside the L");
        }
        assert!(!inside_polygon(&l, (50.0, 50.0)));
        let (x, y, _) = spots[0];
        assert!(edge_distance(&l, (x, y)) >= 14.0, "({x}, {y}) is close to an edge");
    }
}
