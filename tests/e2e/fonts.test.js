'use strict';
// The text face is served from the site and is the one npm ships: every font file vendored
// into atlasgen's built-in assets (src/render/defaults/fonts/) is byte for byte the file of
// @fontsource-variable/source-sans-3 in node_modules, the stylesheet's @font-face rules are the
// package's own (same files, weights, styles and unicode ranges), the built site serves the
// same bytes, and Chromium draws the pages with it.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { getSiteDir } = require('./lib/site');
const { useSiteInBrowser } = require('./lib/session');
const { REPO_ROOT } = require('./lib/config');

const PACKAGE = path.join(REPO_ROOT, 'node_modules', '@fontsource-variable', 'source-sans-3');
const VENDORED = path.join(REPO_ROOT, 'src', 'render', 'defaults', 'fonts');
const CSS = path.join(REPO_ROOT, 'src', 'render', 'defaults', 'atlasgen.css');

/** The @font-face rules of a stylesheet as comparable objects, keyed by file name. */
function faces(css) {
  const out = {};
  for (const block of css.match(/@font-face\s*\{[^}]*\}/g) || []) {
    const get = (k) => (block.match(new RegExp(`${k}:\\s*([^;]+);`)) || [])[1]?.trim();
    const file = path.basename(get('src').match(/url\(([^)]+)\)/)[1]);
    out[file] = { family: get('font-family'), style: get('font-style'), weight: get('font-weight'), range: get('unicode-range'), display: get('font-display') };
  }
  return out;
}

test('the vendored fonts are the npm package\'s files', () => {
  assert.ok(fs.existsSync(PACKAGE), `${PACKAGE} is missing: run \`npm ci\``);
  const shipped = fs.readdirSync(path.join(PACKAGE, 'files')).filter((f) => f.endsWith('.woff2')).sort();
  const vendored = fs.readdirSync(VENDORED).filter((f) => f.endsWith('.woff2')).sort();
  assert.deepEqual(vendored, shipped, 'the same font files');
  for (const f of shipped) {
    assert.ok(fs.readFileSync(path.join(VENDORED, f)).equals(fs.readFileSync(path.join(PACKAGE, 'files', f))), `${f} differs from the package's`);
  }
  assert.equal(fs.readFileSync(path.join(VENDORED, 'LICENSE'), 'utf8'), fs.readFileSync(path.join(PACKAGE, 'LICENSE'), 'utf8'), 'the licence travels with the fonts');
  const version = JSON.parse(fs.readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')).version;
  assert.match(fs.readFileSync(CSS, 'utf8'), new RegExp(`source-sans-3 ${version.replace(/\./g, '\\.')}`), `the stylesheet names the package's version ${version}`);
});

test('the stylesheet declares the package\'s font faces', () => {
  const pkg = { ...faces(fs.readFileSync(path.join(PACKAGE, 'index.css'), 'utf8')), ...faces(fs.readFileSync(path.join(PACKAGE, 'wght-italic.css'), 'utf8')) };
  const ours = faces(fs.readFileSync(CSS, 'utf8'));
  assert.ok(Object.keys(pkg).length >= 6, 'the package declares its faces');
  assert.deepEqual(ours, pkg);
});

test('the site serves the same fonts', () => {
  const site = getSiteDir();
  for (const f of fs.readdirSync(VENDORED)) {
    const served = path.join(site, 'assets', 'fonts', f);
    assert.ok(fs.existsSync(served), `assets/fonts/${f} is not in the site`);
    assert.ok(fs.readFileSync(served).equals(fs.readFileSync(path.join(VENDORED, f))), `assets/fonts/${f} differs`);
  }
});

const env = useSiteInBrowser();

test('pages are drawn in the served face, in Vietnamese too', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  for (const rel of ['gates/mong-cai-dongxing/', 'vi/gates/mong-cai-dongxing/']) {
    await page.goto(env.server.baseUrl + rel, { waitUntil: 'load' });
    const loaded = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.status === 'loaded').map((f) => `${f.family} ${f.unicodeRange}`);
    });
    assert.ok(loaded.some((f) => /Source Sans 3 Variable U\+0-FF/.test(f)), `${rel}: the Latin face is loaded: ${loaded}`);
    if (rel.startsWith('vi/')) assert.ok(loaded.some((f) => /U\+102-103/.test(f)), `${rel}: the Vietnamese face is loaded: ${loaded}`);
  }
  await context.close();
});
