// Tests of the base-map extraction: the real command on small regions (so the real packages
// are read), its errors, and the geometry helpers. Needs `npm run setup` and Debian's gmt +
// gmt-gshhg-high (rivers and lakes). Run: npm test (in tools/map-data).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { clipLine, joinLines, simplify } from "../lib/geometry.mjs";
import { resolveCountries } from "../lib/options.mjs";
import { shortCityName } from "../lib/build.mjs";
import { chineseCityName, isSimplifiedChinese } from "../lib/han.mjs";

const TOOL = join(dirname(fileURLToPath(import.meta.url)), "..", "extract.mjs");

function run(args, cwd = tmpdir()) {
  const r = spawnSync(process.execPath, [TOOL, ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const kinds = (fc, k) => fc.features.filter((f) => f.properties.kind === k);

function coords(g) {
  const out = [];
  const walk = (c) => (typeof c[0] === "number" ? out.push(c) : c.forEach(walk));
  walk(g.coordinates);
  return out;
}

// The Lạng Sơn – Móng Cái stretch of the Vietnam–China border, with the Gulf of Tonkin.
const BOX = [106.5, 21.3, 108.4, 22.3];
let border;

test("extracts every layer of a small region, with names in the languages asked for", () => {
  const r = run(["--box", BOX.join(","), "--countries", "VN,CHN", "--border", "VN-CN", "--languages", "en,vi,zh-Hans", "--min-population", "20000", "--river-level", "4", "--lake-area", "1"]);
  assert.equal(r.code, 0, r.err);
  const fc = JSON.parse(r.out);
  border = fc;
  assert.equal(fc.type, "FeatureCollection");
  assert.deepEqual(fc.bbox, BOX);
  assert.match(fc.attribution, /Natural Earth/);
  assert.match(fc.attribution, /GeoNames \(CC BY 4\.0\)/);
  for (const s of fc.sources) assert.ok(s.package && s.licence && s.credit, JSON.stringify(s));

  const countries = kinds(fc, "country");
  assert.deepEqual(countries.map((f) => f.properties.iso).sort(), ["CN", "VN"]);
  const vn = countries.find((f) => f.properties.iso === "VN").properties;
  assert.equal(vn.name, "Vietnam");
  assert.equal(vn.iso3, "VNM");
  assert.equal(vn["name:vi"], "Việt Nam");
  assert.equal(vn["name:zh-Hans"], "越南");

  const [b] = kinds(fc, "border");
  assert.deepEqual(b.properties.countries, ["VN", "CN"]);
  assert.equal(b.geometry.type, "MultiLineString");
  assert.ok(coords(b.geometry).length > 30, "the border keeps its detail");

  assert.equal(kinds(fc, "coast").length, 1);

  const admin = kinds(fc, "admin1");
  const qn = admin.find((f) => f.properties.iso === "VN-13");
  assert.ok(qn, "Quảng Ninh is an admin-1 area");
  assert.equal(qn.properties.name, "Quảng Ninh");
  assert.equal(qn.properties["name:zh-Hans"], "广宁省");
  assert.equal(qn.properties.country, "VN");
  assert.equal(qn.properties.label.length, 2);
  const gx = admin.find((f) => f.properties.iso === "CN-GX");
  assert.equal(gx.properties.name, "Guangxi");
  assert.equal(gx.properties["name:zh-Hans"], "广西壮族自治区");
  assert.ok(kinds(fc, "admin1-line").length >= 1);

  const cities = kinds(fc, "city");
  const byName = (n) => cities.find((f) => f.properties.name === n);
  for (const n of ["Móng Cái", "Dongxing", "Lạng Sơn", "Pingxiang"]) assert.ok(byName(n), `${n} is a city`);
  const mc = byName("Móng Cái").properties;
  assert.ok(mc.population > 50000 && mc.rank >= 1 && mc.rank <= 9 && mc.country === "VN" && /^geonames:\d+$/.test(mc.id));
  const ranks = cities.map((f) => f.properties.rank);
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), "cities come most important first");

  const rivers = kinds(fc, "river");
  assert.ok(rivers.length >= 1 && rivers.every((f) => f.properties.rank >= 1 && f.properties.rank <= 4));

  for (const f of fc.features) {
    for (const [x, y] of coords(f.geometry)) {
      assert.ok(x >= BOX[0] && x <= BOX[2] && y >= BOX[1] && y <= BOX[3], `${f.properties.kind} point ${x},${y} inside the box`);
    }
  }
});

test("each feature is written on its own line", () => {
  const r = run(["--box", BOX.join(","), "--countries", "VN,CN", "--layers", "countries,cities"]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split("\n");
  const fc = JSON.parse(r.out);
  assert.equal(lines.length, fc.features.length + 2);
  assert.deepEqual(new Set(fc.features.map((f) => f.properties.kind)), new Set(["country", "city"]));
});

test("a mistyped country code is an error naming the closest match", () => {
  const r = run(["--box", BOX.join(","), "--countries", "VNN,CN"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown country "VNN"/);
  assert.match(r.err, /did you mean .*VNM \(Vietnam\)/);
  assert.equal(r.out, "");
  const named = run(["--box", BOX.join(","), "--countries", "Vietnam,Chine"]);
  assert.equal(named.code, 2);
  assert.match(named.err, /unknown country "Chine".*did you mean .*CN \(China\)/);
});

test("codes resolve from alpha-2, alpha-3, numeric or English names", () => {
  const got = resolveCountries(["AT", "aut", "040", "Austria"], "test").map((c) => c.a2);
  assert.deepEqual(got, ["AT", "AT", "AT", "AT"]);
  assert.throws(() => resolveCountries(["Austira"], "test"), /did you mean AT \(Austria\)|did you mean Austria/);
});

test("unknown layers, languages and options name the closest", () => {
  let r = run(["--box", BOX.join(","), "--countries", "VN", "--layers", "countries,river"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown layer "river" \(did you mean rivers\?\)/);
  r = run(["--box", BOX.join(","), "--countries", "VN", "--languages", "en,zh-Hanz"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown language "zh-Hanz".*did you mean zh-Hans/);
  r = run(["--box", BOX.join(","), "--countries", "VN", "--contries", "CN"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown option --contries \(did you mean --countries\?\)/);
  r = run(["--box", "108,21,107,22", "--countries", "VN"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /west < east/);
});

test("a country with no land in the box is an error, not silently dropped", () => {
  const r = run(["--box", BOX.join(","), "--countries", "VN,CN,KH"]);
  assert.equal(r.code, 2);
  assert.match(r.err, /KH \(Cambodia\) has no part inside the box/);
});

test("options come from atlas.yaml: the overview box, the languages and the output path", () => {
  const dir = mkdtempSync(join(tmpdir(), "atlas-"));
  writeFileSync(
    join(dir, "atlas.yaml"),
    ["title: Test", "languages:", "  - {code: en, name: English}", "  - {code: de, name: Deutsch}", "map:", "  basemap: basemap.geojson", "  overview: {west: 9.0, south: 46.8, east: 10.0, north: 47.4}", "  extract:", "    countries: [CH, AT, LI]", "    border: [[CH, LI]]", "    layers: [countries, border, cities]", "    margin: 0.2", "    min_population: 5000", "    names: names.yaml", ""].join("\n"),
  );
  writeFileSync(join(dir, "names.yaml"), "geonames:3042030: {de: Vaduz (Hauptort)}\nNowhere: {de: Nirgendwo}\n");
  const r = run(["--atlas", "atlas.yaml"], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /wrote .*basemap\.geojson/);
  assert.match(r.err, /names file: "Nowhere" matches no feature/);
  const fc = JSON.parse(readFileSync(join(dir, "basemap.geojson"), "utf8"));
  assert.deepEqual(fc.bbox, [8.8, 46.6, 10.2, 47.6]);
  const ch = kinds(fc, "country").find((f) => f.properties.iso === "CH").properties;
  assert.equal(ch["name:de"], "Schweiz");
  assert.equal(ch["name:zh-Hans"], undefined, "only the atlas's languages");
  const vaduz = kinds(fc, "city").find((f) => f.properties.id === "geonames:3042030");
  assert.equal(vaduz?.properties["name:de"], "Vaduz (Hauptort)");
  assert.deepEqual(kinds(fc, "border")[0].properties.countries, ["CH", "LI"]);
});

test("Douglas–Peucker keeps the ends and drops what is within tolerance", () => {
  const line = [[0, 0], [1, 0.001], [2, 0], [3, 1], [4, 0]];
  assert.deepEqual(simplify(line, 0.01), [[0, 0], [2, 0], [3, 1], [4, 0]]);
  assert.deepEqual(simplify(line, 0), line);
});

test("lines are cut at the box and pieces outside dropped", () => {
  const box = { west: 0, south: 0, east: 10, north: 10 };
  const pieces = clipLine([[-5, 5], [5, 5], [5, 15], [8, 5], [8, -5]], box);
  assert.deepEqual(pieces, [[[0, 5], [5, 5], [5, 10]], [[6.5, 10], [8, 5], [8, 0]]]);
});

test("lines cut into tiles are joined again", () => {
  const joined = joinLines([[[2, 0], [3, 0]], [[0, 0], [1, 0]], [[2, 0], [1, 0]]]);
  assert.equal(joined.length, 1);
  assert.equal(joined[0].length, 4);
});

test("city names lose the administrative words GeoNames puts around some of them", () => {
  const cases = {
    "Thị Trấn Đông Triều": "Đông Triều",
    "Thành Phố Uông Bí": "Uông Bí",
    "Thành phố Sông Công": "Sông Công",
    "Thị xã Quảng Yên": "Quảng Yên",
    "Thi Tran Tien Yen": "Tien Yen",
    "Huyện Bảo Lâm": "Bảo Lâm",
    "东兴市": "东兴",
    "凭祥市": "凭祥",
    "河口县": "河口",
    "Dongxing Shi": "Dongxing",
    // Names that only look like it stay whole.
    "Xa Mát": "Xa Mát",
    "Quảng Yên": "Quảng Yên",
    "Xian": "Xian",
    "市": "市",
    "Dali Old Town": "Dali Old Town",
    "Thị Trấn": "Thị Trấn",
  };
  for (const [name, short] of Object.entries(cases)) assert.equal(shortCityName(name), short, name);
});

test("the extracted towns carry no administrative prefix", () => {
  const dir = mkdtempSync(join(tmpdir(), "basemap-"));
  const out = join(dir, "b.geojson");
  const r = run(["--box", "106.4,20.9,107.6,21.6", "--countries", "VN", "--layers", "cities", "--min-population", "20000", "-o", out]);
  assert.equal(r.code, 0, r.err);
  const names = kinds(JSON.parse(readFileSync(out, "utf8")), "city").map((f) => f.properties.name);
  assert.ok(names.includes("Đông Triều") && names.includes("Uông Bí"), names.join(", "));
  assert.ok(!names.some((n) => /^(Thị Trấn|Thành Phố|Thị Xã) /i.test(n)), names.join(", "));
});

test("a town's Chinese name is a simplified name among its alternates that reads as its name", () => {
  // GeoNames' own alternates for Qinzhou, Yuxi, Vinh, Shangsi and Jianshui's neighbours.
  assert.equal(chineseCityName("Qinzhou", ["欽州", "欽州市", "钦州", "钦州市"]), "钦州");
  assert.equal(chineseCityName("Yuxi", ["玉渓市", "玉溪", "玉溪市", "红塔", "红塔区"]), "玉溪", "not the Japanese form, nor the district");
  assert.equal(chineseCityName("Shangsi", ["Shang-ssu", "Shangsi", "上思", "思阳"]), "上思");
  assert.equal(chineseCityName("Pu'er", ["普洱市", "Puer"]), "普洱", "apostrophes and suffixes aside");
  assert.equal(chineseCityName("Vinh", ["荣市", "Vinh"]), null, "a Sino-Vietnamese name does not read as the town's name");
  assert.equal(chineseCityName("Taibei", ["臺北", "台北"]), "台北", "the simplified form of two");
  assert.equal(chineseCityName("Kaohsiung", ["高雄"]), null, "a Wade–Giles name is not a pinyin reading");
  assert.equal(chineseCityName("Nowhere", []), null);
  assert.deepEqual(["zh", "zh-Hans", "zh-CN", "zh-Hans-SG", "zh-Hant", "zh-TW", "ja", "vi"].map(isSimplifiedChinese), [true, true, true, true, false, false, false, false]);
});
