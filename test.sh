#!/usr/bin/env bash
# The whole test suite, in order: the base-map extraction's tests (tools/map-data), formatting,
# clippy (with and without the default features), the Rust tests, a release build and the
# end-to-end suite (tests/e2e/run.sh). Every stage runs
# even when an earlier one failed (but the e2e suite, which needs the release build); a summary
# follows, and the exit status is non-zero when any stage failed.
#
# Needs cargo (rustup; rustfmt and clippy are added when rustup is there). Everything else it
# sets up itself when missing: on Debian, as root or through `sudo -n`, chromium with
# fonts-noto-cjk (the browser tests), a Java runtime (vnu, the HTML validator), wrk (load on
# `atlasgen serve`), Node.js with npm, python3-venv, and GMT with GSHHG (the base-map
# extraction's rivers and lakes); then the npm packages (npm ci) and the
# Python tools of tests/data/requirements.txt in .venv-data (open data validators, jsonschema,
# actionlint). On another system it says what is missing and the stages that need it fail.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DEBIAN_FRONTEND=noninteractive

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

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

# The Debian packages the suite needs and the machine lacks (gmt and gmt-gshhg-high: the base-map
# extraction's rivers and lakes, tested by the "map data" stage).
missing_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed' || missing+=(fonts-noto-cjk)
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
  command -v gmt >/dev/null 2>&1 || missing+=(gmt)
  dpkg-query -W -f='${Status}' gmt-gshhg-high 2>/dev/null | grep -q 'install ok installed' || missing+=(gmt-gshhg-high)
  echo "${missing[*]}"
}

install_packages() {
  as_root apt-get update -q </dev/null && as_root apt-get install -y -q "$@" </dev/null
}

# The venv is made again whenever tests/data/requirements.txt changed since it was made.
python_tools() {
  if [ ! -x .venv-data/bin/python ]; then
    python3 -m venv .venv-data || return
  fi
  .venv-data/bin/pip install --quiet --disable-pip-version-check -r tests/data/requirements.txt &&
    cp tests/data/requirements.txt .venv-data/requirements.txt
}

# npm ci again whenever package-lock.json changed since the last one.
npm_packages() {
  npm ci --ignore-scripts --no-audit --no-fund </dev/null && cp package-lock.json node_modules/.atlasgen-installed-lock.json
}

total_start=$SECONDS

missing="$(missing_packages)"
if [ -n "$missing" ]; then
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; then
    # shellcheck disable=SC2086 # one word per package
    stage "apt-get install" install_packages $missing
  else
    skip "apt-get install" "cannot install: $missing"
  fi
fi
if command -v rustup >/dev/null 2>&1 && ! { cargo fmt --version && cargo clippy --version; } >/dev/null 2>&1; then
  stage "rustup components" rustup component add rustfmt clippy
fi
echo "test.sh: free disk $(df -h --output=avail . | tail -n1 | tr -d ' ')"
echo "test.sh: $(cargo --version 2>&1), node $(node --version 2>&1), $(java -version 2>&1 | head -n1), $(chromium --version 2>/dev/null | head -n1)"
# --ignore-scripts: no package here needs an install script (vnu-jar's would fetch a Java
# runtime from the internet when none is found; Debian's is used instead).
if ! cmp -s package-lock.json node_modules/.atlasgen-installed-lock.json; then
  stage "npm ci" npm_packages
fi
if ! cmp -s tests/data/requirements.txt .venv-data/requirements.txt; then
  stage "python venv" python_tools
fi
# The base-map extraction (tools/map-data): its own packages, then its tests, which run the real
# command on small regions of the real data.
map_data_tools() {
  (cd tools/map-data && npm run --silent setup </dev/null && npm test </dev/null)
}
stage "map data (tools/map-data)" map_data_tools
stage "cargo fmt --check" cargo fmt --check
stage "cargo clippy" cargo clippy --all-targets --locked -- -D warnings
# The library as a user without search (Pagefind) or serve builds it: it must compile, lint-free.
stage "no default features" cargo clippy --no-default-features --locked -- -D warnings
# In CI (a fresh clone, on a small disk) nothing reuses what the lint stages compiled (check
# metadata under target/debug, ~0.9 GB): it goes before the release build needs the room.
if [ -n "${CI:-}" ]; then
  echo "test.sh: CI: removing the lint stages' target/debug ($(du -sh target/debug 2>/dev/null | cut -f1))"
  rm -rf target/debug
fi
# --release: the tests and the e2e suite share one optimised build of everything.
stage "cargo test" cargo test --release --locked
if stage "cargo build --release" cargo build --release --locked; then
  stage "e2e (tests/e2e)" env ATLASGEN_SKIP_CARGO_BUILD=1 bash tests/e2e/run.sh
else
  skip "e2e (tests/e2e)" "the release build failed"
fi

echo
echo "test.sh: disk: target $(du -sh target 2>/dev/null | cut -f1), node_modules $(du -sh node_modules 2>/dev/null | cut -f1), free $(df -h --output=avail . | tail -n1 | tr -d ' ')"
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
