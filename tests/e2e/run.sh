#!/usr/bin/env bash
# Runs the end-to-end suite: builds the shipped atlas ONCE into a temporary folder with a sub-path base URL,
# then runs every tests/e2e/**/*.test.js with node's test runner against that folder (the tests serve
# it under /vn-cn-atlas/ on 127.0.0.1 with a random port). The suites of tests/e2e/shipped-atlas/
# check that atlas's content; the tool's suites move onto fixture atlases (tests/fixtures/alps),
# which lib/site.js builds once per run when a test first asks for one.
#
#   bash tests/e2e/run.sh                                 # everything
#   bash tests/e2e/run.sh --test-name-pattern=journey     # extra arguments go to `node --test`
#
# Needs: node_modules (npm ci), /usr/bin/chromium with fonts-noto-cjk, java 17+.
# ATLASGEN_SKIP_CARGO_BUILD=1 skips `cargo build --release` (test.sh has just run it).
# E2E_CONCURRENCY sets how many test files run at once (default 2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

BASE_URL="https://example.github.io/vn-cn-atlas/"

if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/vnu-jar ] || [ ! -d node_modules/axe-core ] || [ ! -d node_modules/parse5 ]; then
  echo "e2e: node_modules is missing or incomplete: running npm ci"
  npm ci --ignore-scripts --no-audit --no-fund
fi

if [ "${ATLASGEN_SKIP_CARGO_BUILD:-0}" != 1 ]; then
  cargo build --release --quiet
fi
export ATLASGEN_BIN="${ATLASGEN_BIN:-$PWD/target/release/atlasgen}"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/atlasgen-e2e.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "e2e: building the atlas into $tmp/site with --base-url $BASE_URL"
"$ATLASGEN_BIN" build --root . --output "$tmp/site" --base-url "$BASE_URL"
export ATLAS_E2E_SITE="$tmp/site"

# Fresh screenshots every run, so an old picture is never mistaken for a new one.
mkdir -p tests/e2e/screenshots
rm -f tests/e2e/screenshots/*.png

start=$(date +%s)
status=0
node --test --test-reporter=spec --test-concurrency="${E2E_CONCURRENCY:-2}" "$@" tests/e2e/ || status=$?
echo "e2e: node --test finished in $(( $(date +%s) - start )) s with exit status $status (screenshots in tests/e2e/screenshots/, vnu reports in tests/e2e/output/vnu*.json)"
exit "$status"
