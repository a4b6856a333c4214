'use strict';
// The maps as a reader uses them, in Chromium on desktop and phone: zooming with the wheel, a
// pinch and the keyboard moves the markers and keeps their size; no two labels overlap and no
// label covers a marker at the default view; tap targets are at least 24 px on the phone; every
// gate of the gates index is on the gates map; a popup names the marker under the pointer, in
// focus or tapped; without JavaScript the map still shows and links every marker; and an atlas
// of another region (the Alps fixture) draws its own base map.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { openMonitoredPage } = require('./lib/browser');
const { useSiteInBrowser } = require('./lib/session');
const { startServer } = require('./lib/server');
const { SCREENSHOT_DIR, REPO_ROOT, ATLASGEN_BIN, BASE_URL } = require('./lib/config');

const env = useSiteInBrowser();

/** Boxes of the map's visible labels and markers, in CSS pixels. */
async function layout(page) {
  return page.$$eval('figure.atlas-map svg.map', (svgs) => {
    const svg = svgs[0];
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
    };
    const shown = (el) => {
      for (let e = el; e && e !== svg; e = e.parentElement) if (getComputedStyle(e).display === 'none') return false;
      return true;
    };
    const labels = [...svg.querySelectorAll('.labels text')].filter(shown).map((t) => ({ text: t.textContent, ...box(t) }));
    const markers = [...svg.querySelectorAll('a.marker-link')].map((a) => ({
      href: a.getAttribute('href'),
      sym: box(a.querySelector('.sym')),
      hit: box(a.querySelector('.hit')),
    }));
    return { labels, markers, svg: box(svg) };
  });
}

const overlaps = (a, b, slack = 0.5) => a.x0 < b.x1 - slack && b.x0 < a.x1 - slack && a.y0 < b.y1 - slack && b.y0 < a.y1 - slack;
const centre = (b) => ({ x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 });

/** The zoom the script applied to the map (1 when not zoomed). */
const zoomOf = (page) =>
  page.$eval('figure.atlas-map svg.map .map-view', (g) => {
    const m = /scale\(([\d.]+)\)/.exec(g.style.transform || '');
    return m ? parseFloat(m[1]) : 1;
  });

async function ready(page, url) {
  await page.goto(url);
  await page.locator('figure.atlas-map .map-tools').first().waitFor();
  await page.waitForTimeout(150);
}

const PAGES = ['', 'gates/', 'gates/huu-nghi-youyiguan/', 'gates/lao-cai-hekou-rail/', 'zones/', 'corridors/', 'zh/', 'vi/gates/mong-cai-dongxing/', 'zh/gates/lao-cai-hekou-road/'];
// The rivers the base map names (data/basemap.names.yaml), in the page's language, measured with
// the other labels on the pages of the gates they run by.
const RIVERS = { 'gates/lao-cai-hekou-rail/': 'Red River', 'vi/gates/mong-cai-dongxing/': 'Sông Ka Long', 'zh/gates/lao-cai-hekou-road/': '红河' };

for (const viewport of ['desktop', 'phone']) {
  test(`labels never overlap each other or a marker at the default view (${viewport})`, async () => {
    const { page, problems } = await openMonitoredPage(env.browser, viewport);
    for (const p of PAGES) {
      await ready(page, env.server.baseUrl + p);
      const { labels, markers } = await layout(page);
      assert.ok(labels.length >= 3, `${p}: the map names places (${labels.length} labels)`);
      if (RIVERS[p]) assert.ok(labels.some((l) => l.text === RIVERS[p]), `${p}: the map names the ${RIVERS[p]}`);
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) {
          assert.ok(!overlaps(labels[i], labels[j]), `${p}: "${labels[i].text}" overlaps "${labels[j].text}"`);
        }
        for (const m of markers) {
          assert.ok(!overlaps(labels[i], m.sym), `${p}: "${labels[i].text}" covers the marker of ${m.href}`);
        }
      }
    }
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${viewport}-map-labels.png`) });
    assert.deepEqual(problems, []);
  });
}

test('every gate of the gates index is on the gates map, and the phone gets 24 px tap targets that stand apart', async () => {
  const { page, problems } = await openMonitoredPage(env.browser, 'phone');
  await ready(page, `${env.server.baseUrl}gates/`);
  const listed = await page.$$eval('table tbody tr > :first-child a', (as) => as.map((a) => a.getAttribute('href')));
  const { markers } = await layout(page);
  const onMap = new Set(markers.map((m) => m.href));
  // A gate that cannot be placed must be named under the map, with its reason.
  const unplaced = new Set(await page.$$eval('figure.atlas-map ~ .map-unplaced li a, .map-unplaced li a', (as) => as.map((a) => a.getAttribute('href'))));
  assert.ok(listed.length >= 16, `the index lists the gates (${listed.length})`);
  for (const href of listed) assert.ok(onMap.has(href) || unplaced.has(href), `${href} is on the map or listed as not on it`);
  assert.ok(onMap.size >= listed.length - unplaced.size, `${onMap.size} markers for ${listed.length} gates, ${unplaced.size} not on the map`);
  for (const m of markers) {
    const w = m.hit.x1 - m.hit.x0;
    const h = m.hit.y1 - m.hit.y0;
    assert.ok(w >= 24 && h >= 24, `the tap target of ${m.href} is ${w.toFixed(1)} × ${h.toFixed(1)} px`);
  }
  for (let i = 0; i < markers.length; i++) {
    for (let j = i + 1; j < markers.length; j++) {
      const [a, b] = [centre(markers[i].hit), centre(markers[j].hit)];
      assert.ok(Math.hypot(a.x - b.x, a.y - b.y) >= 24, `${markers[i].href} and ${markers[j].href} are apart`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the wheel zooms where it points; markers move and keep their size (desktop)', async () => {
  const { page, problems } = await openMonitoredPage(env.browser, 'desktop');
  await ready(page, `${env.server.baseUrl}gates/`);
  const before = await layout(page);
  const target = before.markers.find((m) => m.href.endsWith('/gates/ta-lung-shuikou/'));
  const c = centre(target.sym);
  await page.mouse.move(c.x, c.y);
  for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -200);
  await page.waitForTimeout(300);
  assert.ok((await zoomOf(page)) > 1.5, 'the map zoomed in');
  const after = await layout(page);
  const size = (b) => b.x1 - b.x0;
  for (const m of after.markers) {
    const was = before.markers.find((x) => x.href === m.href);
    assert.ok(Math.abs(size(m.sym) - size(was.sym)) < 1.5, `${m.href} keeps its size (${size(was.sym)} → ${size(m.sym)})`);
  }
  const far = after.markers.find((m) => m.href.endsWith('/gates/mong-cai-dongxing/'));
  const farBefore = before.markers.find((m) => m.href.endsWith('/gates/mong-cai-dongxing/'));
  assert.ok(Math.abs(centre(far.sym).x - centre(farBefore.sym).x) > 50, 'other markers move away from the zoom point');
  const still = after.markers.find((m) => m.href === target.href);
  assert.ok(Math.hypot(centre(still.sym).x - c.x, centre(still.sym).y - c.y) < 30, 'the marker under the pointer stays under it');
  // Zoomed out all the way, the wheel scrolls the page again.
  await page.locator('.map-tools button').nth(2).click();
  await page.waitForTimeout(200);
  assert.equal(await zoomOf(page), 1);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'desktop-map-wheel.png') });
  assert.deepEqual(problems, []);
});

test('the keyboard zooms (+, −), moves (arrows) and resets (0)', async () => {
  const { page, problems } = await openMonitoredPage(env.browser, 'desktop');
  await ready(page, `${env.server.baseUrl}gates/`);
  const before = await layout(page);
  await page.locator('.map-frame').first().focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await page.waitForTimeout(300);
  const zoomed = await zoomOf(page);
  assert.ok(zoomed > 2, `+ zooms in (${zoomed})`);
  const mid = await layout(page);
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(300);
  const moved = await layout(page);
  const dx = centre(moved.markers[0].sym).x - centre(mid.markers[0].sym).x;
  assert.ok(dx < -20, `the right arrow moves the map (${dx} px)`);
  assert.ok(Math.abs((moved.markers[0].sym.x1 - moved.markers[0].sym.x0) - (before.markers[0].sym.x1 - before.markers[0].sym.x0)) < 1.5, 'markers keep their size');
  await page.keyboard.press('-');
  await page.waitForTimeout(300);
  assert.ok((await zoomOf(page)) < zoomed, '− zooms out');
  await page.keyboard.press('0');
  await page.waitForTimeout(300);
  assert.equal(await zoomOf(page), 1, '0 shows the whole map');
  assert.deepEqual(problems, []);
});

test('a pinch zooms the map on the phone; markers move and keep their size', async () => {
  const { page, problems } = await openMonitoredPage(env.browser, 'phone');
  await ready(page, `${env.server.baseUrl}gates/`);
  await page.locator('figure.atlas-map').first().scrollIntoViewIfNeeded();
  const before = await layout(page);
  const frame = await page.locator('.map-frame').first().boundingBox();
  const cx = frame.x + frame.width * 0.7;
  const cy = frame.y + frame.height * 0.55;
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, d) =>
    cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: type === 'touchEnd' ? [] : [{ x: cx - d, y: cy, id: 1 }, { x: cx + d, y: cy, id: 2 }],
    });
  await touch('touchStart', 15);
  for (let d = 20; d <= 120; d += 10) await touch('touchMove', d);
  await touch('touchEnd', 0);
  await page.waitForTimeout(400);
  const z = await zoomOf(page);
  assert.ok(z > 1.5, `the pinch zoomed in (${z})`);
  const after = await layout(page);
  for (const m of after.markers) {
    const was = before.markers.find((x) => x.href === m.href);
    assert.ok(Math.abs((m.hit.x1 - m.hit.x0) - (was.hit.x1 - was.hit.x0)) < 1.5, `${m.href} keeps its size`);
  }
  const moved = after.markers.filter((m) => {
    const was = before.markers.find((x) => x.href === m.href);
    return Math.hypot(centre(m.sym).x - centre(was.sym).x, centre(m.sym).y - centre(was.sym).y) > 10;
  });
  assert.ok(moved.length > after.markers.length / 2, 'the markers moved apart');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'phone-map-pinch.png') });
  assert.deepEqual(problems, []);
});

test('a popup names a marker on hover and on keyboard focus (desktop), with a link to its page', async () => {
  const { page, problems } = await openMonitoredPage(env.browser, 'desktop');
  await ready(page, `${env.server.baseUrl}gates/`);
  const tip = page.locator('.map-tip').first();
  const marker = page.locator('a.marker-link[href$="/gates/huu-nghi-youyiguan/"]').first();
  await marker.hover();
  await tip.waitFor({ state: 'visible' });
  assert.match(await tip.textContent(), /Hữu Nghị – Youyi Guan/);
  assert.match(await tip.textContent(), /international/, 'the popup gives the rank');
  assert.match(await tip.locator('a').getAttribute('href'), /\/gates\/huu-nghi-youyiguan\/$/);
  await page.mouse.move(5, 5);
  await page.waitForTimeout(400);
  assert.equal(await tip.isVisible(), false, 'it goes when the pointer leaves');
  // From the keyboard: Tab into the map reaches a marker, which shows its popup.
  await page.locator('a.marker-link[href$="/gates/mong-cai-dongxing/"]').first().focus();
  await tip.waitFor({ state: 'visible' });
  assert.match(await tip.textContent(), /Móng Cái – Dongxing/);
  assert.match(await tip.textContent(), /approximate/, 'an approximate position is said so');
  await page.keyboard.press('Escape');
  assert.equal(await tip.isVisible(), false);
  assert.deepEqual(problems, []);
});

test('on the phone, a tap shows the popup and its link reaches the gate page', async () => {
  const { page, problems } = await openMonitoredPage(env.browser, 'phone');
  await ready(page, `${env.server.baseUrl}gates/`);
  const url = page.url();
  const marker = page.locator('a.marker-link[href$="/gates/ta-lung-shuikou/"] .hit').first();
  await marker.tap();
  const tip = page.locator('.map-tip').first();
  await tip.waitFor({ state: 'visible' });
  assert.equal(page.url(), url, 'the first tap opens the popup, not the page');
  assert.match(await tip.textContent(), /Tà Lùng/);
  await Promise.all([page.waitForURL(/\/gates\/ta-lung-shuikou\/$/), tip.locator('a').tap()]);
  assert.match(await page.textContent('h1'), /Tà Lùng/);
  assert.deepEqual(problems, []);
});

test('without JavaScript the map shows and links every marker, laid out as drawn', async () => {
  for (const viewport of ['desktop', 'phone']) {
    const context = await env.browser.newContext({
      javaScriptEnabled: false,
      viewport: viewport === 'phone' ? { width: 390, height: 844 } : { width: 1280, height: 800 },
      isMobile: viewport === 'phone',
    });
    const page = await context.newPage();
    await page.goto(`${env.server.baseUrl}gates/`);
    assert.equal(await page.locator('.map-tools').count(), 0, 'no controls without the script');
    const listed = await page.$$eval('table tbody tr > :first-child a', (as) => as.map((a) => a.getAttribute('href')));
    const { labels, markers } = await layout(page);
    for (const href of listed) {
      const m = markers.find((x) => x.href === href);
      assert.ok(m, `${href} is on the map`);
      assert.ok(m.sym.x1 - m.sym.x0 > 3, `${href} is drawn (${viewport})`);
    }
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        assert.ok(!overlaps(labels[i], labels[j]), `"${labels[i].text}" overlaps "${labels[j].text}" (${viewport}, no script)`);
      }
    }
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${viewport}-map-no-script.png`) });
    await context.close();
  }
});

test('an atlas of another region draws its own base map: the Alps fixture', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'atlasgen-alps-'));
  try {
    const site = path.join(out, 'site');
    const res = spawnSync(ATLASGEN_BIN, ['build', '--root', path.join(REPO_ROOT, 'tests/fixtures/alps'), '--output', site, '--base-url', BASE_URL], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    const server = await startServer({ root: site });
    try {
      const { page, problems } = await openMonitoredPage(env.browser, 'desktop');
      await page.goto(server.baseUrl);
      const svg = page.locator('figure.atlas-map svg.map').first();
      await svg.waitFor();
      for (const cls of ['country-ch', 'country-it', 'country-at', 'lake', 'river', 'admin1-line']) {
        assert.ok((await svg.locator(`path.${cls}`).count()) > 0, `the Alps map draws ${cls}`);
      }
      // Country names in the page's language, each inside its own country, none cut off.
      const names = await page.$$eval('svg.map .labels text.country-name', (ts) =>
        ts.filter((t) => t.getBoundingClientRect().width > 0).map((t) => t.textContent));
      assert.ok(names.includes('Schweiz'), `German names: ${names}`);
      const { labels, svg: frame } = await layout(page);
      for (const l of labels) {
        assert.ok(l.x0 >= frame.x0 - 0.5 && l.x1 <= frame.x1 + 0.5 && l.y0 >= frame.y0 - 0.5 && l.y1 <= frame.y1 + 0.5, `"${l.text}" is not cut off`);
      }
      const inside = await page.$eval('svg.map', (svg) => {
        const t = [...svg.querySelectorAll('.labels text.country-name')].find((x) => x.textContent === 'Schweiz' && x.getBoundingClientRect().width > 0);
        const r = t.getBoundingClientRect();
        // The label's centre, in each Swiss outline's own coordinates, lies in its fill.
        return [...svg.querySelectorAll('path.country-ch')].some((path) => {
          const p = svg.createSVGPoint();
          p.x = r.left + r.width / 2;
          p.y = r.top + r.height / 2;
          return path.isPointInFill(p.matrixTransform(path.getScreenCTM().inverse()));
        });
      });
      assert.ok(inside, 'Schweiz is written inside Switzerland');
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'desktop-map-alps.png') });
      await page.goto(`${server.baseUrl}fr/`);
      const fr = await page.$$eval('svg.map .labels text.country-name', (ts) => ts.map((t) => t.textContent));
      assert.ok(fr.includes('Suisse'), `French names on French pages: ${fr}`);
      assert.deepEqual(problems, []);
    } finally {
      await server.close();
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
