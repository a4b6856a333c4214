#!/usr/bin/env python3
"""bench/serve_edit.py ROOT FILE FIELD [EDITS] -- time a one-record edit under `atlasgen serve`.

Starts `atlasgen serve` on ROOT (an atlas folder; use a copy: the file is edited), then EDITS
times (default 7) prepends "x" to the value of FIELD in ROOT/FILE and measures the time from
the write to serve's "rebuilt ..." message on stderr. Prints each edit and the median.
The binary is $ATLASGEN, or target/release/atlasgen of this repository.
"""
import os
import re
import statistics
import subprocess
import sys
import threading
import time

root, rel, field = sys.argv[1], sys.argv[2], sys.argv[3]
edits = int(sys.argv[4]) if len(sys.argv) > 4 else 7
repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.environ.get("ATLASGEN", os.path.join(repo, "target/release/atlasgen"))
proc = subprocess.Popen([binary, "serve", "--root", root, "--port", "0"],
                        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
lines = []  # (time received, line)


def read():
    for line in proc.stderr:
        lines.append((time.time(), line.rstrip()))


def wait_for(words, since, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        for t, line in lines[since:]:
            if any(w in line for w in words):
                return t, line
        time.sleep(0.002)
    sys.exit(f"no {words} from atlasgen serve within {timeout} s; its output:\n" + "\n".join(l for _, l in lines))


threading.Thread(target=read, daemon=True).start()
try:
    wait_for(["serving"], 0)
    time.sleep(1.0)
    path = os.path.join(root, rel)
    took = []
    for _ in range(edits):
        text = open(path, encoding="utf-8").read()
        edited, n = re.subn(rf"^({re.escape(field)}: \"?)", r"\1x", text, count=1, flags=re.M)
        if n != 1:
            sys.exit(f"{rel} has no top-level field {field}")
        seen = len(lines)
        start = time.time()
        with open(path, "w", encoding="utf-8") as f:
            f.write(edited)
        t, line = wait_for(["rebuilt", "still serving"], seen)
        if "still serving" in line:
            sys.exit("the edit broke the atlas:\n" + "\n".join(l for _, l in lines[seen:]))
        took.append((t - start) * 1000)
        print(f"{took[-1]:.0f} ms from write to \"{line}\"")
        time.sleep(1.5)  # let the search index and open data follow
    print(f"median {statistics.median(took):.0f} ms (min {min(took):.0f}, max {max(took):.0f}) over {edits} edits")
finally:
    proc.terminate()
