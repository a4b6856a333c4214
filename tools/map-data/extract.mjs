// Extracts the atlas's base map from Natural Earth 10m (npm world-atlas 2.x, public domain):
// the countries around the Vietnam–China border, clipped to the atlas's region, and the land
// border itself as the arcs Vietnam and China share. Run once; the output is committed:
//
//   cd tools/map-data && npm ci && node extract.mjs > ../../data/basemap.geojson
//
// Coordinates are rounded to 4 decimals (~11 m), far finer than the maps are drawn.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { feature, mesh } from "topojson-client";

const require = createRequire(import.meta.url);
const topology = JSON.parse(readFileSync(require.resolve("world-atlas/countries-10m.json"), "utf8"));
const countries = topology.objects.countries;

// The region drawn: from eastern Myanmar to the Gulf of Tonkin, Hainan to central Yunnan.
const BOX = { west: 97.0, south: 17.0, east: 112.5, north: 27.0 };
const KEEP = { "704": ["VN", "Vietnam"], "156": ["CN", "China"], "418": ["LA", "Laos"], "104": ["MM", "Myanmar"], "764": ["TH", "Thailand"], "116": ["KH", "Cambodia"] };

const round = (x) => Math.round(x * 1e4) / 1e4;

// Sutherland–Hodgman clipping of one ring against the box, edge by edge.
function clipRing(ring) {
  const edges = [
    [(p) => p[0] >= BOX.west, (a, b) => cross(a, b, 0, BOX.west)],
    [(p) => p[0] <= BOX.east, (a, b) => cross(a, b, 0, BOX.east)],
    [(p) => p[1] >= BOX.south, (a, b) => cross(a, b, 1, BOX.south)],
    [(p) => p[1] <= BOX.north, (a, b) => cross(a, b, 1, BOX.north)],
  ];
  let out = ring;
  for (const [inside, at] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i];
      const prev = input[(i + input.length - 1) % input.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(at(prev, cur));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(at(prev, cur));
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

function clipPolygons(geometry) {
  const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  const out = [];
  for (const poly of polys) {
    const rings = poly.map((r) => clipRing(r.slice(0, -1))).filter((r) => r.length >= 3);
    if (rings.length && rings[0].length >= 3) {
      out.push(rings.map((r) => [...r, r[0]].map((p) => [round(p[0]), round(p[1])])));
    }
  }
  return out;
}

const features = [];
for (const geom of countries.geometries) {
  const keep = KEEP[geom.id];
  if (!keep) continue;
  const f = feature(topology, geom);
  const polygons = clipPolygons(f.geometry);
  if (!polygons.length) continue;
  features.push({
    type: "Feature",
    properties: { kind: "country", iso: keep[0], name: keep[1] },
    geometry: { type: "MultiPolygon", coordinates: polygons },
  });
}

// The shared Vietnam–China arcs: the land border, ~420 points at this scale.
const border = mesh(topology, countries, (a, b) => (a.id === "704" && b.id === "156") || (a.id === "156" && b.id === "704"));
features.push({
  type: "Feature",
  properties: { kind: "border", name: "Vietnam–China land border" },
  geometry: { type: "MultiLineString", coordinates: border.coordinates.map((line) => line.map((p) => [round(p[0]), round(p[1])])) },
});

const out = {
  type: "FeatureCollection",
  // Kept in the file so the attribution travels with the data.
  attribution: "Made with Natural Earth (naturalearthdata.com), public domain, via the world-atlas package (countries-10m).",
  bbox: [BOX.west, BOX.south, BOX.east, BOX.north],
  features,
};
process.stdout.write(JSON.stringify(out) + "\n");
