'use strict';
// Validates every HTML page atlasgen writes for an atlas of its own (the Alps fixture, German
// and French) with the Nu Html Checker: any error fails the test and is printed with its page,
// line and column; the full report is written to tests/e2e/output/vnu-alps.json. The shipped
// atlas's pages are validated in shipped-atlas/html-validity.test.js.
const { test } = require('node:test');
const { getFixtureSiteDir } = require('./lib/site');
const { validateHtml } = require('./lib/vnu');

test('every HTML page of an atlas passes the Nu Html Checker with no errors', { timeout: 600_000 }, async (t) => {
  await validateHtml(t, getFixtureSiteDir('alps'), 'vnu-alps.json');
});
