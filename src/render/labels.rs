//! Where labels go, worked out at build time for a few zoom levels, so that no two labels
//! overlap and no label covers a marker at any zoom a reader can reach.
//!
//! On screen, markers and labels keep their size while the map zooms (the script scales
//! them by the inverse of the zoom), so a label is a box of fixed pixel size anchored at a
//! point of the map. At a zoom `k` (screen pixels per map unit) the box's centre is
//! `anchor × k + offset`: linear in `k`. Two boxes overlap somewhere in a range of zooms
//! exactly when the intervals of `k` where they overlap on each axis meet inside it, which
//! is computed, not sampled. Each level covers the zooms `[k, 2k]`; what is placed at a level
//! is free of overlaps at every zoom of that range, and what cannot be placed at one level
//! is tried again at the next, where the map has room.

/// Screen pixels per map unit at the lowest zoom of each level. The map's own units are
/// level 2 (`k = 1`): that is the layout drawn without script on wide screens, level 1
/// the one on narrow screens (where the map is about half its drawn size).
pub const LEVELS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0];

/// A box of fixed screen size anchored at a point of the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// The anchor, in map units.
    pub ax: f64,
    pub ay: f64,
    /// The centre's offset from the anchor, in screen pixels.
    pub dx: f64,
    pub dy: f64,
    /// Half the width and height, in screen pixels.
    pub hw: f64,
    pub hh: f64,
}

impl Rect {
    /// The box at zoom `k`: left, top, right, bottom in screen pixels.
    pub fn at(&self, k: f64) -> [f64; 4] {
        let (cx, cy) = (self.ax * k + self.dx, self.ay * k + self.dy);
        [cx - self.hw, cy - self.hh, cx + self.hw, cy + self.hh]
    }

    /// The map units the box covers anywhere between zooms `k0` and `k1`.
    fn extent(&self, k0: f64, k1: f64) -> [f64; 4] {
        let [a0, b0, c0, d0] = self.at(k0).map(|v| v / k0);
        let [a1, b1, c1, d1] = self.at(k1).map(|v| v / k1);
        [a0.min(a1), b0.min(b1), c0.max(c1), d0.max(d1)]
    }
}

/// The zooms in `[k0, k1]` where two boxes overlap on one axis: `|a·k + b| < c`.
fn axis(a: f64, b: f64, c: f64, k0: f64, k1: f64) -> Option<(f64, f64)> {
    const EPS: f64 = 1e-9;
    if a.abs() < EPS {
        return (b.abs() < c - EPS).then_some((k0, k1));
    }
    let (p, q) = ((-c - b) / a, (c - b) / a);
    let (lo, hi) = (p.min(q).max(k0), p.max(q).min(k1));
    (hi - lo > EPS || (lo <= hi && (a * lo + b).abs() < c - EPS)).then_some((lo, hi))
}

/// Whether two boxes overlap at some zoom between `k0` and `k1`.
pub fn overlap(a: &Rect, b: &Rect, k0: f64, k1: f64) -> bool {
    let Some((x0, x1)) = axis(a.ax - b.ax, a.dx - b.dx, a.hw + b.hw, k0, k1) else { return false };
    let Some((y0, y1)) = axis(a.ay - b.ay, a.dy - b.dy, a.hh + b.hh, k0, k1) else { return false };
    let (lo, hi) = (x0.max(y0), x1.min(y1));
    if hi < lo {
        return false;
    }
    // Open intervals: overlapping only where both just touch is no overlap.
    let mid = (lo + hi) / 2.0;
    let (p, q) = (a.at(mid), b.at(mid));
    p[0] < q[2] - 1e-6 && q[0] < p[2] - 1e-6 && p[1] < q[3] - 1e-6 && q[1] < p[3] - 1e-6
}

/// The boxes placed at one level, with a grid over map units to find neighbours quickly.
pub struct Board {
    k0: f64,
    k1: f64,
    /// The map's size in map units.
    width: f64,
    height: f64,
    rects: Vec<Rect>,
    /// Cell size in map units, and the grid's columns and rows (boxes beyond the map fall in
    /// its edge cells).
    cell: f64,
    cols: usize,
    rows: usize,
    grid: Vec<Vec<u32>>,
}

impl Board {
    pub fn new(level: usize, width: f64, height: f64) -> Board {
        let k0 = LEVELS[level];
        let cell = (48.0 / k0).max(width / 48.0).max(1.0);
        let (cols, rows) = ((width / cell).ceil() as usize + 1, (height / cell).ceil() as usize + 1);
        Board {
            k0,
            k1: 2.0 * k0,
            width,
            height,
            rects: Vec::new(),
            cell,
            cols,
            rows,
            grid: vec![Vec::new(); cols * rows],
        }
    }

    /// The zooms this level covers.
    pub fn zooms(&self) -> (f64, f64) {
        (self.k0, self.k1)
    }

    /// The grid cells a box may touch at the level's zooms.
    fn cells(&self, r: &Rect) -> impl Iterator<Item = usize> + use<> {
        let [x0, y0, x1, y1] = r.extent(self.k0, self.k1);
        let (c, cols, rows) = (self.cell, self.cols, self.rows);
        let at = |v: f64, n: usize| ((v / c).floor().max(0.0) as usize).min(n - 1);
        let (i0, i1, j0, j1) = (at(x0, cols), at(x1, cols), at(y0, rows), at(y1, rows));
        (j0..=j1).flat_map(move |j| (i0..=i1).map(move |i| j * cols + i))
    }

    /// Whether the box stays inside the map at every zoom of the level.
    pub fn inside(&self, r: &Rect) -> bool {
        [self.k0, self.k1].iter().all(|&k| {
            let [x0, y0, x1, y1] = r.at(k);
            x0 >= 0.0 && y0 >= 0.0 && x1 <= self.width * k && y1 <= self.height * k
        })
    }

    /// Whether the box overlaps nothing placed.
    pub fn free(&self, r: &Rect) -> bool {
        // A box met in several cells is tested again: cheaper than remembering it.
        self.cells(r)
            .all(|cell| self.grid[cell].iter().all(|&i| !overlap(r, &self.rects[i as usize], self.k0, self.k1)))
    }

    /// Places a box whatever it overlaps (a marker, which must be drawn).
    pub fn add(&mut self, r: Rect) {
        let i = self.rects.len() as u32;
        for cell in self.cells(&r) {
            self.grid[cell].push(i);
        }
        self.rects.push(r);
    }

    /// Places every box of `rs` if all are inside the map and free, else none.
    pub fn try_add(&mut self, rs: &[Rect]) -> bool {
        if rs.iter().all(|r| self.inside(r) && self.free(r))
            && rs.iter().enumerate().all(|(i, a)| rs[i + 1..].iter().all(|b| !overlap(a, b, self.k0, self.k1)))
        {
            rs.iter().for_each(|r| self.add(*r));
            true
        } else {
            false
        }
    }

    /// Every box placed.
    #[cfg(test)]
    pub fn rects(&self) -> &[Rect] {
        &self.rects
    }
}

/// How a label's text is set.
#[derive(Debug, Clone, Copy)]
pub struct Font {
    /// Pixels.
    pub size: f64,
    pub bold: bool,
    /// Letter spacing in ems.
    pub spacing: f64,
    pub upper: bool,
}

/// Advance widths of ASCII 32–126 in thousandths of an em, of DejaVu Sans (what
/// `system-ui`/`sans-serif` give on Linux, and wider than the other usual faces, so a label
/// measured by it fits in any of them).
const REGULAR: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863,
    748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635,
    615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636,
    337, 636, 838,
];
const BOLD: [u16; 95] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696,
    696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995,
    837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716,
    678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712,
    365, 712, 838,
];

/// The width of `text` set in `font`, in pixels: letters with diacritics as wide as their
/// base letter, ideographs and full-width forms one em.
pub fn text_width(text: &str, font: &Font) -> f64 {
    let table = if font.bold { &BOLD } else { &REGULAR };
    let ascii = |c: char| table.get((c as usize).wrapping_sub(32)).map(|w| *w as f64 / 1000.0);
    let mut em = 0.0;
    let mut n = 0usize;
    for c in text.chars() {
        let c = if font.upper { c.to_uppercase().next().unwrap_or(c) } else { c };
        n += 1;
        em += if c.is_ascii() {
            ascii(c).unwrap_or(0.6)
        } else if is_wide(c) {
            1.0
        } else {
            match deunicode::deunicode_char(c) {
                Some(s) if s.chars().count() == 1 => s.chars().map(|b| ascii(b).unwrap_or(0.65)).sum(),
                _ if matches!(c, '–' | '‐') => 0.5,
                _ if c == '—' => 1.0,
                _ => 0.7,
            }
        };
    }
    font.size * (em + font.spacing * n.saturating_sub(1) as f64)
}

/// Ideographs, kana, hangul and full-width forms: one em each.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// The eight places a label may take around a point symbol of half-size `r` (screen
/// pixels), best first: right, left, above right, below right, above left, below left,
/// above, below. Each is the label's centre offset for a label `w` × `h`.
pub fn around(r: f64, w: f64, h: f64, gap: f64) -> [(f64, f64); 8] {
    let (sx, sy) = (r + gap + w / 2.0, r * 0.7 + h / 2.0);
    [
        (sx, 0.0),
        (-sx, 0.0),
        (sx - r * 0.4, -sy),
        (sx - r * 0.4, sy),
        (-sx + r * 0.4, -sy),
        (-sx + r * 0.4, sy),
        (0.0, -(r + gap + h / 2.0)),
        (0.0, r + gap + h / 2.0),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(ax: f64, ay: f64, dx: f64, dy: f64, hw: f64, hh: f64) -> Rect {
        Rect { ax, ay, dx, dy, hw, hh }
    }

    #[test]
    fn boxes_anchored_apart_overlap_only_at_the_zooms_that_bring_them_together() {
        // Two points 10 units apart; the left one's label to its right, the right one's to
        // its left: they cross over as the map zooms in.
        let a = rect(0.0, 0.0, 30.0, 0.0, 20.0, 5.0);
        let b = rect(10.0, 0.0, -30.0, 0.0, 20.0, 5.0);
        // At k: a spans [30k... ] — centres 10k + (-60) apart; they overlap where |10k - 60| < 40.
        assert!(!overlap(&a, &b, 0.5, 1.0));
        assert!(overlap(&a, &b, 1.0, 3.0));
        assert!(overlap(&a, &b, 6.0, 9.0));
        assert!(!overlap(&a, &b, 10.0, 20.0));
        // Touching is not overlapping.
        let c = rect(0.0, 0.0, 40.0, 0.0, 20.0, 5.0);
        assert!(!overlap(&rect(0.0, 0.0, 0.0, 0.0, 20.0, 5.0), &c, 1.0, 2.0));
        // Apart on one axis at the zooms where they meet on the other: no overlap.
        let d = rect(0.0, 0.0, 0.0, 0.0, 5.0, 5.0);
        let e = rect(10.0, 10.0, -10.0, 0.0, 5.0, 5.0);
        // x meets near k = 1, y only from k = 1 down to 0: apart at k in [1.5, 3].
        assert!(!overlap(&d, &e, 1.5, 3.0));
        assert!(overlap(&d, &e, 0.2, 0.6));
    }

    #[test]
    fn a_board_refuses_overlaps_at_any_zoom_of_its_level_and_boxes_outside_the_map() {
        let mut b = Board::new(2, 100.0, 100.0);
        assert!(b.try_add(&[rect(50.0, 50.0, 0.0, 0.0, 10.0, 5.0)]));
        // 12 units to the right at k = 1 (12 px) overlaps (half-widths add to 20); at k = 2
        // (24 px) it would not: the level covers both, so it is refused.
        assert!(!b.try_add(&[rect(62.0, 50.0, 0.0, 0.0, 10.0, 5.0)]));
        assert!(b.try_add(&[rect(71.0, 50.0, 0.0, 0.0, 10.0, 5.0)]));
        // Sticking out of the map at k = 1.
        assert!(!b.try_add(&[rect(2.0, 20.0, 0.0, 0.0, 10.0, 5.0)]));
        assert_eq!(b.rects().len(), 2);
        for (i, p) in b.rects().iter().enumerate() {
            for q in &b.rects()[i + 1..] {
                for k in [1.0, 1.25, 1.5, 1.75, 2.0] {
                    let (x, y) = (p.at(k), q.at(k));
                    assert!(!(x[0] < y[2] && y[0] < x[2] && x[1] < y[3] && y[1] < x[3]), "{p:?} {q:?} at {k}");
                }
            }
        }
    }

    #[test]
    fn text_is_measured_by_its_letters() {
        let f = Font { size: 10.0, bold: false, spacing: 0.0, upper: false };
        assert!((text_width("Hà Nội", &f) - text_width("Ha Noi", &f)).abs() < 1e-9);
        assert_eq!(text_width("东兴", &f), 20.0);
        assert!(text_width("mmm", &f) > text_width("iii", &f) * 3.0);
        let caps = Font { upper: true, spacing: 0.1, ..f };
        assert!(text_width("china", &caps) > text_width("CHINA", &f));
    }
}
