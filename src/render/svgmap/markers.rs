//! Markers: the atlas's records at their points, spread apart where they would cover each
//! other at a zoom level (with leader lines back to their true points), and written as links
//! with their names, kinds and states.

use super::legend::{Legend, singular};
use super::{Draw, MapItem, View, level_classes, value_classes};
use crate::html::escape;
use crate::map::{Features, Marker};
use crate::render::labels::LEVELS;
use crate::render::palette::Palette;
use crate::render::tenths::Tenths;
use std::fmt::Write as _;

/// Marker sizes, in screen pixels.
pub(super) const MARKER_R: f64 = 6.0;
pub(super) const FOCUS_R: f64 = 8.0;
/// Half the side of a marker's tap target (a 26-pixel square), and so the least distance
/// between two markers' centres before they are spread apart.
pub(super) const HIT_R: f64 = 13.0;
const SPREAD: f64 = 2.0 * HIT_R;

/// A marker drawn on this map, with its layout at each level.
pub(super) struct Placed<'a> {
    pub(super) m: &'a Marker,
    /// Position in map units.
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) r: f64,
    pub(super) focus: bool,
    /// At each level, the offset from its point (screen pixels): markers that would cover
    /// each other are spread apart, each with a leader line back to its true point.
    pub(super) at: [(f64, f64); LEVELS.len()],
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

/// The markers `opts` allows and `view` shows, the focus last (on top), spread at every level
/// from `first`, the first level a screen reaches: a map is never drawn narrower than 280
/// pixels.
pub(super) fn place<'a>(features: &'a Features, view: &View, opts: &Draw) -> (Vec<Placed<'a>>, usize) {
    let mut placed: Vec<Placed> = features
        .markers
        .iter()
        .filter(|m| opts.allowed(&m.collection) || opts.is_focus(&m.collection, &m.id))
        .filter_map(|m| {
            let (x, y) = view.project(m.lon, m.lat);
            view.contains((x, y)).then(|| {
                let focus = opts.is_focus(&m.collection, &m.id);
                Placed { m, x, y, r: if focus { FOCUS_R } else { MARKER_R }, focus, at: [(0.0, 0.0); 6] }
            })
        })
        .collect();
    placed.sort_by_key(|p| p.focus);
    let first = (0..LEVELS.len()).find(|&l| 2.0 * LEVELS[l] * view.width >= 280.0).unwrap_or(0);
    for level in first..LEVELS.len() {
        spread(&mut placed, level);
    }
    (placed, first)
}

/// Leaders from spread markers to their true points, each drawn once with the levels it
/// shows at; empty when no marker is spread.
pub(super) fn leaders(placed: &[Placed]) -> String {
    let mut leaders = String::new();
    for p in placed {
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
    leaders
}

/// Writes the markers as links, adding their legend entries and list items.
pub(super) fn write_markers(
    svg: &mut String,
    placed: &[Placed],
    palette: &Palette,
    opts: &Draw,
    legend: &mut Legend,
    items: &mut Vec<MapItem>,
) {
    let l = opts.locale;
    for p in placed {
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
        } else if opts.faded(&m.collection, &m.id) {
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
