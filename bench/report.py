#!/usr/bin/env python3
"""Markdown table from the runs bench/run.sh recorded.

    python3 bench/report.py BENCH_ROOT

Reads BENCH_ROOT/runs.jsonl (one line per timed run), BENCH_ROOT/meta.json and
BENCH_ROOT/check-<tool>.json; prints the medians as Markdown rows and the targets.
"""
import json
import os
import statistics
import sys

# Targets from the issue: (N, ratio Hugo/atlasgen at least, peak MiB at most, wall s under)
TARGETS = {1000: (5, None, None), 10000: (5, 250, None), 100000: (None, 1536, 10)}


def med(xs):
    return statistics.median(xs) if xs else None


def main():
    root = sys.argv[1]
    meta = json.load(open(os.path.join(root, "meta.json")))
    n = meta["n"]
    runs = [json.loads(l) for l in open(os.path.join(root, "runs.jsonl")) if l.strip()]
    by = {}
    for r in runs:
        by.setdefault(r["tool"], []).append(r)
    checks = {}
    for t in ("atlasgen", "hugo"):
        p = os.path.join(root, f"check-{t}.json")
        if os.path.exists(p):
            checks[t] = json.load(open(p))

    def stats(tool):
        rs = [r for r in by.get(tool, []) if r.get("rc") == 0]
        if not rs:
            return None
        w = [r["wall"] for r in rs]
        return {"n": len(rs), "wall": med(w), "min": min(w), "max": max(w), "cpu": med([r["cpu"] for r in rs]),
                "peak": med([r["peak"] for r in rs]), "peak_max": max(r["peak"] for r in rs),
                "failed": len(by.get(tool, [])) - len(rs),
                "busy": sum(1 for r in by.get(tool, []) if r.get("busy"))}

    a, h, c = stats("atlasgen"), stats("hugo"), stats("cp")
    ratio = (h["wall"] / a["wall"]) if a and h else None
    print(f"N={n}: {meta.get('runs')} runs per tool, interleaved; median (min–max) wall seconds; "
          f"atlasgen `{meta.get('atlasgen_version')}`, {meta.get('hugo_version') or 'Hugo not run'}")
    print()
    print("| tool | N | pages | wall s, median (min–max) | pages/s | cpu s | peak MiB | Hugo/atlasgen | cp -r floor s | build/floor | check |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for tool, s in (("atlasgen", a), ("hugo", h)):
        if not s:
            if tool in by:
                print(f"| {tool} | {n} | - | failed | - | - | - | - | - | - | {len(by[tool])} runs failed |")
            continue
        pages = checks.get(tool, {}).get("pages")
        pps = f"{pages / s['wall']:,.0f}" if pages else "-"
        r = f"{ratio:.2f}×" if (ratio and tool == "atlasgen") else ""
        floor = f"{c['wall']:.3f}" if (c and tool == "atlasgen") else ""
        bf = f"{s['wall'] / c['wall']:.1f}×" if (c and tool == "atlasgen") else ""
        chk = checks.get(tool, {}).get("check", "-")
        print(f"| {tool} | {n} | {pages or '-'} | {s['wall']:.3f} ({s['min']:.3f}–{s['max']:.3f}) | {pps} "
              f"| {s['cpu']:.3f} | {s['peak']:.0f} | {r} | {floor} | {bf} | {chk} |")
    if c:
        print(f"| cp -r site/ (I/O floor) | {n} | {checks.get('atlasgen', {}).get('files', '-')} files | "
              f"{c['wall']:.3f} ({c['min']:.3f}–{c['max']:.3f}) | | {c['cpu']:.3f} | {c['peak']:.0f} | | | | |")
    print()
    notes = []
    for tool, s in (("atlasgen", a), ("hugo", h), ("cp", c)):
        if s and s["busy"]:
            notes.append(f"{tool}: {s['busy']} of {s['n']} runs overlapped a running compiler (rustc/cargo) at start or end — noisy")
        if s and s["failed"]:
            notes.append(f"{tool}: {s['failed']} runs failed (non-zero exit)")
    if meta.get("binary_changed"):
        notes.append("the atlasgen binary changed during the run (rebuilt): its runs mix two builds")
    if meta.get("compare"):
        notes.append("equivalence: " + meta["compare"])
    t = TARGETS.get(n)
    if t and a:
        ok = []
        if t[0] and ratio is not None:
            ok.append(f"Hugo/atlasgen ≥ {t[0]}: {ratio:.2f} → {'PASS' if ratio >= t[0] else 'FAIL'}")
        if t[1]:
            ok.append(f"peak ≤ {t[1]} MiB: {a['peak_max']:.0f} → {'PASS' if a['peak_max'] <= t[1] else 'FAIL'}")
        if t[2]:
            ok.append(f"wall < {t[2]} s: {a['wall']:.2f} → {'PASS' if a['wall'] < t[2] else 'FAIL'}")
        notes.append("targets: " + ("; ".join(ok) if ok else "the ratio needs Hugo (run without HUGO=0)"))
    for s in notes:
        print(f"- {s}")


if __name__ == "__main__":
    main()
