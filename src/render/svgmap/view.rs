//! Where a map looks: its box in spherical Mercator and its size in pixels, and the
//! projection of lon/lat into it.

/// Where and how large a map is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub(super) west: f64,
    pub(super) east: f64,
    /// Mercator y of the north and south edges.
    pub(super) top: f64,
    pub(super) bottom: f64,
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

pub(super) fn merc(lat: f64) -> f64 {
    let phi = lat.clamp(-85.0, 85.0).to_radians();
    (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln().to_degrees()
}

pub(super) fn unmerc(y: f64) -> f64 {
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
    pub(super) fn scale(&self, lon: f64, merc_y: f64) -> (f64, f64) {
        let x = (lon - self.west) / (self.east - self.west) * self.width;
        let y = (self.top - merc_y) / (self.top - self.bottom) * self.height;
        (x, y)
    }

    /// Whether the point (lon, lat) falls inside the view.
    pub fn shows(&self, lon: f64, lat: f64) -> bool {
        self.contains(self.project(lon, lat))
    }

    pub(super) fn contains(&self, (x, y): (f64, f64)) -> bool {
        (0.0..=self.width).contains(&x) && (0.0..=self.height).contains(&y)
    }

    /// Kilometres per map unit at the view's middle latitude.
    pub(super) fn km_per_unit(&self) -> f64 {
        let lat = unmerc((self.top + self.bottom) / 2.0);
        111.32 * lat.to_radians().cos() * (self.east - self.west) / self.width
    }

    /// West, south, east, north.
    pub(super) fn bbox(&self) -> [f64; 4] {
        [self.west, unmerc(self.bottom), self.east, unmerc(self.top)]
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
}
