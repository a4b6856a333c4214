#!/usr/bin/env python3
"""Whole-process timer: wall, user/sys/cpu seconds and peak RSS of a command.

    python3 bench/timer.py [-n RUNS] [--warmup W] [--timeout SECONDS] [--json] -- COMMAND [ARG ...]

Runs COMMAND W times uncounted, then RUNS times; for each counted run it takes
wall seconds (monotonic clock around start..reap), user/sys seconds and peak RSS
from wait4() of the child (largest single process among those it waited for;
the build commands exec the tool, so it is the tool's own).  Prints min / median
/ max rows, or with --json one JSON object per counted run.  Output of COMMAND
is discarded.  Standard library only; the same figures can be had with GNU time
(`/usr/bin/time -v`).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def one_run(cmd, deadline):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.killpg(p.pid, 9)
            os.wait4(p.pid, 0)
            return None
        time.sleep(0.002)
    wall = time.monotonic() - t0
    return {"user": ru.ru_utime, "sys": ru.ru_stime, "cpu": ru.ru_utime + ru.ru_stime,
            "wall": wall, "peak": ru.ru_maxrss / 1024.0, "rc": os.waitstatus_to_exitcode(status)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=100)
    ap.add_argument("--json", action="store_true", help="one JSON object per counted run")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command")
    deadline = time.monotonic() + a.timeout
    for _ in range(a.warmup):
        if one_run(cmd, deadline) is None:
            print("timed out in warm-up"); return 3
    runs = []
    for _ in range(a.n):
        r = one_run(cmd, deadline)
        if r is None:
            if a.json:
                print(json.dumps({"timeout": True}))
            break
        runs.append(r)
        if a.json:
            print(json.dumps(r), flush=True)
    if a.json:
        return 0 if len(runs) == a.n and all(r["rc"] == 0 for r in runs) else 3
    print(f"A = {' '.join(cmd)}")
    print(f"A exit codes: {[r['rc'] for r in runs]}")
    if not runs:
        print("no run finished"); return 3
    print(f"{'':16}{'min':>9}{'median':>12}{'max':>12}   n: A {len(runs)}; whole process")
    for key, label, fmt in [("user", "A user s", "{:.3f}"), ("sys", "A sys s", "{:.3f}"),
                            ("cpu", "A cpu s", "{:.3f}"), ("wall", "A wall s", "{:.3f}"),
                            ("peak", "A peak MiB", "{:.1f}")]:
        xs = [r[key] for r in runs]
        print(f"{label:16}" + "".join(f"{fmt.format(v):>12}" if i else f"{fmt.format(v):>9}"
                                      for i, v in enumerate([min(xs), statistics.median(xs), max(xs)])))
    return 0 if len(runs) == a.n else 3


if __name__ == "__main__":
    sys.exit(main())
