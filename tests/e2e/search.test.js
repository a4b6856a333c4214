'use strict';
// Full-text search as a reader uses it, in Chromium on desktop and phone: the queries the atlas
// must answer in its languages (no diacritics, Chinese characters, a year), typed into the search
// box of a page header and read from Pagefind's results, which are served from the site itself.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { openMonitoredPage } = require('./lib/browser');
const { useSiteInBrowser } = require('./lib/session');
const { SCREENSHOT_DIR } = require('./lib/config');

// Each query, and a result title it must produce among the first results shown.
const QUERIES = [
  { q: 'Mong Cai', expect: 'Móng Cái – Dongxing' },
  { q: 'huu nghi', expect: 'Hữu Nghị – Youyi Guan' },
  { q: '东兴', expect: 'Dongxing' },
  { q: '1999', expect: 'Land Border Treaty signed in Hanoi' },
];

const env = useSiteInBrowser();

/** Result titles shown for the current query (Pagefind shows the first five, then "Load more"). */
async function results(page) {
  await page.waitForSelector('.pagefind-ui__message', { timeout: 15000 });
  await page.waitForFunction(() => !/searching/i.test(document.querySelector('.pagefind-ui__message')?.textContent || ''));
  await page.waitForTimeout(300);
  return page.$$eval('.pagefind-ui__result-link', (els) => els.map((e) => e.textContent.trim()));
}

for (const viewport of ['desktop', 'phone']) {
  test(`search on ${viewport}`, async () => {
    const { page, problems } = await openMonitoredPage(env.browser, viewport);
    for (const [i, { q, expect }] of QUERIES.entries()) {
      // Start from a record page and use the header's search box, as a reader would.
      await page.goto(`${env.server.baseUrl}gates/`);
      await page.fill('#site-search-q', q);
      await Promise.all([page.waitForURL(/\/search\/\?q=/), page.press('#site-search-q', 'Enter')]);
      const titles = await results(page);
      assert.ok(titles.includes(expect), `"${q}" should find "${expect}" among ${JSON.stringify(titles)}`);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${viewport}-search-${i + 1}.png`) });
      // Following the result lands on its page.
      if (i === 0) {
        await Promise.all([page.waitForURL(/\/gates\/mong-cai-dongxing\//), page.click(`.pagefind-ui__result-link:text-is("${expect}")`)]);
        assert.equal((await page.textContent('h1')).trim(), expect);
      }
    }
    // A filter by collection is offered and narrows the results.
    await page.goto(`${env.server.baseUrl}search/?q=${encodeURIComponent('Mong Cai')}`);
    await results(page);
    const filters = await page.$$eval('.pagefind-ui__filter-name', (els) => els.map((e) => e.textContent.trim()));
    assert.ok(filters.some((f) => /collection/i.test(f)), `a collection filter: ${JSON.stringify(filters)}`);
    assert.deepEqual(problems, []);
  });
}
