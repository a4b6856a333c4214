//! The overlays of a map, in screen pixels over the zoom: the scale bar and the locator
//! inset, each in a corner free of markers.

use super::View;
use super::ground::{INSET_WIDTH, Prepared};
use super::markers::{HIT_R, Placed};
use crate::html::escape;
use crate::render::labels::{self, LEVELS, Rect};
use crate::render::tenths::Tenths;
use std::fmt::Write as _;

/// Where a map's overlays go.
pub(super) struct Overlays {
    /// Kilometres per map unit.
    pub(super) kmpu: f64,
    /// The view's box in the inset's pixels: west, north, east, south.
    inset_box: (f64, f64, f64, f64),
    inset_h: f64,
    /// The inset's corner and the directions it extends in; `None` when the map is not much
    /// smaller than the base map or no corner is free.
    pub(super) inset_corner: Option<(f64, f64, f64, f64)>,
    /// The scale bar's corner and side.
    scale_corner: Option<(f64, f64, f64)>,
}

impl Overlays {
    /// Picks corners for the inset (top right, top left, bottom right) and the scale bar
    /// (bottom left, bottom right) that no marker's tap target touches at levels 1 and 2.
    pub(super) fn new(prep: &Prepared, view: &View, placed: &[Placed]) -> Overlays {
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
        Overlays { kmpu, inset_box: (ix0, iy0, ix1, iy1), inset_h, inset_corner, scale_corner }
    }

    /// The overlays' areas, which labels keep clear of.
    pub(super) fn obstacles(&self) -> Vec<Rect> {
        let (iw, ih) = (INSET_WIDTH / 2.0 + 2.0, self.inset_h / 2.0 + 2.0);
        self.inset_corner
            .map(|(ax, ay, sx, sy)| Rect { ax, ay, dx: sx * (iw + 6.0), dy: sy * (ih + 6.0), hw: iw, hh: ih })
            .into_iter()
            .chain(self.scale_corner.map(|(ax, ay, s)| Rect { ax, ay, dx: s * 62.0, dy: -17.0, hw: 56.0, hh: 12.0 }))
            .collect()
    }

    /// The SVG root's `data-inset` attribute (where the view lies in the inset, for the
    /// script to follow the zoom), or nothing.
    pub(super) fn inset_attribute(&self, view: &View) -> String {
        let (ix0, iy0, ix1, _) = self.inset_box;
        self.inset_corner
            .map(|_| format!(" data-inset=\"{} {} {}\"", Tenths(ix0), Tenths(iy0), (ix1 - ix0) / view.width))
            .unwrap_or_default()
    }

    /// Writes the overlay group: the scale bar and the inset.
    pub(super) fn write(&self, svg: &mut String, view: &View, prep: &Prepared, l: &crate::i18n::Locale) {
        svg.push_str("<g class=\"overlay\" aria-hidden=\"true\">");
        if let Some((_, ay, s)) = self.scale_corner {
            // The bar is in map units (right at any size of the map), its text in pixels.
            let (km, len) = scale_length(self.kmpu, 1.0);
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
        }
        if let Some((ax, ay, sx, sy)) = self.inset_corner {
            let (ix0, iy0, ix1, iy1) = self.inset_box;
            let (w, h) = (INSET_WIDTH, self.inset_h);
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
    }
}

/// A round distance for the scale bar, and its length in map units (about 90 pixels at `k`).
fn scale_length(km_per_unit: f64, k: f64) -> (f64, f64) {
    let target = 90.0 / k * km_per_unit;
    let p = 10f64.powf(target.log10().floor());
    let km = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).rfind(|v| *v <= target).unwrap_or(p);
    (km, km / km_per_unit * k)
}
