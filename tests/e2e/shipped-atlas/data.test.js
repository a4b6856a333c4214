'use strict';
// The shipped atlas's content (content/, atlas.yaml: the Vietnam–China border crossings), not
// the tool: its open data validates (tests/data/validate.py) with every collection present, and
// holds the facts its pages state. Editing the atlas may mean updating this file; the tool's
// own data tests run on the Alps fixture (../data.test.js).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { getSiteDir } = require('../lib/site');
const { validateData } = require('../lib/data');

test('the shipped atlas: every data file validates', () => {
  const out = validateData(getSiteDir());
  test.diagnostic?.(out);
  for (const f of ['gates.geojson', 'corridors.geojson', 'events.ics', 'atlas.json', 'gates.csv']) {
    assert.match(out, new RegExp(`ok   ${f.replace('.', '\\.')}`), `${f} was checked`);
  }
});

test('the shipped atlas: gates are points at their coordinates, corridors are lines', () => {
  const site = getSiteDir();
  const gates = JSON.parse(fs.readFileSync(path.join(site, 'data', 'gates.geojson'), 'utf8'));
  const mongCai = gates.features.find((f) => f.id === 'mong-cai-dongxing');
  assert.deepEqual(mongCai.geometry.coordinates, [107.967, 21.533]);
  const corridors = JSON.parse(fs.readFileSync(path.join(site, 'data', 'corridors.geojson'), 'utf8'));
  assert.ok(corridors.features.every((f) => f.geometry.type === 'LineString'), 'corridors are LineStrings');
});

test('the shipped atlas: the gate and the treaty describe themselves in JSON-LD', () => {
  const site = getSiteDir();
  const ld = (page) => {
    const html = fs.readFileSync(path.join(site, page), 'utf8');
    const m = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html);
    assert.ok(m, `${page} has JSON-LD`);
    return JSON.parse(m[1]);
  };
  const gate = ld('gates/mong-cai-dongxing/index.html');
  assert.equal(gate['@type'], 'Place');
  assert.equal(gate.geo.latitude, 21.533);
  const treaty = ld('events/ev-1999-12-30-land-border-treaty/index.html');
  assert.equal(treaty['@type'], 'Event');
  assert.equal(treaty.startDate, '1999-12-30');
  const home = fs.readFileSync(path.join(site, 'index.html'), 'utf8');
  assert.match(home, /<link rel="alternate" type="application\/atom\+xml"[^>]*href="\/vn-cn-atlas\/events\/feed\.xml"/);
});
