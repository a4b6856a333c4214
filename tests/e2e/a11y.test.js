'use strict';
// Accessibility: axe-core, injected into Chromium, on one page of every page type, at the desktop
// and the phone viewport. Any violation of impact "serious" or "critical" fails the page's test
// and is printed with the elements it concerns; lesser ones are reported as diagnostics.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { getSiteDir } = require('./lib/site');
const { SiteIndex } = require('./lib/html');
const { startServer } = require('./lib/server');
const { launchBrowser, openMonitoredPage } = require('./lib/browser');
const { REPO_ROOT, PREFIX } = require('./lib/config');

const AXE = path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const FAILING_IMPACTS = new Set(['serious', 'critical']);

/** The first record page linked from a collection index, e.g. events/ -> events/ev-.../ */
async function firstRecordOf(siteDir, collection) {
  const index = new SiteIndex(siteDir);
  const { refs } = await index.page(`${collection}/index.html`);
  const re = new RegExp(`^${PREFIX}${collection}/(?!by-)[a-z0-9-]+/$`);
  const ref = refs.find((r) => r.tag === 'a' && re.test(r.value));
  assert.ok(ref, `no record link in ${collection}/index.html`);
  return ref.value.slice(PREFIX.length);
}

// Filled in before the tests run (the event and source pages are picked from their indexes).
const PAGES = [
  ['home', ''],
  ['collection index', 'gates/'],
  ['record', 'gates/mong-cai-dongxing/'],
  ['event', null],
  ['source', null],
  ['facet index', 'gates/by-status/'],
  ['facet value', 'gates/by-status/international/'],
  ['about', 'about/'],
  ['bibliography', 'sources/'],
  ['404', 'no-such-page/'],
  ['404 in Chinese', 'zh/no-such-page/'],
  ['timeline', 'events/'],
  ['data', 'data/'],
  ['discrepancy index', 'discrepancies/'],
  ['record in Chinese', 'zh/gates/mong-cai-dongxing/'],
  ['timeline in Vietnamese', 'vi/events/'],
];

let server;
let browser;

before(async () => {
  assert.ok(fs.existsSync(AXE), `${AXE} is missing: run \`npm ci\``);
  const siteDir = getSiteDir();
  PAGES.find(([kind]) => kind === 'event')[1] = await firstRecordOf(siteDir, 'events');
  PAGES.find(([kind]) => kind === 'source')[1] = await firstRecordOf(siteDir, 'sources');
  server = await startServer({ root: siteDir });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function format(v) {
  const nodes = v.nodes
    .map((n) => `      at ${n.target.join(' ')}\n        ${(n.failureSummary || '').replace(/\n/g, '\n        ')}\n        ${n.html.slice(0, 300)}`)
    .join('\n');
  return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element(s); ${v.helpUrl})\n${nodes}`;
}

for (const viewport of ['desktop', 'phone']) {
  describe(`accessibility (axe-core) on ${viewport}`, () => {
    for (const entry of PAGES) {
      const kind = entry[0];
      test(`${kind} page has no serious or critical axe violations`, { timeout: 120_000 }, async (t) => {
        const rel = entry[1];
        const url = server.baseUrl + rel;
        const { context, page, problems, expect404 } = await openMonitoredPage(browser, viewport);
        try {
          const expected = kind.startsWith('404') ? 404 : 200;
          if (expected === 404) expect404(url);
          const resp = await page.goto(url, { waitUntil: 'load' });
          assert.equal(resp.status(), expected, `${url} answered ${resp.status()}`);
          await page.addScriptTag({ path: AXE });
          const results = await page.evaluate(() =>
            // eslint-disable-next-line no-undef
            axe.run(document, { resultTypes: ['violations'] }),
          );
          const failing = results.violations.filter((v) => FAILING_IMPACTS.has(v.impact));
          const lesser = results.violations.filter((v) => !FAILING_IMPACTS.has(v.impact));
          t.diagnostic(`${PREFIX}${rel}: axe ${results.testEngine.version}, ${results.violations.length} violation(s)`);
          for (const v of lesser) t.diagnostic(`not failing: [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element(s))`);
          assert.equal(
            failing.length,
            0,
            `${PREFIX}${rel} (${kind}, ${viewport}): ${failing.length} serious/critical axe violation(s):\n${failing.map(format).join('\n')}`,
          );
          assert.deepEqual(problems, [], `browser problems on ${url}:\n  ${problems.join('\n  ')}`);
        } finally {
          await context.close();
        }
      });
    }
  });
}
