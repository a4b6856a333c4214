#!/usr/bin/env bash
# bench/run.sh N [RUNS]  -- time clean full builds of atlasgen (and Hugo) on a generated atlas.
#
# Generates N gates, N/50 corridors and N/10 events into /tmp/atlasgen-bench-N/ (atlasgen/
# and hugo/ formats), runs one untimed warm-up build of each tool, then RUNS (default 3)
# rounds of: an atlasgen build, a Hugo build and `cp -r site/` of atlasgen's output (the
# I/O floor), each a clean full build timed by bench/timer.py (wall, cpu, peak RSS).
# Checks the pages both tools wrote and prints a Markdown table of medians. See BENCHMARKS.md.
#
# Environment (all optional):
#   HUGO=0           skip Hugo (atlasgen and the cp floor only)
#   ATLASGEN=path    the atlasgen binary (default: target/release/atlasgen of this repo; not built here)
#   HUGO_BIN=hugo    the Hugo binary
#   BENCH_ROOT=dir   where the corpus goes (default /tmp/atlasgen-bench-N)
#   SKIP_GEN=1       reuse the corpus already in BENCH_ROOT
#   MAX_RUN_S=600    a warm-up build slower than this skips the tool; also bounds each timed run
#   IDLE_WAIT=120    before each timed run, wait up to this many seconds for running compilers
#                    (rustc/cargo) to finish; runs that still overlap one are flagged as noisy
set -euo pipefail

N=${1:?usage: bench/run.sh N [RUNS]}
RUNS=${2:-${RUNS:-3}}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
ATLASGEN=${ATLASGEN:-$REPO/target/release/atlasgen}
HUGO_BIN=${HUGO_BIN:-hugo}
HUGO=${HUGO:-1}
ROOT=${BENCH_ROOT:-/tmp/atlasgen-bench-$N}
MAX_RUN_S=${MAX_RUN_S:-600}
IDLE_WAIT=${IDLE_WAIT:-120}
TIMER="python3 $HERE/timer.py"

[ -x "$ATLASGEN" ] || { echo "no atlasgen binary at $ATLASGEN (build it with: cargo build --release)" >&2; exit 2; }
if [ "$HUGO" != 0 ] && ! command -v "$HUGO_BIN" >/dev/null 2>&1; then
  echo "hugo not found ($HUGO_BIN): install it (Debian: apt-get install hugo) or run with HUGO=0" >&2; exit 2
fi

A_SRC=$ROOT/atlasgen
H_SRC=$ROOT/hugo
CP_DST=$ROOT/cp-floor
tools="atlasgen"; [ "$HUGO" != 0 ] && tools="atlasgen,hugo"

# ---- corpus ----------------------------------------------------------------------------
if [ "${SKIP_GEN:-0}" != 1 ]; then
  t0=$(date +%s.%N)
  python3 "$HERE/gen_corpus.py" "$N" "$ROOT" --tools "$tools"
  echo "corpus generated in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
fi
rm -f "$ROOT/runs.jsonl" "$ROOT"/check-*.json
rm -rf "$ROOT/.trash" "$CP_DST"

# ---- versions --------------------------------------------------------------------------
bin_id() { echo "$(sha256sum "$ATLASGEN" | cut -c1-12) $(stat -c %Y "$ATLASGEN")"; }
BIN0=$(bin_id)
A_VER="$("$ATLASGEN" --version 2>/dev/null || echo atlasgen) (sha256 ${BIN0%% *})"
H_VER=""
[ "$HUGO" != 0 ] && H_VER=$("$HUGO_BIN" version | awk '{print "hugo", $2}')
echo "== N=$N, $RUNS runs; $A_VER${H_VER:+; $H_VER}; $(nproc) cores"

# Timed commands: fresh_build.sh moves the previous output aside (a rename) and execs the tool.
A_CMD=(sh "$HERE/fresh_build.sh" "$A_SRC" "site site.*" "$ATLASGEN" build --root "$A_SRC" --output "$A_SRC/site")
H_CMD=(sh "$HERE/fresh_build.sh" "$H_SRC" "public resources .hugo_build.lock" "$HUGO_BIN" --quiet)

# A compiler running at the same time (the atlasgen build, say) makes a run noisy: say so.
busy() { if pgrep -x rustc >/dev/null 2>&1 || pgrep -x cargo >/dev/null 2>&1; then echo true; else echo false; fi; }

# ---- warm-up: one untimed build each (fills the page cache; checks that the tool builds) ----
sync
echo "-- warm-up atlasgen (untimed, with --timings)"
if ! timeout "$MAX_RUN_S" "${A_CMD[@]}" --timings > "$ROOT/atlasgen.warmup.log" 2>&1; then
  echo "atlasgen failed or took over ${MAX_RUN_S}s; see $ROOT/atlasgen.warmup.log" >&2
  tail -20 "$ROOT/atlasgen.warmup.log" >&2; exit 1
fi
sed 's/^/   /' "$ROOT/atlasgen.warmup.log"
if [ "$HUGO" != 0 ]; then
  echo "-- warm-up hugo (untimed)"
  t0=$(date +%s.%N)
  if ! timeout "$MAX_RUN_S" "${H_CMD[@]}" > "$ROOT/hugo.warmup.log" 2>&1; then
    echo "   hugo failed or took over ${MAX_RUN_S}s: skipped; see $ROOT/hugo.warmup.log"; HUGO=0
  else
    echo "   $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s"
  fi
fi
rm -rf "$ROOT/.trash"; sync

# ---- timed rounds ------------------------------------------------------------------------
# One run of a tool: timer.py -n 1 --json, tagged with the tool, the round and whether a
# compiler was running; then the moved-aside output is deleted (untimed) and flushed.
one() {
  local tool=$1 round=$2; shift 2
  local b line w=0
  while [ "$(busy)" = true ] && (( w < IDLE_WAIT )); do
    (( w == 0 )) && echo "   (waiting up to ${IDLE_WAIT}s for a running compiler to finish)"
    sleep 5; w=$((w + 5))
  done
  b=$(busy)
  line=$($TIMER -n 1 --warmup 0 --timeout "$MAX_RUN_S" --json -- "$@" | head -1) || true
  [ "$b" = true ] || b=$(busy)   # a compiler running when the run started or when it ended
  [ -n "$line" ] || line='{"rc": -1}'
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r.update(tool=sys.argv[2], round=int(sys.argv[3]), busy=sys.argv[4]=="true"); print(json.dumps(r))' \
    "$line" "$tool" "$round" "$b" >> "$ROOT/runs.jsonl"
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("   %-8s round %s: %s" % (sys.argv[2], sys.argv[3], "wall %.3f s, cpu %.3f s, peak %.0f MiB, exit %d" % (r["wall"], r["cpu"], r["peak"], r["rc"]) if "wall" in r else "FAILED"))' \
    "$line" "$tool" "$round"
  rm -rf "$ROOT/.trash"; sync
}

changed=false
for ((i = 1; i <= RUNS; i++)); do
  # Alternate which tool goes first, so neither always runs right after the other's writeback.
  if [ "$HUGO" != 0 ] && (( i % 2 == 0 )); then
    one hugo "$i" "${H_CMD[@]}"
    one atlasgen "$i" "${A_CMD[@]}"
  else
    one atlasgen "$i" "${A_CMD[@]}"
    [ "$HUGO" != 0 ] && one hugo "$i" "${H_CMD[@]}"
  fi
  # The I/O floor: copy the site atlasgen just wrote (from the page cache) to a fresh folder.
  rm -rf "$CP_DST"; sync
  one cp "$i" cp -r "$A_SRC/site/" "$CP_DST"
  rm -rf "$CP_DST"
  [ "$(bin_id)" != "$BIN0" ] && changed=true
done

# ---- checks ----------------------------------------------------------------------------
summary() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%s pages (gates %s, corridors %s, events %s, tags %s, lists %s), %s files, %s MiB of HTML -> %s" % tuple(d[k] for k in ("pages","gates","corridors","events","tags","lists","files","html_MiB","check")))' "$1"; }
python3 "$HERE/check_pages.py" "$A_SRC/site" "$ROOT/expected.json" --layout atlasgen --json > "$ROOT/check-atlasgen.json" || true
echo "-- atlasgen output: $(summary "$ROOT/check-atlasgen.json")"
compare=""
if [ "$HUGO" != 0 ] && [ -d "$H_SRC/public" ]; then
  python3 "$HERE/check_pages.py" "$H_SRC/public" "$ROOT/expected.json" --layout hugo --json > "$ROOT/check-hugo.json" || true
  echo "-- hugo output:     $(summary "$ROOT/check-hugo.json")"
  compare=$(python3 "$HERE/compare_outputs.py" "$A_SRC/site" "$H_SRC/public" 2>&1 || true)
  echo "-- $compare"
fi
python3 -c 'import json,sys; json.dump(dict(n=int(sys.argv[1]), runs=int(sys.argv[2]), atlasgen_version=sys.argv[3], hugo_version=sys.argv[4], binary_changed=sys.argv[5]=="true", compare=sys.argv[6].splitlines()[0] if sys.argv[6] else ""), open(sys.argv[7], "w"))' \
  "$N" "$RUNS" "$A_VER" "$H_VER" "$changed" "$compare" "$ROOT/meta.json"

echo
python3 "$HERE/report.py" "$ROOT" | tee "$ROOT/report.md"
grep -q '"check": "OK"' "$ROOT/check-atlasgen.json"
