'use strict';
// The setup most browser tests share: the built site served under its sub-path, one Chromium,
// and the screenshot folder. Call it at the top of a test file; the returned object is filled
// in before the first test runs and torn down after the last.
const fs = require('node:fs');
const { before, after } = require('node:test');
const { getSiteDir } = require('./site');
const { startServer } = require('./server');
const { launchBrowser } = require('./browser');
const { SCREENSHOT_DIR } = require('./config');

function useSiteInBrowser() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer({ root: getSiteDir() });
    env.browser = await launchBrowser();
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

module.exports = { useSiteInBrowser };
