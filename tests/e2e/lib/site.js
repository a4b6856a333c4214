'use strict';
// Builds each atlas the suite needs (the shipped one, fixtures) once per test run and hands every
// test file the same built folder.
//
// tests/e2e/run.sh builds the site itself and passes the folder in ATLAS_E2E_SITE. When the test
// files are run straight with `node --test tests/e2e/`, the first file to get here builds the site
// into tests/e2e/output/run-<pid of the test runner>/ under a lock; the others wait for it and
// reuse it. Folders left by runs whose process has gone are removed.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { REPO_ROOT, OUTPUT_DIR, ATLASGEN_BIN, BASE_URL } = require('./config');

const BUILD_TIMEOUT_MS = 120_000;

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * Runs `atlasgen build` of the atlas in `root` (default the shipped one, with the suite's base
 * URL) into `outDir` (which must not exist yet). Throws with its output on failure.
 */
function buildSite(outDir, root = REPO_ROOT, baseUrl = BASE_URL) {
  if (!fs.existsSync(ATLASGEN_BIN)) {
    throw new Error(
      `atlasgen binary not found at ${ATLASGEN_BIN}: run \`cargo build --release\` first ` +
        '(tests/e2e/run.sh does this for you), or set ATLASGEN_BIN.',
    );
  }
  const args = ['build', '--root', root, '--output', outDir, ...(baseUrl ? ['--base-url', baseUrl] : [])];
  const res = spawnSync(ATLASGEN_BIN, args, { cwd: root, encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
  if (res.error) throw new Error(`could not run ${ATLASGEN_BIN}: ${res.error.message}`);
  if (res.status !== 0) {
    throw new Error(
      `\`${ATLASGEN_BIN} ${args.join(' ')}\` exited with ${res.status}:\n${res.stdout}${res.stderr}`,
    );
  }
  if (!fs.existsSync(path.join(outDir, 'index.html'))) {
    throw new Error(`atlasgen build succeeded but wrote no ${path.join(outDir, 'index.html')}`);
  }
  return (res.stderr || '').trim();
}

function removeStaleRuns() {
  if (!fs.existsSync(OUTPUT_DIR)) return;
  for (const name of fs.readdirSync(OUTPUT_DIR)) {
    const m = /^run-(\d+)(-[a-z0-9-]+)?(\.lock)?$/.exec(name);
    if (m && Number(m[1]) !== process.ppid && !alive(Number(m[1]))) {
      fs.rmSync(path.join(OUTPUT_DIR, name), { recursive: true, force: true });
    }
  }
}

const cached = new Map();

/**
 * The folder of the shipped atlas built (its root holds index.html and 404.html): the folder
 * ATLAS_E2E_SITE names (tests/e2e/run.sh builds it), or one built once for this run.
 */
function getSiteDir() {
  const given = process.env.ATLAS_E2E_SITE;
  if (given && !cached.has('')) {
    if (!fs.existsSync(path.join(given, 'index.html'))) {
      throw new Error(`ATLAS_E2E_SITE=${given} holds no index.html: the site was not built there`);
    }
    cached.set('', path.resolve(given));
  }
  return builtOnce('', REPO_ROOT, BASE_URL);
}

/**
 * The folder of the fixture atlas tests/fixtures/<name> built with its own base_url, once for
 * this run: the tool's tests run on it, so that editing the shipped atlas cannot break them.
 */
function getFixtureSiteDir(name) {
  return builtOnce(name, path.join(REPO_ROOT, 'tests', 'fixtures', name), null);
}

/**
 * Builds `root` into tests/e2e/output/run-<pid of the test runner>[-<key>]/site under a lock,
 * once: the first test file to ask builds it, the others wait for it and reuse it. Folders left
 * by runs whose process has gone are removed.
 */
function builtOnce(key, root, baseUrl) {
  if (cached.has(key)) return cached.get(key);
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  removeStaleRuns();
  const runDir = path.join(OUTPUT_DIR, key ? `run-${process.ppid}-${key}` : `run-${process.ppid}`);
  const siteDir = path.join(runDir, 'site');
  const done = path.join(runDir, 'built');
  const lock = `${runDir}.lock`;
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    if (fs.existsSync(done)) break;
    let mine = false;
    try {
      fs.mkdirSync(lock);
      mine = true;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    if (mine) {
      try {
        if (!fs.existsSync(done)) {
          fs.rmSync(runDir, { recursive: true, force: true });
          fs.mkdirSync(runDir, { recursive: true });
          const log = buildSite(siteDir, root, baseUrl);
          fs.writeFileSync(done, `${log}\n`);
        }
      } finally {
        fs.rmSync(lock, { recursive: true, force: true });
      }
      break;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for another test process to build the site (${lock})`);
    sleep(200);
  }
  cached.set(key, siteDir);
  return siteDir;
}

/** Every file under `dir`, as paths relative to it with forward slashes, sorted. */
function listFiles(dir, filter = () => true) {
  const out = [];
  (function walk(rel) {
    for (const ent of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(r);
      else if (filter(r)) out.push(r);
    }
  })('');
  return out.sort();
}

function listHtmlFiles(dir) {
  return listFiles(dir, (r) => r.endsWith('.html'));
}

module.exports = { getSiteDir, getFixtureSiteDir, buildSite, listFiles, listHtmlFiles };
