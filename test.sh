#!/usr/bin/env bash
# The whole test suite, in order: formatting, clippy, the Rust tests, a release build and the
# end-to-end suite (tests/e2e/run.sh). Every stage runs even when an earlier one failed (but the
# e2e suite, which needs the release build); a summary follows, and the exit status is non-zero
# when any stage failed.
#
# Needs: cargo with rustfmt and clippy, Node.js 20+, Python 3 with venv, Java 17+, Debian's chromium and
# fonts-noto-cjk (`bash .ci/run` installs them). Runs `npm ci` itself when node_modules is missing.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

names=()
results=()
times=()
failed=0

stage() {
  local name="$1"
  shift
  echo
  echo "==> $name: $*"
  local start=$SECONDS
  "$@"
  local rc=$?
  names+=("$name")
  times+=("$((SECONDS - start))")
  if [ "$rc" -eq 0 ]; then
    results+=("ok")
  else
    results+=("FAILED (exit $rc)")
    failed=1
  fi
  return "$rc"
}

skip() {
  names+=("$1")
  times+=("0")
  results+=("SKIPPED ($2)")
  failed=1
}

total_start=$SECONDS

if [ ! -d node_modules ]; then
  stage "npm ci" npm ci --ignore-scripts --no-audit --no-fund
fi
# Python validators for the open data files (Frictionless, icalendar, geojson), in a venv.
if [ ! -x .venv-data/bin/python ] || ! .venv-data/bin/python -c 'import frictionless, icalendar, geojson' 2>/dev/null; then
  stage "python venv" bash -c 'python3 -m venv .venv-data && .venv-data/bin/pip install --quiet --disable-pip-version-check -r tests/data/requirements.txt'
fi
stage "cargo fmt --check" cargo fmt --check
stage "cargo clippy" cargo clippy --all-targets --locked -- -D warnings
# --release: the tests and the e2e suite share one optimised build of everything.
stage "cargo test" cargo test --release --locked
if stage "cargo build --release" cargo build --release --locked; then
  stage "e2e (tests/e2e)" env ATLASGEN_SKIP_CARGO_BUILD=1 bash tests/e2e/run.sh
else
  skip "e2e (tests/e2e)" "the release build failed"
fi

echo
echo "==> summary"
for i in "${!names[@]}"; do
  printf '    %-24s %-22s %4ss\n' "${names[$i]}" "${results[$i]}" "${times[$i]}"
done
if [ "$failed" -eq 0 ]; then
  echo "==> test.sh: every stage passed in $((SECONDS - total_start)) s"
else
  echo "==> test.sh: FAILED (see the stages marked above) after $((SECONDS - total_start)) s"
fi
exit "$failed"
