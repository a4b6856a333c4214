#!/bin/sh
# fresh_build.sh SRC "STATE_PATHS" CMD [ARG ...]
#
# The command that is timed.  It makes every run a CLEAN FULL build: whatever a
# previous build left in SRC (output dir, caches, lock files: STATE_PATHS, a
# space-separated list relative to SRC) is moved aside into SRC/../.trash with a
# rename (microseconds, so deleting thousands of files is not timed), then CMD
# is exec'd in SRC (same process, so peak memory is CMD's own).
# bench/run.sh empties .trash after each run (untimed).
src=$1; state=$2; shift 2
cd "$src" || exit 97
trash="$src/../.trash"
mkdir -p "$trash" || exit 98
for p in $state; do
  if [ -e "$p" ]; then mv "$p" "$trash/$(basename "$src").$(echo "$p" | tr / _).$$" || exit 99; fi
done
exec "$@"
