'use strict';
// Reader-first pages, measured in Chromium at the sizes readers use (desktop 1366×900, phone
// 390×844): a record page shows its lead paragraph and its box of key facts with the mini-map
// in the first screen; its linked records list each record once; the phone header is compact
// and the sections (the open data page last) are reachable through the menu, never cut off,
// and on one line on the desktop; index tables fit a phone without sideways scrolling; the
// search page has one search box; the home page's only <h1> is the brand; enum values read as
// labels and sort by their schema's order; long tags stay inside their cells; discrepancy
// pages lay their readings side by side; the bibliography is grouped and re-sortable; the 404
// page searches for the address, in the address's language.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { getSiteDir, getFixtureSiteDir, listHtmlFiles } = require('./lib/site');
const { startServer } = require('./lib/server');
const { useSiteInBrowser } = require('./lib/session');
const { SCREENSHOT_DIR } = require('./lib/config');

const env = useSiteInBrowser();

const SIZES = {
  desktop: { viewport: { width: 1366, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
};

/** A page at a reader's size whose console errors and failed requests are collected. */
async function open(viewport) {
  const context = await env.browser.newContext({ ...SIZES[viewport], locale: 'en-GB', reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => r.status() >= 400 && !r.url().includes('no-such') && !r.url().includes('/gates/mong-cai/') && problems.push(`HTTP ${r.status()} ${r.url()}`));
  return { context, page, problems };
}

async function go(page, rel) {
  await page.goto(env.server.baseUrl + rel, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
}

// A gate, a corridor and an event, in each language.
const RECORDS = ['gates/mong-cai-dongxing/', 'corridors/fangchenggang-dongxing-hsr/', 'events/ev-2025-03-11-smart-gate-mou/'];
const LANGS = ['', 'vi/', 'zh/'];

for (const viewport of Object.keys(SIZES)) {
  test(`record pages on ${viewport}: the lead and the key facts in the first screen, each linked record once`, async () => {
    const { context, page, problems } = await open(viewport);
    const height = SIZES[viewport].viewport.height;
    for (const lang of LANGS) {
      for (const rel of RECORDS) {
        await go(page, lang + rel);
        const m = await page.evaluate(() => {
          const top = (sel) => {
            const el = document.querySelector(sel);
            return el ? el.getBoundingClientRect().top + window.scrollY : null;
          };
          const linked = [...document.querySelectorAll('.backlinks a[href]')].map((a) => a.getAttribute('href'));
          return {
            lead: top('.record-lead'),
            leadText: document.querySelector('.record-lead')?.textContent.trim().length || 0,
            box: top('.infobox'),
            map: top('.infobox svg.map'),
            facts: document.querySelectorAll('.infobox .facts dt').length,
            linked,
          };
        });
        const where = `${lang}${rel} on ${viewport}`;
        assert.ok(m.lead !== null && m.leadText > 40, `${where}: the page has a lead paragraph`);
        assert.ok(m.lead < height, `${where}: the lead starts at ${m.lead}px, below the first screen (${height}px)`);
        assert.ok(m.box !== null && m.box < height, `${where}: the box of key facts starts at ${m.box}px, past the first screen`);
        assert.ok(m.facts >= 2, `${where}: the box shows key facts (${m.facts})`);
        assert.ok(m.map !== null, `${where}: the box holds the mini-map`);
        const twice = m.linked.filter((h, i) => m.linked.indexOf(h) !== i);
        assert.deepEqual(twice, [], `${where}: records linked twice under "Linked records"`);
        if (lang === '') await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${viewport}-reader-${rel.split('/')[0]}.png`) });
      }
    }
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`the header on ${viewport}: compact, every section and the data page reachable, the data page in the footer`, async () => {
    const { context, page, problems } = await open(viewport);
    for (const lang of LANGS) {
      await go(page, `${lang}gates/mong-cai-dongxing/`);
      const header = await page.locator('.site-header').boundingBox();
      const links = page.locator('nav.sections a');
      assert.equal(await links.count(), 10, 'nine sections and the open data page');
      assert.match(await links.last().getAttribute('href'), new RegExp(`^/vn-cn-atlas/${lang}data/$`), 'the open data page comes last');
      if (viewport === 'phone') {
        assert.ok(header.height <= 126, `${lang}: the phone header is ${header.height}px tall (at most 15% of 844px)`);
        const toggle = page.locator('.menu-toggle');
        assert.ok(await toggle.isVisible(), 'the menu button shows on a phone');
        assert.equal(await links.first().isVisible(), false, 'the sections are folded');
        await toggle.click();
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
        assert.ok(await links.last().isVisible(), `${lang}: the menu shows the open data page`);
        for (let i = 0; i < 10; i += 1) {
          const box = await links.nth(i).boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `${lang}: section ${i + 1} is cut off: ${JSON.stringify(box)}`);
        }
        assert.ok(await page.locator('nav.languages a[hreflang="vi"]').isVisible(), 'the languages are in the menu');
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${viewport}-reader-menu-${lang || 'en/'}`.replace(/\/$/, '') + '.png') });
        await page.keyboard.press('Escape');
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'Escape closes the menu');
      } else {
        assert.equal(await page.locator('.menu-toggle').isVisible(), false, `${lang}: no menu button on the desktop`);
        const tops = await links.evaluateAll((as) => as.map((a) => Math.round(a.getBoundingClientRect().top)));
        assert.equal(new Set(tops).size, 1, `${lang}: the sections are on one line (tops ${tops})`);
        const fits = await page.evaluate(() => {
          const ul = document.querySelector('nav.sections ul');
          return ul.scrollWidth <= ul.clientWidth + 1;
        });
        assert.ok(fits, `${lang}: no section is cut off`);
        assert.ok(header.height <= 130, `${lang}: the desktop header is ${header.height}px tall`);
      }
      assert.ok((await page.locator('.site-footer nav a[href$="/data/"]').count()) === 1, 'the footer links the data page');
    }
    // On the open data page its section is the current one, in the header and the footer.
    await go(page, 'zh/data/');
    assert.equal(await page.locator('nav.sections a[aria-current="page"]').count(), 1, 'one current section');
    assert.equal(await page.locator('nav.sections a[aria-current="page"]').getAttribute('href'), '/vn-cn-atlas/zh/data/');
    assert.equal(await page.locator('nav.sections a[aria-current="page"]').textContent(), '开放数据');
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('index tables fit a phone: the name and the key columns, no sideways scrolling', async () => {
  const { context, page, problems } = await open('phone');
  const pages = ['gates/', 'corridors/', 'zones/', 'places/', 'figures/', 'discrepancies/', 'gates/by-status/international/', 'vi/gates/', 'zh/zones/'];
  for (const rel of pages) {
    await go(page, rel);
    const m = await page.evaluate(() => {
      const table = document.querySelector('table.index');
      const wrap = table.closest('.table-wrap');
      const shown = [...table.querySelectorAll('thead th')].filter((th) => th.getBoundingClientRect().width > 0).length;
      return { table: table.scrollWidth, wrap: wrap.clientWidth, doc: document.documentElement.scrollWidth, shown };
    });
    assert.ok(m.table <= m.wrap + 1, `${rel}: the table is ${m.table}px wide in ${m.wrap}px`);
    assert.ok(m.doc <= 390, `${rel}: the page scrolls sideways (${m.doc}px)`);
    assert.ok(m.shown >= 2 && m.shown <= 4, `${rel}: the name and 1–3 key columns (${m.shown} shown)`);
  }
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'phone-reader-index.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('one search box on the search page; the home page heading is the brand', async () => {
  const { context, page, problems } = await open('desktop');
  await go(page, 'search/?q=Dongxing');
  await page.waitForSelector('#search-q');
  assert.equal(await page.locator('input[type="search"]:visible').count(), 1, 'one search box');
  await go(page, '');
  const h1s = await page.locator('h1').allInnerTexts();
  assert.equal(h1s.length, 1, `one <h1> on the home page: ${JSON.stringify(h1s)}`);
  assert.equal(await page.locator('h1.brand').count(), 1, 'the brand is the home page heading');
  assert.equal(await page.locator('main h1').count(), 0, 'the home page does not repeat the brand');
  assert.deepEqual(problems, []);
  await context.close();
});

test('enum values read as labels, sort by their schema order, and long tags stay in their cells', async () => {
  const { context, page, problems } = await open('desktop');
  await go(page, 'corridors/');
  const roles = await page.locator('table.index td .tag').allInnerTexts();
  assert.ok(roles.includes('member of a framework'), 'a role reads as its label');
  assert.ok(!roles.includes('member'), 'no role reads as its code');
  // The gates' rank sorts by the schema's order (international first), not alphabetically.
  await go(page, 'gates/');
  const col = await page.locator('table.index thead th').allInnerTexts();
  const rank = col.findIndex((c) => /^Rank/.test(c.trim()));
  assert.ok(rank > 0, `a Rank column: ${col}`);
  await page.locator('table.index thead th').nth(rank).locator('button').click();
  const order = await page.locator(`table.index tbody tr > :nth-child(${rank + 1})`).evaluateAll((tds) => tds.map((td) => Number(td.dataset.sort)));
  assert.deepEqual(order, [...order].sort((a, b) => a - b), 'ranks ascend by schema order');
  const labels = await page.locator(`table.index tbody tr > :nth-child(${rank + 1})`).allInnerTexts();
  assert.equal(labels[0].trim(), 'international', 'the highest rank comes first');
  // Where a label stands alone (a legend entry, an infobox value) it starts with a capital,
  // though the schema writes it in lower case ("international", "under construction").
  await go(page, 'zones/dongxing-key-experimental-zone/');
  const alone = (await page.locator('.atlas-map .legend-label, .infobox .tag').allInnerTexts()).map((t) => t.trim());
  assert.ok(alone.length > 5, `legend entries and infobox values: ${alone}`);
  assert.ok(alone.some((t) => t === 'International'), `a lower-case enum label is capitalised: ${alone}`);
  for (const t of alone) assert.equal(t[0], t[0].toLocaleUpperCase('en'), `"${t}" starts with a capital`);
  for (const viewport of ['desktop', 'phone']) {
    const { context: c2, page: p2 } = await open(viewport);
    for (const rel of ['zones/', 'zones/dongxing-key-experimental-zone/', 'places/']) {
      if (!fs.existsSync(path.join(getSiteDir(), rel))) continue;
      await go(p2, rel);
      const over = await p2.evaluate(() =>
        [...document.querySelectorAll('.tag')]
          .filter((t) => t.getBoundingClientRect().width > 0)
          .filter((t) => {
            const box = t.closest('td, dd, th, li, p') || t.parentElement;
            return t.getBoundingClientRect().right > box.getBoundingClientRect().right + 1;
          })
          .map((t) => t.textContent),
      );
      assert.deepEqual(over, [], `${rel} on ${viewport}: tags overflow their cells`);
    }
    await c2.close();
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('a discrepancy lays its readings side by side, each cited, and says what the atlas publishes', async () => {
  const { context, page, problems } = await open('desktop');
  await go(page, 'discrepancies/hsr-opening-date/');
  const readings = page.locator('.reading');
  assert.ok((await readings.count()) >= 2, 'two readings or more');
  const tops = await readings.evaluateAll((rs) => rs.map((r) => Math.round(r.getBoundingClientRect().top)));
  assert.equal(new Set(tops).size, 1, `the readings sit side by side (tops ${tops})`);
  for (let i = 0; i < (await readings.count()); i += 1) {
    assert.ok((await readings.nth(i).locator('.reading-source a[href*="/sources/"]').count()) >= 1, `reading ${i + 1} cites its source`);
  }
  assert.ok((await page.locator('.reading.adopted').count()) >= 1, 'the reading the atlas follows is marked');
  assert.match(await page.locator('.published').innerText(), /27 December 2023/);
  // A record that names the discrepancy folds it into its caveat note.
  await go(page, 'gates/mong-cai-dongxing/');
  const note = page.locator('details.hatnote');
  assert.match(await note.locator('summary').innerText(), /sources disagree on 2 points/);
  assert.equal(await note.locator('li.caveat-discrepancy a[href$="/discrepancies/hsr-opening-date/"]').count(), 1);
  assert.match(await note.locator('li.caveat-approximate').textContent(), /marks the town, not the exact site/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'desktop-reader-hatnote.png') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the bibliography: the source documents first, groups, re-sortable', async () => {
  const { context, page, problems } = await open('desktop');
  await go(page, 'sources/');
  const groups = await page.locator('.bib-group-title').allInnerTexts();
  assert.ok(groups.length >= 3, `grouped: ${groups}`);
  assert.match(groups[0], /source document/i, 'the atlas\'s own documents come first');
  const first = await page.locator('ol.bibliography').first().locator('li').first().innerText();
  assert.match(first, /Chu/, 'the article leads the bibliography');
  await page.locator('[data-bib-sort] button[data-key="year"]').click();
  const years = await page.locator('ol.bibliography').nth(1).locator('li').evaluateAll((lis) => lis.map((l) => l.dataset.year).filter(Boolean).map(Number));
  assert.deepEqual(years, [...years].sort((a, b) => a - b), 'sorted by year within the group');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a page is citable and dated; the licence is stated', async () => {
  const { context, page, problems } = await open('desktop');
  await go(page, 'gates/mong-cai-dongxing/');
  const updated = await page.locator('.record-foot .updated time').getAttribute('datetime');
  assert.match(updated, /^\d{4}-\d{2}-\d{2}$/, 'the last change from git');
  await page.locator('.cite-this summary').click();
  const bib = await page.locator('.cite-bibtex').innerText();
  assert.match(bib, /^@misc\{gates-mong-cai-dongxing,/);
  assert.match(bib, /url\s+= \{https:\/\/example\.github\.io\/vn-cn-atlas\/gates\/mong-cai-dongxing\/\}/);
  assert.match(await page.locator('.cite-plain').innerText(), /“Móng Cái – Dongxing”\. Vietnam–China Border Infrastructure Atlas\. Last updated /);
  assert.equal(await page.locator('link[rel="license"]').getAttribute('href'), 'https://creativecommons.org/licenses/by/4.0/');
  assert.equal(await page.locator('.site-footer a[rel="license"]').innerText(), 'CC BY 4.0');
  const pkg = JSON.parse(fs.readFileSync(path.join(getSiteDir(), 'datapackage.json'), 'utf8'));
  assert.deepEqual(pkg.licenses, [{ name: 'CC-BY-4.0', path: 'https://creativecommons.org/licenses/by/4.0/', title: 'CC BY 4.0' }]);
  // Previous and next in the collection's order.
  assert.equal(await page.locator('.prev-next a[rel="prev"], .prev-next a[rel="next"]').count() >= 1, true);
  assert.deepEqual(problems, []);
  await context.close();
});

/**
 * Where the parts of each entry of the first compact timeline of the page lie: its date (when
 * shown), kind and title, and its year's label, as boxes.
 */
function compactEntries(page) {
  return page.evaluate(() => {
    const box = (el) => {
      if (!el || el.classList.contains('visually-hidden')) return null;
      const r = el.getClientRects()[0];
      return r && { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    return [...document.querySelectorAll('.timeline.compact .year')].flatMap((year) =>
      [...year.querySelectorAll('.entry')].map((e, i) => ({
        year: i === 0 ? box(year.querySelector('.year-label')) : null,
        entry: box(e),
        time: box(e.querySelector('time')),
        tag: box(e.querySelector('.tag')),
        title: box(e.querySelector('.entry-title')),
        lineHeight: parseFloat(getComputedStyle(e.querySelector('.entry-title')).lineHeight),
      })),
    );
  });
}

test("a record's long timeline is a list: date, kind and title on one line, titles lined up", async () => {
  // A record page whose timeline is long enough to be compact, found in the built site.
  const rel = listHtmlFiles(getSiteDir()).find(
    (f) => !/^(vi|zh)\//.test(f) && fs.readFileSync(path.join(getSiteDir(), f), 'utf8').includes('class="timeline compact"'),
  );
  assert.ok(rel, 'a page with a compact timeline');
  for (const lang of LANGS) {
    const url = lang + rel.replace(/index\.html$/, '');
    const desktop = await open('desktop');
    await go(desktop.page, url);
    const rows = await compactEntries(desktop.page);
    assert.ok(rows.length > 12, `${url}: ${rows.length} entries`);
    const sameLine = (a, b) => a.top < b.bottom && b.top < a.bottom;
    for (const r of rows) {
      if (r.time && r.tag) assert.ok(sameLine(r.time, r.tag) && r.tag.left > r.time.right, `${url}: date and kind side by side`);
      if (r.tag) assert.ok(sameLine(r.tag, r.title) && r.title.left > r.tag.right, `${url}: kind and title side by side`);
    }
    const lefts = new Set(rows.map((r) => Math.round(r.title.left)));
    assert.equal(lefts.size, 1, `${url}: the titles line up (${[...lefts]})`);
    const tall = rows.filter((r) => r.entry.bottom - r.entry.top > 2.5 * r.lineHeight);
    assert.ok(tall.length <= rows.length / 10, `${url}: ${tall.length} of ${rows.length} entries are over two lines high`);
    if (lang === 'vi/') await desktop.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'desktop-reader-compact-timeline-vi.png') });
    assert.deepEqual(desktop.problems, []);
    await desktop.context.close();
    // A phone runs each entry on as a line or two, its year beside it, not on a line of its own.
    const phone = await open('phone');
    await go(phone.page, url);
    const small = await compactEntries(phone.page);
    for (const r of small.filter((r) => r.year)) assert.ok(sameLine(r.year, r.time || r.tag || r.title), `${url}: the year beside its first entry`);
    const split = small.filter((r) => r.time && r.tag && !sameLine(r.time, r.tag));
    assert.ok(split.length <= small.length / 10, `${url} on a phone: ${split.length} of ${small.length} entries have their kind under their date`);
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  }
});

test('the 404 page searches for the address and suggests pages', async () => {
  const { context, page } = await open('phone');
  const resp = await page.goto(`${env.server.baseUrl}gates/mong-cai/`, { waitUntil: 'load' });
  assert.equal(resp.status(), 404);
  assert.equal(await page.locator('#not-found-q').inputValue(), 'mong cai', 'the address fills the search box');
  await page.locator('[data-suggest]:not([hidden]) a').first().waitFor({ timeout: 15000 });
  const suggested = await page.locator('[data-suggest] a').allInnerTexts();
  // What ranks first is search's business; the suggestions are pages about what the address names.
  assert.ok(suggested.length >= 1 && suggested.every((t) => /Móng Cái/.test(t)), `suggestions: ${suggested}`);
  const hrefs = await page.locator('[data-suggest] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.every((h) => h.startsWith('/vn-cn-atlas/') && !/\/(vi|zh)\//.test(h)), `suggestions stay in the language: ${hrefs}`);
  assert.equal(await page.locator('input[type="search"]').count(), 1, 'one search box');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'phone-reader-404.png') });
  await context.close();
});

/**
 * The suggestions of the 404 page at `url` once they show: their links and texts, the search
 * box's words and where its form goes, and the language the list is marked in.
 */
async function suggestions(page, url) {
  page.missing = (page.missing || new Set()).add(url);
  const resp = await page.goto(url, { waitUntil: 'load' });
  assert.equal(resp.status(), 404, `${url} answers 404`);
  await page.locator('[data-suggest]:not([hidden]) a').first().waitFor({ timeout: 15000 });
  return page.evaluate(() => ({
    pageLang: document.documentElement.lang,
    // Every string a reader sees but the suggestions (whose order is search's business).
    strings: {
      title: document.title,
      text: [...document.body.querySelectorAll('body > :not(main, script, template), main > :not([data-suggest])')].map((e) => e.innerText.trim()).join('\n'),
      label: document.querySelector('label[for="not-found-q"]').textContent,
      suggestionsHeading: document.querySelector('[data-suggest] h2').textContent,
    },
    query: document.getElementById('not-found-q').value,
    action: document.querySelector('form.search-box').getAttribute('action'),
    listLang: document.querySelector('[data-suggest] ul').getAttribute('lang'),
    hrefs: [...document.querySelectorAll('[data-suggest] a')].map((a) => a.getAttribute('href')),
    texts: [...document.querySelectorAll('[data-suggest] a')].map((a) => a.textContent),
  }));
}

/** The heading of the built page `file`'s own body (the root 404 page carries others' in its head). */
function heading(file) {
  const html = fs.readFileSync(file, 'utf8');
  return html.slice(html.indexOf('<body')).match(/<h1>([^<]+)<\/h1>/)[1];
}

/**
 * `problems` but the 404 answers of the missing addresses `suggestions` opened. Chromium's
 * console names no address for a failed load, so those lines go too: every failed request is
 * in `problems` by its address as well.
 */
function unexpected(page, problems) {
  return problems.filter(
    (p) => !/^console: Failed to load resource: .* 404/.test(p) && ![...(page.missing || [])].some((u) => p === `HTTP 404 ${u}`),
  );
}

test("the one 404 page suggests pages in the address's language", async () => {
  const { context, page, problems } = await open('desktop');
  // GitHub Pages answers every missing address with the root 404.html, an English page which
  // carries the other languages' and shows the address's: all of it in Chinese.
  const zh = await suggestions(page, `${env.server.baseUrl}zh/gates/mong-cai-typo/`);
  assert.equal(zh.pageLang, 'zh-Hans', "the root 404 page turns into the address's language");
  const zhHeading = heading(path.join(getSiteDir(), 'zh', '404.html'));
  assert.equal(await page.locator('h1').innerText(), zhHeading);
  assert.doesNotMatch(zh.strings.text, /Page not found|Search the atlas|Go to the home page|Skip to content/, 'no English left');
  assert.equal(zh.query, 'mong cai typo', 'the words after the language folder fill the box');
  assert.ok(zh.hrefs.every((h) => h.startsWith('/vn-cn-atlas/zh/')), `suggestions in Chinese: ${zh.hrefs}`);
  assert.equal(zh.listLang, null, "the suggestions are in the page's language");
  assert.equal(zh.action, '/vn-cn-atlas/zh/search/', "the search box searches the Chinese pages");
  const han = await suggestions(page, `${env.server.baseUrl}zh/gates/${encodeURIComponent('芒街')}/`);
  assert.ok(han.hrefs.every((h) => h.startsWith('/vn-cn-atlas/zh/')), `suggestions in Chinese: ${han.hrefs}`);
  assert.ok(han.texts.some((t) => t.includes('芒街')), `Chinese pages about 芒街: ${han.texts}`);
  const vi = await suggestions(page, `${env.server.baseUrl}vi/gates/mong-cai/`);
  assert.ok(vi.hrefs.every((h) => h.startsWith('/vn-cn-atlas/vi/')), `suggestions in Vietnamese: ${vi.hrefs}`);
  assert.ok(vi.texts.some((t) => /Móng Cái/.test(t)), `Vietnamese pages about Móng Cái: ${vi.texts}`);
  assert.equal(vi.pageLang, 'vi');
  assert.equal(vi.listLang, null);
  // A host that serves the nearest 404.html (zh/404.html for /zh/…) gives the Chinese page,
  // whose suggestions are Chinese too, with nothing marked as another language.
  const zhPage = fs.readFileSync(path.join(getSiteDir(), 'zh', '404.html'));
  await page.route('**/zh/gates/mong-cai-typo/', (route) => route.fulfill({ status: 404, contentType: 'text/html; charset=utf-8', body: zhPage }));
  const own = await suggestions(page, `${env.server.baseUrl}zh/gates/mong-cai-typo/`);
  assert.equal(own.pageLang, 'zh-Hans');
  assert.ok(own.hrefs.every((h) => h.startsWith('/vn-cn-atlas/zh/')), `suggestions in Chinese: ${own.hrefs}`);
  assert.equal(own.listLang, null);
  assert.deepEqual(zh.strings, own.strings, "the root 404 page reads as the language's own");
  // The English addresses keep the English page.
  const en = await suggestions(page, `${env.server.baseUrl}gates/mong-cai-typo/`);
  assert.equal(en.pageLang, 'en');
  assert.match(en.strings.text, /Page not found/);
  assert.deepEqual(unexpected(page, problems), []);
  await context.close();
});

test("the 404 page of an atlas in other languages suggests pages in the address's: the Alps fixture", async () => {
  const server = await startServer({ root: getFixtureSiteDir('alps'), prefix: '/alpen/' });
  const { context, page, problems } = await open('desktop');
  try {
    const fr = await suggestions(page, `${server.baseUrl}fr/paesse/gothard/`);
    assert.equal(fr.pageLang, 'fr', 'the root 404 page (German) turns French');
    assert.ok(fr.hrefs.every((h) => h.startsWith('/alpen/fr/')), `suggestions in French: ${fr.hrefs}`);
    assert.ok(fr.texts.some((t) => /Gothard/.test(t)), `French pages about the Gotthard: ${fr.texts}`);
    assert.equal(fr.listLang, null);
    assert.equal(fr.action, '/alpen/fr/search/');
    const frHeading = heading(path.join(getFixtureSiteDir('alps'), 'fr', '404.html'));
    assert.equal(await page.locator('h1').innerText(), frHeading);
    const frPage = fs.readFileSync(path.join(getFixtureSiteDir('alps'), 'fr', '404.html'));
    await page.route('**/fr/paesse/gothard/', (route) => route.fulfill({ status: 404, contentType: 'text/html; charset=utf-8', body: frPage }));
    const own = await suggestions(page, `${server.baseUrl}fr/paesse/gothard/`);
    await page.unroute('**/fr/paesse/gothard/');
    assert.deepEqual(fr.strings, own.strings, "the root 404 page reads as the French one");
    const de = await suggestions(page, `${server.baseUrl}paesse/gotthard/`);
    assert.ok(de.hrefs.every((h) => h.startsWith('/alpen/') && !h.startsWith('/alpen/fr/')), `suggestions in German: ${de.hrefs}`);
    assert.ok(de.texts.some((t) => /Gotthard/.test(t)), `German pages about the Gotthard: ${de.texts}`);
    assert.equal(de.listLang, null);
    assert.equal(de.pageLang, 'de');
    assert.notDeepEqual(de.strings, fr.strings);
    assert.deepEqual(unexpected(page, problems), []);
  } finally {
    await context.close();
    await server.close();
  }
});

test('without JavaScript the root 404 page stays in the default language', async () => {
  const context = await env.browser.newContext({ ...SIZES.desktop, javaScriptEnabled: false });
  const page = await context.newPage();
  const resp = await page.goto(`${env.server.baseUrl}zh/gates/mong-cai-typo/`, { waitUntil: 'load' });
  assert.equal(resp.status(), 404);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  const enHeading = heading(path.join(getSiteDir(), '404.html'));
  assert.equal(await page.locator('h1').innerText(), enHeading);
  await context.close();
});
