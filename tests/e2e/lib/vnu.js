'use strict';
// The Nu Html Checker (vnu.jar from the npm package vnu-jar, run with the machine's Java 17+)
// over every HTML file of a built site. Any error fails the calling test and is printed with
// its page, line and column; the full report is written to tests/e2e/output/<reportName>.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { listHtmlFiles } = require('./site');
const { REPO_ROOT, OUTPUT_DIR } = require('./config');

const VNU_JAR = path.join(REPO_ROOT, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const JAVA = process.env.JAVA || 'java';

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Validates every HTML file under `siteDir`; `t` is the node:test context (for diagnostics). */
async function validateHtml(t, siteDir, reportName) {
  assert.ok(fs.existsSync(VNU_JAR), `${VNU_JAR} is missing: run \`npm ci\``);
  const files = listHtmlFiles(siteDir);
  assert.ok(files.length > 0, `no .html files in ${siteDir}`);
  const args = [
    '-Xss1m',
    '-jar',
    VNU_JAR,
    '--errors-only',
    '--skip-non-html',
    '--format',
    'json',
    '--stdout',
    ...files.map((f) => path.join(siteDir, f)),
  ];
  const started = Date.now();
  const res = await run(JAVA, args).catch((e) => {
    assert.fail(`could not run \`${JAVA}\` (${e.message}): vnu needs Java 17+ (apt-get install default-jre-headless)`);
  });
  let report;
  try {
    report = JSON.parse(res.stdout);
  } catch {
    assert.fail(`vnu printed no JSON report (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
  }
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUTPUT_DIR, reportName), JSON.stringify(report, null, 2));
  t.diagnostic(`vnu checked ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // --errors-only leaves errors, fatal errors and non-document errors (e.g. an unreadable file).
  const errors = report.messages.filter((m) => m.type !== 'info');
  const lines = errors.map((m) => {
    const page = m.url ? path.relative(siteDir, decodeURIComponent(new URL(m.url).pathname)) : '(no file)';
    const at = m.lastLine ? `:${m.lastLine}:${m.firstColumn ?? m.lastColumn ?? ''}` : '';
    const extract = m.extract ? `\n      ${JSON.stringify(m.extract.replace(/\s+/g, ' ').trim())}` : '';
    return `${page}${at}: [${m.type}${m.subType ? `/${m.subType}` : ''}] ${m.message}${extract}`;
  });
  const byMessage = new Map();
  for (const m of errors) byMessage.set(m.message, (byMessage.get(m.message) || 0) + 1);
  const summary = [...byMessage].sort((a, b) => b[1] - a[1]).map(([msg, n]) => `  ${n} × ${msg}`).join('\n');
  const shown = lines.slice(0, 300).map((l) => `  ${l}`).join('\n');
  const more = lines.length > 300 ? `\n  ... and ${lines.length - 300} more (see tests/e2e/output/${reportName})` : '';
  assert.equal(
    errors.length,
    0,
    `vnu found ${errors.length} error(s) in ${new Set(errors.map((m) => m.url)).size} file(s).\nBy message:\n${summary}\nAll:\n${shown}${more}`,
  );
  assert.equal(res.code, 0, `vnu exited with ${res.code} but reported no error:\n${res.stderr}`);
}

module.exports = { validateHtml };
