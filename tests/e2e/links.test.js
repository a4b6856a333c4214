'use strict';
// Link and anchor check over the whole built site, read from disk: every internal href/src
// (root-relative under /vn-cn-atlas/, relative, or absolute under the base URL) must point to a
// file of the site, every #fragment to an id in its target page, and no link may start with "/"
// outside /vn-cn-atlas/ (it would break when the site is served from its sub-path). Canonical
// URLs, sitemap.xml and robots.txt are checked too. Then a sample of pages is fetched through the
// static server to check that their stylesheets, scripts, icons and images load with the right type.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { getSiteDir, listHtmlFiles, listFiles } = require('./lib/site');
const { SiteIndex, scanHtml } = require('./lib/html');
const { startServer } = require('./lib/server');
const { PREFIX, BASE_URL } = require('./lib/config');

const SITE_ORIGIN = new URL(BASE_URL).origin;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const MAX_LISTED = 200;

let siteDir;
let index;
let htmlFiles;
const found = {
  subpath: [], // links that escape the sub-path, or are relative in 404.html
  missing: [], // internal links to files that do not exist
  fragments: [], // #fragments with no matching id
  other: [], // javascript: URLs, duplicate ids ...
};
const counts = { pages: 0, refs: 0, internal: 0, external: 0, fragments: 0 };

/** The URL a built file is served at, e.g. gates/x/index.html -> https://host/vn-cn-atlas/gates/x/ */
function urlOf(rel) {
  return new URL(PREFIX + rel.replace(/(^|\/)index\.html$/, '$1'), SITE_ORIGIN);
}

/** The built file a site path (after the prefix, percent-decoded) is served from, or null. */
function fileFor(rel) {
  const full = path.join(siteDir, rel);
  if (!path.resolve(full).startsWith(siteDir)) return null;
  if (rel === '' || rel.endsWith('/')) return fs.existsSync(path.join(full, 'index.html')) ? `${rel}index.html` : null;
  if (!fs.existsSync(full)) return null;
  if (fs.statSync(full).isDirectory()) return fs.existsSync(path.join(full, 'index.html')) ? `${rel}/index.html` : null;
  return rel;
}

function describe(page, ref) {
  return `${page}:${ref.line} <${ref.tag} ${ref.attr}="${ref.value}">`;
}

function list(items) {
  const shown = items.slice(0, MAX_LISTED).map((s) => `  ${s}`);
  if (items.length > MAX_LISTED) shown.push(`  ... and ${items.length - MAX_LISTED} more`);
  return shown.join('\n');
}

async function checkRef(page, ref) {
  const raw = ref.value.trim();
  const where = describe(page, ref);
  counts.refs += 1;
  if (/^javascript:/i.test(raw)) return found.other.push(`${where}: javascript: URL`);
  if (raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith(PREFIX)) {
    return found.subpath.push(`${where}: root-relative link outside ${PREFIX} (breaks when served from the sub-path)`);
  }
  const isRelative = raw !== '' && !raw.startsWith('/') && !raw.startsWith('#') && !SCHEME.test(raw);
  if (page === '404.html' && isRelative) {
    return found.subpath.push(`${where}: relative link in 404.html (it is served at every missing URL, so relative links resolve differently)`);
  }
  if (SCHEME.test(raw) && !/^https?:/i.test(raw)) {
    counts.external += 1; // mailto:, tel:, data: ...
    return;
  }
  let url;
  try {
    url = new URL(raw, urlOf(page));
  } catch {
    return found.other.push(`${where}: not a valid URL`);
  }
  if (url.origin !== SITE_ORIGIN) {
    counts.external += 1;
    return;
  }
  if (!url.pathname.startsWith(PREFIX)) {
    return found.subpath.push(`${where}: resolves to ${url.pathname}, outside ${PREFIX}`);
  }
  counts.internal += 1;
  let relPath;
  try {
    relPath = decodeURIComponent(url.pathname.slice(PREFIX.length));
  } catch {
    return found.other.push(`${where}: malformed percent-encoding`);
  }
  const target = fileFor(relPath);
  if (!target) return found.missing.push(`${where}: no file for ${url.pathname}`);
  if (url.hash.length > 1) {
    counts.fragments += 1;
    if (!target.endsWith('.html')) return found.fragments.push(`${where}: #fragment on a non-HTML target ${target}`);
    let id;
    try {
      id = decodeURIComponent(url.hash.slice(1));
    } catch {
      return found.fragments.push(`${where}: malformed percent-encoding in the fragment`);
    }
    const { ids } = await index.page(target);
    if (!ids.has(id) && id !== 'top') found.fragments.push(`${where}: no id="${id}" in ${target}`);
  }
  return undefined;
}

let server;

before(async () => {
  siteDir = path.resolve(getSiteDir());
  index = new SiteIndex(siteDir);
  htmlFiles = listHtmlFiles(siteDir);
  for (const page of htmlFiles) {
    counts.pages += 1;
    const scan = await index.page(page);
    for (const id of new Set(scan.duplicateIds)) found.other.push(`${page}: duplicate id="${id}"`);
    for (const ref of scan.refs) await checkRef(page, ref);
  }
  server = await startServer({ root: siteDir });
});

after(async () => {
  await server?.close();
});

test('the built site has pages and links to check', (t) => {
  t.diagnostic(
    `${counts.pages} pages, ${counts.refs} URLs: ${counts.internal} internal (${counts.fragments} with #fragment), ${counts.external} external`,
  );
  assert.ok(htmlFiles.includes('index.html'), 'no index.html at the root of the site');
  assert.ok(htmlFiles.includes('404.html'), 'no 404.html at the root of the site');
  assert.ok(counts.internal > htmlFiles.length, `only ${counts.internal} internal links in ${htmlFiles.length} pages`);
});

test(`no internal link escapes the ${PREFIX} sub-path`, () => {
  assert.equal(found.subpath.length, 0, `${found.subpath.length} link(s) would break under ${PREFIX}:\n${list(found.subpath)}`);
});

test('every internal href/src points to a file of the built site', () => {
  assert.equal(found.missing.length, 0, `${found.missing.length} broken internal link(s):\n${list(found.missing)}`);
});

test('every #fragment exists as an id in its target page', () => {
  assert.equal(found.fragments.length, 0, `${found.fragments.length} broken #fragment(s):\n${list(found.fragments)}`);
});

test('no duplicate ids, javascript: or malformed URLs', () => {
  assert.equal(found.other.length, 0, `${found.other.length} problem(s):\n${list(found.other)}`);
});

// The reader's pages: everything but what says `noindex` (the browser editor at /admin/, an
// application rather than a page, which robots.txt also keeps out).
const readerPages = () => htmlFiles.filter((p) => !/<meta name="robots" content="noindex">/.test(fs.readFileSync(path.join(siteDir, p), 'utf8')));

test('every page has one canonical URL: its own address under the base URL', async () => {
  const wrong = [];
  const pages = readerPages();
  for (const page of pages) {
    const canon = (await index.page(page)).refs.filter((r) => r.tag === 'link' && /(^|\s)canonical(\s|$)/i.test(r.rel));
    const expected = urlOf(page).href;
    if (canon.length !== 1) wrong.push(`${page}: ${canon.length} <link rel="canonical">`);
    else if (canon[0].value !== expected) wrong.push(`${page}: canonical ${canon[0].value}, expected ${expected}`);
  }
  assert.equal(wrong.length, 0, `${wrong.length} wrong canonical URL(s):\n${list(wrong)}`);
});

test('sitemap.xml lists every page (but 404.html) once, under the base URL; robots.txt points to it', () => {
  const xml = fs.readFileSync(path.join(siteDir, 'sitemap.xml'), 'utf8');
  assert.match(xml, /^<\?xml [^>]*encoding="UTF-8"/, 'sitemap.xml has no XML declaration');
  assert.match(xml, /<urlset xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9" xmlns:xhtml="http:\/\/www\.w3\.org\/1999\/xhtml">/);
  // The atlas is trilingual: every page names itself in each language (hreflang alternates).
  for (const entry of xml.split('</url>').slice(0, -1)) {
    const langs = [...entry.matchAll(/hreflang="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(langs, ['en', 'vi', 'zh-Hans'], `alternates of ${entry.trim().slice(0, 120)}`);
  }
  const locs = [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  const problems = [];
  const seen = new Set();
  const pages = readerPages();
  for (const loc of locs) {
    if (seen.has(loc)) problems.push(`listed twice: ${loc}`);
    seen.add(loc);
    if (!loc.startsWith(BASE_URL)) {
      problems.push(`not under ${BASE_URL}: ${loc}`);
      continue;
    }
    const rel = decodeURIComponent(new URL(loc).pathname.slice(PREFIX.length));
    if (!fileFor(rel)) problems.push(`no page for ${loc}`);
  }
  for (const page of pages) {
    if (!page.endsWith('404.html') && !seen.has(urlOf(page).href)) problems.push(`not listed: ${urlOf(page).href} (${page})`);
  }
  if (seen.has(urlOf('404.html').href)) problems.push('404.html is listed');
  for (const page of htmlFiles.filter((p) => !pages.includes(p))) {
    if (seen.has(urlOf(page).href)) problems.push(`${page} says noindex but is listed`);
  }
  assert.equal(problems.length, 0, `sitemap.xml: ${problems.length} problem(s):\n${list(problems)}`);
  const robots = fs.readFileSync(path.join(siteDir, 'robots.txt'), 'utf8');
  assert.match(robots, new RegExp(`^Sitemap: ${BASE_URL.replace(/[.]/g, '\\.')}sitemap\\.xml$`, 'm'));
});

test('stylesheets, scripts, icons and images of a sample of pages load through the server', async (t) => {
  const events = listHtmlFiles(path.join(siteDir, 'events')).filter((f) => f !== 'index.html');
  const sample = ['', 'gates/', 'gates/mong-cai-dongxing/', 'gates/by-status/international/', 'about/', 'sources/'];
  if (events.length) sample.push(`events/${events[0].replace(/index\.html$/, '')}`);
  const expectType = { stylesheet: /^text\/css\b/, script: /^(text|application)\/(x-)?javascript\b/, image: /^image\// };
  const problems = [];
  const checked = new Map();
  const fetchAsset = async (url, kind, from) => {
    const key = `${kind} ${url}`;
    if (checked.has(key)) return;
    const resp = await fetch(url, { redirect: 'manual' });
    const type = resp.headers.get('content-type') || '';
    const body = await resp.text();
    checked.set(key, resp.status);
    if (resp.status !== 200) problems.push(`${from}: ${kind} ${url} answered ${resp.status}`);
    else if (!expectType[kind].test(type)) problems.push(`${from}: ${kind} ${url} served as "${type}"`);
    else if (!body.trim()) problems.push(`${from}: ${kind} ${url} is empty`);
    if (kind === 'stylesheet' && resp.status === 200) {
      for (const m of body.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
        if (m[2].startsWith('data:') || m[2].startsWith('#')) continue;
        const assetUrl = new URL(m[2], url);
        const r = await fetch(assetUrl, { redirect: 'manual' });
        if (r.status !== 200) problems.push(`${url}: url(${m[2]}) answered ${r.status}`);
      }
    }
  };
  const pages = [...sample.map((p) => server.baseUrl + p), `${server.baseUrl}no-such-page/`];
  for (const pageUrl of pages) {
    const resp = await fetch(pageUrl, { redirect: 'manual' });
    const expected = pageUrl.endsWith('no-such-page/') ? 404 : 200;
    if (resp.status !== expected) problems.push(`${pageUrl} answered ${resp.status}, expected ${expected}`);
    if (!/^text\/html\b/.test(resp.headers.get('content-type') || '')) problems.push(`${pageUrl} is not text/html`);
    const { refs } = await scanHtml(await resp.text());
    const assets = refs.flatMap((r) => {
      if (r.tag === 'link' && /(^|\s)stylesheet(\s|$)/i.test(r.rel)) return [['stylesheet', r.value]];
      if (r.tag === 'link' && /(^|\s)(icon|apple-touch-icon)(\s|$)/i.test(r.rel)) return [['image', r.value]];
      if (r.tag === 'script' && r.attr === 'src') return [['script', r.value]];
      if ((r.tag === 'img' || r.tag === 'source') && (r.attr === 'src' || r.attr === 'srcset')) return [['image', r.value]];
      return [];
    });
    if (!assets.some(([k]) => k === 'stylesheet')) problems.push(`${pageUrl} links no stylesheet`);
    for (const [kind, value] of assets) {
      const assetUrl = new URL(value, pageUrl);
      if (assetUrl.origin !== server.origin) {
        problems.push(`${pageUrl}: ${kind} ${value} is loaded from another host`);
        continue;
      }
      await fetchAsset(assetUrl.href, kind, pageUrl);
    }
  }
  t.diagnostic(`${pages.length} pages fetched, ${checked.size} assets: ${[...checked.keys()].map((k) => k.replace(server.origin, '')).join(', ')}`);
  assert.equal(problems.length, 0, `${problems.length} problem(s) loading pages and assets:\n${list(problems)}`);
});
