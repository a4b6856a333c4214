//! Lines in pixel space: the base map's lines kept in Mercator degrees ([`Ring`]), clipped to
//! a view, simplified, and written as SVG path data; and the point-in-polygon and distance
//! tests that place country names.
//!
//! Over 400 lines with its tests: they hold the plain clipping and compare it, and `geo`'s
//! simplification, with what this module does, point for point, on random lines.

use super::View;
use super::view::merc;
use geo::LineString;

/// A line of the base map in Mercator degrees (lon, merc(lat)), with its bounding box, so
/// each view only scales it.
#[derive(Debug, Clone)]
pub(super) struct Ring {
    pts: Vec<(f64, f64)>,
    /// West, bottom, east, top, in the same units.
    bbox: [f64; 4],
}

impl Ring {
    pub(super) fn new(line: &LineString<f64>) -> Ring {
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
    pub(super) fn pieces(line: &LineString<f64>, n: usize) -> Vec<Ring> {
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

    /// The ring's points in the view's pixels.
    fn scaled(&self, view: &View) -> Vec<(f64, f64)> {
        self.pts.iter().map(|&(x, my)| view.scale(x, my)).collect()
    }
}

/// Scales, clips and simplifies a line into pixel space. Clipping comes first, so a mini-map
/// simplifies only the coastline it shows, not the whole of China; a line wholly outside the
/// view is skipped at once.
pub(super) fn pixels(view: &View, ring: &Ring, closed: bool, tolerance: f64) -> Vec<(f64, f64)> {
    if ring.outside(view) {
        return vec![];
    }
    let projected = ring.scaled(view);
    let kept = if closed { clip_ring(projected, view) } else { projected };
    simplify(kept, tolerance)
}

/// Ramer–Douglas–Peucker simplification, point for point what `geo`'s `Simplify` of a
/// `LineString` keeps (the same distances, the same tie-break: the last of equally far
/// points splits), without its conversions, per-point allocations and recursion, and with
/// each chord's length worked out once rather than for every point measured against it.
/// The maps of a site simplify some million points, and this was a tenth of a build.
pub(super) fn simplify(pts: Vec<(f64, f64)>, tolerance: f64) -> Vec<(f64, f64)> {
    let n = pts.len();
    if tolerance <= 0.0 || n < 3 {
        return pts;
    }
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut todo = vec![(0usize, n - 1)];
    while let Some((lo, hi)) = todo.pop() {
        if hi - lo < 2 {
            continue;
        }
        let (far, dist) = farthest(&pts[lo..=hi]);
        if dist > tolerance {
            keep[lo + far] = true;
            todo.push((lo + far, hi));
            todo.push((lo, lo + far));
        }
    }
    pts.into_iter().zip(keep).filter_map(|(p, k)| k.then_some(p)).collect()
}

/// The point of `seg` (between its ends) farthest from the chord of its ends, and how far,
/// measured as `geo`'s Euclidean point-to-line distance measures it.
fn farthest(seg: &[(f64, f64)]) -> (usize, f64) {
    let (start, end) = (seg[0], seg[seg.len() - 1]);
    let (dx, dy) = (end.0 - start.0, end.1 - start.1);
    let d_squared = dx * dx + dy * dy;
    let chord = dx.hypot(dy);
    let mut best = (0usize, 0.0f64);
    for (i, &p) in seg.iter().enumerate().take(seg.len() - 1).skip(1) {
        let d = if start == end {
            (start.0 - p.0).hypot(start.1 - p.1)
        } else {
            let r = ((p.0 - start.0) * dx + (p.1 - start.1) * dy) / d_squared;
            if r <= 0.0 {
                (start.0 - p.0).hypot(start.1 - p.1)
            } else if r >= 1.0 {
                (end.0 - p.0).hypot(end.1 - p.1)
            } else {
                let s = ((start.1 - p.1) * dx - (start.0 - p.0) * dy) / d_squared;
                s.abs() * chord
            }
        };
        if d >= best.1 {
            best = (i, d);
        }
    }
    best
}

/// The part of the segment a–b inside the box [x0, y0, x1, y1], as the parameters t0..t1 of its
/// ends along it (Liang–Barsky); `None` when it misses the box.
pub(super) fn segment_in_box(a: (f64, f64), b: (f64, f64), [x0, y0, x1, y1]: [f64; 4]) -> Option<(f64, f64)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0 - x0), (dx, x1 - a.0), (-dy, a.1 - y0), (dy, y1 - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
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
    (t0 <= t1).then_some((t0, t1))
}

/// The parts of an open line inside the view (plus a small margin), each simplified.
pub(super) fn clip_line(view: &View, ring: &Ring, tolerance: f64) -> Vec<Vec<(f64, f64)>> {
    if ring.outside(view) {
        return vec![];
    }
    let m = 4.0;
    let (x0, y0, x1, y1) = (-m, -m, view.width + m, view.height + m);
    let inside = |p: (f64, f64)| p.0 >= x0 && p.0 <= x1 && p.1 >= y0 && p.1 <= y1;
    let mut out = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    let pts = ring.scaled(view);
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let Some((t0, t1)) = segment_in_box(a, b, [x0, y0, x1, y1]) else {
            if cur.len() >= 2 {
                out.push(std::mem::take(&mut cur));
            }
            cur.clear();
            continue;
        };
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
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
///
/// Before the passes, a point is dropped when it and both its neighbours lie beyond the same
/// edge, that edge being the first (in pass order) that each of the three lies beyond. The
/// passes before that edge copy such points unchanged, and its own pass emits nothing for
/// them: the crossings into and out of the run are worked out from the run's first and last
/// points, which stay. So the result is the same, point for point (a test compares it with
/// the plain algorithm), and a mini-map that sees a few kilometres of a coastline thousands
/// of points long runs its four passes over the few points near the view.
// `!(a >= b)` rather than `a < b`: a NaN lies beyond, as the passes' `a >= b` has it.
#[allow(clippy::neg_cmp_op_on_partial_ord)]
pub(super) fn clip_ring(ring: Vec<(f64, f64)>, view: &View) -> Vec<(f64, f64)> {
    let m = 4.0;
    let (x0, y0, x1, y1) = (-m, -m, view.width + m, view.height + m);
    // 0 inside, else 1 + the index of the first edge the point lies beyond (NaN is beyond).
    let beyond = |p: &(f64, f64)| -> u8 {
        if !(p.0 >= x0) {
            1
        } else if !(p.0 <= x1) {
            2
        } else if !(p.1 >= y0) {
            3
        } else if !(p.1 <= y1) {
            4
        } else {
            0
        }
    };
    let n = ring.len();
    let codes: Vec<u8> = ring.iter().map(beyond).collect();
    let middle = |i: usize| {
        let c = codes[i];
        c != 0 && codes[if i == 0 { n - 1 } else { i - 1 }] == c && codes[if i + 1 == n { 0 } else { i + 1 }] == c
    };
    let mut out: Vec<(f64, f64)> = ring.into_iter().enumerate().filter(|&(i, _)| !middle(i)).map(|(_, p)| p).collect();
    let mut input = Vec::with_capacity(out.len());
    for edge in 0..4 {
        std::mem::swap(&mut input, &mut out);
        out.clear();
        if input.is_empty() {
            return out;
        }
        match edge {
            0 => clip_pass(&input, &mut out, |p| p.0 >= x0, |a, b| (x0, a.1 + (x0 - a.0) / (b.0 - a.0) * (b.1 - a.1))),
            1 => clip_pass(&input, &mut out, |p| p.0 <= x1, |a, b| (x1, a.1 + (x1 - a.0) / (b.0 - a.0) * (b.1 - a.1))),
            2 => clip_pass(&input, &mut out, |p| p.1 >= y0, |a, b| (a.0 + (y0 - a.1) / (b.1 - a.1) * (b.0 - a.0), y0)),
            _ => clip_pass(&input, &mut out, |p| p.1 <= y1, |a, b| (a.0 + (y1 - a.1) / (b.1 - a.1) * (b.0 - a.0), y1)),
        }
    }
    out
}

/// One pass of Sutherland–Hodgman: `input` cut by the half-plane `inside`, with `at` the
/// crossing of a segment (from, to) with its edge.
#[inline(always)]
fn clip_pass(
    input: &[(f64, f64)],
    out: &mut Vec<(f64, f64)>,
    inside: impl Fn(&(f64, f64)) -> bool,
    at: impl Fn((f64, f64), (f64, f64)) -> (f64, f64),
) {
    let mut prev = input[input.len() - 1];
    let mut prev_in = inside(&prev);
    for &cur in input {
        let cur_in = inside(&cur);
        match (cur_in, prev_in) {
            (true, true) => out.push(cur),
            (true, false) => {
                out.push(at(prev, cur));
                out.push(cur);
            }
            (false, true) => out.push(at(prev, cur)),
            (false, false) => {}
        }
        (prev, prev_in) = (cur, cur_in);
    }
}

pub(super) fn path_data(points: &[(f64, f64)], close: bool) -> String {
    let mut d = String::with_capacity(points.len() * 12 + 1);
    push_path(&mut d, points, close);
    d
}

/// Appends the path through `points`: a move to the first, in tenths of a unit, then one
/// relative line command through the others. Steps are the differences of the rounded
/// points, so the path ends where the absolute one would, and are much shorter to write
/// ("l4.3-2.1" for "L112.5 140.6L116.8 138.5"): maps are most of what a record page weighs.
pub(super) fn push_path(d: &mut String, points: &[(f64, f64)], close: bool) {
    let tenths = |v: f64| (v * 10.0).round() as i64;
    let Some(&(x0, y0)) = points.first() else { return };
    // The move is written from the same rounded point the steps start from.
    let mut at = (tenths(x0), tenths(y0));
    d.push('M');
    push_step(d, at.0);
    if at.1 >= 0 {
        d.push(' ');
    }
    push_step(d, at.1);
    if points.len() > 1 {
        d.push('l');
    }
    let mut first = true;
    for &(x, y) in &points[1..] {
        let next = (tenths(x), tenths(y));
        for (i, step) in [next.0 - at.0, next.1 - at.1].into_iter().enumerate() {
            // A minus sign separates numbers by itself.
            if step >= 0 && !(first && i == 0) {
                d.push(' ');
            }
            push_step(d, step);
        }
        first = false;
        at = next;
    }
    if close {
        d.push('Z');
    }
}

/// Writes `n` tenths (a step, or the move's point) as briefly as SVG reads it: "3", "-1.5",
/// ".4", "-.4".
fn push_step(d: &mut String, n: i64) {
    use std::fmt::Write;
    if n < 0 {
        d.push('-');
    }
    let (whole, tenth) = (n.unsigned_abs() / 10, n.unsigned_abs() % 10);
    if whole > 0 || tenth == 0 {
        let _ = write!(d, "{whole}");
    }
    if tenth > 0 {
        d.push('.');
        d.push(char::from(b'0' + tenth as u8));
    }
}

/// Whether (x, y) lies inside the polygon (even–odd over every ring).
pub(super) fn inside_polygon(rings: &[Vec<(f64, f64)>], (x, y): (f64, f64)) -> bool {
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

/// Distance from (x, y) to the nearest edge of the polygon. The nearest is found by squared
/// distance and one square root taken at the end (the square root is monotonic, so this is the
/// same number as the least of the square roots).
pub(super) fn edge_distance(rings: &[Vec<(f64, f64)>], (x, y): (f64, f64)) -> f64 {
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
            best = best.min((x - px).powi(2) + (y - py).powi(2));
        }
    }
    if best == f64::MAX { best } else { best.sqrt() }
}

/// The area of a ring, in square pixels.
pub(super) fn area(pts: &[(f64, f64)]) -> f64 {
    let n = pts.len();
    (0..n).map(|i| pts[i].0 * pts[(i + 1) % n].1 - pts[(i + 1) % n].0 * pts[i].1).sum::<f64>().abs() / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Coord, Simplify};

    /// Reads path data as SVG does (numbers split at spaces, signs and a second decimal
    /// point; a command letter applies to the pairs after it): the points of each subpath.
    fn read_path(d: &str) -> Vec<Vec<(f64, f64)>> {
        let mut paths: Vec<Vec<(f64, f64)>> = Vec::new();
        let (mut cmd, mut nums, mut num) = (' ', Vec::<f64>::new(), String::new());
        let flush = |num: &mut String, nums: &mut Vec<f64>| {
            if !num.is_empty() {
                nums.push(num.parse().unwrap());
                num.clear();
            }
        };
        let mut at = (0.0, 0.0);
        let mut apply = |cmd: char, nums: &mut Vec<f64>, paths: &mut Vec<Vec<(f64, f64)>>| {
            for pair in nums.chunks(2) {
                at = match cmd {
                    'M' | 'L' => (pair[0], pair[1]),
                    'l' => (at.0 + pair[0], at.1 + pair[1]),
                    c => panic!("unexpected command {c}"),
                };
                if cmd == 'M' {
                    paths.push(Vec::new());
                }
                paths.last_mut().unwrap().push(at);
            }
            nums.clear();
        };
        for c in d.chars() {
            match c {
                'M' | 'L' | 'l' | 'Z' => {
                    flush(&mut num, &mut nums);
                    apply(cmd, &mut nums, &mut paths);
                    cmd = c;
                }
                ' ' => flush(&mut num, &mut nums),
                '-' => {
                    flush(&mut num, &mut nums);
                    num.push(c);
                }
                '.' if num.contains('.') => {
                    flush(&mut num, &mut nums);
                    num.push(c);
                }
                c => num.push(c),
            }
        }
        flush(&mut num, &mut nums);
        apply(cmd, &mut nums, &mut paths);
        paths
    }

    #[test]
    fn paths_are_written_with_relative_steps_that_end_where_the_points_are() {
        let ring = vec![(12.54, 140.6), (12.5, 137.3), (30.8, 136.3), (30.81, 136.3), (-4.0, 133.34), (0.06, -0.04)];
        let mut d = String::new();
        push_path(&mut d, &ring, true);
        push_path(&mut d, &[(1.0, 2.0), (1.05, 1.9)], false);
        assert!(d.starts_with("M12.5 140.6l0-3.3 18.3-1 0 0-34.8-3"), "{d}");
        let round =
            |p: &[(f64, f64)]| p.iter().map(|&(x, y)| ((x * 10.0).round(), (y * 10.0).round())).collect::<Vec<_>>();
        let read = read_path(&d);
        assert_eq!(read.len(), 2, "{d}");
        assert_eq!(round(&read[0]), round(&ring), "{d}");
        assert_eq!(round(&read[1]), round(&[(1.0, 2.0), (1.05, 1.9)]), "{d}");
        // A long wiggly line drifts nowhere: every point is where it would be written absolutely.
        let line: Vec<(f64, f64)> = (0..2000).map(|i| (i as f64 * 0.37, (i as f64 * 0.7).sin() * 33.3)).collect();
        let mut d = String::new();
        push_path(&mut d, &line, false);
        assert_eq!(round(&read_path(&d)[0]), round(&line));
    }

    #[test]
    fn rings_are_clipped_to_the_view() {
        let v = View::fit([0.0, 0.0, 10.0, 10.0], 100.0);
        let ring = vec![(-50.0, -50.0), (50.0, -50.0), (50.0, 50.0), (-50.0, 50.0)];
        let out = clip_ring(ring, &v);
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

    /// A deterministic wiggly line: a random walk with occasional repeated points.
    fn walk(seed: u64, n: usize, step: f64) -> Vec<(f64, f64)> {
        let mut x = seed | 1;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut p = (next() * 100.0, next() * 100.0);
        let mut out = vec![p];
        for _ in 1..n {
            if next() > 0.05 {
                p = (p.0 + (next() - 0.45) * step, p.1 + (next() - 0.5) * step);
            }
            out.push(p);
        }
        out
    }

    #[test]
    fn simplification_keeps_the_points_geo_keeps() {
        let (mut given, mut kept) = (0, 0);
        for seed in 1..300u64 {
            let n = (seed as usize * 7) % 400 + 1;
            let pts = walk(seed, n, if seed % 3 == 0 { 0.5 } else { 6.0 });
            // Closed rings too: first point repeated at the end.
            let pts = if seed % 2 == 0 { pts.iter().copied().chain(pts.first().copied()).collect() } else { pts };
            for tol in [0.35, 1.0, 2.0, 0.8] {
                let geo_kept: Vec<(f64, f64)> = LineString(pts.iter().map(|&(x, y)| Coord { x, y }).collect())
                    .simplify(tol)
                    .0
                    .iter()
                    .map(|c| (c.x, c.y))
                    .collect();
                let ours = simplify(pts.clone(), tol);
                assert_eq!(ours.len(), geo_kept.len(), "seed {seed}, tolerance {tol}");
                assert!(
                    ours.iter()
                        .zip(&geo_kept)
                        .all(|(a, b)| a.0.to_bits() == b.0.to_bits() && a.1.to_bits() == b.1.to_bits()),
                    "seed {seed}, tolerance {tol}"
                );
                (given, kept) = (given + pts.len(), kept + ours.len());
            }
        }
        // The lines are wiggly enough that simplification drops points, so the test compares.
        assert!(kept < given * 3 / 4, "{kept} of {given} points kept");
    }

    /// The clipping as it was, every point through every pass, to compare with.
    fn clip_ring_plain(ring: &[(f64, f64)], view: &View) -> Vec<(f64, f64)> {
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

    #[test]
    fn clipping_gives_what_every_pass_over_every_point_gives() {
        let v = View::fit([0.0, 0.0, 1.0, 1.0], 40.0);
        for seed in 1..400u64 {
            let pts = walk(seed, (seed as usize * 13) % 300 + 1, 8.0);
            let plain = clip_ring_plain(&pts, &v);
            let ours = clip_ring(pts.clone(), &v);
            assert_eq!(ours.len(), plain.len(), "seed {seed}");
            assert!(
                ours.iter().zip(&plain).all(|(a, b)| a.0.to_bits() == b.0.to_bits() && a.1.to_bits() == b.1.to_bits()),
                "seed {seed}"
            );
        }
    }
}
