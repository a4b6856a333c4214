#!/usr/bin/env python3
"""Generate atlasgen's benchmark corpus, and the same content for Hugo.

    python3 bench/gen_corpus.py N OUTDIR [--tools atlasgen,hugo] [--seed 1]

Writes OUTDIR/atlasgen/ (atlas.yaml + content/ + templates/) and OUTDIR/hugo/
(hugo.toml + layouts/ + content/), plus OUTDIR/expected.json.  The records are
generated once from a seeded RNG and serialised for each tool, so both get
byte-identical Markdown bodies and the same field values.

Logical content:
  * N gates        (one page each, ~300-word Markdown body: headings, list, table,
                    emphasis, a link to another gate; 2-3 tags out of 20)
  * N/50 corridors (one page each)
  * N/10 events    (one page each, unique dates)
Pages: one per gate, corridor and event; the gates index (all gates: name, province,
status, slug order); the corridors index; the timeline (all events, oldest first);
a tags index and one page per tag listing its gates (slug order); the home page.
Every page uses one base layout (title, nav, main content).

Derived from the shared SSG benchmark harness (its generator, Hugo writer and
"plain" writer, the plain writer adapted here into write_atlasgen()).
"""
import argparse
import json
import os
import random
import shutil
import sys
import unicodedata
from datetime import date, timedelta

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------
TAGS = [
    "border-market", "coal", "rubber", "fruit-export", "tourism", "customs-pilot",
    "cold-chain", "smart-gate", "rail-freight", "container", "livestock", "timber",
    "petroleum", "electronics", "handicraft", "pharmaceuticals", "seafood", "rice",
    "economic-zone", "night-market",
]
PROVINCES = {
    "CN": ["Quảng Ninh", "Lạng Sơn", "Cao Bằng", "Hà Giang", "Lào Cai", "Lai Châu", "Điện Biên"],
    "LA": ["Điện Biên", "Sơn La", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị",
           "Thừa Thiên Huế", "Quảng Nam", "Kon Tum"],
    "KH": ["Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Bình Phước", "Tây Ninh", "Long An",
           "Đồng Tháp", "An Giang", "Kiên Giang"],
}
COUNTRY_NAMES = {"VN": "Vietnam", "CN": "China", "LA": "Laos", "KH": "Cambodia"}
SYLLABLES_VI = [
    "Hữu", "Nghị", "Tà", "Lùng", "Móng", "Cái", "Lào", "Thanh", "Thủy", "Chi", "Ma", "Cốc",
    "Nam", "Bắc", "Phong", "Trà", "Lĩnh", "Sóc", "Giang", "Xín", "Mần", "Bản", "Vược", "Lù",
    "Thàng", "Tây", "Trang", "Na", "Mèo", "Cầu", "Treo", "Cha", "Lo", "Bảo", "Bờ", "Lệ",
    "Mộc", "Bài", "Xa", "Mát", "Vĩnh", "Xương", "Tịnh", "Biên", "Hà", "Tiên", "Dinh", "Đen",
    "Hoàng", "Diệu", "Quế", "Sơn", "Pò", "Peo", "Săm", "Pun", "Hạnh", "Phúc", "Nậm", "Cắn",
    "Đắk", "Ruê", "Lệ", "Xuân", "Hoa", "Lư", "Bu", "Prăng", "Khánh", "Bình", "Thường", "Phước",
]
CHARS_ZH = list("友谊关东兴河口天保龙邦水爱店峒中平孟田蓬都金勐康磨憨凭祥北仑横模里火那坡新安宁德靖西")
CITIES = [
    "Côn Minh", "Nam Ninh", "Hà Nội", "Hải Phòng", "Lạng Sơn", "Lào Cai", "Viêng Chăn",
    "Phnôm Pênh", "Savannakhet", "Đà Nẵng", "Vinh", "Huế", "Cần Thơ", "TP. Hồ Chí Minh",
    "Quảng Ninh", "Pakse", "Luang Prabang", "Siem Reap", "Bằng Tường", "Đông Hưng",
]
FACILITIES = [
    "a joint inspection hall with two lanes", "cold storage for perishable cargo",
    "a bonded warehouse", "a weighbridge rated for 80 tonnes", "a quarantine station",
    "a container yard", "a passenger terminal", "parking for 300 trucks",
    "an electronic customs kiosk", "a veterinary checkpoint", "a rail transshipment siding",
    "a river pier with crane", "a duty-free shop", "a currency exchange office",
    "an X-ray scanner for containers", "a fuel depot", "a border-guard post",
    "a logistics service centre",
]
SUBJECTS = [
    "The crossing", "The traders' association", "The provincial authority", "The freight operator",
    "The customs office", "The border guard", "A visiting delegation", "The farmers' cooperative",
    "The transport company", "The management board", "The nearby commune", "The logistics park",
]
VERBS = [
    "handles", "supports", "coordinates", "depends on", "has expanded", "regularly reviews",
    "is preparing", "reports", "monitors", "promotes", "streamlines", "funds",
]
OBJECTS = [
    "the seasonal flow of dragon fruit and lychee", "inspection procedures for bulk cargo",
    "a growing volume of container traffic", "cross-border payments in local currency",
    "night-time clearance on busy weekends", "the upgrade of the access road",
    "training for new inspection staff", "a pilot for paperless declarations",
    "the exchange of quarantine certificates", "tourist groups travelling by coach",
    "the maintenance of the weighbridge", "coordination with the neighbouring checkpoint",
    "statistics on daily crossings", "cooperation with logistics parks",
    "the relocation of the market stalls", "environmental checks on timber shipments",
]
TAILS = [
    "during the dry season", "in line with the bilateral agreement", "at peak hours",
    "since the last renovation", "under the provincial master plan", "with support from the ministry",
    "despite frequent congestion", "according to the annual report", "on both sides of the border",
    "as part of the corridor programme",
]
EVENT_KINDS = [
    "Upgrade of {g} to international status", "Trade fair at {g}", "Opening of the new terminal at {g}",
    "Temporary closure of {g}", "Joint inspection pilot at {g}", "Record daily crossings at {g}",
    "Flood damage repaired at {g}", "Delegation visit to {g}", "Smart-gate trial at {g}",
    "Reopening of {g} after maintenance",
]


def fold(s):
    """ASCII-fold a Vietnamese string and slugify it."""
    s = s.replace("Đ", "D").replace("đ", "d")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    out = []
    for c in s.lower():
        out.append(c if c.isalnum() and c.isascii() else "-")
    return "-".join(p for p in "".join(out).split("-") if p)


def sentence(rng):
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.6:
        s += " " + rng.choice(TAILS)
    return s + "."


def paragraph(rng, words, first=None):
    parts = [first] if first else []
    n = len(" ".join(parts).split())
    while n < words:
        s = sentence(rng)
        parts.append(s)
        n += len(s.split())
    return " ".join(parts)


# --------------------------------------------------------------------------
# Records: generated once, shared by every writer
# --------------------------------------------------------------------------
def make_data(n, seed):
    rng = random.Random(seed)
    m = max(1, n // 50)
    n_events = max(1, n // 10)

    corridors = []
    for j in range(m):
        a, b = rng.sample(CITIES, 2)
        name = f"Hành lang {a} – {b}"
        cc = rng.choice(["CN", "LA", "KH"])
        corridors.append({
            "slug": f"corridor-{j:04d}-{fold(a)}-{fold(b)}",
            "name": name,
            "countries": ["VN", cc],
            "length_km": rng.randint(80, 1400),
        })

    gates = []
    for i in range(n):
        cc = rng.choices(["CN", "LA", "KH"], weights=[4, 3, 3])[0]
        core = " ".join(rng.sample(SYLLABLES_VI, 2))
        name_vi = f"Cửa khẩu {core}"
        name_zh = "".join(rng.sample(CHARS_ZH, 3)) + "口岸"
        gates.append({
            "slug": f"gate-{i:05d}-{fold(core)}",
            "name_vi": name_vi,
            "name_zh": name_zh,
            "countries": ["VN", cc],
            "province": rng.choice(PROVINCES[cc]),
            "lat": round(rng.uniform(10.3, 23.4), 5),
            "lon": round(rng.uniform(102.1, 108.0), 5),
            "type": rng.choices(["road", "rail", "river"], weights=[7, 1, 2])[0],
            "status": rng.choices(["international", "bilateral", "secondary"], weights=[2, 3, 5])[0],
            "opened": (date(1955, 1, 1) + timedelta(days=rng.randrange(0, 25000))).isoformat(),
            "tags": sorted(rng.sample(TAGS, rng.choice([2, 3]))),
            "corridor": corridors[rng.randrange(m)]["slug"],
        })

    # Bodies (need every gate's slug for the cross-links)
    for i, g in enumerate(gates):
        other = gates[rng.randrange(n)] if n > 1 else g
        if other is g and n > 1:
            other = gates[(i + 1) % n]
        cname = " – ".join(COUNTRY_NAMES[c] for c in g["countries"])
        years = range(2020, 2024)
        rows = "\n".join(
            f"| {y} | {rng.randint(1000, 900000):,} | {rng.randint(100, 500000):,} |" for y in years)
        facilities = "\n".join(f"- {f}" for f in rng.sample(FACILITIES, 4))
        g["body"] = (
            "## Overview\n\n"
            + paragraph(rng, 80, first=f"{g['name_vi']} is a *{g['type']}* crossing on the "
                        f"{cname} border in {g['province']}, classified as **{g['status']}**.")
            + "\n\n## Facilities\n\n" + facilities
            + "\n\n## Traffic\n\n| Year | Crossings | Cargo (t) |\n| ---- | --------: | --------: |\n"
            + rows
            + "\n\n## History\n\n"
            + paragraph(rng, 70, first=f"The gate opened on {g['opened']}. It is often compared with "
                        f"[{other['name_vi']}](/gates/{other['slug']}/), which serves a similar *hinterland*.")
            + "\n\n" + paragraph(rng, 60) + "\n"
        )

    for c in corridors:
        c["body"] = (
            "## Route\n\n" + paragraph(rng, 60, first=f"{c['name']} runs for about **{c['length_km']} km**.")
            + "\n\n## Notes\n\n- " + "\n- ".join(rng.sample(FACILITIES, 3)) + "\n\n"
            + paragraph(rng, 50) + "\n"
        )

    events = []
    start = date(1990, 1, 1)
    day_offsets = rng.sample(range(0, 13000), n_events)  # unique dates -> unambiguous order
    for k in range(n_events):
        g = gates[rng.randrange(n)]
        title = rng.choice(EVENT_KINDS).format(g=g["name_vi"])
        d = (start + timedelta(days=day_offsets[k])).isoformat()
        events.append({
            "slug": f"event-{k:05d}",
            "title": title,
            "date": d,
            "gate": g["slug"],
            "body": paragraph(rng, 70, first=f"On {d}, *{g['name_vi']}* ([details](/gates/{g['slug']}/)) "
                              "was in the news.") + "\n\n" + paragraph(rng, 50) + "\n",
        })
    return {"n": n, "gates": gates, "corridors": corridors, "events": events, "tags": TAGS}


# --------------------------------------------------------------------------
# Serialisation helpers
# --------------------------------------------------------------------------
def ystr(v):
    """YAML scalar. Strings are double-quoted (a JSON string is a valid YAML
    double-quoted scalar); dates pass through as YAML dates when wrapped in YDate."""
    if isinstance(v, YDate):
        return v.s
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(ystr(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


class YDate:
    def __init__(self, s):
        self.s = s


def yaml_fm(fields, indent=0):
    """fields: list of (key, value); value may be a nested list of pairs (mapping)."""
    lines = []
    pad = " " * indent
    for k, v in fields:
        if isinstance(v, list) and v and isinstance(v[0], tuple):
            lines.append(f"{pad}{k}:")
            lines.append(yaml_fm(v, indent + 2))
        else:
            lines.append(f"{pad}{k}: {ystr(v)}")
    return "\n".join(lines)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def md(path, fields, body=""):
    write(path, "---\n" + yaml_fm(fields) + "\n---\n" + (("\n" + body) if body else ""))


def gate_fields(g, type_key="type"):
    """Canonical gate fields, in canonical order. type_key lets a tool rename a
    field whose name it reserves (Hugo reserves `type` for layout selection)."""
    return [
        ("slug", g["slug"]), ("name_vi", g["name_vi"]), ("name_zh", g["name_zh"]),
        ("countries", g["countries"]), ("province", g["province"]),
        ("lat", g["lat"]), ("lon", g["lon"]), (type_key, g["type"]), ("status", g["status"]),
        ("opened", g["opened"]), ("tags", g["tags"]), ("corridor", g["corridor"]),
    ]


def corridor_fields(c):
    return [("slug", c["slug"]), ("name", c["name"]), ("countries", c["countries"]),
            ("length_km", c["length_km"])]


def event_fields(e):
    return [("slug", e["slug"]), ("title", e["title"]), ("date", YDate(e["date"])), ("gate", e["gate"])]


NAV = ('<nav><a href="/">Atlas</a> | <a href="/gates/">Gates</a> | <a href="/corridors/">Corridors</a>'
       ' | <a href="/events/">Timeline</a> | <a href="/tags/">Tags</a></nav>')
HOME_TEXT = "<h1>Atlas</h1>\n<p>Border gates, corridors and events.</p>"


def page_shell(title_expr, main_expr):
    return ("<!DOCTYPE html>\n<html lang=\"vi\">\n<head><meta charset=\"utf-8\"><title>"
            + title_expr + " · Atlas</title></head>\n<body>\n" + NAV + "\n<main>\n"
            + main_expr + "\n</main>\n</body>\n</html>\n")


# --------------------------------------------------------------------------
# Hugo: content sections + `tags` taxonomy + minimal layouts
# --------------------------------------------------------------------------
def write_hugo(root, data, opts):
    write(f"{root}/hugo.toml", """baseURL = "http://localhost/"
languageCode = "vi"
title = "Atlas"
# Only the page kinds the atlas needs: no RSS, sitemap, robots.txt or 404.
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]
[taxonomies]
  tag = "tags"
""")
    L = f"{root}/layouts"
    write(f"{L}/_default/baseof.html",
          page_shell('{{ block "title" . }}{{ .Title }}{{ end }}', '{{ block "main" . }}{{ end }}'))
    write(f"{L}/index.html", '{{ define "title" }}Home{{ end }}{{ define "main" }}' + HOME_TEXT + '{{ end }}\n')
    write(f"{L}/_default/single.html", '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}{{ end }}\n')
    write(f"{L}/_default/list.html", '{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}\n')
    gate_row = ('<li><a href="{{ .RelPermalink }}">{{ .Params.name_vi }}</a> — {{ .Params.province }}'
                ' — {{ .Params.status }}</li>\n')
    write(f"{L}/gates/single.html", """{{ define "main" }}<article class="gate">
<h1>{{ .Params.name_vi }}</h1>
<p lang="zh">{{ .Params.name_zh }}</p>
<dl>
<dt>Countries</dt><dd>{{ delimit .Params.countries " – " }}</dd>
<dt>Province</dt><dd>{{ .Params.province }}</dd>
<dt>Coordinates</dt><dd>{{ .Params.lat }}, {{ .Params.lon }}</dd>
<dt>Type</dt><dd>{{ .Params.gate_type }}</dd>
<dt>Status</dt><dd>{{ .Params.status }}</dd>
<dt>Opened</dt><dd>{{ .Params.opened }}</dd>
<dt>Corridor</dt><dd><a href="/corridors/{{ .Params.corridor }}/">{{ .Params.corridor }}</a></dd>
<dt>Tags</dt><dd>{{ range .Params.tags }}<a href="/tags/{{ . }}/">{{ . }}</a> {{ end }}</dd>
</dl>
{{ .Content }}
</article>{{ end }}
""")
    write(f"{L}/gates/list.html", '{{ define "main" }}<h1>{{ .Title }}</h1>\n<p>{{ len .Pages }} gates</p>\n<ul>\n'
          '{{ range sort .Pages "File.BaseFileName" }}' + gate_row + '{{ end }}</ul>{{ end }}\n')
    write(f"{L}/_default/term.html", '{{ define "title" }}Tag: {{ .Data.Term }}{{ end }}{{ define "main" }}'
          '<h1>Tag: {{ .Data.Term }}</h1>\n<p>{{ len .Pages }} gates</p>\n<ul>\n'
          '{{ range sort .Pages "File.BaseFileName" }}' + gate_row + '{{ end }}</ul>{{ end }}\n')
    write(f"{L}/_default/terms.html", '{{ define "title" }}Tags{{ end }}{{ define "main" }}<h1>Tags</h1>\n<ul>\n'
          '{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Name }}</a> ({{ .Count }})</li>\n'
          '{{ end }}</ul>{{ end }}\n')
    write(f"{L}/corridors/single.html", """{{ define "main" }}<article class="corridor">
<h1>{{ .Params.name }}</h1>
<p>{{ delimit .Params.countries " – " }} · {{ .Params.length_km }} km</p>
{{ .Content }}
</article>{{ end }}
""")
    write(f"{L}/corridors/list.html", '{{ define "main" }}<h1>{{ .Title }}</h1>\n<ul>\n'
          '{{ range sort .Pages "File.BaseFileName" }}<li><a href="{{ .RelPermalink }}">{{ .Params.name }}</a></li>\n'
          '{{ end }}</ul>{{ end }}\n')
    write(f"{L}/events/single.html", """{{ define "main" }}<article class="event">
<h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2006-01-02" }}</time> · <a href="/gates/{{ .Params.gate }}/">{{ .Params.gate }}</a></p>
{{ .Content }}
</article>{{ end }}
""")
    write(f"{L}/events/list.html", '{{ define "main" }}<h1>{{ .Title }}</h1>\n<ol>\n'
          '{{ range .Pages.ByDate }}<li><time>{{ .Date.Format "2006-01-02" }}</time> '
          '<a href="{{ .RelPermalink }}">{{ .Title }}</a></li>\n{{ end }}</ol>{{ end }}\n')

    C = f"{root}/content"
    md(f"{C}/gates/_index.md", [("title", "Gates")])
    md(f"{C}/corridors/_index.md", [("title", "Corridors")])
    md(f"{C}/events/_index.md", [("title", "Timeline")])
    for g in data["gates"]:
        # `type` is reserved by Hugo (it selects the layout), so the field is gate_type here.
        md(f"{C}/gates/{g['slug']}.md", [("title", g["name_vi"])] + gate_fields(g, "gate_type"), g["body"])
    for c in data["corridors"]:
        md(f"{C}/corridors/{c['slug']}.md", [("title", c["name"])] + corridor_fields(c), c["body"])
    for e in data["events"]:
        md(f"{C}/events/{e['slug']}.md", event_fields(e), e["body"])


# --------------------------------------------------------------------------
# atlasgen: atlas.yaml (three collections; tags as a facet of gates; events
# as a timeline) + content/<collection>/<id>.md + minimal templates doing the
# same work as the peers' layouts.  atlasgen's own URLs differ in one place:
# tag pages are facet pages, /gates/by-tags/<tag>/ and /gates/by-tags/.
# --------------------------------------------------------------------------
ATLAS_NAV = ('<nav><a href="{{ site.base_path }}">Atlas</a> | <a href="{{ site.base_path }}gates/">Gates</a>'
             ' | <a href="{{ site.base_path }}corridors/">Corridors</a> | <a href="{{ site.base_path }}events/">Timeline</a>'
             ' | <a href="{{ site.base_path }}gates/by-tags/">Tags</a></nav>')


def atlas_config(data):
    tags = sorted({t for g in data["gates"] for t in g["tags"]})
    return """# atlasgen benchmark atlas (generated by bench/gen_corpus.py).
title: Atlas
description: Border gates, corridors and events.
base_url: http://localhost/
language: vi
# The peers (Hugo) build no search index, so neither does the benchmark atlas.
search: false
# No map.basemap: the peers draw no maps.
collections:
  gates:
    title: Gates
    singular: Gate
    title_field: name_vi
    columns: [province, status]
    sort: [slug]
    facets: [tags]
    fields:
      slug: {type: string, required: true}
      name_vi: {type: string, required: true}
      name_zh: {type: string, lang: zh-Hans}
      countries: {type: list, item: {type: string}}
      province: {type: string}
      lat: {type: number}
      lon: {type: number}
      type: {type: enum, values: [road, rail, river]}
      status: {type: enum, values: [international, bilateral, secondary]}
      opened: {type: date}
      tags: {type: list, item: {type: string}}
      corridor: {type: ref, collection: corridors}
  corridors:
    title: Corridors
    singular: Corridor
    title_field: name
    sort: [slug]
    fields:
      slug: {type: string, required: true}
      name: {type: string, required: true}
      countries: {type: list, item: {type: string}}
      length_km: {type: integer}
  events:
    title: Timeline
    singular: Event
    title_field: title
    sort: [date]
    timeline: {date: date}
    fields:
      slug: {type: string, required: true}
      title: {type: string, required: true}
      date: {type: date, required: true}
      gate: {type: ref, collection: gates}
""" + f"# {len(tags)} tags: {', '.join(tags)}\n"


def write_atlasgen(root, data, opts):
    write(f"{root}/atlas.yaml", atlas_config(data))
    T = f"{root}/templates"
    write(f"{T}/base.html", page_shell("{% block title %}{{ page.title }}{% endblock %}",
                                       "{% block main %}{% endblock %}").replace(NAV, ATLAS_NAV))

    def tpl(name, main, title=None):
        t = '{% block title %}' + title + '{% endblock %}' if title else ""
        write(f"{T}/{name}", '{% extends "base.html" %}' + t + '{% block main %}' + main + '{% endblock %}\n')

    gate_row = ('<li><a href="{{ row.link.url }}">{{ row.link.title }}</a> — {{ row.cells[0].text }}'
                ' — {{ row.cells[1].value }}</li>\n')
    tpl("index.html", HOME_TEXT, title="Home")
    tpl("gates/record.html", """<article class="gate">
<h1>{{ record.title }}</h1>
<p lang="zh">{{ record.data.name_zh.text }}</p>
<dl>
<dt>Countries</dt><dd>{% for c in record.data.countries["items"] %}{{ c.text }}{% if not loop.last %} – {% endif %}{% endfor %}</dd>
<dt>Province</dt><dd>{{ record.data.province.text }}</dd>
<dt>Coordinates</dt><dd>{{ record.data.lat.text }}, {{ record.data.lon.text }}</dd>
<dt>Type</dt><dd>{{ record.data.type.value }}</dd>
<dt>Status</dt><dd>{{ record.data.status.value }}</dd>
<dt>Opened</dt><dd>{{ record.data.opened.iso }}</dd>
<dt>Corridor</dt><dd><a href="{{ record.data.corridor.link.url }}">{{ record.data.corridor.link.id }}</a></dd>
<dt>Tags</dt><dd>{% for t in record.data.tags["items"] %}<a href="{{ site.base_path }}gates/by-tags/{{ t.text }}/">{{ t.text }}</a> {% endfor %}</dd>
</dl>
{{ record.body_html|safe }}
</article>""")
    tpl("gates/collection.html", '<h1>{{ collection.title }}</h1>\n<p>{{ collection.count }} gates</p>\n<ul>\n'
        '{% for row in rows %}' + gate_row + '{% endfor %}</ul>')
    tpl("gates/facet.html", '<h1>Tag: {{ value.text }}</h1>\n<p>{{ value.count }} gates</p>\n<ul>\n'
        '{% for row in rows %}' + gate_row + '{% endfor %}</ul>', title="Tag: {{ value.text }}")
    tpl("gates/facet_index.html", '<h1>Tags</h1>\n<ul>\n{% for v in facet["values"] %}'
        '<li><a href="{{ v.url }}">{{ v.text }}</a> ({{ v.count }})</li>\n{% endfor %}</ul>', title="Tags")
    tpl("corridors/record.html", """<article class="corridor">
<h1>{{ record.title }}</h1>
<p>{% for c in record.data.countries["items"] %}{{ c.text }}{% if not loop.last %} – {% endif %}{% endfor %} · {{ record.data.length_km.text }} km</p>
{{ record.body_html|safe }}
</article>""")
    tpl("corridors/collection.html", '<h1>{{ collection.title }}</h1>\n<ul>\n{% for row in rows %}'
        '<li><a href="{{ row.link.url }}">{{ row.link.title }}</a></li>\n{% endfor %}</ul>')
    tpl("events/record.html", """<article class="event">
<h1>{{ record.title }}</h1>
<p><time>{{ record.data.date.iso }}</time> · <a href="{{ record.data.gate.link.url }}">{{ record.data.gate.link.id }}</a></p>
{{ record.body_html|safe }}
</article>""")
    # The timeline: atlasgen groups a dated collection by era and year; one flat list, oldest first.
    tpl("events/collection.html", '<h1>{{ collection.title }}</h1>\n<ol>\n{% for era in timeline.eras %}'
        '{% for y in era.years %}{% for e in y.entries %}<li><time>{{ e.iso }}</time> <a href="{{ e.url }}">'
        '{{ e.title }}</a></li>\n{% endfor %}{% endfor %}{% endfor %}</ol>')
    # Pages atlasgen always writes and the peers do not (kept minimal): the open-data page and 404.
    tpl("data.html", '<h1>{{ page.title }}</h1>')
    tpl("404.html", '<h1>{{ page.title }}</h1>')

    C = f"{root}/content"
    for g in data["gates"]:
        md(f"{C}/gates/{g['slug']}.md", gate_fields(g), g["body"])
    for c in data["corridors"]:
        md(f"{C}/corridors/{c['slug']}.md", corridor_fields(c), c["body"])
    for e in data["events"]:
        md(f"{C}/events/{e['slug']}.md", event_fields(e), e["body"])


WRITERS = {"atlasgen": write_atlasgen, "hugo": write_hugo}


def expected_counts(data):
    """What every tool must produce; count_pages.py compares against this."""
    n_tags = len({t for g in data["gates"] for t in g["tags"]})
    return {
        "gates": len(data["gates"]), "corridors": len(data["corridors"]), "events": len(data["events"]),
        "tags": n_tags, "lists": 5,  # home, gates index, corridors index, timeline, tags index
        "total": len(data["gates"]) + len(data["corridors"]) + len(data["events"]) + n_tags + 5,
        "tag_links": sum(len(g["tags"]) for g in data["gates"]),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of gates (corridors = N/50, events = N/10)")
    ap.add_argument("outdir")
    ap.add_argument("--tools", default=",".join(WRITERS), help="comma list, default: " + ",".join(WRITERS))
    ap.add_argument("--seed", type=int, default=1)
    opts = ap.parse_args()
    if opts.n < 50:
        sys.exit("N must be >= 50")
    data = make_data(opts.n, opts.seed)
    os.makedirs(opts.outdir, exist_ok=True)
    for tool in [t for t in opts.tools.split(",") if t]:
        if tool not in WRITERS:
            sys.exit(f"unknown tool {tool!r}; known: {', '.join(WRITERS)}")
        root = os.path.join(opts.outdir, tool)
        if os.path.exists(root):
            shutil.rmtree(root)
        WRITERS[tool](root, data, opts)
    write(os.path.join(opts.outdir, "expected.json"), json.dumps(expected_counts(data), indent=1) + "\n")
    words = [len(g["body"].split()) for g in data["gates"]]
    print(f"N={opts.n}: {len(data['gates'])} gates (body {min(words)}-{max(words)} words, "
          f"mean {sum(words) / len(words):.0f}), {len(data['corridors'])} corridors, "
          f"{len(data['events'])} events, {len({t for g in data['gates'] for t in g['tags']})} tags -> {opts.outdir}")


if __name__ == "__main__":
    main()
