'use strict';
// The open data files atlasgen writes, on an atlas of its own (the Alps fixture, in German and
// French, with collections named paesse, tunnel, orte, ereignisse and quellen): checked against
// their specifications by tests/data/validate.py (Frictionless for datapackage.json and the
// CSVs, the geojson package plus RFC 7946 rules, icalendar for the .ics, the Atom feed), linked
// from the Data page, and described in schema.org JSON-LD. The shipped atlas's own data is
// checked in shipped-atlas/data.test.js.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { getFixtureSiteDir } = require('./lib/site');
const { validateData } = require('./lib/data');

test('every data file of an atlas validates against its specification', () => {
  const out = validateData(getFixtureSiteDir('alps'));
  for (const f of ['paesse', 'tunnel', 'orte']) {
    assert.match(out, new RegExp(`ok   ${f}\\.geojson: \\d+ features`), `${f}.geojson was checked`);
  }
  for (const f of ['paesse', 'tunnel', 'orte', 'ereignisse', 'quellen']) {
    assert.match(out, new RegExp(`ok   ${f}\\.csv: \\d+ rows valid`), `${f}.csv was checked`);
  }
  assert.match(out, /ok {3}ereignisse\.ics: 15 events/);
  assert.match(out, /ok {3}atlas\.json: 79 records in 5 collections/);
  assert.match(out, /ok {3}ereignisse\/feed\.xml: Atom feed, 15 entries/);
});

test('the Data page links every file of the package, in each language', () => {
  const site = getFixtureSiteDir('alps');
  const pkg = JSON.parse(fs.readFileSync(path.join(site, 'datapackage.json'), 'utf8'));
  assert.equal(pkg.resources.length, 10);
  for (const page of ['data/index.html', 'fr/data/index.html']) {
    const html = fs.readFileSync(path.join(site, page), 'utf8');
    for (const r of pkg.resources) {
      assert.ok(html.includes(`>${r.path}</a>`), `${page} lists ${r.path}`);
      assert.ok(fs.existsSync(path.join(site, r.path)), `${r.path} exists`);
    }
    assert.ok(html.includes('datapackage.json'), `${page} links the package`);
  }
  const passes = JSON.parse(fs.readFileSync(path.join(site, 'data', 'paesse.geojson'), 'utf8'));
  const gotthard = passes.features.find((f) => f.id === 'gotthardpass');
  assert.deepEqual(gotthard.geometry.coordinates, [8.561, 46.559], 'GeoJSON positions are [lon, lat]');
});

test('record and data pages describe themselves in schema.org JSON-LD', () => {
  const site = getFixtureSiteDir('alps');
  const ld = (page) => {
    const html = fs.readFileSync(path.join(site, page), 'utf8');
    const m = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html);
    assert.ok(m, `${page} has JSON-LD`);
    return JSON.parse(m[1]);
  };
  const pass = ld('paesse/gotthardpass/index.html');
  assert.equal(pass['@type'], 'Place');
  assert.deepEqual([pass.geo.latitude, pass.geo.longitude], [46.559, 8.561]);
  const event = ld('ereignisse/alpeninitiative/index.html');
  assert.equal(event['@type'], 'Event');
  assert.equal(event.startDate, '1994');
  assert.equal(ld('fr/ereignisse/alpeninitiative/index.html').inLanguage, 'fr');
  const data = ld('data/index.html');
  assert.equal(data['@type'], 'Dataset');
  assert.ok(data.distribution.some((d) => d.encodingFormat === 'application/geo+json'));
  assert.ok(data.distribution.some((d) => d.encodingFormat === 'text/calendar'));
  const home = fs.readFileSync(path.join(site, 'index.html'), 'utf8');
  assert.match(home, /<link rel="alternate" type="application\/atom\+xml"[^>]*href="\/alpen\/ereignisse\/feed\.xml"/);
  assert.match(home, /<meta property="og:title" content="Alpenübergänge der Schweiz">/);
});
