'use strict';
// The test suite's own static server (tests/e2e/lib/server.js) behaves like the host it stands
// in for: pages under the prefix, index.html for folders, the site's 404.html with status 404,
// and no way out of the site folder. Runs on a tiny folder of its own, not on the atlas.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { startServer } = require('./lib/server');

let tmp;
let server;

/** GET with the path sent exactly as given (fetch would normalise "..", which is the point). */
function rawGet(rawPath) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atlasgen-server-test-'));
  const root = path.join(tmp, 'site');
  fs.mkdirSync(path.join(root, 'gates', 'a'), { recursive: true });
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!DOCTYPE html><title>home</title>');
  fs.writeFileSync(path.join(root, '404.html'), '<!DOCTYPE html><title>missing</title><h1>Page not found</h1>');
  fs.writeFileSync(path.join(root, 'gates', 'a', 'index.html'), '<!DOCTYPE html><title>gate a</title>');
  fs.writeFileSync(path.join(root, 'assets', 'x.css'), 'body{}');
  fs.writeFileSync(path.join(root, 'assets', 'x.js'), '1;');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'outside the site');
  server = await startServer({ root, prefix: '/vn-cn-atlas/' });
});

after(async () => {
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('serves index.html for the prefix and for folders, with the right types', async () => {
  const home = await rawGet('/vn-cn-atlas/');
  assert.equal(home.status, 200);
  assert.match(home.headers['content-type'], /^text\/html; charset=utf-8$/);
  assert.match(home.body, /<title>home/);
  assert.match((await rawGet('/vn-cn-atlas/gates/a/')).body, /gate a/);
  assert.match((await rawGet('/vn-cn-atlas/gates/a/index.html')).body, /gate a/);
  assert.match((await rawGet('/vn-cn-atlas/assets/x.css')).headers['content-type'], /^text\/css/);
  assert.match((await rawGet('/vn-cn-atlas/assets/x.js?v=1')).headers['content-type'], /^text\/javascript/);
});

test('redirects a folder without its trailing slash, and the bare prefix', async () => {
  const r = await rawGet('/vn-cn-atlas/gates/a?x=1');
  assert.equal(r.status, 301);
  assert.equal(r.headers.location, '/vn-cn-atlas/gates/a/?x=1');
  const p = await rawGet('/vn-cn-atlas');
  assert.equal(p.status, 301);
  assert.equal(p.headers.location, '/vn-cn-atlas/');
});

test("answers missing paths, and paths outside the prefix, with the site's 404.html and status 404", async () => {
  for (const p of ['/vn-cn-atlas/no-such-page/', '/vn-cn-atlas/gates/b', '/', '/favicon.ico', '/other/index.html']) {
    const r = await rawGet(p);
    assert.equal(r.status, 404, p);
    assert.match(r.body, /Page not found/, p);
  }
});

test('refuses paths that escape the site folder', async () => {
  for (const p of [
    '/vn-cn-atlas/../secret.txt',
    '/vn-cn-atlas/%2e%2e/secret.txt',
    '/vn-cn-atlas/..%2fsecret.txt',
    '/vn-cn-atlas/gates/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/vn-cn-atlas/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd',
  ]) {
    const r = await rawGet(p);
    assert.equal(r.status, 403, `${p} answered ${r.status}`);
    assert.doesNotMatch(r.body, /outside the site|root:/, p);
  }
  assert.equal((await rawGet('/vn-cn-atlas/%zz')).status, 400);
  assert.equal((await rawGet('/vn-cn-atlas/a%00b')).status, 400);
  assert.equal((await rawGet('/vn-cn-atlas/..%5csecret.txt')).status, 400);
});
