//! Colours and shapes of the atlas's own map features: one palette across every layer, so no
//! two meanings share a colour on any map, and none takes the border's.
//!
//! Colours are given in schema order, points from the Okabe–Ito palette and lines from
//! colours chosen to stay apart from it (Paul Tol's indigo, olive, wine and rose, and a
//! violet): both hold up for readers with red–green colour blindness (see the tests). An atlas
//! sets any value's colour with `map.colours`, a whole layer's with `map.colour: "#rrggbb"`,
//! and shapes with `map.shapes`. Each feature also carries classes naming its layer and
//! values, so a stylesheet can restyle any of them.

use crate::config::{Config, LINE_SHAPES, MARKER_SHAPES};
use std::collections::HashMap;

/// Colours for points, in the order values take them: Okabe & Ito (2002), without black.
pub const POINTS: [&str; 7] = ["#d55e00", "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#f0e442"];
/// Colours for lines, apart from the points' and from each other.
pub const LINES: [&str; 5] = ["#332288", "#999933", "#882255", "#ee6677", "#7a5195"];
/// Taken when both are used up (Paul Tol's muted palette); beyond them colours repeat.
pub const MORE: [&str; 5] = ["#44aa99", "#117733", "#aa4499", "#88ccee", "#ddcc77"];

/// The dash pattern of each line shape (`LINE_SHAPES`), in screen pixels; a `band` is drawn
/// wide and pale instead.
pub fn dash(shape: &str) -> &'static str {
    match shape {
        "dashed" => "9 5",
        "dotted" => "1 5",
        "dash-dot" => "12 4 1 4",
        _ => "",
    }
}

/// Colours and shapes of every layer's values.
#[derive(Debug, Clone, Default)]
pub struct Palette {
    /// (collection, value index) → colour; a layer without a colour field has its colour at
    /// index `usize::MAX`.
    colours: HashMap<(String, usize), String>,
    /// (collection, value index) → shape name.
    shapes: HashMap<(String, usize), &'static str>,
}

const WHOLE_LAYER: usize = usize::MAX;

impl Palette {
    /// The palette of the atlas's layers, in configuration order.
    pub fn new(config: &Config, layers: &[crate::map::Layer]) -> Palette {
        let mut p = Palette::default();
        let configured: Vec<String> = layers
            .iter()
            .filter_map(|l| config.collection(&l.collection))
            .flat_map(|c| c.map.colours.values().cloned().chain(c.map.fixed_colour().map(str::to_string)))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let mut used: Vec<String> = configured.clone();
        let next = |lines: bool, used: &mut Vec<String>| -> String {
            let (first, second) = if lines { (&LINES[..], &POINTS[..]) } else { (&POINTS[..], &LINES[..]) };
            let pick = first
                .iter()
                .chain(second)
                .chain(&MORE)
                .find(|c| !used.iter().any(|u| u == *c))
                .map(|c| c.to_string())
                .unwrap_or_else(|| first[used.len() % first.len()].to_string());
            used.push(pick.clone());
            pick
        };
        for l in layers {
            let Some(spec) = config.collection(&l.collection) else { continue };
            let lines = l.route.is_some();
            match (&l.colour, spec.map.fixed_colour()) {
                (Some(field), _) => {
                    let values = spec.field(field).map(|f| f.values.to_vec()).unwrap_or_default();
                    for (i, v) in values.iter().enumerate() {
                        let c = match spec.map.colours.get(v) {
                            Some(c) => c.to_ascii_lowercase(),
                            None => next(lines, &mut used),
                        };
                        p.colours.insert((l.collection.clone(), i), c);
                    }
                }
                (None, Some(c)) => {
                    p.colours.insert((l.collection.clone(), WHOLE_LAYER), c.to_ascii_lowercase());
                }
                (None, None) => {
                    let c = next(lines, &mut used);
                    p.colours.insert((l.collection.clone(), WHOLE_LAYER), c);
                }
            }
            if let Some(field) = &l.shape {
                let names: &[&'static str] = if lines { &LINE_SHAPES } else { &MARKER_SHAPES };
                let values = spec.field(field).map(|f| f.values.to_vec()).unwrap_or_default();
                for (i, v) in values.iter().enumerate() {
                    let s = spec
                        .map
                        .shapes
                        .get(v)
                        .and_then(|s| names.iter().find(|n| **n == s.as_str()))
                        .copied()
                        .unwrap_or(names[i % names.len()]);
                    p.shapes.insert((l.collection.clone(), i), s);
                }
            }
        }
        p
    }

    /// The colour of a feature of `collection` whose colour value has index `value`.
    pub fn colour(&self, collection: &str, value: Option<usize>) -> &str {
        let key = (collection.to_string(), value.unwrap_or(WHOLE_LAYER));
        self.colours
            .get(&key)
            .or_else(|| self.colours.get(&(collection.to_string(), WHOLE_LAYER)))
            .map_or("#555555", String::as_str)
    }

    /// The shape of a feature of `collection` whose shape value has index `value`: a marker
    /// shape (`circle` by default) or a line shape (`solid`).
    pub fn shape(&self, collection: &str, value: Option<usize>, line: bool) -> &'static str {
        value.and_then(|v| self.shapes.get(&(collection.to_string(), v)).copied()).unwrap_or(if line {
            "solid"
        } else {
            "circle"
        })
    }

    /// Every colour given to a meaning, with what it means: (collection, value index or
    /// `None` for the whole layer, colour).
    pub fn meanings(&self) -> Vec<(String, Option<usize>, String)> {
        let mut out: Vec<_> = self
            .colours
            .iter()
            .map(|((c, i), col)| (c.clone(), (*i != WHOLE_LAYER).then_some(*i), col.clone()))
            .collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The land border's colour, as atlasgen.css draws it (`.map .border`; a test holds
    /// them together): no meaning may take it.
    const BORDER: &str = "#2b2b2b";

    /// CIE L*a*b* of an sRGB hex colour (D65).
    pub fn lab(hex: &str) -> [f64; 3] {
        xyz_to_lab(rgb_to_xyz(linear(hex)))
    }

    fn linear(hex: &str) -> [f64; 3] {
        let h = hex.trim_start_matches('#');
        let h: String = if h.len() == 3 { h.chars().flat_map(|c| [c, c]).collect() } else { h.to_string() };
        let c = |i: usize| {
            let v = u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0) as f64 / 255.0;
            if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        };
        [c(0), c(2), c(4)]
    }

    fn rgb_to_xyz([r, g, b]: [f64; 3]) -> [f64; 3] {
        [
            0.4124 * r + 0.3576 * g + 0.1805 * b,
            0.2126 * r + 0.7152 * g + 0.0722 * b,
            0.0193 * r + 0.1192 * g + 0.9505 * b,
        ]
    }

    fn xyz_to_lab([x, y, z]: [f64; 3]) -> [f64; 3] {
        let f = |t: f64| if t > 0.008856 { t.cbrt() } else { 7.787 * t + 16.0 / 116.0 };
        let (fx, fy, fz) = (f(x / 0.95047), f(y), f(z / 1.08883));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    /// The colour as a reader with a full red–green deficiency sees it (Machado, Oliveira &
    /// Fernandes 2009, severity 1), in L*a*b*.
    pub fn lab_as_seen(hex: &str, deficiency: Deficiency) -> [f64; 3] {
        let m = match deficiency {
            Deficiency::Deuteranopia => {
                [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
            }
            Deficiency::Protanopia => {
                [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
            }
        };
        let l = linear(hex);
        let s = [0, 1, 2].map(|i| (m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2]).clamp(0.0, 1.0));
        xyz_to_lab(rgb_to_xyz(s))
    }

    #[derive(Debug, Clone, Copy)]
    pub enum Deficiency {
        Deuteranopia,
        Protanopia,
    }

    /// CIE76 colour difference.
    pub fn delta_e(a: [f64; 3], b: [f64; 3]) -> f64 {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    /// The smallest difference between two colours of `set`, as seen through `seen`.
    fn closest(set: &[&str], seen: impl Fn(&str) -> [f64; 3]) -> (f64, String, String) {
        let mut best = (f64::MAX, String::new(), String::new());
        for (i, a) in set.iter().enumerate() {
            for b in &set[i + 1..] {
                let d = delta_e(seen(a), seen(b));
                if d < best.0 {
                    best = (d, a.to_string(), b.to_string());
                }
            }
        }
        best
    }

    #[test]
    fn default_colours_are_told_apart_with_normal_and_red_green_deficient_vision() {
        let all: Vec<&str> = POINTS.iter().chain(&LINES).copied().collect();
        let (d, a, b) = closest(&all, lab);
        assert!(d >= 25.0, "{a} and {b} are too close: ΔE {d:.1}");
        for def in [Deficiency::Deuteranopia, Deficiency::Protanopia] {
            for set in [&POINTS[..], &LINES[..]] {
                let (d, a, b) = closest(set, |c| lab_as_seen(c, def));
                assert!(d >= 15.0, "{a} and {b} look alike with {def:?}: ΔE {d:.1}");
            }
        }
        for c in &all {
            let d = delta_e(lab(c), lab(BORDER));
            assert!(d >= 25.0, "{c} is too close to the border's colour: ΔE {d:.1}");
        }
    }

    #[test]
    fn the_border_colour_is_the_stylesheets() {
        let css = include_str!("defaults/atlasgen.css");
        let rule = css.split(".map .border {").nth(1).expect("a .map .border rule").split('}').next().unwrap();
        assert!(rule.contains(&format!("stroke: {BORDER}")), "{rule}");
    }
}
