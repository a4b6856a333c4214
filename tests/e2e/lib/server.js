'use strict';
// A tiny static file server for the built site, serving it under a URL prefix the way GitHub
// Pages serves a project site: `/vn-cn-atlas/x/` -> <root>/x/index.html, a folder without its
// trailing slash is redirected, a missing path gets the site's 404.html with status 404, and a
// path that would escape the root is refused. Listens on 127.0.0.1 on a random free port.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { PREFIX } = require('./config');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

function within(root, p) {
  return p === root || p.startsWith(root + path.sep);
}

/**
 * Starts serving `root` under `prefix`. Resolves to
 * { origin, baseUrl, port, close(), log } where baseUrl = origin + prefix and log lists every
 * request as { method, url, status }.
 */
async function startServer({ root, prefix = PREFIX } = {}) {
  if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw new Error(`prefix must start and end with "/": ${prefix}`);
  const realRoot = fs.realpathSync(root);
  const notFoundPage = path.join(realRoot, '404.html');
  const log = [];

  function send(req, res, status, headers, body) {
    log.push({ method: req.method, url: req.url, status });
    res.writeHead(status, { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function notFound(req, res) {
    if (fs.existsSync(notFoundPage)) {
      const body = fs.readFileSync(notFoundPage);
      return send(req, res, 404, { 'Content-Type': TYPES['.html'], 'Content-Length': body.length }, body);
    }
    return send(req, res, 404, { 'Content-Type': TYPES['.txt'] }, 'Not found\n');
  }

  function handle(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(req, res, 405, { Allow: 'GET, HEAD', 'Content-Type': TYPES['.txt'] }, 'Method not allowed\n');
    }
    // Work on the raw request path: WHATWG URL parsing would silently resolve "..".
    const raw = req.url.split(/[?#]/, 1)[0];
    if (raw === prefix.slice(0, -1)) return send(req, res, 301, { Location: prefix }, '');
    if (!raw.startsWith(prefix)) return notFound(req, res);
    let rel;
    try {
      rel = decodeURIComponent(raw.slice(prefix.length));
    } catch {
      return send(req, res, 400, { 'Content-Type': TYPES['.txt'] }, 'Bad request: malformed percent-encoding\n');
    }
    if (rel.includes('\0') || rel.includes('\\')) {
      return send(req, res, 400, { 'Content-Type': TYPES['.txt'] }, 'Bad request\n');
    }
    let file = path.resolve(realRoot, rel);
    if (!within(realRoot, file)) return send(req, res, 403, { 'Content-Type': TYPES['.txt'] }, 'Forbidden\n');
    let stat;
    try {
      file = fs.realpathSync(file);
      if (!within(realRoot, file)) return send(req, res, 403, { 'Content-Type': TYPES['.txt'] }, 'Forbidden\n');
      stat = fs.statSync(file);
    } catch {
      return notFound(req, res);
    }
    if (stat.isDirectory()) {
      if (!raw.endsWith('/')) {
        const query = req.url.slice(raw.length);
        return send(req, res, 301, { Location: `${raw}/${query}` }, '');
      }
      file = path.join(file, 'index.html');
      try {
        stat = fs.statSync(file);
      } catch {
        return notFound(req, res);
      }
    }
    if (!stat.isFile()) return notFound(req, res);
    const body = fs.readFileSync(file);
    return send(req, res, 200, { 'Content-Type': contentType(file), 'Content-Length': body.length }, body);
  }

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      send(req, res, 500, { 'Content-Type': TYPES['.txt'] }, `Internal error: ${e.message}\n`);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    baseUrl: origin + prefix,
    port,
    log,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

module.exports = { startServer, contentType };
