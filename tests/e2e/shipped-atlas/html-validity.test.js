'use strict';
// Validates every HTML page of the shipped atlas with the Nu Html Checker (its narrative, tables
// and maps are the largest and most varied HTML the suite sees): any error fails the test and
// is printed with its page, line and column; the full report is written to
// tests/e2e/output/vnu.json.
const { test } = require('node:test');
const { getSiteDir } = require('../lib/site');
const { validateHtml } = require('../lib/vnu');

test('the shipped atlas: every HTML page passes the Nu Html Checker with no errors', { timeout: 600_000 }, async (t) => {
  await validateHtml(t, getSiteDir(), 'vnu.json');
});
