'use strict';
// Shared constants for the end-to-end suite.
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

// The site is built for a project sub-path, as GitHub Pages serves it. Internal links in the
// built pages are root-relative (/vn-cn-atlas/...); only canonical and sitemap URLs are absolute.
const PREFIX = '/vn-cn-atlas/';
const BASE_URL = `https://example.github.io${PREFIX}`;

module.exports = {
  REPO_ROOT,
  PREFIX,
  BASE_URL,
  E2E_DIR: path.join(REPO_ROOT, 'tests', 'e2e'),
  OUTPUT_DIR: path.join(REPO_ROOT, 'tests', 'e2e', 'output'),
  SCREENSHOT_DIR: path.join(REPO_ROOT, 'tests', 'e2e', 'screenshots'),
  ATLASGEN_BIN: process.env.ATLASGEN_BIN || path.join(REPO_ROOT, 'target', 'release', 'atlasgen'),
  CHROMIUM_PATH: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
};
