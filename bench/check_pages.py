#!/usr/bin/env python3
"""Count and sanity-check a built benchmark site against expected.json.

    python3 bench/check_pages.py OUTPUT_DIR EXPECTED_JSON [--layout atlasgen|hugo] [--json]

Counts *.html pages by kind (gate / corridor / event / tag pages, the 5 list
pages, anything else) and checks the data-driven pages' content:
  * the gates index links every gate once,
  * the timeline (/events/) lists every event, dates ascending,
  * the tag pages together hold one gate row per (gate, tag) pair,
  * every gate page has its <table> and the link to another gate.
Tag pages are at /gates/by-tags/<tag>/ (index /gates/by-tags/) in atlasgen, where
they are facet pages of the gates collection, and at /tags/<tag>/ in Hugo.
Prints one line; exit status 1 if anything differs from expected.json.
"""
import json
import os
import re
import sys

GATE_ROW = re.compile(r'<li><a href="/gates/[^"/]+/">')
TIME = re.compile(r"<li><time>(\d{4}-\d{2}-\d{2})</time>")
TAGS_DIR = {"atlasgen": "gates/by-tags", "hugo": "tags"}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    layout = "atlasgen"
    if "--layout" in sys.argv:
        layout = sys.argv[sys.argv.index("--layout") + 1]
        args.remove(layout)
    out, exp_path = args[0], args[1]
    exp = json.load(open(exp_path))
    tags_dir = TAGS_DIR[layout]
    lists = {"index.html", "gates/index.html", "corridors/index.html", "events/index.html", f"{tags_dir}/index.html"}
    kinds = {"gates": 0, "corridors": 0, "events": 0, "tags": 0, "lists": 0, "other": 0}
    other, total_bytes, bad_gate, tag_rows, files = [], 0, 0, 0, 0
    for dirpath, _, names in os.walk(out):
        for f in names:
            files += 1
            if not f.endswith(".html"):
                continue
            p = os.path.join(dirpath, f)
            rel = os.path.relpath(p, out).replace(os.sep, "/")
            total_bytes += os.path.getsize(p)
            parts = rel.split("/")
            if rel in lists:
                kinds["lists"] += 1
            elif rel.startswith(tags_dir + "/") and len(rel.split("/")) == len(tags_dir.split("/")) + 2:
                kinds["tags"] += 1
                tag_rows += len(GATE_ROW.findall(open(p, encoding="utf-8").read()))
            elif len(parts) == 3 and parts[2] == "index.html" and parts[0] in ("gates", "corridors", "events"):
                kinds[parts[0]] += 1
                if parts[0] == "gates":
                    s = open(p, encoding="utf-8").read()
                    if "<table" not in s or 'href="/gates/gate-' not in s:
                        bad_gate += 1
            else:
                kinds["other"] += 1
                other.append(rel)
    idx = os.path.join(out, "gates/index.html")
    gate_index_rows = len(GATE_ROW.findall(open(idx, encoding="utf-8").read())) if os.path.exists(idx) else -1
    tl = os.path.join(out, "events/index.html")
    dates = TIME.findall(open(tl, encoding="utf-8").read()) if os.path.exists(tl) else []
    counted = sum(v for k, v in kinds.items() if k != "other")
    problems = []
    for k in ("gates", "corridors", "events", "tags", "lists"):
        if kinds[k] != exp[k]:
            problems.append(f"{k} {kinds[k]}!={exp[k]}")
    if gate_index_rows != exp["gates"]:
        problems.append(f"gates-index rows {gate_index_rows}!={exp['gates']}")
    if len(dates) != exp["events"] or dates != sorted(dates):
        problems.append(f"timeline {len(dates)} entries, sorted={dates == sorted(dates)}")
    if tag_rows != exp["tag_links"]:
        problems.append(f"tag rows {tag_rows}!={exp['tag_links']}")
    if bad_gate:
        problems.append(f"{bad_gate} gate pages without table/link")
    res = {"pages": counted, **kinds, "other_html": sorted(other)[:5], "files": files,
           "html_MiB": round(total_bytes / 2**20, 1), "gates_index_rows": gate_index_rows,
           "timeline_rows": len(dates), "tag_rows": tag_rows,
           "check": "OK" if not problems else "MISMATCH: " + "; ".join(problems)}
    if "--json" in sys.argv:
        print(json.dumps(res, ensure_ascii=False))
    else:
        print(f"pages={counted} (gates {kinds['gates']}, corridors {kinds['corridors']}, events {kinds['events']}, "
              f"tags {kinds['tags']}, lists {kinds['lists']}) other html={other[:5]} files={files} "
              f"html={res['html_MiB']}MiB index_rows={gate_index_rows} timeline_rows={len(dates)} "
              f"tag_rows={tag_rows} -> {res['check']}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
