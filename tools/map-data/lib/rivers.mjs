// Named rivers. WDBII, the river source, carries no names, so an atlas names the rivers it
// speaks of in its names file, each by a point on it:
//
//   rivers:
//     - {name: Red River, vi: Sông Hồng, zh-Hans: 红河, at: [103.96, 22.505]}
//     - {name: Rhône, de: Rhone, at: [[7.36, 46.23], [6.9, 46.38]], within: 3}
//
// `at` is one [lon, lat] or a list of them; each gives the river line nearest to it, which
// must lie within `within` km (default WITHIN_KM). WDBII cuts a river where another joins it,
// so a river that runs through confluences needs a point on each stretch. An entry whose point
// is farther from every river line is an error that says how far the nearest one is: a name is
// never silently dropped, nor put on a stream the author did not mean.

import { SourceError } from "./sources.mjs";

/** How far from its river line a point of `at` may be, in km, unless the entry says. A point
 * read off a map or a gazetteer is usually within a few hundred metres of WDBII's line. */
export const WITHIN_KM = 2;

/** The keys an entry may have besides the atlas's language tags. */
const KEYS = ["name", "at", "within"];

/** Checks the names file's `rivers` list and returns its entries as
 * `{name, names: {tag: name}, at: [[lon, lat]…], within, label}`; `languages` are the tags a
 * name may be given in. Errors name the entry. */
export function readRivers(list, languages, where = "names file") {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new SourceError(`${where}: rivers must be a list of {name, <language>: name, at: [lon, lat]}`);
  return list.map((e, i) => {
    const label = `${where}, rivers[${i}]${e && typeof e === "object" && typeof e.name === "string" ? ` (${e.name})` : ""}`;
    if (!e || typeof e !== "object" || Array.isArray(e)) throw new SourceError(`${label}: expected a mapping such as {name: Red River, vi: Sông Hồng, at: [103.96, 22.505]}`);
    for (const k of Object.keys(e)) {
      if (!KEYS.includes(k) && !languages.includes(k)) throw new SourceError(`${label}: "${k}" is neither ${KEYS.join(", ")} nor one of the languages (${languages.join(", ")})`);
    }
    if (typeof e.name !== "string" || !e.name.trim()) throw new SourceError(`${label}: needs a name (the river's name where no language is asked for)`);
    const names = {};
    for (const l of languages) {
      if (e[l] === undefined) continue;
      if (typeof e[l] !== "string" || !e[l].trim()) throw new SourceError(`${label}: the ${l} name must be a text`);
      names[l] = e[l].trim();
    }
    const point = (p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === "number" && Number.isFinite(x)) && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
    const at = point(e.at) ? [e.at] : Array.isArray(e.at) && e.at.length && e.at.every(point) ? e.at : null;
    if (!at) throw new SourceError(`${label}: "at" must be a point [lon, lat] on the river, or a list of them, got ${JSON.stringify(e.at)}`);
    const within = e.within ?? WITHIN_KM;
    if (typeof within !== "number" || !(within > 0)) throw new SourceError(`${label}: "within" is a distance in km, got ${JSON.stringify(e.within)}`);
    return { name: e.name.trim(), names, at, within, label };
  });
}

/** Distance in km from a point to a line, on a plane scaled to the point's latitude (exact to
 * well under a percent over the few km that matter here). */
export function kmToLine([px, py], line) {
  const k = Math.cos((py * Math.PI) / 180);
  let best = Infinity;
  for (let i = 1; i < line.length; i++) {
    const [ax, ay] = line[i - 1];
    const [bx, by] = line[i];
    const ux = (ax - px) * k;
    const uy = ay - py;
    const dx = (bx - ax) * k;
    const dy = by - ay;
    const len = dx * dx + dy * dy;
    const t = len ? Math.max(0, Math.min(1, -(ux * dx + uy * dy) / len)) : 0;
    const d = Math.hypot(ux + t * dx, uy + t * dy);
    if (d < best) best = d;
  }
  if (line.length === 1) best = Math.hypot((line[0][0] - px) * k, line[0][1] - py);
  return best * 111.195;
}

/** Which river lines the entries name. `levels` is [{level, lines}] (WDBII lines, joined);
 * returns a Map from "level/index" to the entry's index. Throws when a point of an entry is
 * farther than its `within` from every line, or when two entries claim the same line. */
export function matchRivers(levels, entries) {
  const chosen = new Map();
  entries.forEach((e, ei) => {
    for (const p of e.at) {
      let best = null;
      for (const { level, lines } of levels) {
        lines.forEach((line, li) => {
          const d = kmToLine(p, line);
          if (!best || d < best.d) best = { d, key: `${level}/${li}`, level };
        });
      }
      const where = `${p[0]}, ${p[1]}`;
      if (!best) throw new SourceError(`${e.label}: there are no river lines in the box to name (at ${where})`);
      if (best.d > e.within) {
        throw new SourceError(`${e.label}: no river line within ${e.within} km of ${where}; the nearest (rank ${best.level}) is ${best.d.toFixed(1)} km away. Move "at" onto the river, or raise "within" if that line is the river`);
      }
      const other = chosen.get(best.key);
      if (other !== undefined && other !== ei) throw new SourceError(`${e.label}: the river line nearest to ${where} is already named by ${entries[other].label}`);
      chosen.set(best.key, ei);
    }
  });
  return chosen;
}
