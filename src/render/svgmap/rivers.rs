//! River names: where the name of a river the base map names may go. A named river's line in a
//! view, and the points along it where its name may sit, are worked out once per view with the
//! rest of the ground ([`river_lines`]); each language then places its own name level by level
//! ([`place`]), after the markers, countries and towns, so a river's name never takes a town's
//! or a record's place.
//!
//! The name is set upright beside the line, not along it (an SVG `textPath`): labels keep
//! their screen size while the map zooms and the river scales with it, so text laid on the
//! river's path would slide off it at every zoom but one; and the board that keeps labels
//! apart, like the tests that measure overlaps, reckons in upright boxes.

use super::View;
use super::geometry::{Ring, clip_line};
use crate::render::labels::{Board, Rect};

/// How finely a named river's line is kept to place its name, in pixels: the name sits beside
/// the line, so a pixel either way does not show, and a coarse line is quick to test.
const TOLERANCE: f64 = 1.0;
/// The distance between points where a name may go, along the line, in pixels of the view.
const STEP: f64 = 24.0;
/// At most this many points per river and view, spread over the whole visible line.
const MAX_SPOTS: usize = 48;
/// The stretch of line each side of a point whose chord gives the river's direction there.
const REACH: f64 = 30.0;
/// Room between the line and the name's box (which includes its halo), in screen pixels.
const GAP: f64 = 2.0;
/// Names of one river at one level stand at least this far apart on screen, so a long river
/// is named again where a reader zoomed in on another stretch of it looks.
const REPEAT: f64 = 420.0;
/// At most this many names of one river per level.
const MAX_PER_LEVEL: usize = 3;
/// A river is named on a stretch that is on screen at least this many times as long as its
/// name: a short stream seen whole on an overview is left unnamed until the reader zooms in,
/// while a border river seen for a few kilometres on its gate's map (the Ka Long by Móng Cái,
/// shorter there than "Ka Long (Beilun)") is named.
const MIN_STRETCH: f64 = 0.5;

/// A point of the line where the name may go, with the unit normal of the line there and the
/// length of the visible stretch it is on.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Spot {
    x: f64,
    y: f64,
    nx: f64,
    ny: f64,
    stretch: f64,
}

/// A named river as one view shows it.
#[derive(Debug, Clone)]
pub(super) struct RiverLine {
    /// Index into the base map's named rivers.
    pub(super) river: usize,
    /// The visible line, in pixels, and each piece's bounding box.
    pieces: Vec<Vec<(f64, f64)>>,
    boxes: Vec<[f64; 4]>,
    /// Where its name may go, best first: the middle of the longest visible stretch, then
    /// outwards from it, then the other stretches.
    spots: Vec<Spot>,
}

/// The named rivers `view` shows (`rivers` are their lines, by the base map's named river).
pub(super) fn river_lines(rivers: &[Vec<Ring>], view: &View) -> Vec<RiverLine> {
    let mut out = Vec::new();
    for (river, rings) in rivers.iter().enumerate() {
        // The base map's lines come in pieces of a few dozen points: joined again where one
        // ends as the next begins, so the name can sit across the seam.
        let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
        for piece in rings.iter().flat_map(|r| clip_line(view, r, TOLERANCE)) {
            match pieces.last_mut() {
                Some(last) if last.last() == piece.first() => last.extend_from_slice(&piece[1..]),
                _ => pieces.push(piece),
            }
        }
        if pieces.is_empty() {
            continue;
        }
        let lengths: Vec<Vec<f64>> = pieces.iter().map(|p| cumulative(p)).collect();
        let total: f64 = lengths.iter().map(|c| c[c.len() - 1]).sum();
        let step = STEP.max(total / MAX_SPOTS as f64);
        let mut order: Vec<usize> = (0..pieces.len()).collect();
        order.sort_by(|&a, &b| lengths[b][lengths[b].len() - 1].total_cmp(&lengths[a][lengths[a].len() - 1]));
        let mut spots = Vec::new();
        for pi in order {
            let (piece, cum) = (&pieces[pi], &lengths[pi]);
            let len = cum[cum.len() - 1];
            let n = (len / step).floor() as usize;
            let start = (len - n as f64 * step) / 2.0;
            let mut at: Vec<f64> = (0..=n).map(|i| start + i as f64 * step).collect();
            at.sort_by(|a, b| (a - len / 2.0).abs().total_cmp(&(b - len / 2.0).abs()));
            for s in at {
                let (x, y) = point_at(piece, cum, s);
                let (x0, y0) = point_at(piece, cum, (s - REACH).max(0.0));
                let (x1, y1) = point_at(piece, cum, (s + REACH).min(len));
                let d = (x1 - x0).hypot(y1 - y0);
                if d > 1e-9 {
                    spots.push(Spot { x, y, nx: -(y1 - y0) / d, ny: (x1 - x0) / d, stretch: len });
                }
            }
        }
        spots.truncate(MAX_SPOTS);
        let boxes = pieces.iter().map(|p| bounds(p)).collect();
        out.push(RiverLine { river, pieces, boxes, spots });
    }
    out
}

/// The length along `pts` at each of its points.
fn cumulative(pts: &[(f64, f64)]) -> Vec<f64> {
    let mut acc = 0.0;
    let mut out = Vec::with_capacity(pts.len());
    out.push(0.0);
    for w in pts.windows(2) {
        acc += (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1);
        out.push(acc);
    }
    out
}

/// The point `s` along the line.
fn point_at(pts: &[(f64, f64)], cum: &[f64], s: f64) -> (f64, f64) {
    let i = cum.partition_point(|&c| c < s).clamp(1, pts.len() - 1);
    let (a, b) = (pts[i - 1], pts[i]);
    let seg = cum[i] - cum[i - 1];
    let t = if seg > 0.0 { ((s - cum[i - 1]) / seg).clamp(0.0, 1.0) } else { 0.0 };
    (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
}

fn bounds(pts: &[(f64, f64)]) -> [f64; 4] {
    pts.iter().fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |[x0, y0, x1, y1], &(x, y)| {
        [x0.min(x), y0.min(y), x1.max(x), y1.max(y)]
    })
}

/// Places the name of `rivers[which]`, a box of half-size `hw` × `hh` screen pixels, on the
/// board's level: beside the line (above it first, else below; left or right of a river that
/// runs north–south; close to it, else half a line farther), at the first spot of a stretch long enough to name where it is inside the
/// map, overlaps nothing placed and crosses no named river, and again farther along a long
/// river. `kept` holds the spots taken
/// at the level below, tried first, so a name stays put as the reader zooms; it is updated.
/// Returns each name's anchor and offset (ax, ay, dx, dy).
pub(super) fn place(
    board: &mut Board,
    rivers: &[RiverLine],
    which: usize,
    (hw, hh): (f64, f64),
    kept: &mut Vec<usize>,
) -> Vec<(f64, f64, f64, f64)> {
    let line = &rivers[which];
    let (k0, k1) = board.zooms();
    let order = kept.iter().copied().chain((0..line.spots.len()).filter(|i| !kept.contains(i)));
    let mut taken: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for i in order.collect::<Vec<_>>() {
        if taken.len() >= MAX_PER_LEVEL {
            break;
        }
        let s = line.spots[i];
        if s.stretch * k0 < MIN_STRETCH * 2.0 * hw {
            continue;
        }
        let near = |j: &usize| (line.spots[*j].x - s.x).hypot(line.spots[*j].y - s.y) * k0 < REPEAT;
        if taken.iter().any(near) {
            continue;
        }
        // The box's corner nearest the line stands GAP pixels off it, else half a line
        // farther (clear of a bend or a marker by the river).
        let d = hw * s.nx.abs() + hh * s.ny.abs() + GAP;
        let above = if s.ny != 0.0 { -s.ny.signum() } else { s.nx.signum() };
        let tries = [(above, d), (-above, d), (above, d + hh), (-above, d + hh)];
        for (side, d) in tries {
            let r = Rect { ax: s.x, ay: s.y, dx: side * s.nx * d, dy: side * s.ny * d, hw, hh };
            if board.inside(&r) && board.free(&r) && !crosses(rivers, &r, k0) && !crosses(rivers, &r, k1) {
                board.add(r);
                taken.push(i);
                out.push((r.ax, r.ay, r.dx, r.dy));
                break;
            }
        }
    }
    *kept = taken;
    out
}

/// Whether a named river's line runs through the box at zoom `k`.
fn crosses(rivers: &[RiverLine], r: &Rect, k: f64) -> bool {
    let b = [r.ax + (r.dx - r.hw) / k, r.ay + (r.dy - r.hh) / k, r.ax + (r.dx + r.hw) / k, r.ay + (r.dy + r.hh) / k];
    rivers.iter().any(|line| {
        line.pieces.iter().zip(&line.boxes).any(|(piece, pb)| {
            pb[0] <= b[2]
                && pb[2] >= b[0]
                && pb[1] <= b[3]
                && pb[3] >= b[1]
                && piece.windows(2).any(|w| super::geometry::segment_in_box(w[0], w[1], b).is_some())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Coord, LineString};

    fn view() -> View {
        View::fit([0.0, -1.0, 2.0, 1.0], 400.0)
    }

    fn river(points: &[(f64, f64)]) -> Vec<Ring> {
        vec![Ring::new(&LineString(points.iter().map(|&(x, y)| Coord { x, y }).collect()))]
    }

    #[test]
    fn a_name_sits_beside_its_river_above_a_river_that_runs_east() {
        let lines = river_lines(&[river(&[(0.1, 0.0), (1.9, 0.0)])], &view());
        assert_eq!(lines.len(), 1);
        let s = lines[0].spots[0];
        // The first spot is the middle of the line; its normal is north–south.
        assert!((s.x - 200.0).abs() < STEP, "{s:?}");
        assert!(s.nx.abs() < 1e-9 && (s.ny.abs() - 1.0).abs() < 1e-9);
        let mut board = Board::new(2, view().width, view().height);
        let mut kept = Vec::new();
        let placed = place(&mut board, &lines, 0, (30.0, 8.0), &mut kept);
        assert_eq!(placed.len(), 1);
        let (_, _, dx, dy) = placed[0];
        assert_eq!((dx, dy), (0.0, -(8.0 + GAP)), "above the line, clear of it");
        assert_eq!(kept, vec![0]);
    }

    #[test]
    fn a_name_moves_along_its_river_past_what_is_placed_and_never_crosses_it() {
        // A river running north, then turning east: no name may sit across the bend.
        let lines = river_lines(&[river(&[(1.0, -0.9), (1.0, 0.0), (1.9, 0.0)])], &view());
        let mut board = Board::new(2, view().width, view().height);
        // Something already where the first spot's name would go, on either side.
        let first = lines[0].spots[0];
        board.add(Rect { ax: first.x, ay: first.y, dx: 0.0, dy: 0.0, hw: 60.0, hh: 30.0 });
        let mut kept = Vec::new();
        let placed = place(&mut board, &lines, 0, (30.0, 8.0), &mut kept);
        assert!(!placed.is_empty());
        for &(ax, ay, dx, dy) in &placed {
            let r = Rect { ax, ay, dx, dy, hw: 30.0, hh: 8.0 };
            for k in [1.0, 1.5, 2.0] {
                assert!(!crosses(&lines, &r, k), "{r:?} crosses the river at zoom {k}");
            }
            assert!((ax - first.x).hypot(ay - first.y) > 30.0, "moved along from the taken spot");
        }
        assert!(!kept.contains(&0));
    }

    #[test]
    fn a_short_stream_is_named_only_once_zoomed_in_far_enough() {
        // 20 pixels of river at the level of the drawn map (k = 1); its name 60 pixels wide.
        let lines = river_lines(&[river(&[(0.95, 0.0), (1.05, 0.0)])], &view());
        let name = (30.0, 8.0);
        let mut kept = Vec::new();
        assert!(place(&mut Board::new(2, 400.0, 400.0), &lines, 0, name, &mut kept).is_empty());
        // From k = 2 the stretch is 40 pixels long on screen, more than half the name.
        assert_eq!(place(&mut Board::new(3, 400.0, 400.0), &lines, 0, name, &mut kept).len(), 1);
    }

    #[test]
    fn a_river_out_of_view_is_not_there() {
        assert!(river_lines(&[river(&[(5.0, 0.0), (6.0, 0.0)])], &view()).is_empty());
    }
}
