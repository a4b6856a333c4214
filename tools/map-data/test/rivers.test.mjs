// Tests of named rivers: the names file's `rivers` list checked, matched to WDBII's lines, and
// written as river features of their own. The last tests run the real command (needs
// `npm run setup` and Debian's gmt + gmt-gshhg-high).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { kmToLine, matchRivers, readRivers, WITHIN_KM } from "../lib/rivers.mjs";

const TOOL = join(dirname(fileURLToPath(import.meta.url)), "..", "extract.mjs");

test("a river entry gives a name per language and one or more points", () => {
  const [a, b] = readRivers(
    [
      { name: "Red River", vi: "Sông Hồng", "zh-Hans": "红河", at: [103.9, 22.5] },
      { name: "Rhône", at: [[7.36, 46.23], [6.9, 46.38]], within: 3 },
    ],
    ["en", "vi", "zh-Hans"],
  );
  assert.deepEqual(a.names, { vi: "Sông Hồng", "zh-Hans": "红河" });
  assert.deepEqual(a.at, [[103.9, 22.5]]);
  assert.equal(a.within, WITHIN_KM);
  assert.equal(b.at.length, 2);
  assert.equal(b.within, 3);
});

test("a wrong river entry is an error naming it", () => {
  const langs = ["en", "vi"];
  assert.throws(() => readRivers([{ name: "Red River", de: "Roter Fluss", at: [1, 2] }], langs), /rivers\[0\] \(Red River\): "de" is neither name, at, within nor one of the languages \(en, vi\)/);
  assert.throws(() => readRivers([{ name: "Red River" }], langs), /rivers\[0\] \(Red River\): "at" must be a point/);
  assert.throws(() => readRivers([{ name: "Red River", at: [[1, 2], [3]] }], langs), /"at" must be a point/);
  assert.throws(() => readRivers([{ vi: "Sông Hồng", at: [1, 2] }], langs), /rivers\[0\]: needs a name/);
  assert.throws(() => readRivers([{ name: "X", at: [1, 2], within: -1 }], langs), /"within" is a distance in km/);
  assert.throws(() => readRivers({ name: "X" }, langs), /rivers must be a list/);
  assert.deepEqual(readRivers(undefined, langs), []);
});

test("distances to a line are in km", () => {
  // 0.01° of latitude is 1.11 km; at 60° N, 0.02° of longitude is as far.
  assert.ok(Math.abs(kmToLine([0, 0.01], [[-1, 0], [1, 0]]) - 1.112) < 0.01);
  assert.ok(Math.abs(kmToLine([0.02, 60], [[0, 59], [0, 61]]) - 1.112) < 0.01);
  // Beyond the end, the distance is to the end point.
  assert.ok(Math.abs(kmToLine([2, 0], [[0, 0], [1, 0]]) - 111.2) < 0.1);
});

test("each point names the nearest line, of any rank; a point far from every line is an error", () => {
  const levels = [
    { level: 2, lines: [[[0, 0], [1, 0]], [[0, 1], [1, 1]]] },
    { level: 4, lines: [[[0, 0.5], [1, 0.5]]] },
  ];
  const entries = readRivers(
    [
      { name: "South", at: [0.5, 0.005] },
      { name: "Middle", at: [[0.2, 0.51], [0.8, 0.49]] },
    ],
    [],
  );
  const m = matchRivers(levels, entries);
  assert.deepEqual([...m].sort(), [["2/0", 0], ["4/0", 1]]);
  const far = readRivers([{ name: "Nowhere", at: [0.5, 0.25] }], []);
  assert.throws(() => matchRivers(levels, far), /rivers\[0\] \(Nowhere\): no river line within 2 km of 0.5, 0.25; the nearest \(rank 2\) is 27.8 km away/);
  // The same point with a wider tolerance takes the nearest line.
  const wide = readRivers([{ name: "Nowhere", at: [0.5, 0.25], within: 30 }], []);
  assert.deepEqual([...matchRivers(levels, wide)], [["2/0", 0]]);
  const twice = readRivers([{ name: "A", at: [0.5, 0] }, { name: "B", at: [0.6, 0.001] }], []);
  assert.throws(() => matchRivers(levels, twice), /rivers\[1\] \(B\): the river line nearest to 0.6, 0.001 is already named by names file, rivers\[0\] \(A\)/);
});

function extract(names) {
  const dir = mkdtempSync(join(tmpdir(), "atlasgen-rivers-"));
  writeFileSync(join(dir, "names.yaml"), names);
  const r = spawnSync(
    process.execPath,
    [TOOL, "--box", "107.5,21.4,108.1,21.8", "--countries", "VN,CN", "--layers", "rivers", "--river-level", "4", "--languages", "en,vi,zh-Hans", "--names", "names.yaml"],
    { cwd: dir, encoding: "utf8", maxBuffer: 1 << 26 },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("a named river is a feature of its own, named in each language, and leaves its rank's lines", () => {
  const plain = extract("{}\n");
  assert.equal(plain.code, 0, plain.err);
  const before = JSON.parse(plain.out).features;
  const r = extract("rivers:\n  - {name: Ka Long (Beilun), vi: Sông Ka Long, zh-Hans: 北仑河, at: [107.9481, 21.5419]}\n");
  assert.equal(r.code, 0, r.err);
  const after = JSON.parse(r.out).features;
  const named = after.filter((f) => f.properties.name);
  assert.equal(named.length, 1);
  const ka = named[0];
  assert.deepEqual(ka.properties, { kind: "river", rank: 4, name: "Ka Long (Beilun)", "name:vi": "Sông Ka Long", "name:zh-Hans": "北仑河" });
  // The line reaches the sea by Móng Cái: one of its ends is east of 107.95°.
  assert.ok(ka.geometry.coordinates.some((l) => [l[0], l[l.length - 1]].some((p) => p[0] > 107.95)));
  // Every line is still there once: the named one moved out of rank 4's feature.
  const lines = (fs) => fs.flatMap((f) => f.geometry.coordinates.map((l) => JSON.stringify(l))).sort();
  assert.deepEqual(lines(after), lines(before));
  const rank4 = after.find((f) => f.properties.rank === 4 && !f.properties.name);
  assert.ok(!rank4.geometry.coordinates.some((l) => ka.geometry.coordinates.some((k) => JSON.stringify(k) === JSON.stringify(l))));
});

test("a river entry that matches no line fails the extraction, saying how far the nearest is", () => {
  const r = extract("rivers:\n  - {name: Ka Long, at: [107.7, 21.45]}\n");
  assert.equal(r.code, 2);
  assert.match(r.err, /error: names file names\.yaml, rivers\[0\] \(Ka Long\): no river line within 2 km of 107\.7, 21\.45; the nearest \(rank \d\) is [\d.]+ km away/);
  assert.equal(r.out, "");
});
