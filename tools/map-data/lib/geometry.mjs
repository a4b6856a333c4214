// Plane geometry in lon/lat degrees, for cutting open data down to an atlas's region: clipping
// to the region's box, Douglas–Peucker simplification, joining lines cut into pieces, rounding.
// The region is small enough that treating degrees as a plane is exact to well under a pixel.

/** Rounds every coordinate to `digits` decimals (4 ≈ 11 m). */
export function roundCoords(points, digits) {
  const f = 10 ** digits;
  const out = [];
  for (const [x, y] of points) {
    const p = [Math.round(x * f) / f, Math.round(y * f) / f];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

/** Douglas–Peucker: drops points closer than `tol` degrees to the line through their
 * neighbours; the two ends are always kept, so lines shared by two shapes stay shared. */
export function simplify(points, tol) {
  if (!(tol > 0) || points.length <= 2) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  const tol2 = tol * tol;
  while (stack.length) {
    const [a, b] = stack.pop();
    let far = -1;
    let best = tol2;
    for (let i = a + 1; i < b; i++) {
      const d = segDist2(points[i], points[a], points[b]);
      if (d > best) {
        best = d;
        far = i;
      }
    }
    if (far >= 0) {
      keep[far] = 1;
      stack.push([a, far], [far, b]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

function segDist2(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = dx * dx + dy * dy;
  let t = len ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len : 0;
  t = Math.max(0, Math.min(1, t));
  const x = a[0] + t * dx - p[0];
  const y = a[1] + t * dy - p[1];
  return x * x + y * y;
}

/** Sutherland–Hodgman clipping of a closed ring (first point not repeated) to the box. */
export function clipRing(ring, box) {
  const edges = [
    [(p) => p[0] >= box.west, 0, box.west],
    [(p) => p[0] <= box.east, 0, box.east],
    [(p) => p[1] >= box.south, 1, box.south],
    [(p) => p[1] <= box.north, 1, box.north],
  ];
  let out = ring;
  for (const [inside, axis, value] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i];
      const prev = input[(i + input.length - 1) % input.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cross(prev, cur, axis, value));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(cross(prev, cur, axis, value));
      }
    }
    if (out.length === 0) return [];
  }
  return out;
}

function cross(a, b, axis, value) {
  const t = (value - a[axis]) / (b[axis] - a[axis]);
  const p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  p[axis] = value;
  return p;
}

/** Clips a polygon's rings (GeoJSON order, closed) to the box; returns the kept polygon or null
 * when its outer ring falls outside. Holes that vanish are dropped. */
export function clipPolygon(rings, box, digits) {
  const out = [];
  for (let i = 0; i < rings.length; i++) {
    const open = rings[i].slice(0, -1);
    const clipped = roundCoords(clipRing(open, box), digits);
    if (clipped.length < 3) {
      if (i === 0) return null;
      continue;
    }
    out.push([...clipped, clipped[0]]);
  }
  return out.length ? out : null;
}

/** Clips a line to the box (Liang–Barsky per segment): the pieces inside, in order. */
export function clipLine(points, box) {
  const pieces = [];
  let cur = null;
  for (let i = 1; i < points.length; i++) {
    const seg = clipSegment(points[i - 1], points[i], box);
    if (!seg) {
      cur = null;
      continue;
    }
    const [a, b, enteredCut, leftCut] = seg;
    if (!cur || enteredCut) {
      cur = [a];
      pieces.push(cur);
    }
    cur.push(b);
    if (leftCut) cur = null;
  }
  return pieces.filter((p) => p.length >= 2);
}

function clipSegment(p, q, box) {
  let t0 = 0;
  let t1 = 1;
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  const checks = [
    [-dx, p[0] - box.west],
    [dx, box.east - p[0]],
    [-dy, p[1] - box.south],
    [dy, box.north - p[1]],
  ];
  for (const [pp, qq] of checks) {
    if (pp === 0) {
      if (qq < 0) return null;
    } else {
      const r = qq / pp;
      if (pp < 0) {
        if (r > t1) return null;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return null;
        if (r < t1) t1 = r;
      }
    }
  }
  const at = (t) => [p[0] + t * dx, p[1] + t * dy];
  return [t0 > 0 ? at(t0) : p, t1 < 1 ? at(t1) : q, t0 > 0, t1 < 1];
}

/** Joins lines whose ends meet (to `digits` decimals) into longer lines; used for data cut
 * into tiles, such as GSHHG's bins. */
export function joinLines(lines, digits = 6) {
  const key = (p) => `${p[0].toFixed(digits)},${p[1].toFixed(digits)}`;
  const pool = lines.map((l) => l.slice());
  const byEnd = new Map();
  const add = (i) => {
    for (const k of [key(pool[i][0]), key(pool[i][pool[i].length - 1])]) {
      if (!byEnd.has(k)) byEnd.set(k, new Set());
      byEnd.get(k).add(i);
    }
  };
  const remove = (i) => {
    for (const k of [key(pool[i][0]), key(pool[i][pool[i].length - 1])]) byEnd.get(k)?.delete(i);
  };
  pool.forEach((_, i) => add(i));
  const alive = new Set(pool.keys());
  for (const i of [...alive]) {
    if (!alive.has(i)) continue;
    let grown = true;
    while (grown) {
      grown = false;
      const line = pool[i];
      const tail = key(line[line.length - 1]);
      const head = key(line[0]);
      if (tail === head && line.length > 3) break;
      for (const [end, atTail] of [
        [tail, true],
        [head, false],
      ]) {
        const j = [...(byEnd.get(end) ?? [])].find((n) => n !== i && alive.has(n));
        if (j === undefined) continue;
        remove(i);
        remove(j);
        alive.delete(j);
        let other = pool[j];
        if (atTail) {
          if (key(other[0]) !== end) other = other.slice().reverse();
          pool[i] = line.concat(other.slice(1));
        } else {
          if (key(other[other.length - 1]) !== end) other = other.slice().reverse();
          pool[i] = other.concat(line.slice(1));
        }
        add(i);
        grown = true;
        break;
      }
    }
  }
  return [...alive].map((i) => pool[i]);
}

/** Area of a closed ring in km², on a sphere (equal-area approximation fine for lakes). */
export function ringAreaKm2(ring) {
  const R = 6371.0088;
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[i + 1];
    sum += ((x2 - x1) * Math.PI) / 180 * (2 + Math.sin((y1 * Math.PI) / 180) + Math.sin((y2 * Math.PI) / 180));
  }
  return Math.abs((sum * R * R) / 2);
}

/** Whether a box [w, s, e, n] and the region overlap. */
export function boxesMeet(b, box) {
  return !(b[2] < box.west || b[0] > box.east || b[3] < box.south || b[1] > box.north);
}

/** [west, south, east, north] of a list of points. */
export function bounds(points) {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return [w, s, e, n];
}
