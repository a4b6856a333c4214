'use strict';
// Narrative never puts script into a page. Heading attribute blocks are the way Markdown adds
// attributes: `## Notes {tabindex=0 autofocus onfocus=…}` must not become an event handler that
// runs when the page opens, is clicked or is hovered. A copy of the small fixture gets hostile
// headings in a record and in a plain page, is built with atlasgen, and is opened in Chromium.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { REPO_ROOT, ATLASGEN_BIN } = require('./lib/config');
const { launchBrowser, openMonitoredPage } = require('./lib/browser');
const { startServer } = require('./lib/server');

const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'small');

const HOSTILE = [
  '## Notes {tabindex=0 autofocus onfocus=window.__pwned=(window.__pwned||[]).concat("focus")}',
  '',
  'Text.',
  '',
  '## Click me {#click .wide onclick=window.__pwned=(window.__pwned||[]).concat("click")}',
  '',
  '## Hover me {onmouseover=window.__pwned=(window.__pwned||[]).concat("hover") style=position:fixed;inset:0}',
  '',
  '| left | centre |',
  '|:-----|:------:|',
  '| a    | b      |',
  '',
].join('\n');

test('hostile heading attributes do not run script', async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atlasgen-xss-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const root = path.join(tmp, 'atlas');
  fs.cpSync(FIXTURE, root, { recursive: true });
  fs.appendFileSync(path.join(root, 'content', 'towns', 'mong-cai.md'), `\n${HOSTILE}`);
  fs.appendFileSync(path.join(root, 'content', 'about.md'), `\n${HOSTILE}`);
  const site = path.join(tmp, 'site');
  execFileSync(ATLASGEN_BIN, ['build', '--root', root, '--output', site], { stdio: 'pipe' });

  const server = await startServer({ root: site, prefix: '/small/' });
  const browser = await launchBrowser();
  t.after(async () => {
    await browser.close();
    await server.close();
  });
  for (const page of ['towns/mong-cai/', 'about/']) {
    await t.test(page, async () => {
      const { page: tab, problems } = await openMonitoredPage(browser, 'desktop');
      await tab.goto(`${server.baseUrl}${page}`);
      const headings = tab.locator('main h2');
      await headings.first().waitFor();
      // Give autofocus its chance, then click and hover every heading.
      await tab.waitForTimeout(200);
      for (const h of await headings.all()) {
        await h.hover();
        await h.click();
        await h.focus().catch(() => {});
      }
      await tab.waitForTimeout(200);
      assert.equal(await tab.evaluate(() => window.__pwned), undefined, 'a heading attribute ran script');
      const attrs = await tab.evaluate(() =>
        // The map's own script sets a tabindex and transforms on the map it enhances (a figure
        // narrative cannot make: raw HTML is escaped).
        [...document.querySelectorAll('main *')].filter((el) => !el.closest('figure.atlas-map')).flatMap((el) =>
          [...el.attributes].map((a) => a.name).filter((n) => n.startsWith('on') || n === 'style' || n === 'autofocus' || n === 'tabindex'),
        ),
      );
      assert.deepEqual(attrs, [], 'narrative added handler, style or focus attributes');
      // The attributes are shown as text; the id and class are kept.
      assert.match(await tab.textContent('main'), /Notes \{tabindex=0 autofocus onfocus=/);
      assert.equal(await tab.getAttribute('#click', 'class'), 'wide');
      // The aligned column keeps its alignment, through a class.
      assert.equal(await tab.evaluate(() => getComputedStyle(document.querySelector('main td.align-center')).textAlign), 'center');
      await tab.context().close();
      assert.deepEqual(problems, []);
    });
  }
});
