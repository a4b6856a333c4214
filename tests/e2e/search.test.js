'use strict';
// Full-text search as a reader uses it, in Chromium on desktop and phone: names first (a gate
// typed with or without its diacritics, in pinyin or in characters, is among the first three
// results, on every language's pages), clean excerpts, a type on every result, a collection
// filter without empty options, the query in the URL as it is typed (Back restores the
// previous one) and across the language switch, and a pointer to the language whose script
// the query is written in.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { openMonitoredPage } = require('./lib/browser');
const { useSiteInBrowser } = require('./lib/session');
const { SCREENSHOT_DIR } = require('./lib/config');

// Each query, where it is asked, and the result title that must be among the first three.
const QUERIES = [
  { q: 'Móng Cái', expect: 'Móng Cái – Dongxing' },
  { q: 'Mong Cai', expect: 'Móng Cái – Dongxing' },
  { q: 'Dongxing', expect: 'Móng Cái – Dongxing' },
  { q: 'huu nghi', expect: 'Hữu Nghị – Youyi Guan' },
  { q: 'Friendship Pass', expect: 'Hữu Nghị – Youyi Guan' },
  { q: '东兴', lang: 'zh/', expect: '芒街—东兴' },
  // A name in another language's script: the record's titles and names in the other
  // languages are searched on every language's pages (below the page's own names).
  { q: 'mong cai', lang: 'zh/', expect: '芒街—东兴' },
  { q: 'Dongxing', lang: 'zh/', expect: '芒街—东兴' },
  { q: 'Dongxing', lang: 'vi/', expect: 'Móng Cái – Đông Hưng' },
  { q: '1999', expect: 'Land Border Treaty signed in Hanoi' },
];

const env = useSiteInBrowser();

/** Waits for the results of the query in the box, and returns them as the reader sees them. */
async function results(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector('.search-status')?.textContent || '';
    return s && !/…$/.test(s.trim());
  }, null, { timeout: 15000 });
  return page.$$eval('.search-list li', (lis) =>
    lis.map((li) => ({
      title: li.querySelector('.search-head a').textContent.trim(),
      type: li.querySelector('.search-type')?.textContent.trim() || '',
      excerpt: li.querySelector('.search-excerpt')?.textContent || '',
    })),
  );
}

for (const viewport of ['desktop', 'phone']) {
  test(`search on ${viewport}: names first, clean results`, async () => {
    const { page, problems } = await openMonitoredPage(env.browser, viewport);
    for (const [i, { q, lang = '', expect }] of QUERIES.entries()) {
      await page.goto(`${env.server.baseUrl}${lang}search/?q=${encodeURIComponent(q)}`);
      const found = await results(page);
      const rank = found.findIndex((r) => r.title === expect) + 1;
      console.log(`# ${viewport}: "${q}" → "${expect}" at #${rank}`);
      assert.ok(rank >= 1 && rank <= 3, `"${q}" should find "${expect}" in the top 3, not ${JSON.stringify(found.map((r) => r.title))}`);
      for (const r of found) {
        assert.ok(r.type, `"${r.title}" shows what it is`);
        // The excerpt is the record's text: not its title again, nor the folded names indexed for it.
        assert.ok(!r.excerpt.includes(`${r.title} ${r.title}`), `excerpt of "${r.title}" repeats the title: ${r.excerpt}`);
        assert.doesNotMatch(r.excerpt, /mong cai dongxing|huu nghi youyi guan/, `excerpt of "${r.title}" shows index text`);
      }
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${viewport}-search-${i + 1}.png`) });
    }
    // One search box on the search page.
    assert.equal(await page.locator('input[type=search]:visible').count(), 1, 'one visible search box');
    // The collection filter lists only collections with results, and narrows them.
    await page.goto(`${env.server.baseUrl}search/?q=${encodeURIComponent('Mong Cai')}`);
    const all = await results(page);
    const counts = await page.$$eval('.search-filter button .count', (cs) => cs.map((c) => Number(c.textContent.replace(/\D/g, ''))));
    assert.ok(counts.length >= 3, `a filter with "All" and two collections: ${counts}`);
    assert.ok(counts.every((n) => n > 0), `no empty option: ${counts}`);
    assert.equal(counts[0], all.length >= 10 ? counts[0] : all.length, '"All" counts every result');
    await page.locator('.search-filter button').nth(1).click();
    await page.waitForSelector('.search-filter button:nth-child(2)[aria-pressed="true"]');
    await page.waitForFunction((n) => /\d/.test(document.querySelector('.search-status').textContent)
      && document.querySelector('.search-status').textContent.match(/\d+/)[0] === String(n), counts[1]);
    const narrowed = await results(page);
    assert.equal(narrowed.length, Math.min(counts[1], 10), 'the filter shows its collection only');
    assert.equal(new Set(narrowed.map((r) => r.type)).size, 1, 'results of one collection, of one type');
    assert.deepEqual(problems, []);
  });
}

test('the query lives in the URL: typed, Back, the language switch', async () => {
  const { page, problems } = await openMonitoredPage(env.browser, 'desktop');
  // From another page's header box to the search page.
  await page.goto(`${env.server.baseUrl}gates/`);
  await page.fill('#site-search-q', 'Dongxing');
  await Promise.all([page.waitForURL(/\/search\/\?q=Dongxing/), page.press('#site-search-q', 'Enter')]);
  assert.equal((await results(page))[0].title, 'Móng Cái – Dongxing');
  // Typing updates the URL; a pause makes the next query a new history entry.
  await page.fill('#search-q', '');
  await page.type('#search-q', 'Lao Cai', { delay: 40 });
  await page.waitForURL(/\?q=Lao\+Cai|\?q=Lao%20Cai/);
  const lao = await results(page);
  assert.match(lao[0].title, /Lào Cai/);
  // The language switch carries the query.
  const vi = await page.getAttribute('.site-header a[hreflang="vi"]', 'href');
  assert.match(vi, /\/vi\/search\/\?q=Lao(\+|%20)Cai$/);
  await page.waitForTimeout(1200);
  await page.goBack();
  await page.waitForURL(/\?q=Dongxing/);
  assert.equal(await page.inputValue('#search-q'), 'Dongxing');
  assert.equal((await results(page))[0].title, 'Móng Cái – Dongxing');
  // A query in Chinese characters on the English pages points to the Chinese index.
  await page.goto(`${env.server.baseUrl}search/?q=${encodeURIComponent('东兴')}`);
  await results(page);
  const pointer = page.locator('.search-elsewhere a');
  assert.equal(await pointer.count(), 1, 'one pointer, to the Chinese pages');
  assert.match(await pointer.getAttribute('href'), /\/zh\/search\/\?q=%E4%B8%9C%E5%85%B4$/);
  await Promise.all([page.waitForURL(/\/zh\/search\//), pointer.click()]);
  assert.ok((await results(page)).length > 2, 'the Chinese index has more');
  assert.deepEqual(problems, []);
});

// Names first in an atlas of another region and language: the Alps fixture, in German.
test('search in another atlas: "Gotthard" finds the pass and the base tunnel first', async () => {
  const fs = require('node:fs');
  const os = require('node:os');
  const { spawnSync } = require('node:child_process');
  const { startServer } = require('./lib/server');
  const { REPO_ROOT, ATLASGEN_BIN, BASE_URL } = require('./lib/config');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'atlasgen-alps-'));
  const site = path.join(out, 'site');
  const root = path.join(REPO_ROOT, 'tests', 'fixtures', 'alps');
  const res = spawnSync(ATLASGEN_BIN, ['build', '--root', root, '--output', site, '--base-url', BASE_URL], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(res.status, 0, res.stderr);
  const server = await startServer({ root: site });
  try {
    const { page, problems } = await openMonitoredPage(env.browser, 'desktop');
    await page.goto(`${server.baseUrl}search/?q=Gotthard`);
    const top = (await results(page)).slice(0, 3).map((r) => r.title);
    console.log(`# alps: "Gotthard" → ${JSON.stringify(top)}`);
    assert.ok(top.includes('Gotthardpass'), `the pass in the top 3: ${top}`);
    assert.ok(top.includes('Gotthard-Basistunnel'), `the base tunnel in the top 3: ${top}`);
    // The name as readers also write it, with the saint.
    await page.goto(`${server.baseUrl}search/?q=${encodeURIComponent('St. Gotthard')}`);
    const saint = (await results(page)).slice(0, 3).map((r) => r.title);
    console.log(`# alps: "St. Gotthard" → ${JSON.stringify(saint)}`);
    assert.ok(saint.includes('Gotthardpass') || saint.includes('Gotthard-Basistunnel'), `the pass or the base tunnel in the top 3: ${saint}`);
    // The German name on the French pages: the pass, whose French names are others.
    await page.goto(`${server.baseUrl}fr/search/?q=${encodeURIComponent('St. Gotthard')}`);
    const fr = (await results(page)).slice(0, 3).map((r) => r.title);
    console.log(`# alps: "St. Gotthard" on the French pages → ${JSON.stringify(fr)}`);
    assert.ok(fr.includes('Col du Saint-Gothard'), `the pass in the top 3: ${fr}`);
    assert.deepEqual(problems, []);
  } finally {
    await server.close();
    fs.rmSync(out, { recursive: true, force: true });
  }
});
