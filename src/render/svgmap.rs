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

use super::labels::{self, Board, Font, LEVELS, Rect};
use super::palette::{self, Palette};
use super::tenths::{Tenths, push_tenths};
use crate::html::escape;
use crate::map::{Basemap, Features, Marker, Missing};
use geo::{Coord, LineString, Simplify};
use serde::Serialize;
use std::fmt::Write as _;

/// Where and how large a map is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    west: f64,
    east: f64,
    /// Mercator y of the north and south edges.
    top: f64,
    bottom: f64,
    pub width: f64,
    pub height: f64,
}

impl View {
    /// The view's exact numbers, as a key: records that centre on the same places share a
    /// view, and so a ground.
    pub fn key(&self) -> [u64; 6] {
        [self.west, self.east, self.top, self.bottom, self.width, self.height].map(f64::to_bits)
    }
}

fn merc(lat: f64) -> f64 {
    let phi = lat.clamp(-85.0, 85.0).to_radians();
    (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln().to_degrees()
}

fn unmerc(y: f64) -> f64 {
    (2.0 * y.to_radians().exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees()
}

impl View {
    /// A view of `width` pixels showing the box [west, south, east, north], at its aspect ratio.
    pub fn fit(bbox: [f64; 4], width: f64) -> View {
        let [west, south, east, north] = bbox;
        let (top, bottom) = (merc(north), merc(south));
        let height = (width * (top - bottom) / (east - west)).round();
        View { west, east, top, bottom, width, height }
    }

    /// A view around `points` (lon/lat), at least `min` degrees wide, with a margin.
    pub fn around(points: &[(f64, f64)], min: f64, width: f64, aspect: f64) -> View {
        let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(lon, lat) in points {
            w = w.min(lon);
            e = e.max(lon);
            s = s.min(lat);
            n = n.max(lat);
        }
        let (cx, cy) = ((w + e) / 2.0, (s + n) / 2.0);
        let span = ((e - w) * 1.3).max((n - s) * 1.3 * aspect).max(min);
        let half_w = span / 2.0;
        let half_h = span / aspect / 2.0;
        View::fit([cx - half_w, cy - half_h, cx + half_w, cy + half_h], width)
    }

    /// A view that frames `points` (lon/lat) with a margin, kept between 5:4 and 2:1 and
    /// inside `within` (the base map's box): an overview shows what it draws, not empty
    /// country around it. Points outside `within` are left out of the frame.
    pub fn frame(points: &[(f64, f64)], within: [f64; 4], width: f64) -> View {
        let [bw, bs, be, bn] = within;
        let inside: Vec<(f64, f64)> =
            points.iter().copied().filter(|&(lon, lat)| (bw..=be).contains(&lon) && (bs..=bn).contains(&lat)).collect();
        if inside.is_empty() {
            return View::fit(within, width);
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(lon, lat) in &inside {
            let y = merc(lat);
            (x0, x1, y0, y1) = (x0.min(lon), x1.max(lon), y0.min(y), y1.max(y));
        }
        // A margin of a tenth of the span each side, at least a quarter of a degree.
        let mx = ((x1 - x0) * 0.1).max(0.25);
        let my = ((y1 - y0) * 0.1).max(0.25);
        (x0, x1, y0, y1) = (x0 - mx, x1 + mx, y0 - my, y1 + my);
        let (w, h) = (x1 - x0, y1 - y0);
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let (w, h) = if w / h < 1.25 {
            (h * 1.25, h)
        } else if w / h > 2.0 {
            (w, w / 2.0)
        } else {
            (w, h)
        };
        // Shift back inside the base map where it can; shrink only what does not fit.
        let (my0, my1) = (merc(bs), merc(bn));
        let w = w.min(be - bw);
        let h = h.min(my1 - my0);
        let x0 = (cx - w / 2.0).clamp(bw, be - w);
        let y0 = (cy - h / 2.0).clamp(my0, my1 - h);
        View::fit([x0, unmerc(y0), x0 + w, unmerc(y0 + h)], width)
    }

    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        self.scale(lon, merc(lat))
    }

    /// Pixels of a point already in Mercator degrees.
    fn scale(&self, lon: f64, merc_y: f64) -> (f64, f64) {
        let x = (lon - self.west) / (self.east - self.west) * self.width;
        let y = (self.top - merc_y) / (self.top - self.bottom) * self.height;
        (x, y)
    }

    /// Whether the point (lon, lat) falls inside the view.
    pub fn shows(&self, lon: f64, lat: f64) -> bool {
        self.contains(self.project(lon, lat))
    }

    fn contains(&self, (x, y): (f64, f64)) -> bool {
        (0.0..=self.width).contains(&x) && (0.0..=self.height).contains(&y)
    }

    /// Kilometres per map unit at the view's middle latitude.
    fn km_per_unit(&self) -> f64 {
        let lat = unmerc((self.top + self.bottom) / 2.0);
        111.32 * lat.to_radians().cos() * (self.east - self.west) / self.width
    }

    /// West, south, east, north.
    fn bbox(&self) -> [f64; 4] {
        [self.west, unmerc(self.bottom), self.east, unmerc(self.top)]
    }
}

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
    /// The language of the legend, names and notes.
    pub locale: &'a crate::i18n::Locale,
    pub config: &'a crate::config::Config,
}

/// A line of the base map in Mercator degrees (lon, merc(lat)), with its bounding box, so
/// each view only scales it.
#[derive(Debug, Clone)]
struct Ring {
    pts: Vec<(f64, f64)>,
    /// West, bottom, east, top, in the same units.
    bbox: [f64; 4],
}

impl Ring {
    fn new(line: &LineString<f64>) -> Ring {
        Ring::from_points(line.0.iter().map(|c| (c.x, merc(c.y))).collect())
    }

    fn from_points(pts: Vec<(f64, f64)>) -> Ring {
        let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for &(x, y) in &pts {
            bbox = [bbox[0].min(x), bbox[1].min(y), bbox[2].max(x), bbox[3].max(y)];
        }
        Ring { pts, bbox }
    }

    /// An open line in pieces of at most `n` points, so a view skips the pieces it does not
    /// show (a river crossing the whole region is drawn only where it is seen).
    fn pieces(line: &LineString<f64>, n: usize) -> Vec<Ring> {
        let pts: Vec<(f64, f64)> = line.0.iter().map(|c| (c.x, merc(c.y))).collect();
        if pts.len() < 2 {
            return vec![];
        }
        let mut out = Vec::new();
        let mut start = 0;
        while start + 1 < pts.len() {
            let end = (start + n).min(pts.len() - 1);
            out.push(Ring::from_points(pts[start..=end].to_vec()));
            start = end;
        }
        out
    }

    fn outside(&self, view: &View) -> bool {
        let [w, s, e, n] = self.bbox;
        e < view.west || w > view.east || n < view.bottom || s > view.top
    }
}

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
    /// The locator inset: the base map's countries in a small box, and how it is framed.
    inset: Inset,
}

/// A small map of the whole base map, on which each map shows where it lies.
#[derive(Debug, Clone)]
struct Inset {
    view: View,
    paths: String,
}

/// The inset's width in screen pixels.
const INSET_WIDTH: f64 = 108.0;

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
        inset: Inset { view, paths },
    }
}

/// Scales, clips and simplifies a line into pixel space. Clipping comes first, so a mini-map
/// simplifies only the coastline it shows, not the whole of China; a line wholly outside the
/// view is skipped at once.
fn pixels(view: &View, ring: &Ring, closed: bool, tolerance: f64) -> Vec<(f64, f64)> {
    if ring.outside(view) {
        return vec![];
    }
    let projected: Vec<(f64, f64)> = ring.pts.iter().map(|&(x, my)| view.scale(x, my)).collect();
    let kept = if closed { clip_ring(&projected, view) } else { projected };
    simplify(kept, tolerance)
}

fn simplify(pts: Vec<(f64, f64)>, tolerance: f64) -> Vec<(f64, f64)> {
    let simple = LineString(pts.into_iter().map(|(x, y)| Coord { x, y }).collect::<Vec<_>>()).simplify(tolerance);
    simple.0.iter().map(|c| (c.x, c.y)).collect()
}

/// The parts of an open line inside the view (plus a small margin), each simplified.
fn clip_line(view: &View, ring: &Ring, tolerance: f64) -> Vec<Vec<(f64, f64)>> {
    if ring.outside(view) {
        return vec![];
    }
    let m = 4.0;
    let (x0, y0, x1, y1) = (-m, -m, view.width + m, view.height + m);
    let inside = |p: (f64, f64)| p.0 >= x0 && p.0 <= x1 && p.1 >= y0 && p.1 <= y1;
    let mut out = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    let pts: Vec<(f64, f64)> = ring.pts.iter().map(|&(x, my)| view.scale(x, my)).collect();
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        // Liang–Barsky: the part of the segment inside the box, as parameters t0..t1.
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        let mut visible = true;
        for (p, q) in [(-dx, a.0 - x0), (dx, x1 - a.0), (-dy, a.1 - y0), (dy, y1 - a.1)] {
            if p == 0.0 {
                if q < 0.0 {
                    visible = false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        if !visible || t0 > t1 {
            if cur.len() >= 2 {
                out.push(std::mem::take(&mut cur));
            }
            cur.clear();
            continue;
        }
        let p0 = (a.0 + t0 * dx, a.1 + t0 * dy);
        let p1 = (a.0 + t1 * dx, a.1 + t1 * dy);
        if cur.is_empty() {
            cur.push(p0);
        }
        cur.push(p1);
        if !inside(b) {
            if cur.len() >= 2 {
                out.push(std::mem::take(&mut cur));
            }
            cur.clear();
        }
    }
    if cur.len() >= 2 {
        out.push(cur);
    }
    out.into_iter().map(|p| simplify(p, tolerance)).filter(|p| p.len() >= 2).collect()
}

/// Sutherland–Hodgman clipping of a closed ring to the view (plus a small margin).
fn clip_ring(ring: &[(f64, f64)], view: &View) -> Vec<(f64, f64)> {
    let m = 4.0;
    let (x0, y0, x1, y1) = (-m, -m, view.width + m, view.height + m);
    type Edge = (fn(&(f64, f64), f64) -> bool, f64, bool);
    let edges: [Edge; 4] = [
        (|p, v| p.0 >= v, x0, true),
        (|p, v| p.0 <= v, x1, true),
        (|p, v| p.1 >= v, y0, false),
        (|p, v| p.1 <= v, y1, false),
    ];
    let mut out: Vec<(f64, f64)> = ring.to_vec();
    for (inside, v, vertical) in edges {
        let input = std::mem::take(&mut out);
        if input.is_empty() {
            return out;
        }
        let at = |a: (f64, f64), b: (f64, f64)| {
            if vertical {
                let t = (v - a.0) / (b.0 - a.0);
                (v, a.1 + t * (b.1 - a.1))
            } else {
                let t = (v - a.1) / (b.1 - a.1);
                (a.0 + t * (b.0 - a.0), v)
            }
        };
        for i in 0..input.len() {
            let (cur, prev) = (input[i], input[(i + input.len() - 1) % input.len()]);
            match (inside(&cur, v), inside(&prev, v)) {
                (true, true) => out.push(cur),
                (true, false) => {
                    out.push(at(prev, cur));
                    out.push(cur);
                }
                (false, true) => out.push(at(prev, cur)),
                (false, false) => {}
            }
        }
    }
    out
}

fn path_data(points: &[(f64, f64)], close: bool) -> String {
    let mut d = String::with_capacity(points.len() * 12 + 1);
    push_path(&mut d, points, close);
    d
}

fn push_path(d: &mut String, points: &[(f64, f64)], close: bool) {
    for (i, &(x, y)) in points.iter().enumerate() {
        d.push(if i == 0 { 'M' } else { 'L' });
        push_tenths(d, x);
        d.push(' ');
        push_tenths(d, y);
    }
    if close {
        d.push('Z');
    }
}

/// Whether (x, y) lies inside the polygon (even–odd over every ring).
fn inside_polygon(rings: &[Vec<(f64, f64)>], (x, y): (f64, f64)) -> bool {
    let mut inside = false;
    for ring in rings {
        let Some(&last) = ring.last() else { continue };
        let mut b = last;
        for &a in ring {
            if (a.1 > y) != (b.1 > y) && x < (b.0 - a.0) * (y - a.1) / (b.1 - a.1) + a.0 {
                inside = !inside;
            }
            b = a;
        }
    }
    inside
}

/// Distance from (x, y) to the nearest edge of the polygon.
fn edge_distance(rings: &[Vec<(f64, f64)>], (x, y): (f64, f64)) -> f64 {
    let mut best = f64::MAX;
    for ring in rings {
        let Some(&last) = ring.last() else { continue };
        let mut b = last;
        for &a in ring {
            let prev = std::mem::replace(&mut b, a);
            let (a, b) = (a, prev);
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len = dx * dx + dy * dy;
            let t = if len > 0.0 { (((x - a.0) * dx + (y - a.1) * dy) / len).clamp(0.0, 1.0) } else { 0.0 };
            let (px, py) = (a.0 + t * dx, a.1 + t * dy);
            best = best.min(((x - px).powi(2) + (y - py).powi(2)).sqrt());
        }
    }
    best
}

/// A country's visible shape in a view, and the points its name may go at.
#[derive(Debug, Clone)]
struct CountryPlace {
    /// Index into the base map's countries.
    country: usize,
    /// The visible polygons, in pixels (exterior ring first), simplified to 2 pixels.
    parts: Vec<Vec<Vec<(f64, f64)>>>,
    /// Candidate label points, most room first: (x, y, part).
    spots: Vec<(f64, f64, usize)>,
}

/// The countries, provinces, rivers, lakes and borders of one view, and where their names
/// may go: the costly part of a map (projection, clipping, simplification, poles of
/// inaccessibility), the same in every language, so worked out once.
#[derive(Debug, Clone)]
pub struct Ground {
    paths: String,
    countries: Vec<CountryPlace>,
    /// Indices of the base map's cities inside the view.
    cities: Vec<usize>,
    /// Indices of the base map's first-level divisions whose label point is in the view.
    admin1: Vec<usize>,
    /// Whether the view shows a river, a lake, provinces, other boundaries (for the legend).
    has: [bool; 4],
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
    Ground { paths: svg, countries, cities, admin1, has: [has_rivers, has_lakes, has_admin, has_boundaries] }
}

fn area(pts: &[(f64, f64)]) -> f64 {
    let n = pts.len();
    (0..n).map(|i| pts[i].0 * pts[(i + 1) % n].1 - pts[(i + 1) % n].0 * pts[i].1).sum::<f64>().abs() / 2.0
}

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
        if let Ok(p) = polylabel::polylabel(&poly, &1.0) {
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

/// Marker sizes, in screen pixels.
const MARKER_R: f64 = 6.0;
const FOCUS_R: f64 = 8.0;
/// Half the side of a marker's tap target (a 26-pixel square), and so the least distance
/// between two markers' centres before they are spread apart.
const HIT_R: f64 = 13.0;
const SPREAD: f64 = 2.0 * HIT_R;

/// A marker drawn on this map, with its layout at each level.
struct Placed<'a> {
    m: &'a Marker,
    /// Position in map units.
    x: f64,
    y: f64,
    r: f64,
    focus: bool,
    /// At each level, the offset from its point (screen pixels): markers that would cover
    /// each other are spread apart, each with a leader line back to its true point.
    at: [(f64, f64); LEVELS.len()],
}

/// Spreads markers that would cover each other at level `level`, so that every tap target
/// ([`SPREAD`] pixels) stands free: the markers of each crowded group are pushed apart,
/// each as little as it takes, a few pixels at a time. Markers at the same point start
/// around it in a small ring, in a fixed order.
fn spread(placed: &mut [Placed], level: usize) {
    let k = LEVELS[level];
    let n = placed.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let reach = (SPREAD * 3.0 / k).powi(2);
    for i in 0..n {
        for j in i + 1..n {
            let d = (placed[i].x - placed[j].x).powi(2) + (placed[i].y - placed[j].y).powi(2);
            if d < reach {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..n {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    for members in groups.values() {
        for &i in members {
            placed[i].at[level] = (0.0, 0.0);
        }
        if members.len() < 2 {
            continue;
        }
        // Screen positions at the level's lowest zoom; markers on one point start in a ring.
        let mut pos: Vec<(f64, f64)> = members.iter().map(|&i| (placed[i].x * k, placed[i].y * k)).collect();
        for a in 0..pos.len() {
            let same: Vec<usize> =
                (0..pos.len()).filter(|&b| (pos[a].0 - pos[b].0).abs() + (pos[a].1 - pos[b].1).abs() < 0.5).collect();
            if same.len() > 1 && same[0] == a {
                for (j, &b) in same.iter().enumerate() {
                    let ang = -std::f64::consts::FRAC_PI_2 + j as f64 * std::f64::consts::TAU / same.len() as f64;
                    pos[b] = (pos[b].0 + ang.cos() * 2.0, pos[b].1 + ang.sin() * 2.0);
                }
            }
        }
        for _ in 0..200 {
            let mut worst: f64 = 0.0;
            for a in 0..pos.len() {
                for b in a + 1..pos.len() {
                    let (dx, dy) = (pos[b].0 - pos[a].0, pos[b].1 - pos[a].1);
                    let d = (dx * dx + dy * dy).sqrt();
                    let gap = SPREAD + 0.5 - d;
                    if gap > 0.0 {
                        worst = worst.max(gap);
                        let (ux, uy) = if d > 1e-6 { (dx / d, dy / d) } else { (0.0, 1.0) };
                        let push = gap / 2.0 + 0.05;
                        pos[a] = (pos[a].0 - ux * push, pos[a].1 - uy * push);
                        pos[b] = (pos[b].0 + ux * push, pos[b].1 + uy * push);
                    }
                }
            }
            if worst <= 0.0 {
                break;
            }
        }
        for (j, &i) in members.iter().enumerate() {
            let off = (pos[j].0 - placed[i].x * k, pos[j].1 - placed[i].y * k);
            // Less than a pixel is no spread: the marker stays on its point.
            placed[i].at[level] = if off.0.abs() + off.1.abs() < 1.0 { (0.0, 0.0) } else { off };
        }
    }
}

/// A label placed at some level: where, what and how.
#[derive(Debug, Clone, PartialEq)]
struct Label<'a> {
    class: &'static str,
    text: &'a str,
    ax: f64,
    ay: f64,
    dx: f64,
    dy: f64,
    size: f64,
    /// A city's dot, drawn at the anchor with the label.
    dot: Option<&'static str>,
}

impl<'a> Label<'a> {
    /// A name written centred on its point, with no dot (country and province names).
    fn centred(class: &'static str, text: &'a str, (ax, ay): (f64, f64), size: f64) -> Self {
        Label { class, text, ax, ay, dx: 0.0, dy: 0.0, size, dot: None }
    }
}

const REC_FONT: Font = Font { size: 12.0, bold: false, spacing: 0.0, upper: false };
const FOCUS_FONT: Font = Font { size: 13.5, bold: true, spacing: 0.0, upper: false };
const COUNTRY_FONT: Font = Font { size: 13.0, bold: false, spacing: 0.14, upper: true };
const CITY_FONT: Font = Font { size: 11.0, bold: false, spacing: 0.0, upper: false };
const BIG_CITY_FONT: Font = Font { size: 12.5, bold: true, spacing: 0.0, upper: false };
const ADMIN_FONT: Font = Font { size: 10.5, bold: false, spacing: 0.08, upper: false };

/// A label's box around its centre, with room for its halo.
fn label_box(text: &str, font: &Font) -> (f64, f64) {
    (text_half_width(text, font), font.size * 0.62 + 1.5)
}

fn text_half_width(text: &str, font: &Font) -> f64 {
    labels::text_width(text, font) / 2.0 + 2.5
}

/// The highest city rank shown at each level (1 most important).
const CITY_RANKS: [u8; 6] = [2, 4, 5, 6, 8, 9];

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
    let lang = l.language.code.as_str();
    let id = opts.id;
    let allowed = |coll: &str| opts.only.is_none_or(|o| o.iter().any(|c| c == coll));
    let is_focus = |coll: &str, id: &str| opts.focus.is_some_and(|(c, i)| c == coll && i == id);
    let faded = |coll: &str, id: &str| opts.focus.is_some() && !is_focus(coll, id);

    let mut legend = Legend::default();
    let mut items = Vec::new();

    // Routes first, so markers sit on top; the focused route last of all.
    let mut routes: Vec<_> =
        features.routes.iter().filter(|r| allowed(&r.collection) || is_focus(&r.collection, &r.id)).collect();
    routes.sort_by_key(|r| is_focus(&r.collection, &r.id));
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
        let state = if is_focus(&r.collection, &r.id) {
            " focus"
        } else if faded(&r.collection, &r.id) {
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

    // Markers in the view, the focus last (on top).
    let mut placed: Vec<Placed> = features
        .markers
        .iter()
        .filter(|m| allowed(&m.collection) || is_focus(&m.collection, &m.id))
        .filter_map(|m| {
            let (x, y) = view.project(m.lon, m.lat);
            view.contains((x, y)).then(|| {
                let focus = is_focus(&m.collection, &m.id);
                Placed { m, x, y, r: if focus { FOCUS_R } else { MARKER_R }, focus, at: [(0.0, 0.0); 6] }
            })
        })
        .collect();
    placed.sort_by_key(|p| p.focus);
    // Levels no screen reaches are left out: a map is never drawn narrower than 280 pixels.
    let first = (0..LEVELS.len()).find(|&l| 2.0 * LEVELS[l] * view.width >= 280.0).unwrap_or(0);
    for level in first..LEVELS.len() {
        spread(&mut placed, level);
    }

    // The overlays (locator inset, scale bar) take corners free of markers.
    let kmpu = view.km_per_unit();
    let inset_view = &prep.inset.view;
    let bbox = view.bbox();
    let (ix0, iy0) = inset_view.project(bbox[0], bbox[3]);
    let (ix1, iy1) = inset_view.project(bbox[2], bbox[1]);
    let inset_h = inset_view.height;
    let want_inset = (ix1 - ix0) < INSET_WIDTH * 0.6;
    let corner_free = |ax: f64, ay: f64, dx: f64, dy: f64, hw: f64, hh: f64| {
        let zone = Rect { ax, ay, dx, dy, hw, hh };
        placed.iter().all(|p| {
            (1..=2).all(|lv| {
                let (ox, oy) = p.at[lv];
                let r = Rect { ax: p.x, ay: p.y, dx: ox, dy: oy, hw: HIT_R, hh: HIT_R };
                !labels::overlap(&zone, &r, LEVELS[lv], 2.0 * LEVELS[lv])
            })
        })
    };
    let (iw, ih) = (INSET_WIDTH / 2.0 + 2.0, inset_h / 2.0 + 2.0);
    let inset_corner = want_inset
        .then(|| {
            [(view.width, 0.0, -1.0, 1.0), (0.0, 0.0, 1.0, 1.0), (view.width, view.height, -1.0, -1.0)]
                .into_iter()
                .find(|&(ax, ay, sx, sy)| corner_free(ax, ay, sx * (iw + 6.0), sy * (ih + 6.0), iw, ih))
        })
        .flatten();
    let scale_corner = [(0.0, view.height, 1.0), (view.width, view.height, -1.0)]
        .into_iter()
        .filter(|&(ax, ay, _)| inset_corner.is_none_or(|(bx, by, _, _)| (bx, by) != (ax, ay)))
        .find(|&(ax, ay, s)| corner_free(ax, ay, s * 62.0, -17.0, 56.0, 12.0));
    let obstacles: Vec<Rect> = inset_corner
        .map(|(ax, ay, sx, sy)| Rect { ax, ay, dx: sx * (iw + 6.0), dy: sy * (ih + 6.0), hw: iw, hh: ih })
        .into_iter()
        .chain(scale_corner.map(|(ax, ay, s)| Rect { ax, ay, dx: s * 62.0, dy: -17.0, hw: 56.0, hh: 12.0 }))
        .collect();

    // Labels, level by level, most important first.
    let mut order: Vec<usize> = (0..placed.len()).collect();
    order.sort_by_key(|&i| {
        let p = &placed[i];
        (!p.focus, !p.m.exact, p.m.colour.as_ref().map_or(usize::MAX, |c| c.0), p.m.title.clone())
    });
    let labelled = |p: &Placed| p.focus || opts.labelled.contains(&p.m.collection);
    let marker_label = |p: &Placed| short_label(&p.m.title);
    let mut chosen: std::collections::HashMap<usize, usize> = Default::default();
    // What may be named, measured once for every level.
    let marker_texts: Vec<Option<(String, Font, f64, f64)>> = placed
        .iter()
        .map(|p| {
            labelled(p).then(|| {
                let font = if p.focus { FOCUS_FONT } else { REC_FONT };
                let text = marker_label(p);
                let (hw, hh) = label_box(&text, &font);
                (text, font, hw, hh)
            })
        })
        .collect();
    let country_texts: Vec<(String, f64, f64)> = ground
        .countries
        .iter()
        .map(|cp| {
            // Written as named and set in capitals by the style sheet (`upper` measures it so),
            // so screen readers and search read a word, not letters.
            let name = base.countries[cp.country].names.get(lang).to_string();
            let (hw, hh) = label_box(&name, &COUNTRY_FONT);
            (name, hw, hh)
        })
        .collect();
    struct Town<'b> {
        x: f64,
        y: f64,
        name: &'b str,
        rank: u8,
        big: bool,
        capital: bool,
        hw: f64,
        hh: f64,
    }
    let towns: Vec<Town> = ground
        .cities
        .iter()
        .map(|&ci| &base.cities[ci])
        .filter(|c| !c.names.get(lang).is_empty() && !placed.iter().any(|p| same_place(p.m, c)))
        .map(|c| {
            let (x, y) = view.project(c.lon, c.lat);
            let big = c.rank <= 2 || c.capital;
            let name = c.names.get(lang);
            let (hw, hh) = label_box(name, if big { &BIG_CITY_FONT } else { &CITY_FONT });
            Town { x, y, name, rank: c.rank, big, capital: c.capital, hw, hh }
        })
        .collect();
    let provinces: Vec<(f64, f64, &str, f64, f64)> = ground
        .admin1
        .iter()
        .filter_map(|&ai| {
            let a = &base.admin1[ai];
            let (lon, lat) = a.label?;
            let (x, y) = view.project(lon, lat);
            let name = a.names.get(lang);
            let (hw, hh) = label_box(name, &ADMIN_FONT);
            Some((x, y, name, hw, hh))
        })
        .collect();
    let mut levels: Vec<Vec<Label>> = vec![Vec::new(); first];
    for level in first..LEVELS.len() {
        let mut board = Board::new(level, view.width, view.height);
        let (k0, _) = board.zooms();
        // The overlays are hidden on narrow maps, whose layout is level 0.
        if level > 0 {
            for o in &obstacles {
                board.add(*o);
            }
        }
        for p in &placed {
            let (ox, oy) = p.at[level];
            board.add(Rect { ax: p.x, ay: p.y, dx: ox, dy: oy, hw: p.r + 2.0, hh: p.r + 2.0 });
        }
        let mut out: Vec<Label> = Vec::new();
        for &i in &order {
            let p = &placed[i];
            let Some((text, font, hw, hh)) = &marker_texts[i] else { continue };
            let (hw, hh) = (*hw, *hh);
            let (ax, ay) = (p.x, p.y);
            let (ox, oy) = p.at[level];
            // The focus may take its name farther out when its surroundings are crowded.
            let gaps: &[f64] = if p.focus { &[2.0, 12.0, 24.0, 40.0] } else { &[2.0] };
            let mut spots: Vec<(usize, (f64, f64))> =
                gaps.iter().flat_map(|g| labels::around(p.r + 1.0, hw * 2.0, hh * 2.0, *g)).enumerate().collect();
            // A spread marker's label goes outwards; a label keeps its side from the level below.
            if ox != 0.0 || oy != 0.0 {
                let outwards = |s: &(usize, (f64, f64))| {
                    let (x, y) = s.1;
                    -(x * ox + y * oy) / (x * x + y * y).sqrt().max(1e-9)
                };
                spots.sort_by(|a, b| outwards(a).total_cmp(&outwards(b)));
            }
            if let Some(&prev) = chosen.get(&i)
                && let Some(pos) = spots.iter().position(|s| s.0 == prev)
            {
                let s = spots.remove(pos);
                spots.insert(0, s);
            }
            for (si, (dx, dy)) in spots {
                let r = Rect { ax, ay, dx: ox + dx, dy: oy + dy, hw, hh };
                if board.try_add(&[r]) {
                    chosen.insert(i, si);
                    let class = if p.focus {
                        "rec focus"
                    } else if p.m.exact {
                        "rec"
                    } else {
                        "rec approx"
                    };
                    out.push(Label { class, text, ax, ay, dx: ox + dx, dy: oy + dy, size: font.size, dot: None });
                    break;
                }
            }
        }
        // Country names, inside their countries.
        for (cp, (name, hw, hh)) in ground.countries.iter().zip(&country_texts) {
            let (hw, hh) = (*hw, *hh);
            for &(x, y, part) in &cp.spots {
                let r = Rect { ax: x, ay: y, dx: 0.0, dy: 0.0, hw, hh };
                if !(board.inside(&r) && board.free(&r)) {
                    continue;
                }
                let corners =
                    [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh), (0.0, -hh), (0.0, hh), (-hw, 0.0), (hw, 0.0)];
                let rings = &cp.parts[part];
                if corners.iter().all(|&(cx, cy)| inside_polygon(rings, (x + cx / k0, y + cy / k0))) {
                    board.add(r);
                    out.push(Label::centred("country-name", name, (x, y), COUNTRY_FONT.size));
                    break;
                }
            }
        }
        // Cities and towns, by rank: the dot and its name together, or neither.
        for t in towns.iter().take_while(|t| t.rank <= CITY_RANKS.get(level).copied().unwrap_or(u8::MAX)) {
            let dot_r = if t.big { 3.5 } else { 2.5 };
            let dot = Rect { ax: t.x, ay: t.y, dx: 0.0, dy: 0.0, hw: dot_r + 1.0, hh: dot_r + 1.0 };
            for (dx, dy) in labels::around(dot_r, t.hw * 2.0, t.hh * 2.0, 1.5) {
                if board.try_add(&[dot, Rect { ax: t.x, ay: t.y, dx, dy, hw: t.hw, hh: t.hh }]) {
                    out.push(Label {
                        class: if t.big { "city big" } else { "city" },
                        text: t.name,
                        ax: t.x,
                        ay: t.y,
                        dx,
                        dy,
                        size: if t.big { BIG_CITY_FONT.size } else { CITY_FONT.size },
                        dot: Some(if t.capital {
                            "capital"
                        } else if t.big {
                            "big"
                        } else {
                            "town"
                        }),
                    });
                    break;
                }
            }
        }
        // Province names, where there is room.
        if level >= 1 {
            for &(x, y, name, hw, hh) in &provinces {
                if board.try_add(&[Rect { ax: x, ay: y, dx: 0.0, dy: 0.0, hw, hh }]) {
                    out.push(Label::centred("admin1-name", name, (x, y), ADMIN_FONT.size));
                }
            }
        }
        levels.push(out);
    }

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
        inset = inset_corner
            .map(|_| format!(" data-inset=\"{} {} {}\"", Tenths(ix0), Tenths(iy0), (ix1 - ix0) / view.width))
            .unwrap_or_default(),
    );
    svg.push_str(&ground.paths);
    if !route_svg.is_empty() {
        let _ = write!(svg, "<g class=\"routes\">{route_svg}</g>");
    }
    // Leaders from spread markers to their true points, by level.
    let mut leaders = String::new();
    for p in &placed {
        let mut by_offset: Vec<((f64, f64), Vec<usize>)> = Vec::new();
        for (lv, off) in p.at.iter().enumerate() {
            if *off == (0.0, 0.0) {
                continue;
            }
            match by_offset.iter_mut().find(|(o, _)| o == off) {
                Some((_, lvs)) => lvs.push(lv),
                None => by_offset.push((*off, vec![lv])),
            }
        }
        for ((ox, oy), lvs) in by_offset {
            let _ = write!(
                leaders,
                "<g class=\"lod{}\" transform=\"translate({} {})\"><g class=\"ss\"><path class=\"leader\" d=\"M0 0L{} {}\"/>\
                 <circle class=\"true-point\" r=\"2.2\"/></g></g>",
                level_classes(&lvs),
                Tenths(p.x),
                Tenths(p.y),
                Tenths(ox),
                Tenths(oy),
            );
        }
    }
    if !leaders.is_empty() {
        let _ = write!(svg, "<g class=\"leaders\" aria-hidden=\"true\">{leaders}</g>");
    }
    // Labels: each drawn once, with every level it shows at.
    let mut merged: Vec<(&Label, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<(&str, &str, [u64; 4]), usize> = Default::default();
    for (lv, out) in levels.iter().enumerate() {
        for label in out {
            let key = (label.class, label.text, [label.ax, label.ay, label.dx, label.dy].map(f64::to_bits));
            match index.get(&key) {
                Some(&i) => merged[i].1.push(lv),
                None => {
                    index.insert(key, merged.len());
                    merged.push((label, vec![lv]));
                }
            }
        }
    }
    svg.push_str("<g class=\"labels\" aria-hidden=\"true\">");
    for (label, lvs) in &merged {
        let _ = write!(
            svg,
            "<g class=\"lod{}\" transform=\"translate({} {})\"><g class=\"ss\">",
            level_classes(lvs),
            Tenths(label.ax),
            Tenths(label.ay)
        );
        if let Some(dot) = label.dot {
            let r = if dot == "town" { 2.5 } else { 3.5 };
            let _ = write!(svg, "<circle class=\"city-dot {dot}\" r=\"{r}\"/>");
        }
        let _ = write!(
            svg,
            "<text class=\"{}\" x=\"{}\" y=\"{}\">{}</text></g></g>",
            label.class,
            Tenths(label.dx),
            Tenths(label.dy + label.size * 0.36),
            escape(label.text)
        );
        if label.dot.is_some() {
            legend.add(
                7,
                0,
                "<circle class=\"city-dot town\" cx=\"12\" cy=\"8\" r=\"3\"/>".into(),
                l.t("city or town"),
            );
        }
    }
    svg.push_str("</g><g class=\"markers\">");
    for p in &placed {
        let m = p.m;
        let colour = palette.colour(&m.collection, m.colour.as_ref().map(|c| c.0));
        let shape = palette.shape(&m.collection, m.shape.as_ref().map(|s| s.0), false);
        let mut what: Vec<String> =
            [m.colour.as_ref(), m.shape.as_ref()].into_iter().flatten().map(|v| l.t(&v.1)).collect();
        if let Some(marks) = &m.marks {
            what.push(l.tf("position of the {marks}, approximate", &[("marks", &l.t(marks))]));
        }
        if let Some(near) = &m.near {
            what.push(l.tf("position approximate: placed at {place}", &[("place", near)]));
        }
        let what = what.join(", ");
        let name = if what.is_empty() { m.title.clone() } else { format!("{} ({what})", m.title) };
        let state = if p.focus {
            " focus"
        } else if faded(&m.collection, &m.id) {
            " faded"
        } else {
            ""
        };
        let mut style = format!("--px:{}px;--py:{}px", Tenths(p.x), Tenths(p.y));
        for (lv, (ox, oy)) in p.at.iter().enumerate() {
            if (*ox, *oy) != (0.0, 0.0) {
                let _ = write!(style, ";--ox{lv}:{}px;--oy{lv}:{}px", Tenths(*ox), Tenths(*oy));
            }
        }
        let fill = if m.exact { colour } else { "#fff" };
        let _ = write!(
            svg,
            "<a href=\"{}\" class=\"marker-link{}{}{state}\" aria-label=\"{}\" data-name=\"{}\" data-what=\"{}\">\
             <g class=\"mk\" transform=\"translate({} {})\" style=\"{style}\"><rect class=\"hit\" x=\"-{HIT_R}\" y=\"-{HIT_R}\" width=\"{}\" height=\"{}\"/>{}</g></a>",
            escape(&m.url),
            value_classes(&m.collection, &m.colour, &m.shape),
            if m.exact { "" } else { " approx" },
            escape(&name),
            escape(&m.title),
            escape(&what),
            Tenths(p.x),
            Tenths(p.y),
            2.0 * HIT_R,
            2.0 * HIT_R,
            marker_shape(shape, 0.0, 0.0, p.r, &format!("class=\"sym\" fill=\"{fill}\" stroke=\"{colour}\"")),
        );
        match &m.colour {
            Some((ci, v)) => legend.add(
                1,
                *ci,
                format!("<circle class=\"sym\" cx=\"12\" cy=\"8\" r=\"5\" fill=\"{colour}\" stroke=\"{colour}\"/>"),
                l.t(v),
            ),
            None => legend.add(
                1,
                0,
                format!("<circle class=\"sym\" cx=\"12\" cy=\"8\" r=\"5\" fill=\"{colour}\" stroke=\"{colour}\"/>"),
                singular(opts, &m.collection),
            ),
        }
        if let Some((si, v)) = &m.shape {
            legend.add(
                2,
                *si,
                marker_shape(shape, 12.0, 8.0, 5.0, "class=\"sym\" fill=\"#555\" stroke=\"#555\""),
                l.t(v),
            );
        }
        if !m.exact {
            legend.add(
                3,
                0,
                "<circle class=\"sym\" cx=\"12\" cy=\"8\" r=\"5\" fill=\"#fff\" stroke=\"#555\"/>".into(),
                l.t("hollow: approximate position (the town, district or place it is near)"),
            );
        }
        items.push(MapItem { title: m.title.clone(), url: m.url.clone(), note: what });
    }
    svg.push_str("</g></g>");

    // Overlays: the scale bar and the locator inset, in screen pixels, over the zoom.
    svg.push_str("<g class=\"overlay\" aria-hidden=\"true\">");
    if let Some((ax, ay, s)) = scale_corner {
        // The bar is in map units (right at any size of the map), its text in pixels.
        let (km, len) = scale_length(kmpu, 1.0);
        let x = if s > 0.0 { 10.0 } else { view.width - 10.0 - len };
        let _ = write!(
            svg,
            "<g class=\"scale-bar\" data-side=\"{s}\" data-unit=\"{}\"><path class=\"scale-line\" d=\"M{} {}h{}\"/>\
             <g transform=\"translate({} {})\"><text class=\"ov\" y=\"-8\">{}</text></g></g>",
            escape(&l.tf("{n} km", &[("n", "{n}")])),
            Tenths(x),
            Tenths(ay - 12.0),
            Tenths(len),
            Tenths(x + len / 2.0),
            Tenths(ay - 12.0),
            escape(&l.tf("{n} km", &[("n", &l.integer(km as i64))])),
        );
        let _ = ax;
    }
    if let Some((ax, ay, sx, sy)) = inset_corner {
        let (w, h) = (INSET_WIDTH, inset_h);
        let (x0, y0) = (if sx < 0.0 { -6.0 - w } else { 6.0 }, if sy > 0.0 { 6.0 } else { -6.0 - h });
        let (vw, vh) = ((ix1 - ix0).max(3.0), (iy1 - iy0).max(3.0));
        let (vx, vy) = ((ix0 + ix1) / 2.0 - vw / 2.0, (iy0 + iy1) / 2.0 - vh / 2.0);
        let _ = write!(
            svg,
            "<g class=\"inset\" transform=\"translate({ax} {ay})\"><g class=\"ov\"><g transform=\"translate({x0} {y0})\">\
             <rect class=\"inset-sea\" width=\"{w}\" height=\"{}\"/>{}<rect class=\"inset-view\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></g></g></g>",
            Tenths(h),
            prep.inset.paths,
            Tenths(vx),
            Tenths(vy),
            Tenths(vw),
            Tenths(vh),
        );
    }
    svg.push_str("</g></svg>");

    // The ground's legend.
    if !base.borders.is_empty() {
        legend.add(
            0,
            0,
            "<path class=\"border-band\" d=\"M1 8L23 8\"/><path class=\"border\" d=\"M1 8L23 8\"/>".into(),
            l.t("land border"),
        );
    }
    let [rivers, _, provinces, boundaries] = ground.has;
    if boundaries {
        legend.add(0, 1, "<path class=\"boundary\" d=\"M1 8L23 8\"/>".into(), l.t("other international boundary"));
    }
    if provinces {
        legend.add(0, 2, "<path class=\"admin1-line\" d=\"M1 8L23 8\"/>".into(), l.t("province boundary"));
    }
    if rivers {
        legend.add(0, 3, "<path class=\"river river-2\" d=\"M1 10C7 4 15 14 23 6\"/>".into(), l.t("river"));
    }

    items.sort_by(|a, b| a.title.cmp(&b.title));
    items.dedup_by(|a, b| a.url == b.url);
    let mut unplaced: Vec<MapItem> = features
        .unplaced
        .iter()
        .filter(|u| opts.complete.contains(&u.collection) || is_focus(&u.collection, &u.id))
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

/// Whether a base-map city is the place a marker stands for (Lạng Sơn the city, and the
/// atlas's record "Lạng Sơn city"): then only the marker is drawn.
fn same_place(m: &Marker, c: &crate::map::City) -> bool {
    if (m.lon - c.lon).abs() > 0.12 || (m.lat - c.lat).abs() > 0.12 {
        return false;
    }
    let norm =
        |s: &str| deunicode::deunicode(s).to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let title = norm(&m.title);
    std::iter::once(c.names.name.as_str())
        .chain(c.names.by_language.iter().map(|(_, n)| n.as_str()))
        .map(norm)
        .any(|n| !n.is_empty() && title.starts_with(&n))
}

/// A collection's singular name in the map's language, for its legend entry.
fn singular(opts: &Draw, collection: &str) -> String {
    opts.locale.t(opts.config.collection(collection).map_or(collection, |c| c.singular.as_str()))
}

/// ` lod v0 v1`: the classes that show an element at these levels.
fn level_classes(levels: &[usize]) -> String {
    let mut s = String::new();
    for lv in levels {
        let _ = write!(s, " v{lv}");
    }
    s
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

/// A round distance for the scale bar, and its length in map units (about 90 pixels at `k`).
fn scale_length(km_per_unit: f64, k: f64) -> (f64, f64) {
    let target = 90.0 / k * km_per_unit;
    let p = 10f64.powf(target.log10().floor());
    let km = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).rfind(|v| *v <= target).unwrap_or(p);
    (km, km / km_per_unit * k)
}

/// Legend entries by group (0 ground, 1 marker colours, 2 shapes, 3 precision, 4 line
/// colours, 5 line patterns, 6 notes, 7 places), each once; entries of a group with the
/// same swatch are merged ("dotted: proposed, unknown").
#[derive(Default)]
struct Legend(Vec<((usize, usize), String, Vec<String>)>);

impl Legend {
    /// An entry of `group`, at `order` within it (a value's place in its enum).
    fn add(&mut self, group: usize, order: usize, inner: String, label: String) {
        if self.0.iter().any(|(_, _, ls)| ls.contains(&label)) {
            return;
        }
        match self.0.iter_mut().find(|(g, s, _)| g.0 == group && *s == inner && !inner.is_empty()) {
            Some((_, _, ls)) => ls.push(label),
            None => self.0.push(((group, order), inner, vec![label])),
        }
    }

    fn finish(mut self) -> Vec<LegendItem> {
        self.0.sort_by_key(|(g, _, _)| *g);
        self.0
            .into_iter()
            .map(|(_, inner, labels)| LegendItem {
                swatch: if inner.is_empty() { String::new() } else { swatch(&inner) },
                label: labels.join(", "),
            })
            .collect()
    }
}

fn line_swatch(shape: &str) -> String {
    let dash = palette::dash(shape);
    format!(
        "<path class=\"route s-{shape}\" d=\"M1 8L23 8\" stroke=\"#555\"{}/>",
        if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") }
    )
}

/// A marker's shape at (x, y), radius r.
fn marker_shape(shape: &str, x: f64, y: f64, r: f64, attrs: &str) -> String {
    let t = Tenths;
    let (tx, ty) = (t(x), t(y));
    match shape {
        "square" => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {attrs}/>",
            t(x - r * 0.9),
            t(y - r * 0.9),
            t(1.8 * r),
            t(1.8 * r)
        ),
        "diamond" => format!(
            "<path d=\"M{tx} {}L{} {ty}L{tx} {}L{} {ty}Z\" {attrs}/>",
            t(y - r * 1.25),
            t(x + r * 1.25),
            t(y + r * 1.25),
            t(x - r * 1.25)
        ),
        "triangle" => format!(
            "<path d=\"M{tx} {}L{} {}L{} {}Z\" {attrs}/>",
            t(y - r * 1.25),
            t(x + r * 1.15),
            t(y + r * 0.9),
            t(x - r * 1.15),
            t(y + r * 0.9)
        ),
        _ => format!("<circle cx=\"{tx}\" cy=\"{ty}\" r=\"{}\" {attrs}/>", t(r)),
    }
}

fn swatch(inner: &str) -> String {
    format!("<svg class=\"swatch\" viewBox=\"0 0 24 16\" width=\"24\" height=\"16\" aria-hidden=\"true\">{inner}</svg>")
}

/// A marker's label: the first side of a pair written "Móng Cái – Dongxing" (labels stay
/// short on a crowded border), keeping what the title says in brackets ("Lào Cai (rail)").
fn short_label(title: &str) -> String {
    let first = title.split([' ', '\u{a0}']).collect::<Vec<_>>().join(" ");
    let cut = ["–", "—"]
        .iter()
        .filter_map(|sep| {
            let spaced = format!(" {sep} ");
            first.find(&spaced).or_else(|| first.find(sep).filter(|_| !first.is_ascii()))
        })
        .min();
    let Some(cut) = cut else { return title.to_string() };
    let head = first[..cut].trim_end();
    let bracket = ["(", "（"].iter().filter_map(|b| first.rfind(b)).max().filter(|&b| b > cut);
    match bracket {
        Some(b) => format!("{head}{}{}", if first[b..].starts_with('(') { " " } else { "" }, &first[b..]),
        None => head.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_fits_the_box() {
        let v = View::fit([100.0, 20.0, 110.0, 25.0], 1000.0);
        let (x, y) = v.project(100.0, 25.0);
        assert!((x - 0.0).abs() < 1e-9 && (y - 0.0).abs() < 1e-9);
        let (x, y) = v.project(110.0, 20.0);
        assert!((x - 1000.0).abs() < 1e-9 && (y - v.height).abs() < 1e-9);
        assert!(v.height > 500.0, "Mercator stretches latitude: {}", v.height);
    }

    #[test]
    fn rings_are_clipped_to_the_view() {
        let v = View::fit([0.0, 0.0, 10.0, 10.0], 100.0);
        let ring = vec![(-50.0, -50.0), (50.0, -50.0), (50.0, 50.0), (-50.0, 50.0)];
        let out = clip_ring(&ring, &v);
        assert!(
            out.iter().all(|&(x, y)| (-4.0..=104.0).contains(&x) && (-4.0..=v.height + 4.0).contains(&y)),
            "{out:?}"
        );
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn lines_are_cut_to_the_view_in_pieces() {
        let v = View::fit([0.0, 0.0, 10.0, 10.0], 100.0);
        // In, out through the east edge, back in: two pieces, every point within the margin.
        let line = LineString::from(vec![(1.0, 5.0), (20.0, 5.0), (20.0, 6.0), (2.0, 6.0)]);
        let ring = &Ring::pieces(&line, 100)[0];
        let parts = clip_line(&v, ring, 0.1);
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert!(parts.iter().flatten().all(|&(x, _)| (-4.0..=104.01).contains(&x)), "{parts:?}");
    }

    #[test]
    fn overviews_frame_what_they_draw() {
        let within = [97.0, 17.0, 112.5, 27.0];
        let v = View::frame(&[(103.5, 22.5), (107.9, 21.5), (106.7, 22.0)], within, 960.0);
        let [w, s, e, n] = v.bbox();
        assert!(w < 103.5 && e > 107.9 && s < 21.5 && n > 22.5, "{:?}", v.bbox());
        assert!(e - w < 7.0 && n - s < 4.5, "the frame hugs its points: {:?}", v.bbox());
        let aspect = v.width / v.height;
        assert!((1.24..=2.01).contains(&aspect), "{aspect}");
        // A point outside the base map does not stretch the frame beyond it.
        let v = View::frame(&[(103.8, 1.3), (106.0, 22.0), (108.3, 22.8)], within, 960.0);
        let [w, s, e, n] = v.bbox();
        assert!(w >= 97.0 - 1e-9 && s >= 17.0 - 1e-9 && e <= 112.5 + 1e-9 && n <= 27.0 + 1e-9, "{:?}", v.bbox());
    }

    #[test]
    fn labels_keep_one_side_of_a_pair_and_its_brackets() {
        assert_eq!(short_label("Móng Cái – Dongxing"), "Móng Cái");
        assert_eq!(short_label("Lào Cai – Hekou (rail)"), "Lào Cai (rail)");
        assert_eq!(short_label("老街—河口（铁路）"), "老街（铁路）");
        assert_eq!(short_label("Gotthard-Basistunnel"), "Gotthard-Basistunnel");
    }

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
