//! Maps drawn at build time as inline SVG: no tiles, no script, no third-party service.
//!
//! Lon/lat is projected with spherical Mercator into a view box, simplified (Ramer–Douglas–
//! Peucker, at a fraction of a pixel) and clipped to the view, so a mini-map of one gate
//! carries only the coastline it shows. Markers and routes are links with accessible names;
//! the same items are listed as text beside the map by the templates.

use super::tenths::{Tenths, push_tenths};
use crate::map::{Basemap, Features};
use crate::markdown::escape;
use geo::{Coord, LineString, Simplify};
use serde::Serialize;
use std::fmt::Write as _;
use std::sync::Arc;

/// Colours for enum values, in the order the schema lists them.
const PALETTE: [&str; 8] = ["#b3261e", "#0b6e99", "#e07b00", "#5b6770", "#7b3fa0", "#2e7d32", "#8d6e00", "#ad1457"];
/// Colours for routes: none of them the border's red, so a corridor never reads as a border.
const ROUTE_PALETTE: [&str; 6] = ["#7b3fa0", "#0b6e99", "#e07b00", "#37474f", "#2e7d32", "#8d6e00"];
/// Dash patterns for routes, by the index of their `shape` value.
const DASHES: [&str; 6] = ["", "10 5", "3 4", "14 4 3 4", "1 5", "6 6"];

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
}

/// A legend entry: a small SVG swatch and what it means.
#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    pub swatch: String,
    pub label: String,
}

/// An item drawn on the map, for the text list beside it.
#[derive(Debug, Clone, Serialize)]
pub struct MapItem {
    pub title: String,
    pub url: String,
    pub note: String,
}

/// A drawn map, ready for a template (as `svg`, `legend`, `items` and `attribution`).
///
/// Maps that differ only in their title share the drawing: a hundred thousand events that name
/// one gate each have a map around that gate, and hold one drawing between them rather than a
/// copy each (see [`MapView::retitled`]).
#[derive(Debug, Clone)]
pub struct MapView {
    pub id: String,
    /// The `<svg>` tag, with the map's title and description.
    head: String,
    /// The drawing's width and height.
    size: (f64, f64),
    /// The rest of the drawing.
    body: Arc<str>,
    pub legend: Arc<Vec<LegendItem>>,
    pub items: Arc<Vec<MapItem>>,
    pub attribution: String,
}

impl MapView {
    /// The whole `<svg>` element.
    pub fn svg(&self) -> String {
        [self.head.as_str(), &self.body].concat()
    }

    /// The same drawing under another title and description.
    pub fn retitled(&self, title: &str, description: &str) -> MapView {
        MapView { head: svg_head(&self.id, self.size, title, description), ..self.clone() }
    }
}

impl Serialize for MapView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("MapView", 5)?;
        m.serialize_field("id", &self.id)?;
        m.serialize_field("svg", &self.svg())?;
        m.serialize_field("legend", &*self.legend)?;
        m.serialize_field("items", &*self.items)?;
        m.serialize_field("attribution", &self.attribution)?;
        m.end()
    }
}

/// The opening `<svg>` tag of a map, with its title and description.
fn svg_head(id: &str, (width, height): (f64, f64), title: &str, description: &str) -> String {
    format!(
        "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"group\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(description)
    )
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
    /// Draw text labels (for markers whose layer asks for them, and the focus).
    pub labels: bool,
    /// The language of the legend, names and notes.
    pub locale: &'a crate::i18n::Locale,
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
        let pts: Vec<(f64, f64)> = line.0.iter().map(|c| (c.x, merc(c.y))).collect();
        let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for &(x, y) in &pts {
            bbox = [bbox[0].min(x), bbox[1].min(y), bbox[2].max(x), bbox[3].max(y)];
        }
        Ring { pts, bbox }
    }
}

/// The base map projected once; see [`ground`].
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Each country's name and polygons, exterior ring first.
    countries: Vec<(String, String, Vec<Vec<Ring>>)>,
    borders: Vec<Ring>,
}

/// Projects the base map to Mercator, once for every map of the site.
pub fn prepare(base: &Basemap) -> Prepared {
    Prepared {
        countries: base
            .countries
            .iter()
            .map(|c| {
                let polys = c
                    .shape
                    .0
                    .iter()
                    .map(|p| std::iter::once(p.exterior()).chain(p.interiors()).map(Ring::new).collect())
                    .collect();
                (c.iso.clone(), c.name.clone(), polys)
            })
            .collect(),
        borders: base.borders.0.iter().map(Ring::new).collect(),
    }
}

/// Scales, clips and simplifies a line into pixel space. Clipping comes first, so a mini-map
/// simplifies only the coastline it shows, not the whole of China; a line wholly outside the
/// view is skipped at once.
fn pixels(view: &View, ring: &Ring, closed: bool) -> Vec<(f64, f64)> {
    let [w, s, e, n] = ring.bbox;
    if e < view.west || w > view.east || n < view.bottom || s > view.top {
        return vec![];
    }
    let projected: Vec<(f64, f64)> = ring.pts.iter().map(|&(x, my)| view.scale(x, my)).collect();
    let kept = if closed { clip_ring(&projected, view) } else { projected };
    let simple = LineString(kept.into_iter().map(|(x, y)| Coord { x, y }).collect::<Vec<_>>()).simplify(0.6);
    simple.0.iter().map(|c| (c.x, c.y)).collect()
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
    for (i, &(x, y)) in points.iter().enumerate() {
        d.push(if i == 0 { 'M' } else { 'L' });
        push_tenths(&mut d, x);
        d.push(' ');
        push_tenths(&mut d, y);
    }
    if close {
        d.push('Z');
    }
    d
}

/// A marker's shape at (x, y), radius r.
fn marker_shape(shape: usize, x: f64, y: f64, r: f64, attrs: &str) -> String {
    let t = Tenths;
    let (tx, ty) = (t(x), t(y));
    match shape % 4 {
        1 => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {attrs}/>",
            t(x - r),
            t(y - r),
            t(2.0 * r),
            t(2.0 * r)
        ),
        2 => format!(
            "<path d=\"M{tx} {}L{} {ty}L{tx} {}L{} {ty}Z\" {attrs}/>",
            t(y - r * 1.3),
            t(x + r * 1.3),
            t(y + r * 1.3),
            t(x - r * 1.3)
        ),
        3 => format!(
            "<path d=\"M{tx} {}L{} {}L{} {}Z\" {attrs}/>",
            t(y - r * 1.3),
            t(x + r * 1.2),
            t(y + r),
            t(x - r * 1.2),
            t(y + r)
        ),
        _ => format!("<circle cx=\"{tx}\" cy=\"{ty}\" r=\"{}\" {attrs}/>", t(r)),
    }
}

fn swatch(inner: &str) -> String {
    format!("<svg class=\"swatch\" viewBox=\"0 0 24 16\" width=\"24\" height=\"16\" aria-hidden=\"true\">{inner}</svg>")
}

/// The countries, borders and country-name spots of one view: the costly part of a map
/// (projection, clipping, simplification), the same in every language, so drawn once.
#[derive(Debug, Clone)]
pub struct Ground {
    paths: String,
    labels: Vec<(String, f64, f64)>,
}

/// Projects the base map into `view`.
pub fn ground(base: &Prepared, view: &View) -> Ground {
    let mut svg = String::from("<g class=\"land\" aria-hidden=\"true\">");
    let mut labels = Vec::new();
    for (iso, name, polys) in &base.countries {
        let mut d = String::new();
        // The name goes at the middle of the country's largest visible part, if it has room.
        let mut best: Option<(f64, (f64, f64))> = None;
        for rings in polys {
            for (i, ring) in rings.iter().enumerate() {
                let pts = pixels(view, ring, true);
                if pts.len() < 3 {
                    continue;
                }
                d.push_str(&path_data(&pts, true));
                if i == 0 {
                    let (mut minx, mut miny, mut maxx, mut maxy) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
                    for &(x, y) in &pts {
                        (minx, maxx, miny, maxy) = (minx.min(x), maxx.max(x), miny.min(y), maxy.max(y));
                    }
                    let area = (maxx - minx) * (maxy - miny);
                    if best.is_none_or(|(a, _)| area > a) {
                        best = Some((area, ((minx + maxx) / 2.0, (miny + maxy) / 2.0)));
                    }
                }
            }
        }
        if !d.is_empty() {
            let _ = write!(svg, "<path class=\"country country-{}\" d=\"{d}\"/>", escape(&iso.to_lowercase()));
        }
        if let Some((area, (x, y))) = best
            && area > view.width * view.height * 0.04
        {
            labels.push((name.clone(), x, y));
        }
    }
    svg.push_str("</g><g class=\"borders\" aria-hidden=\"true\">");
    for line in &base.borders {
        let pts = pixels(view, line, false);
        if pts.len() >= 2 {
            let _ = write!(svg, "<path class=\"border\" d=\"{}\"/>", path_data(&pts, false));
        }
    }
    svg.push_str("</g>");
    Ground { paths: svg, labels }
}

/// Draws a map of `view` over its `ground` with the atlas's features.
pub fn draw(base: &Basemap, ground: &Ground, features: &Features, view: &View, opts: &Draw) -> MapView {
    let mut svg = String::new();
    let id = opts.id;
    let head = svg_head(id, (view.width, view.height), opts.title, opts.description);
    let _ = write!(svg, "<rect class=\"sea\" width=\"{}\" height=\"{}\"/>", view.width, view.height);
    svg.push_str(&ground.paths);
    svg.push_str("<g class=\"country-labels\" aria-hidden=\"true\">");
    for (name, x, y) in &ground.labels {
        let _ = write!(svg, "<text x=\"{x:.0}\" y=\"{y:.0}\">{}</text>", escape(&opts.locale.t(name)));
    }
    svg.push_str("</g>");

    let allowed = |coll: &str| opts.only.is_none_or(|o| o.iter().any(|c| c == coll));
    let is_focus = |coll: &str, id: &str| opts.focus.is_some_and(|(c, i)| c == coll && i == id);
    let mut items = Vec::new();
    // Legend entries by group (0 border, 1 marker colours, 2 shapes, 3 precision, 4 route
    // colours, 5 route dashes), each group in the schema's order of values.
    let mut legend: Vec<(usize, usize, LegendItem)> = Vec::new();
    let mut add_legend = |group: usize, order: usize, swatch: String, label: String| {
        if !legend.iter().any(|l| l.2.label == label) {
            legend.push((group, order, LegendItem { swatch, label }));
        }
    };
    if !base.borders.0.is_empty() {
        add_legend(
            0,
            0,
            swatch("<path d=\"M1 8L23 8\" stroke=\"#b3261e\" stroke-width=\"2.5\" fill=\"none\"/>"),
            opts.locale.t("land border"),
        );
    }

    // Routes first, so markers sit on top; the focused route last of all.
    let mut routes: Vec<_> =
        features.routes.iter().filter(|r| allowed(&r.collection) || is_focus(&r.collection, &r.id)).collect();
    routes.sort_by_key(|r| is_focus(&r.collection, &r.id));
    svg.push_str("<g class=\"routes\">");
    for r in routes {
        let pts: Vec<(f64, f64)> = r.points.iter().map(|&(lon, lat)| view.project(lon, lat)).collect();
        if !pts.iter().any(|p| view.contains(*p)) {
            continue;
        }
        let colour = r.colour.as_ref().map(|(i, _)| ROUTE_PALETTE[i % ROUTE_PALETTE.len()]).unwrap_or("#555");
        let dash = r.shape.as_ref().map(|(i, _)| DASHES[i % DASHES.len()]).unwrap_or("");
        let focus = is_focus(&r.collection, &r.id);
        let class = if focus {
            "route focus"
        } else if opts.focus.is_some() {
            "route faded"
        } else {
            "route"
        };
        let l = opts.locale;
        let what = [r.colour.as_ref().map(|c| l.t(&c.1)), r.shape.as_ref().map(|s| l.t(&s.1))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let name = if what.is_empty() { r.title.clone() } else { format!("{} ({what})", r.title) };
        let _ = write!(
            svg,
            "<a href=\"{}\" aria-label=\"{}\"><title>{}</title><path class=\"{class}\" d=\"{}\" stroke=\"{colour}\"{}/></a>",
            escape(&r.url),
            escape(&name),
            escape(&name),
            path_data(&pts, false),
            if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") }
        );
        if let Some((i, kind)) = &r.colour {
            add_legend(
                4,
                *i,
                swatch(&format!("<path d=\"M1 8L23 8\" stroke=\"{colour}\" stroke-width=\"3\" fill=\"none\"/>")),
                l.t(kind),
            );
        }
        if let Some((i, status)) = &r.shape {
            let d = DASHES[i % DASHES.len()];
            add_legend(
                5,
                *i,
                swatch(&format!(
                    "<path d=\"M1 8L23 8\" stroke=\"#444\" stroke-width=\"2\" fill=\"none\" stroke-dasharray=\"{d}\"/>"
                )),
                l.tf("line: {status}", &[("status", &l.t(status))]),
            );
        }
        items.push(MapItem { title: r.title.clone(), url: r.url.clone(), note: what });
    }
    svg.push_str("</g><g class=\"markers\">");
    let mut markers: Vec<_> =
        features.markers.iter().filter(|m| allowed(&m.collection) || is_focus(&m.collection, &m.id)).collect();
    markers.sort_by_key(|m| is_focus(&m.collection, &m.id));
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut labels = String::new();
    for m in markers {
        let (x, y) = view.project(m.lon, m.lat);
        if !view.contains((x, y)) {
            continue;
        }
        let focus = is_focus(&m.collection, &m.id);
        let colour = m.colour.as_ref().map(|(i, _)| PALETTE[i % PALETTE.len()]).unwrap_or("#0b6e99");
        let shape = m.shape.as_ref().map(|(i, _)| *i).unwrap_or(0);
        let r = if focus { 8.0 } else { 5.5 };
        let fill = if m.exact { colour.to_string() } else { "#fff".into() };
        let class = if focus {
            "marker focus"
        } else if opts.focus.is_some() {
            "marker faded"
        } else {
            "marker"
        };
        let attrs = format!("class=\"{class}\" fill=\"{fill}\" stroke=\"{colour}\"");
        let l = opts.locale;
        let mut what: Vec<String> =
            [m.colour.as_ref().map(|c| l.t(&c.1)), m.shape.as_ref().map(|s| l.t(&s.1))].into_iter().flatten().collect();
        if let Some(marks) = &m.marks {
            what.push(l.tf("position of the {marks}, approximate", &[("marks", &l.t(marks))]));
        }
        let name = if what.is_empty() { m.title.clone() } else { format!("{} ({})", m.title, what.join(", ")) };
        let _ = write!(
            svg,
            "<a href=\"{}\" aria-label=\"{}\"><title>{}</title>{}</a>",
            escape(&m.url),
            escape(&name),
            escape(&name),
            marker_shape(shape, x, y, r, &attrs)
        );
        if let Some((i, v)) = &m.colour {
            let c = PALETTE[i % PALETTE.len()];
            add_legend(
                1,
                *i,
                swatch(&format!("<circle cx=\"12\" cy=\"8\" r=\"5\" fill=\"{c}\" stroke=\"{c}\"/>")),
                l.t(v),
            );
        }
        if let Some((i, v)) = &m.shape {
            add_legend(2, *i, swatch(&marker_shape(*i, 12.0, 8.0, 5.0, "fill=\"#444\" stroke=\"#444\"")), l.t(v));
        }
        if !m.exact {
            add_legend(
                3,
                0,
                swatch("<circle cx=\"12\" cy=\"8\" r=\"5\" fill=\"#fff\" stroke=\"#444\" stroke-width=\"2\"/>"),
                l.t("hollow: approximate position (town or district)"),
            );
        }
        if opts.labels && (m.label || focus) {
            // Greedy placement: right, left, above, below; skipped if all collide.
            let text = short_label(&m.title);
            let w = text.chars().count() as f64 * 6.4 + 4.0;
            let h = 13.0;
            let spots = [
                (x + r + 3.0, y + 4.0, "start"),
                (x - r - 3.0, y + 4.0, "end"),
                (x, y - r - 4.0, "middle"),
                (x, y + r + 12.0, "middle"),
            ];
            for (tx, ty, anchor) in spots {
                let left = match anchor {
                    "start" => tx,
                    "end" => tx - w,
                    _ => tx - w / 2.0,
                };
                let bx = (left, ty - h + 3.0, left + w, ty + 3.0);
                let inside = bx.0 >= 0.0 && bx.2 <= view.width && bx.1 >= 0.0 && bx.3 <= view.height;
                if inside && !placed.iter().any(|p| overlaps(*p, bx)) {
                    placed.push(bx);
                    let _ = write!(
                        labels,
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\"{}>{}</text>",
                        Tenths(tx),
                        Tenths(ty),
                        if focus { " class=\"focus\"" } else { "" },
                        escape(&text)
                    );
                    break;
                }
            }
        }
        let note = what.join(", ");
        items.push(MapItem { title: m.title.clone(), url: m.url.clone(), note });
    }
    svg.push_str("</g><g class=\"labels\" aria-hidden=\"true\">");
    svg.push_str(&labels);
    svg.push_str("</g></svg>");
    items.sort_by(|a, b| a.title.cmp(&b.title));
    items.dedup_by(|a, b| a.url == b.url);
    legend.sort_by_key(|(g, o, _)| (*g, *o));
    let legend = legend.into_iter().map(|(_, _, l)| l).collect();
    MapView {
        id: id.to_string(),
        head,
        size: (view.width, view.height),
        body: svg.into(),
        legend: Arc::new(legend),
        items: Arc::new(items),
        attribution: base.attribution.clone(),
    }
}

fn overlaps(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The Vietnamese side of "Móng Cái – Dongxing": labels stay short on a crowded border.
fn short_label(title: &str) -> String {
    title.split(" – ").next().unwrap_or(title).to_string()
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
}
