'use strict';
// A reader's journey through the built atlas in Chromium, on a desktop and a phone viewport:
// home -> "Border gates" (main nav, behind the menu button on a phone) -> "Móng Cái – Dongxing"
// (index table) -> a corridor through the gate -> back -> an event on the gate's timeline -> a
// missing page (404) -> its home link.
// Any console error, uncaught page error, failed request or unexpected HTTP error fails the test.
// Full-page screenshots of every step go to tests/e2e/screenshots/<viewport>-<step>.png.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { openMonitoredPage } = require('./lib/browser');
const { useSiteInBrowser } = require('./lib/session');
const { PREFIX, SCREENSHOT_DIR } = require('./lib/config');

const GATE_TITLE = 'Móng Cái – Dongxing';
const re = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const env = useSiteInBrowser();

/** The links in the list that follows the backlink heading `heading` in "Linked records". */
function backlinks(page, heading) {
  const section = page.getByRole('region', { name: 'Linked records' });
  return section.locator(`xpath=.//h3[normalize-space(text()[1])="${heading}"]/following-sibling::ul[1]//a[@href]`);
}

/** The page's heading: the <h1> of <main>, or on the home page the brand in the header. */
async function h1Text(page, { home = false } = {}) {
  const h1 = page.locator(home ? 'header h1.brand' : 'main h1');
  assert.equal(await h1.count(), 1, `expected exactly one <h1> in <main> on ${page.url()}`);
  await h1.waitFor({ state: 'visible' });
  const text = (await h1.innerText()).trim();
  assert.ok(text.length > 0, `the <h1> on ${page.url()} is empty`);
  return text;
}

for (const viewport of ['desktop', 'phone']) {
  test(`browser journey on ${viewport}`, { timeout: 180_000 }, async () => {
    const base = env.server.baseUrl;
    const { context, page, problems, expect404 } = await openMonitoredPage(env.browser, viewport);
    let stepNo = 0;
    const step = async (name, fn) => {
      stepNo += 1;
      const shot = path.join(SCREENSHOT_DIR, `${viewport}-${String(stepNo).padStart(2, '0')}-${name}.png`);
      try {
        await fn();
        await page.waitForLoadState('load');
        await page.screenshot({ path: shot, fullPage: true });
      } catch (e) {
        await page.screenshot({ path: shot.replace(/\.png$/, '-FAILED.png'), fullPage: true }).catch(() => {});
        e.message = `[${viewport}] step ${stepNo} "${name}" at ${page.url()}: ${e.message}`;
        throw e;
      }
      // Browser problems do not stop the journey: they are tagged with their step and all
      // reported at the end, so one run shows every broken step.
      while (problems.length) stepProblems.push(`step ${stepNo} "${name}": ${problems.shift()}`);
    };
    const stepProblems = [];

    try {
      await step('home', async () => {
        const resp = await page.goto(base, { waitUntil: 'load' });
        assert.equal(resp.status(), 200, `home page ${base} answered ${resp.status()}`);
        await h1Text(page, { home: true });
      });

      await step('gates-index', async () => {
        const menu = page.locator('.menu-toggle');
        if (await menu.isVisible()) await menu.click();
        const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Border gates', exact: true });
        await link.click();
        await page.waitForURL(`${base}gates/`);
        assert.match(await h1Text(page), /gate/i);
      });

      let gateUrl;
      await step('gate-mong-cai', async () => {
        const link = page.locator('main table').getByRole('link', { name: GATE_TITLE, exact: true });
        assert.equal(await link.count(), 1, `expected one link "${GATE_TITLE}" in the gates table`);
        await link.click();
        await page.waitForURL(new RegExp(`^${re(base)}gates/[a-z0-9-]+/$`));
        gateUrl = page.url();
        assert.match(await h1Text(page), /Móng Cái/);
        // The Chinese name must be in the page (rendered with a CJK font, see the screenshots).
        assert.ok((await page.locator('main').innerText()).includes('东兴'), 'the gate page does not show 东兴');
      });

      await step('corridor', async () => {
        const links = backlinks(page, 'Corridors through this gate');
        assert.ok((await links.count()) > 0, 'no links under "Corridors through this gate" in "Linked records"');
        const title = (await links.first().innerText()).trim();
        await links.first().click();
        await page.waitForURL(new RegExp(`^${re(base)}corridors/[a-z0-9-]+/$`));
        assert.ok(new URL(page.url()).pathname.startsWith(`${PREFIX}corridors/`), `corridor URL ${page.url()}`);
        assert.equal(await h1Text(page), title, 'the corridor page h1 should be the title of the link followed');
      });

      await step('gate-again', async () => {
        await page.goBack({ waitUntil: 'load' });
        assert.equal(page.url(), gateUrl, 'going back should return to the gate page');
        assert.match(await h1Text(page), /Móng Cái/);
      });

      await step('event', async () => {
        // Events that name the gate are on its timeline (not listed again under "Linked records").
        const links = page.locator('.record-timeline a.entry-title');
        assert.ok((await links.count()) > 0, 'no event on the gate\'s timeline');
        assert.equal(await backlinks(page, 'Events').count(), 0, 'events are not listed twice');
        const title = (await links.first().innerText()).trim();
        await links.first().click();
        await page.waitForURL(new RegExp(`^${re(base)}events/[a-z0-9-]+/$`));
        assert.equal(await h1Text(page), title, 'the event page h1 should be the title of the link followed');
      });

      const missing = `${base}no-such-page/`;
      await step('not-found', async () => {
        expect404(missing);
        const resp = await page.goto(missing, { waitUntil: 'load' });
        assert.equal(resp.status(), 404, `${missing} should answer 404`);
        assert.equal(await h1Text(page), 'Page not found');
        await page.getByText('Page not found').first().waitFor({ state: 'visible' });
      });

      await step('home-from-404', async () => {
        const home = page.locator('main').getByRole('link', { name: /home page/i });
        assert.ok((await home.count()) >= 1, 'the 404 page has no link to the home page');
        await home.first().click();
        await page.waitForURL(base);
        assert.equal(await h1Text(page, { home: true }), (await page.title()).trim(), 'the home page heading should be the site title');
      });
    } finally {
      await context.close();
    }
    const hints = stepProblems.some((p) => p.includes('/favicon.ico'))
      ? '\n(/favicon.ico: the pages declare no <link rel="icon">, so the browser asks for /favicon.ico at the ' +
        'host root, outside the site\'s sub-path, where there is nothing)'
      : '';
    assert.deepEqual(
      stepProblems,
      [],
      `[${viewport}] the browser reported ${stepProblems.length} problem(s) during the journey:\n  ${stepProblems.join('\n  ')}${hints}`,
    );
  });
}
