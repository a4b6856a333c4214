'use strict';
// The open data files of the built atlas, checked against their specifications by
// tests/data/validate.py (Frictionless for datapackage.json and the CSVs, the geojson package
// plus RFC 7946 rules, icalendar for the .ics), and linked from the Data page.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { getSiteDir } = require('./lib/site');
const { REPO_ROOT } = require('./lib/config');

const PYTHON = process.env.ATLAS_DATA_PYTHON || path.join(REPO_ROOT, '.venv-data', 'bin', 'python');

test('every data file validates against its specification', () => {
  assert.ok(fs.existsSync(PYTHON), `${PYTHON} is missing: create it with python3 -m venv .venv-data && .venv-data/bin/pip install -r tests/data/requirements.txt (test.sh does)`);
  const site = getSiteDir();
  const res = spawnSync(PYTHON, [path.join(REPO_ROOT, 'tests', 'data', 'validate.py'), site], { encoding: 'utf8', timeout: 300000 });
  test.diagnostic?.(res.stdout);
  assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}`);
  assert.match(res.stdout, /all data files valid/);
  for (const f of ['gates.geojson', 'corridors.geojson', 'events.ics', 'atlas.json', 'gates.csv']) {
    assert.match(res.stdout, new RegExp(`ok   ${f.replace('.', '\\.')}`), `${f} was checked`);
  }
});

test('the Data page links every file and the package', () => {
  const site = getSiteDir();
  const html = fs.readFileSync(path.join(site, 'data', 'index.html'), 'utf8');
  const pkg = JSON.parse(fs.readFileSync(path.join(site, 'datapackage.json'), 'utf8'));
  for (const r of pkg.resources) {
    assert.ok(html.includes(`>${r.path}</a>`), `the Data page lists ${r.path}`);
    assert.ok(fs.existsSync(path.join(site, r.path)), `${r.path} exists`);
  }
  assert.ok(html.includes('datapackage.json'));
  const gates = JSON.parse(fs.readFileSync(path.join(site, 'data', 'gates.geojson'), 'utf8'));
  const mongCai = gates.features.find((f) => f.id === 'mong-cai-dongxing');
  assert.deepEqual(mongCai.geometry.coordinates, [107.967, 21.533], 'GeoJSON positions are [lon, lat]');
  const corridors = JSON.parse(fs.readFileSync(path.join(site, 'data', 'corridors.geojson'), 'utf8'));
  assert.ok(corridors.features.every((f) => f.geometry.type === 'LineString'), 'corridors are LineStrings');
});

test('record and data pages describe themselves in schema.org JSON-LD', () => {
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
  const data = ld('data/index.html');
  assert.equal(data['@type'], 'Dataset');
  assert.ok(data.distribution.some((d) => d.encodingFormat === 'application/geo+json'));
  const home = fs.readFileSync(path.join(site, 'index.html'), 'utf8');
  assert.match(home, /<link rel="alternate" type="application\/atom\+xml"[^>]*href="\/vn-cn-atlas\/events\/feed\.xml"/);
  assert.match(home, /<meta property="og:title" content="[^"]+">/);
});
