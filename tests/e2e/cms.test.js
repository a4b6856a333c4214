'use strict';
// The browser editor at /admin/: Sveltia CMS, served from the site, starts on the generated
// configuration and offers its sign-in (by access token, and with a local clone), on a desktop
// and on a phone, with no script error. Requests it makes to other hosts are its own (its UI
// fonts from jsDelivr, its update check on unpkg, GitHub's status page); the test lists them so
// a new one shows up, and the README says so.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { useSiteInBrowser } = require('./lib/session');
const { SCREENSHOT_DIR } = require('./lib/config');

const env = useSiteInBrowser();
const KNOWN_HOSTS = ['unpkg.com', 'cdn.jsdelivr.net', 'www.githubstatus.com'];

for (const [name, viewport] of [['desktop', { width: 1366, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
  test(`/admin/ starts the editor on the generated config (${name})`, async () => {
    const context = await env.browser.newContext({ viewport });
    const page = await context.newPage();
    const errors = [];
    const failed = [];
    const elsewhere = new Set();
    let config = null;
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', async (r) => {
      const url = new URL(r.url());
      if (url.origin === env.server.origin) {
        if (r.status() >= 400 && !url.pathname.endsWith('/favicon.ico')) failed.push(`${r.status()} ${url.pathname}`);
        if (url.pathname.endsWith('/admin/config.json')) config = await r.json();
      }
    });
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (/^https?:$/.test(url.protocol) && url.origin !== env.server.origin) elsewhere.add(url.hostname);
    });
    await page.goto(env.server.baseUrl + 'admin/', { waitUntil: 'load' });
    const signIn = page.getByRole('button', { name: /Sign In Using Access Token/i });
    await signIn.waitFor({ timeout: 30000 });
    assert.ok(await signIn.isVisible(), 'the token sign-in is offered');
    assert.ok(config, 'the editor read admin/config.json');
    assert.equal(config.backend.name, 'github');
    assert.ok(config.collections.some((c) => c.name === 'gates'), 'the gates are editable');
    assert.match(await page.title(), /Vietnam–China/);
    const box = await signIn.boundingBox();
    assert.ok(box.width >= 24 && box.height >= 24 && box.x >= 0 && box.x + box.width <= viewport.width, `the sign-in button fits and can be tapped: ${JSON.stringify(box)}`);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-admin.png`) });
    assert.deepEqual(errors, [], 'no script error');
    assert.deepEqual(failed, [], 'every file of the editor is served');
    const unknown = [...elsewhere].filter((h) => !KNOWN_HOSTS.includes(h));
    assert.deepEqual(unknown, [], 'no other host is asked for anything');
    await context.close();
  });
}
