'use strict';
// tests/data/validate.py over a built site, with the Python of .venv-data (test.sh makes it).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { REPO_ROOT } = require('./config');

const PYTHON = process.env.ATLAS_DATA_PYTHON || path.join(REPO_ROOT, '.venv-data', 'bin', 'python');

/** Validates every data file of `site`; returns validate.py's report (one line per file). */
function validateData(site) {
  assert.ok(fs.existsSync(PYTHON), `${PYTHON} is missing: create it with python3 -m venv .venv-data && .venv-data/bin/pip install -r tests/data/requirements.txt (test.sh does)`);
  const res = spawnSync(PYTHON, [path.join(REPO_ROOT, 'tests', 'data', 'validate.py'), site], { encoding: 'utf8', timeout: 300000 });
  assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}`);
  assert.match(res.stdout, /all data files valid/);
  return res.stdout;
}

module.exports = { validateData };
