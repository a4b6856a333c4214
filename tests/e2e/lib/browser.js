'use strict';
// Launches Debian's Chromium through playwright-core and opens pages that record every
// console error, uncaught page error, failed request and HTTP error response.
const fs = require('node:fs');
const { chromium } = require('playwright-core');
const { CHROMIUM_PATH } = require('./config');

const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
};

async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium fonts-noto-cjk\` ` +
        '(or set CHROMIUM_PATH)',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * A new context and page for `viewportName` whose problems (console errors, page errors, failed
 * requests, responses >= 400) are collected in `problems`. `expect404(url)` declares a URL whose
 * 404 response (and the console message Chromium prints for it) is deliberate.
 */
async function openMonitoredPage(browser, viewportName) {
  const options = VIEWPORTS[viewportName];
  if (!options) throw new Error(`unknown viewport ${viewportName}`);
  const context = await browser.newContext({ ...options, locale: 'en-GB', reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems = [];
  const expected404 = new Set();
  const where = () => page.url();

  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    if (expected404.has(loc.url) && /status of 404/.test(msg.text())) return;
    problems.push(`console error on ${where()}: ${msg.text()}${loc.url ? ` (at ${loc.url}:${loc.lineNumber})` : ''}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught page error on ${where()}: ${err.stack || err.message}`));
  // A request the browser cancels because the page has started leaving (a favicon still loading
  // when the reader presses Enter) is not a problem of the site: count the main frame's navigations
  // and forgive ERR_ABORTED for requests issued before the latest one.
  let navigations = 0;
  const issuedAt = new WeakMap();
  page.on('request', (req) => {
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) navigations += 1;
    issuedAt.set(req, navigations);
  });
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText || '';
    const left = !req.isNavigationRequest() && issuedAt.get(req) < navigations;
    if (left && error === 'net::ERR_ABORTED') return;
    // The browser fetches the icon itself, late, and cancels the fetch when the page reloads
    // meanwhile; a missing icon is still an HTTP error below.
    if (error === 'net::ERR_ABORTED' && /\/favicon\.[a-z]+$/.test(new URL(req.url()).pathname)) return;
    problems.push(`request failed on ${where()}: ${req.method()} ${req.url()}: ${error}`);
  });
  page.on('response', (resp) => {
    if (resp.status() < 400) return;
    if (resp.status() === 404 && expected404.has(resp.url())) return;
    problems.push(`HTTP ${resp.status()} on ${where()}: ${resp.request().method()} ${resp.url()}`);
  });

  return {
    context,
    page,
    problems,
    expect404: (url) => expected404.add(url),
  };
}

module.exports = { VIEWPORTS, launchBrowser, openMonitoredPage };
