'use strict';
// `atlasgen serve` as an editor uses it: a copy of the small fixture atlas served on loopback,
// a broken save shown as an overlay in the open page (and fixed again), wrk load for 10 seconds
// with zero errors, and requests that try to climb out of the served folder.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { spawn, execFileSync } = require('node:child_process');
const { REPO_ROOT, ATLASGEN_BIN, SCREENSHOT_DIR } = require('./lib/config');
const { launchBrowser, openMonitoredPage } = require('./lib/browser');

const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'small');

/** Starts `atlasgen serve` on a free port over a fresh copy of the fixture. */
async function startServe() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlasgen-serve-'));
  fs.cpSync(FIXTURE, root, { recursive: true });
  const child = spawn(ATLASGEN_BIN, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 30 s:\n${log}`)), 30000);
    child.stderr.on('data', (d) => {
      log += d;
      const m = /serving .* on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${log}`)));
  });
  return { root, url, child, log: () => log };
}

/** A raw GET with the path sent exactly as given (no normalisation by the client). */
function rawGet(url, rawPath, headers = {}) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('atlasgen serve', async (t) => {
  const server = await startServe();
  t.after(() => {
    server.child.kill('SIGINT');
    fs.rmSync(server.root, { recursive: true, force: true });
  });

  await t.test('serves the atlas from memory and never writes site/', async () => {
    const home = await rawGet(server.url, '/');
    assert.equal(home.status, 200);
    assert.match(home.body, /<h1 class="brand">Small Atlas<\/h1>/);
    assert.match(home.body, /__atlasgen\/live\.js/, 'pages get the live-reload script');
    assert.equal(fs.existsSync(path.join(server.root, 'site')), false, 'serve wrote a site/ folder');
  });

  await t.test('a broken save shows the problems over the page; the next good save clears them', async () => {
    const browser = await launchBrowser();
    try {
      const { page, problems } = await openMonitoredPage(browser, 'desktop');
      await page.goto(`${server.url}towns/dongxing/`);
      await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Dongxing');
      const file = path.join(server.root, 'content', 'towns', 'dongxing.md');
      const good = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, good.replace('kind: city', 'kind: village'));
      const overlay = page.locator('#atlasgen-errors');
      await overlay.waitFor({ state: 'visible', timeout: 15000 });
      const text = await overlay.textContent();
      assert.match(text, /content\/towns\/dongxing\.md:4:7/, 'the overlay names file, line and column');
      assert.match(text, /`village` is not an allowed value of `kind`/);
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'serve-01-error-overlay.png') });
      // The last good build is still what the server answers.
      const still = await rawGet(server.url, '/towns/dongxing/');
      assert.equal(still.status, 200);
      assert.match(still.body, /Dongxing/);

      const reloaded = page.waitForEvent('load', { timeout: 15000 });
      fs.writeFileSync(file, good.replace('The Chinese city across the river.', 'The Chinese city across the Ka Long river.'));
      await reloaded;
      await page.waitForFunction(() => document.body.textContent.includes('across the Ka Long river'), null, { timeout: 15000 });
      assert.equal(await page.locator('#atlasgen-errors').count(), 0, 'the overlay is gone after a good save');
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'serve-02-after-fix.png') });
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
    assert.match(server.log(), /content\/towns\/dongxing\.md:4:7/, 'the terminal shows the same problem');
  });

  await t.test('a record edit renders again the record and the pages that list or link it', async () => {
    const file = path.join(server.root, 'content', 'towns', 'mong-cai.md');
    const good = fs.readFileSync(file, 'utf8');
    const before = server.log().length;
    fs.writeFileSync(file, good.replace('name: Móng Cái', 'name: Móng Cái City'));
    const deadline = Date.now() + 15000;
    while (!/rebuilt the pages it touched in \d+ ms/.test(server.log().slice(before)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(server.log().slice(before), /rebuilt the pages it touched in \d+ ms/, 'a partial rebuild');
    for (const p of ['/towns/mong-cai/', '/towns/', '/roads/coastal-road/']) {
      const res = await rawGet(server.url, p);
      assert.match(res.body, /Móng Cái City/, `${p} shows the new name`);
    }
    fs.writeFileSync(file, good);
  });

  /** Waits until `check` holds for the log written after `before`, or 15 s. */
  async function logged(before, pattern) {
    const deadline = Date.now() + 15000;
    while (!pattern.test(server.log().slice(before)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(server.log().slice(before), pattern);
  }

  /** Polls `p` until its body matches `pattern` (or 15 s). */
  async function served(p, pattern, status = 200) {
    const deadline = Date.now() + 15000;
    let res;
    do {
      res = await rawGet(server.url, p);
      if (res.status === status && pattern.test(res.body)) return res;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    assert.fail(`${p}: status ${res.status}, ${res.body.slice(0, 200)}`);
  }

  await t.test('atlas.yaml saved by renaming a new file over it, twice: both saves are seen', async () => {
    const config = path.join(server.root, 'atlas.yaml');
    const good = fs.readFileSync(config, 'utf8');
    for (const title of ['Renamed Atlas One', 'Renamed Atlas Two']) {
      fs.writeFileSync(`${config}.tmp`, good.replace('title: Small Atlas', `title: ${title}`));
      fs.renameSync(`${config}.tmp`, config);
      await served('/', new RegExp(`<title>${title}</title>`));
    }
    fs.writeFileSync(`${config}.tmp`, good);
    fs.renameSync(`${config}.tmp`, config);
    await served('/', /<title>Small Atlas<\/title>/);
  });

  await t.test('static files added and removed, in a static/ folder made after the start', async () => {
    const dir = path.join(server.root, 'static');
    assert.equal(fs.existsSync(dir), false, 'the fixture starts without static/');
    fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'images', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await served('/images/logo.svg', /<svg/);
    fs.rmSync(path.join(dir, 'images', 'logo.svg'));
    await served('/images/logo.svg', /./, 404);
    // A static file with the path of a generated one is an error, as in a build.
    const before = server.log().length;
    fs.writeFileSync(path.join(dir, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
    await logged(before, /has the path of a file atlasgen writes \(\/robots\.txt\)\n\s+--> static\/robots\.txt/);
    fs.rmSync(path.join(dir, 'robots.txt'));
    await logged(before, /rebuilt/);
  });

  await t.test('answers only for this machine\'s names (DNS rebinding)', async () => {
    const { port } = new URL(server.url);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      assert.equal((await rawGet(server.url, '/', { Host: host })).status, 200, host);
    }
    for (const host of [`evil.example:${port}`, `localhost.evil.example:${port}`]) {
      const res = await rawGet(server.url, '/', { Host: host });
      assert.equal(res.status, 403, host);
      assert.doesNotMatch(res.body, /Small Atlas/);
    }
  });

  await t.test('paths never leave the served folder', async () => {
    const attempts = [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      '/towns/..%2f..%2f..%2fetc/passwd',
      '//etc/passwd',
      '/..\\..\\etc\\passwd',
      `/${'a/'.repeat(3000)}x`,
      `/${'%2e%2e/'.repeat(500)}etc/passwd`,
    ];
    for (const p of attempts) {
      const res = await rawGet(server.url, p);
      assert.ok([400, 404].includes(res.status), `${p.slice(0, 60)}: status ${res.status}`);
      assert.doesNotMatch(res.body, /root:.*:0:0:/, `${p.slice(0, 60)} leaked /etc/passwd`);
    }
  });

  await t.test('wrk for 10 seconds: no socket errors, no error responses', () => {
    const out = execFileSync('wrk', ['-t2', '-c32', '-d10s', '--latency', `${server.url}towns/mong-cai/`], { encoding: 'utf8' });
    t.diagnostic(out.split('\n').filter((l) => /Requests\/sec|Latency|requests in/.test(l)).join(' | '));
    assert.doesNotMatch(out, /Socket errors/, out);
    assert.doesNotMatch(out, /Non-2xx or 3xx responses/, out);
    const total = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
    assert.ok(total > 1000, `only ${total} requests in 10 s:\n${out}`);
  });
});
