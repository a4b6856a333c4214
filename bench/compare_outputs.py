#!/usr/bin/env python3
"""Check that atlasgen and Hugo built the same site: compare the <main> of pages.

    python3 bench/compare_outputs.py ATLASGEN_OUT HUGO_OUT

For the 5 list pages, every tag page and a sample of gate / corridor / event
pages, the text of <main> is compared (tags stripped, entities and typographic
quotes normalised: the Markdown renderers differ in markup, not text).  Tag pages
are /gates/by-tags/... in atlasgen and /tags/... in Hugo.
  same       identical markup (blank lines ignored)
  text-same  identical text
  DIFF       different text: the sites are NOT equivalent
Exit status 1 if any page is DIFF or missing.
"""
import html
import os
import re
import sys


def main_el(path):
    s = open(path, encoding="utf-8").read()
    return s[s.index("<main>"):s.index("</main>")]


def norm(s):
    return "\n".join(line for line in s.splitlines() if line.strip())


def text(s):
    s = html.unescape(re.sub(r"<[^>]+>", " ", s))
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        s = s.replace(a, b)
    return " ".join(s.split())


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a_out, h_out = sys.argv[1], sys.argv[2]
    pages = [(p, p) for p in ("index.html", "gates/index.html", "corridors/index.html", "events/index.html")]
    pages.append(("gates/by-tags/index.html", "tags/index.html"))
    for sec, step in (("tags", 1), ("gates", 97), ("corridors", 7), ("events", 13)):
        d = os.path.join(h_out, sec)
        subs = sorted(x for x in os.listdir(d) if os.path.isdir(os.path.join(d, x)))
        a_sec = "gates/by-tags" if sec == "tags" else sec
        pages += [(f"{a_sec}/{x}/index.html", f"{sec}/{x}/index.html") for x in subs[::step]]
    tally = {"same": 0, "text-same": 0, "DIFF": 0, "missing": 0}
    bad = []
    for a, h in pages:
        fa = os.path.join(a_out, a)
        if not os.path.exists(fa):
            tally["missing"] += 1; bad.append(f"missing {a}"); continue
        ra, rh = norm(main_el(fa)), norm(main_el(os.path.join(h_out, h)))
        k = "same" if ra == rh else ("text-same" if text(ra) == text(rh) else "DIFF")
        tally[k] += 1
        if k == "DIFF":
            bad.append(f"{a} differs from hugo {h}")
    print(f"atlasgen vs hugo, {len(pages)} pages: " + ", ".join(f"{k} {v}" for k, v in tally.items()))
    for b in bad[:10]:
        print("  " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
