'use strict';
// The trilingual atlas as a reader uses it, in Chromium on desktop and phone: the language
// switcher keeps the reader on the same gate page while the interface, the dates and the
// narrative change language; an untranslated record says so; and search works in each
// language, answering from that language's index with links that stay in the language.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { openMonitoredPage } = require('./lib/browser');
const { useSiteInBrowser } = require('./lib/session');
const { SCREENSHOT_DIR } = require('./lib/config');

const env = useSiteInBrowser();

// What the Móng Cái – Dongxing page must show in each language.
const GATE = [
  { code: 'en', prefix: '', switchTo: 'English', h1: 'Móng Cái – Dongxing', date: '11 March 2025', words: ['Crossings', 'Sources'] },
  { code: 'vi', prefix: 'vi/', switchTo: 'Tiếng Việt', h1: 'Móng Cái – Đông Hưng', date: '11 tháng 3 năm 2025', words: ['Các điểm qua lại', 'Nguồn'] },
  { code: 'zh-Hans', prefix: 'zh/', switchTo: '中文', h1: '芒街—东兴', date: '2025年3月11日', words: ['通关点', '来源'] },
];

// A query per language and a result it must produce; the result's link stays in the language.
const SEARCHES = [
  { prefix: '', q: 'Mong Cai', expect: 'Móng Cái – Dongxing' },
  { prefix: 'vi/', q: 'Đông Hưng', expect: 'Móng Cái – Đông Hưng' },
  { prefix: 'zh/', q: '东兴', expect: '芒街—东兴' },
];

async function results(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector('.search-status')?.textContent.trim() || '';
    return s && !/…$/.test(s);
  }, null, { timeout: 15000 });
  return page.$$eval('.search-list .search-head a', (els) => els.map((e) => ({ title: e.textContent.trim(), href: e.getAttribute('href') })));
}

for (const viewport of ['desktop', 'phone']) {
  test(`switching languages on a gate page on ${viewport}`, async () => {
    const { page, problems } = await openMonitoredPage(env.browser, viewport);
    await page.goto(`${env.server.baseUrl}gates/mong-cai-dongxing/`);
    // Visit the languages in turn through the switcher, and come back to English.
    for (const lang of [...GATE.slice(1), GATE[0]]) {
      // On a phone the languages are in the menu.
      const menu = page.locator('.menu-toggle');
      if (await menu.isVisible()) await menu.click();
      await Promise.all([
        page.waitForURL(new RegExp(`/vn-cn-atlas/${lang.prefix}gates/mong-cai-dongxing/$`)),
        page.click(`nav.languages a[hreflang="${lang.code}"]`),
      ]);
      assert.equal(await page.getAttribute('html', 'lang'), lang.code);
      assert.equal((await page.textContent('h1')).trim(), lang.h1);
      const text = await page.textContent('main');
      assert.ok(text.includes(lang.date), `${lang.code}: the 2025 MoU's date reads "${lang.date}"`);
      for (const w of lang.words) assert.ok(text.includes(w), `${lang.code}: "${w}" is on the page`);
      assert.ok(!text.includes('has not been translated'), `${lang.code}: this gate is translated`);
      // The current language is marked in the switcher.
      assert.equal(await page.getAttribute(`nav.languages a[hreflang="${lang.code}"]`, 'aria-current'), 'true');
      // Navigation stays in the language.
      const nav = await page.$$eval('nav[aria-label] a', (as) => as.map((a) => a.getAttribute('href')));
      assert.ok(nav.some((h) => h === `/vn-cn-atlas/${lang.prefix}gates/`), `${lang.code}: the gates link stays in the language`);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${viewport}-language-${lang.code}.png`), fullPage: false });
    }
    // Every record of the shipped atlas is translated now: the fallback to the default language
    // (and its notice) is held by tests/it/languages.rs on the multilingual fixture.
    assert.deepEqual(problems, []);
  });

  test(`searching in each language on ${viewport}`, async () => {
    const { page, problems } = await openMonitoredPage(env.browser, viewport);
    for (const [i, { prefix, q, expect }] of SEARCHES.entries()) {
      await page.goto(`${env.server.baseUrl}${prefix}`);
      await page.fill('#site-search-q', q);
      await Promise.all([page.waitForURL(/\/search\/\?q=/), page.press('#site-search-q', 'Enter')]);
      assert.ok(page.url().includes(`/vn-cn-atlas/${prefix}search/`), `the search page is in the language: ${page.url()}`);
      const found = await results(page);
      const hit = found.find((r) => r.title === expect);
      assert.ok(hit, `"${q}" should find "${expect}" among ${JSON.stringify(found.map((r) => r.title))}`);
      assert.equal(hit.href, `/vn-cn-atlas/${prefix}gates/mong-cai-dongxing/`);
      // Results stay in the language: under its prefix, and (for English) under no other.
      const inLanguage = (href) => href.startsWith(`/vn-cn-atlas/${prefix}`) && (prefix !== '' || !/^\/vn-cn-atlas\/(vi|zh)\//.test(href));
      assert.ok(found.every((r) => inLanguage(r.href)), `results stay in the language: ${JSON.stringify(found)}`);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${viewport}-language-search-${i + 1}.png`) });
    }
    assert.deepEqual(problems, []);
  });
}
