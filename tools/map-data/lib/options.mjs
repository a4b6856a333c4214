// The extraction's options: read from the command line and from the `map.extract` block of an
// atlas's atlas.yaml (or a YAML file of the same block), checked, with defaults filled in.
// A wrong value is an error that says where it came from and what was expected; an unknown
// country, layer or language names the closest known one.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { readRivers } from "./rivers.mjs";

const require = createRequire(import.meta.url);

/** Every layer the tool can make, in the order features are written. */
export const LAYERS = ["countries", "border", "boundaries", "coast", "admin1", "admin1-lines", "lakes", "rivers", "cities"];

export const DEFAULTS = {
  layers: LAYERS,
  margin: 1.5,
  minPopulation: 50000,
  riverLevel: 3,
  lakeArea: 20,
  tolerance: 0.005,
  precision: 4,
  coastResolution: "high",
};

export class OptionError extends Error {}

/** Edit distance, for "did you mean". */
export function distance(a, b) {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The candidates nearest to `word`: `key`/`label` of the first, `label` lists up to three ties
 * ("VEN (Venezuela) or VNM (Vietnam)"). */
function closest(word, candidates) {
  let best = null;
  const ties = [];
  for (const [key, label] of candidates) {
    const d = distance(word, key);
    if (!best || d < best.d) {
      best = { d, key, label };
      ties.length = 0;
    }
    if (d === best.d && !ties.includes(label)) ties.push(label);
  }
  if (best) best.label = ties.slice(0, 3).join(" or ");
  return best;
}

/** ISO 3166-1 codes and English names (Unicode CLDR), to resolve what an atlas writes. */
function countryIndex() {
  const codes = require("cldr-core/supplemental/codeMappings.json").supplemental.codeMappings;
  const names = require("cldr-localenames-full/main/en/territories.json").main.en.localeDisplayNames.territories;
  const byKey = new Map();
  const entries = [];
  for (const [a2, m] of Object.entries(codes)) {
    if (!/^[A-Z]{2}$/.test(a2) || !m._alpha3 || !names[a2]) continue;
    const country = { a2, a3: m._alpha3, numeric: m._numeric ?? null, name: names[a2] };
    for (const k of [a2, m._alpha3, m._numeric, names[a2], names[`${a2}-alt-short`], names[`${a2}-alt-variant`]]) {
      if (k) byKey.set(k.toLowerCase(), country);
    }
    entries.push([a2, `${a2} (${country.name})`], [m._alpha3, `${m._alpha3} (${country.name})`], [country.name, `${a2} (${country.name})`]);
  }
  return { byKey, entries };
}

/** Resolves ISO 3166-1 alpha-2 / alpha-3 / numeric codes or English names to countries;
 * anything unknown is an error naming the closest match. */
export function resolveCountries(list, where) {
  const { byKey, entries } = countryIndex();
  return list.map((raw) => {
    const word = String(raw).trim();
    const c = byKey.get(word.toLowerCase());
    if (c) return c;
    const near = closest(word, entries);
    throw new OptionError(
      `${where}: unknown country "${word}"; expected an ISO 3166-1 alpha-2 or alpha-3 code or an English name` +
        (near ? ` (did you mean ${near.label}?)` : ""),
    );
  });
}

function languagesKnown() {
  return readdirSync(`${dirname(require.resolve("cldr-localenames-full/package.json"))}/main`);
}

/** Checks BCP 47 tags against the locales Unicode CLDR has names for. */
export function checkLanguages(list, where) {
  const known = languagesKnown();
  return list.map((raw) => {
    const tag = String(raw).trim();
    const base = dirname(require.resolve("cldr-localenames-full/package.json"));
    if (existsSync(`${base}/main/${tag}/territories.json`)) return tag;
    const near = closest(tag, known.map((k) => [k, k]));
    throw new OptionError(`${where}: unknown language "${tag}"; expected a BCP 47 tag such as en, vi or zh-Hans` + (near ? ` (did you mean ${near.key}?)` : ""));
  });
}

const list = (v) => (Array.isArray(v) ? v : String(v).split(",")).map((s) => String(s).trim()).filter(Boolean);

function number(v, where, { min = -Infinity, max = Infinity } = {}) {
  const n = typeof v === "number" ? v : Number(String(v).trim());
  if (!Number.isFinite(n) || n < min || n > max) throw new OptionError(`${where}: expected a number${min > -Infinity ? ` ≥ ${min}` : ""}${max < Infinity ? ` ≤ ${max}` : ""}, got ${JSON.stringify(v)}`);
  return n;
}

function parseBox(v, where) {
  let parts;
  if (Array.isArray(v)) parts = v;
  else if (v && typeof v === "object") parts = [v.west, v.south, v.east, v.north];
  else parts = String(v).split(",");
  if (parts.length !== 4) throw new OptionError(`${where}: expected a box as west,south,east,north (or {west, south, east, north}), got ${JSON.stringify(v)}`);
  const [west, south, east, north] = parts.map((p, i) => number(p, `${where} (${["west", "south", "east", "north"][i]})`));
  if (!(west < east && south < north && west >= -180 && east <= 180 && south >= -85 && north <= 85)) {
    throw new OptionError(`${where}: the box ${[west, south, east, north].join(",")} is not west < east, south < north within -180..180, -85..85`);
  }
  return { west, south, east, north };
}

/** The command line's options, as raw values keyed like the YAML block. */
export function parseArgs(argv) {
  const flags = {
    "--atlas": "atlas",
    "--options": "options",
    "--box": "box",
    "--margin": "margin",
    "--countries": "countries",
    "--border": "border",
    "--layers": "layers",
    "--admin1": "admin1",
    "--languages": "languages",
    "--min-population": "min_population",
    "--river-level": "river_level",
    "--lake-area": "lake_area",
    "--tolerance": "tolerance",
    "--precision": "precision",
    "--coast-resolution": "coast_resolution",
    "--names": "names",
    "--output": "output",
    "-o": "output",
  };
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      out.help = true;
      continue;
    }
    let value;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const key = flags[arg];
    if (!key) {
      const near = closest(arg, Object.keys(flags).map((f) => [f, f]));
      throw new OptionError(`unknown option ${arg}` + (near && near.d <= 3 ? ` (did you mean ${near.key}?)` : "") + "; see --help");
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new OptionError(`${arg} needs a value; see --help`);
    }
    out[key] = value;
  }
  return out;
}

/** The `map` block of an atlas.yaml: its `extract` options, and what else the tool can use
 * (the overview box, the base map's path, the atlas's languages). */
function readAtlas(path) {
  let doc;
  try {
    doc = parseYaml(readFileSync(path, "utf8"));
  } catch (e) {
    throw new OptionError(`${path}: ${e.message}`);
  }
  const map = doc?.map ?? {};
  return {
    extract: map.extract ?? {},
    overview: map.overview,
    basemap: map.basemap,
    languages: Array.isArray(doc?.languages) ? doc.languages.map((l) => l.code ?? l) : doc?.language ? [doc.language] : undefined,
  };
}

const KNOWN_KEYS = ["box", "margin", "countries", "border", "layers", "admin1", "languages", "min_population", "river_level", "lake_area", "tolerance", "precision", "coast_resolution", "names", "output"];

/** Merges defaults < atlas.yaml (or --options file) < command line, and checks everything. */
export function resolveOptions(cli, cwd = process.cwd()) {
  let fileOpts = {};
  let fileName = null;
  let atlas = null;
  if (cli.atlas) {
    const path = resolve(cwd, cli.atlas);
    atlas = readAtlas(path);
    fileOpts = atlas.extract;
    fileName = `${cli.atlas} (map.extract)`;
  }
  if (cli.options) {
    const path = resolve(cwd, cli.options);
    try {
      const doc = parseYaml(readFileSync(path, "utf8")) ?? {};
      fileOpts = doc.map?.extract ?? doc;
    } catch (e) {
      throw new OptionError(`${cli.options}: ${e.message}`);
    }
    fileName = cli.options;
  }
  if (typeof fileOpts !== "object" || Array.isArray(fileOpts)) throw new OptionError(`${fileName}: expected a mapping of options`);
  for (const k of Object.keys(fileOpts)) {
    if (!KNOWN_KEYS.includes(k)) {
      const near = closest(k, KNOWN_KEYS.map((x) => [x, x]));
      throw new OptionError(`${fileName}: unknown option "${k}"` + (near ? ` (did you mean ${near.key}?)` : "") + `; known: ${KNOWN_KEYS.join(", ")}`);
    }
  }
  const pick = (k) => (cli[k] !== undefined ? [cli[k], `--${k.replace(/_/g, "-")}`] : fileOpts[k] !== undefined ? [fileOpts[k], `${fileName}: ${k}`] : [undefined, k]);

  const [countriesRaw, countriesWhere] = pick("countries");
  if (countriesRaw === undefined) throw new OptionError("no countries given: pass --countries VN,CN,… or set map.extract.countries");
  const countries = resolveCountries(list(countriesRaw), countriesWhere);

  const margin = number(pick("margin")[0] ?? DEFAULTS.margin, pick("margin")[1], { min: 0, max: 30 });
  let [boxRaw, boxWhere] = pick("box");
  let box;
  if (boxRaw !== undefined) box = parseBox(boxRaw, boxWhere);
  else if (atlas?.overview) {
    const o = parseBox(atlas.overview, `${cli.atlas}: map.overview`);
    const r6 = (x) => Math.round(x * 1e6) / 1e6;
    box = { west: r6(o.west - margin), south: r6(o.south - margin), east: r6(o.east + margin), north: r6(o.north + margin) };
  } else throw new OptionError("no region given: pass --box west,south,east,north, set map.extract.box, or give --atlas with a map.overview");

  const [layersRaw, layersWhere] = pick("layers");
  const layers = layersRaw === undefined ? DEFAULTS.layers : list(layersRaw);
  for (const l of layers) {
    if (!LAYERS.includes(l)) {
      const near = closest(l, LAYERS.map((x) => [x, x]));
      throw new OptionError(`${layersWhere}: unknown layer "${l}" (did you mean ${near.key}?); layers: ${LAYERS.join(", ")}`);
    }
  }

  const [borderRaw, borderWhere] = pick("border");
  const border = [];
  if (borderRaw !== undefined) {
    const pairs = Array.isArray(borderRaw) ? borderRaw : list(borderRaw).map((p) => p.split(/[-–/+]/));
    for (const pair of pairs) {
      const two = list(pair);
      if (two.length !== 2) throw new OptionError(`${borderWhere}: expected pairs of countries such as VN-CN (or [[VN, CN]]), got ${JSON.stringify(pair)}`);
      const [a, b] = resolveCountries(two, borderWhere);
      for (const c of [a, b]) {
        if (!countries.some((x) => x.a2 === c.a2)) throw new OptionError(`${borderWhere}: ${c.a2} (${c.name}) is not among the countries; add it to countries`);
      }
      border.push([a, b]);
    }
  }

  const [admin1Raw, admin1Where] = pick("admin1");
  const admin1 = admin1Raw === undefined ? countries : resolveCountries(list(admin1Raw), admin1Where);
  for (const c of admin1) {
    if (!countries.some((x) => x.a2 === c.a2)) throw new OptionError(`${admin1Where}: ${c.a2} (${c.name}) is not among the countries; add it to countries`);
  }

  const [langRaw, langWhere] = pick("languages");
  const languages = checkLanguages(list(langRaw ?? atlas?.languages ?? ["en"]), langRaw === undefined ? `${cli.atlas}: languages` : langWhere);

  const res = ["full", "high", "intermediate", "low", "crude"];
  const [coastRes, coastWhere] = pick("coast_resolution");
  const coastResolution = coastRes ?? DEFAULTS.coastResolution;
  if (!res.includes(coastResolution)) throw new OptionError(`${coastWhere}: expected one of ${res.join(", ")}, got ${JSON.stringify(coastRes)}`);

  // Paths in the options are the atlas's: relative to atlas.yaml's folder, else to where the
  // command runs.
  const root = cli.atlas ? dirname(resolve(cwd, cli.atlas)) : cwd;
  const [namesRaw, namesWhere] = pick("names");
  let names = {};
  if (namesRaw !== undefined) {
    const path = cli.names !== undefined ? resolve(cwd, String(namesRaw)) : resolve(root, String(namesRaw));
    try {
      names = parseYaml(readFileSync(path, "utf8")) ?? {};
    } catch (e) {
      throw new OptionError(`${namesWhere}: cannot read the names file ${namesRaw}: ${e.message}`);
    }
    if (typeof names !== "object" || Array.isArray(names)) throw new OptionError(`${namesRaw}: expected a mapping of feature keys to {language: name}`);
  }
  // `rivers` is the one key of the names file that is not a feature's: the rivers it names.
  const { rivers: riversRaw, ...featureNames } = names;
  let rivers;
  try {
    rivers = readRivers(riversRaw, languages, `names file ${namesRaw}`);
  } catch (e) {
    throw new OptionError(e.message);
  }

  const output = cli.output !== undefined ? resolve(cwd, String(cli.output)) : fileOpts.output !== undefined ? resolve(root, String(fileOpts.output)) : atlas?.basemap ? resolve(root, String(atlas.basemap)) : null;
  return {
    box,
    countries,
    border,
    layers,
    admin1,
    languages,
    minPopulation: number(pick("min_population")[0] ?? DEFAULTS.minPopulation, pick("min_population")[1], { min: 0 }),
    riverLevel: number(pick("river_level")[0] ?? DEFAULTS.riverLevel, pick("river_level")[1], { min: 0, max: 4 }),
    lakeArea: number(pick("lake_area")[0] ?? DEFAULTS.lakeArea, pick("lake_area")[1], { min: 0 }),
    tolerance: number(pick("tolerance")[0] ?? DEFAULTS.tolerance, pick("tolerance")[1], { min: 0, max: 1 }),
    precision: number(pick("precision")[0] ?? DEFAULTS.precision, pick("precision")[1], { min: 1, max: 7 }),
    coastResolution,
    names: featureNames,
    rivers,
    output,
  };
}
