'use strict';
// The atlas views as a reader uses them, in Chromium on desktop and phone: the overview map
// (the border, a marker per gate, corridor lines, a legend) and following a marker to its
// page; a gate's mini-map; the timeline in date order with its kind filter.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { getSiteDir } = require('./lib/site');
const { openMonitoredPage } = require('./lib/browser');
const { useSiteInBrowser } = require('./lib/session');
const { SCREENSHOT_DIR } = require('./lib/config');

const env = useSiteInBrowser();

for (const viewport of ['desktop', 'phone']) {
  test(`the overview map on ${viewport}: border, gates, corridors, legend, markers that link`, async () => {
    const { page, problems } = await openMonitoredPage(env.browser, viewport);
    await page.goto(env.server.baseUrl);
    const map = page.locator('svg.map').first();
    await map.waitFor();
    const box = await map.boundingBox();
    assert.ok(box.width > 300, `the map is drawn at a readable width (${box.width}px)`);
    assert.ok((await map.locator('path.border').count()) > 0, 'the Vietnam–China border is drawn');
    const gates = await map.locator('a[href*="/gates/"]').count();
    const gateFiles = fs.readdirSync(path.join(getSiteDir(), 'gates')).filter((d) => !d.startsWith('by-') && !d.endsWith('.html'));
    // Gates without coordinates of their own are drawn, hollow, at their province.
    const located = JSON.parse(fs.readFileSync(path.join(getSiteDir(), 'data', 'gates.geojson'), 'utf8')).features.length;
    assert.ok(located < gateFiles.length, 'some gates have no coordinates of their own');
    assert.equal(gates, gateFiles.length, `one marker per gate (${gateFiles.length}), ${located} at their own point`);
    assert.ok((await map.locator('a[href*="/corridors/"] path.route').count()) > 10, 'corridors are drawn as lines');
    const legend = await page.locator('.legend').first().textContent();
    for (const word of ['land border', 'international', 'bilateral', 'road', 'rail', 'expressway', 'railway', 'approximate']) {
      assert.match(legend, new RegExp(word), `the legend explains "${word}"`);
    }
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${viewport}-map-overview.png`) });
    // A marker is a link: activate it from the keyboard, as well as by pointer on desktop.
    const marker = map.locator('a[href$="/gates/mong-cai-dongxing/"]');
    await marker.focus();
    await Promise.all([page.waitForURL(/\/gates\/mong-cai-dongxing\/$/), page.keyboard.press('Enter')]);
    assert.equal((await page.textContent('h1')).trim(), 'Móng Cái – Dongxing');
    const mini = page.locator('.record-map svg.map');
    await mini.waitFor();
    assert.equal(await mini.locator('.marker-link.focus').count(), 1, 'the gate is highlighted on its mini-map');
    assert.match(await page.textContent('.hatnote .caveat-approximate'), /marks the town, not the exact site/, 'the approximate point is said so');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${viewport}-map-gate.png`), fullPage: false });
    assert.deepEqual(problems, []);
  });

  test(`the timeline on ${viewport}: in order, one date column, only-this-kind filters kept in the URL, a sticky era bar`, async () => {
    const { page, problems } = await openMonitoredPage(env.browser, viewport);
    await page.goto(`${env.server.baseUrl}events/`);
    const dates = await page.$$eval('.timeline li.entry time', (ts) => ts.map((t) => t.getAttribute('datetime')));
    assert.ok(dates.length >= 78, `every event is on the timeline (${dates.length})`);
    const sorted = [...dates].sort((a, b) => (a.length === b.length ? a.localeCompare(b) : a.slice(0, 4).localeCompare(b.slice(0, 4)) || a.length - b.length));
    assert.deepEqual(dates.map((d) => d.slice(0, 4)), sorted.map((d) => d.slice(0, 4)), 'years ascend');
    assert.equal(dates[0], '1887');
    assert.match(await page.textContent('.timeline'), /October 1977 – June 1978/, 'spans read as ranges');
    // One date column: a date known only to its year is not written again beside the year heading.
    // (It stays in the markup for screen readers and machines, visually hidden.)
    const shownDates = await page.locator('.year').first().evaluate((y) =>
      [...y.querySelectorAll('time')].filter((t) => t.getBoundingClientRect().width > 1).map((t) => t.textContent));
    assert.deepEqual(shownDates, [], 'the year is written once, in its heading');
    // Kind labels are the schema's labels as written, never raw lowercase codes.
    const tags = await page.$$eval('.timeline li.entry .tag', (ts) => [...new Set(ts.map((t) => t.textContent.trim()))]);
    assert.ok(!tags.includes('mou'), `no raw code among the kind labels: ${tags}`);
    // Filter: one click shows only treaties; "All" brings everything back.
    const treaty = page.locator('.timeline-filter button[data-kind="treaty"]');
    await treaty.click();
    assert.equal(await treaty.getAttribute('aria-pressed'), 'true');
    assert.ok((await page.locator('li.entry[data-kind="treaty"]:visible').count()) >= 5, 'treaties show');
    assert.equal(await page.locator('li.entry:not([data-kind="treaty"]):visible').count(), 0, 'only treaties show');
    assert.match(page.url(), /[?&]kind=treaty\b/, 'the choice is in the URL');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${viewport}-timeline-filtered.png`) });
    // A reload keeps the choice.
    await page.reload();
    assert.equal(await page.locator('.timeline-filter button[data-kind="treaty"]').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('li.entry:not([data-kind="treaty"]):visible').count(), 0, 'still only treaties after a reload');
    await page.locator('.timeline-filter button[data-kind=""]').click();
    assert.equal(await page.locator('li.entry:visible').count(), dates.length, '"All" shows every event');
    assert.doesNotMatch(page.url(), /kind=/);
    // Back returns to "only treaties".
    await page.goBack();
    await page.waitForURL(/kind=treaty/);
    assert.equal(await page.locator('li.entry:not([data-kind="treaty"]):visible').count(), 0, 'Back restores the filter');
    await page.goto(`${env.server.baseUrl}events/`);
    // The era bar stays in view while the page scrolls.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
    const bar = await page.locator('.timeline-nav').boundingBox();
    assert.ok(bar && bar.y >= -1 && bar.y < 5, `the era bar sticks to the top (y = ${bar && bar.y})`);
    // The era links work without the script: they are plain anchors.
    const era = page.locator('.timeline-nav a').nth(3);
    const href = await era.getAttribute('href');
    assert.match(href, /^#era-/);
    assert.ok((await page.locator(href).count()) === 1, `${href} exists`);
    // The time axis: a bar per decade, each a link named "1990s: 12 events" to its decade's
    // first year, so a decade is one move away; empty decades are bars but not links.
    await page.evaluate(() => window.scrollTo(0, 0));
    const names = await page.$$eval('.timeline-axis li', (ls) => ls.map((l) => l.textContent.trim()));
    assert.ok(names.length >= 14, `a bar for each decade from the 1880s to the 2020s (${names.length})`);
    // (The tick is written twice, "1990s" for wide screens and "1990" for a phone.)
    const nineties = page.locator('.timeline-axis a', { hasText: /^1990s: \d+ events?1990s1990$/ });
    assert.equal(await nineties.count(), 1, `a link for the 1990s: ${names.join(' | ')}`);
    await nineties.click();
    const target = page.locator(await nineties.getAttribute('href'));
    assert.match(await target.locator('.year-label').textContent(), /^199\d$/);
    const box = await target.boundingBox();
    const stuck = await page.locator('.timeline-nav').boundingBox();
    assert.ok(box && box.y >= stuck.y + stuck.height - 1 && box.y < stuck.y + stuck.height + 120,
      `the 1990s' first year comes into view just below the era bar (y = ${box && box.y}, bar ends at ${stuck.y + stuck.height})`);
    // The era bar marks the era being read, and shows it when the bar scrolls sideways.
    await page.waitForFunction(() => document.querySelector('.timeline-nav a[aria-current]'));
    const era_id = await target.evaluate((y) => y.closest('section.era').id);
    const current = page.locator('.timeline-nav a[aria-current]');
    assert.equal(await current.getAttribute('href'), `#${era_id}`, 'the era of the 1990s is marked current');
    const within = await current.evaluate((a) => {
      const l = a.closest('ol').getBoundingClientRect(), r = a.getBoundingClientRect();
      return r.left >= l.left - 1 && r.right <= l.right + 1;
    });
    assert.ok(within, 'the current era is scrolled into the bar');
    // Compact rows: the whole timeline stays far shorter than the list it was (26,229 px on the phone).
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const bound = viewport === 'phone' ? 16000 : 12500;
    assert.ok(height < bound, `the timeline page is ${height} px tall on ${viewport} (bound ${bound})`);
    assert.deepEqual(problems, []);
  });
}
