"""Checks every open data file of a built atlas against its specification.

    python tests/data/validate.py SITE_DIR

- datapackage.json and every CSV it lists: Frictionless (`frictionless validate`), which
  checks the package descriptor, each table against its schema (types, primary key), and
  that files exist with the declared size;
- every .geojson: the `geojson` package's validity check, plus RFC 7946 rules it leaves out
  (a FeatureCollection, [lon, lat] order within range, no `crs` member);
- every .ics: parsed by `icalendar`, each VEVENT with UID, DTSTAMP, DTSTART, DTEND after
  DTSTART and a SUMMARY; lines at most 75 octets, CRLF line ends;
- data/atlas.json: every record of every collection, references resolved.

Prints one line per file and exits non-zero on the first kind of failure it finds.
"""

import json
import pathlib
import sys

import frictionless
import geojson
import icalendar


def fail(msg: str) -> None:
    print(f"FAIL {msg}")
    sys.exit(1)


def check_package(site: pathlib.Path) -> dict:
    report = frictionless.validate(str(site / "datapackage.json"))
    if not report.valid:
        errors = report.flatten(["type", "title", "note"])
        fail("datapackage.json: " + "; ".join(" | ".join(map(str, e)) for e in errors[:20]))
    package = json.loads((site / "datapackage.json").read_text(encoding="utf-8"))
    tables = [r for r in package["resources"] if r.get("format") == "csv"]
    for task in report.tasks:
        if task.tabular:
            name = pathlib.Path(str(task.place)).name
            print(f"ok   {name}: {task.stats.get('rows', 0)} rows valid against its schema")
    print(f"ok   datapackage.json: {len(package['resources'])} resources, {len(tables)} tables valid")
    return package


def check_geojson(path: pathlib.Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") != "FeatureCollection":
        fail(f"{path.name}: top level is {data.get('type')}, expected FeatureCollection")
    if "crs" in data:
        fail(f"{path.name}: RFC 7946 removed the crs member")
    obj = geojson.loads(path.read_text(encoding="utf-8"))
    if not obj.is_valid:
        fail(f"{path.name}: {obj.errors()}")

    def positions(coords):
        if coords and isinstance(coords[0], (int, float)):
            yield coords
        else:
            for c in coords:
                yield from positions(c)

    for f in data["features"]:
        geom = f["geometry"]
        if geom["type"] not in ("Point", "LineString"):
            fail(f"{path.name}: unexpected geometry {geom['type']}")
        for lon, lat in positions(geom["coordinates"]):
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                fail(f"{path.name}: position {lon},{lat} out of range (is it lat/lon instead of lon/lat?)")
        if geom["type"] == "LineString" and len(geom["coordinates"]) < 2:
            fail(f"{path.name}: a LineString needs two positions")
        for key in ("id", "title", "url"):
            if key not in f["properties"]:
                fail(f"{path.name}: feature without {key}")
    print(f"ok   {path.name}: {len(data['features'])} features")


def check_ics(path: pathlib.Path) -> None:
    raw = path.read_bytes()
    lines = raw.split(b"\r\n")
    if b"\n" in raw.replace(b"\r\n", b""):
        fail(f"{path.name}: lines must end in CRLF")
    if any(len(l) > 75 for l in lines):
        fail(f"{path.name}: a line is longer than 75 octets")
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    uids = set()
    for ev in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            if prop not in ev:
                fail(f"{path.name}: event without {prop}")
        if ev["UID"] in uids:
            fail(f"{path.name}: duplicate UID {ev['UID']}")
        uids.add(ev["UID"])
        if ev.decoded("DTEND") <= ev.decoded("DTSTART"):
            fail(f"{path.name}: {ev['UID']} ends before it starts")
    if not events:
        fail(f"{path.name}: no events")
    print(f"ok   {path.name}: {len(events)} events")


ATOM = "{http://www.w3.org/2005/Atom}"


def check_atom(path: pathlib.Path) -> None:
    """RFC 4287: a feed has id, title, updated and an author (here on the feed); each entry has
    id, title, updated and an alternate link; timestamps are RFC 3339 with a zone."""
    import re
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    if root.tag != ATOM + "feed":
        fail(f"{path}: root element is {root.tag}, expected Atom feed")
    stamp = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
    for tag in ("id", "title", "updated", "author"):
        if root.find(ATOM + tag) is None:
            fail(f"{path}: feed without <{tag}>")
    if root.find(f"{ATOM}link[@rel='self']") is None:
        fail(f"{path}: feed without a self link")
    entries = root.findall(ATOM + "entry")
    ids = set()
    for e in entries:
        for tag in ("id", "title", "updated"):
            if e.find(ATOM + tag) is None:
                fail(f"{path}: entry without <{tag}>")
        if not stamp.match(e.find(ATOM + "updated").text or ""):
            fail(f"{path}: updated {e.find(ATOM + 'updated').text!r} is not RFC 3339")
        if e.find(f"{ATOM}link[@rel='alternate']") is None:
            fail(f"{path}: entry without an alternate link")
        ids.add(e.find(ATOM + "id").text)
    if len(ids) != len(entries) or not entries:
        fail(f"{path}: entry ids must be unique, and there must be entries")
    print(f"ok   {path.parent.name}/{path.name}: Atom feed, {len(entries)} entries")


def check_atlas_json(site: pathlib.Path, package: dict) -> None:
    data = json.loads((site / "data" / "atlas.json").read_text(encoding="utf-8"))
    for name, records in data["collections"].items():
        ids = [r["id"] for r in records]
        if len(ids) != len(set(ids)):
            fail(f"atlas.json: duplicate ids in {name}")
        table = next((r for r in package["resources"] if r["name"] == name), None)
        if table is None:
            fail(f"atlas.json: collection {name} has no CSV in the package")
    print(f"ok   atlas.json: {sum(len(v) for v in data['collections'].values())} records in {len(data['collections'])} collections")


def main() -> None:
    site = pathlib.Path(sys.argv[1])
    package = check_package(site)
    for p in sorted((site / "data").glob("*.geojson")):
        check_geojson(p)
    for p in sorted((site / "data").glob("*.ics")):
        check_ics(p)
    check_atlas_json(site, package)
    for p in sorted(site.glob("*/feed.xml")):
        check_atom(p)
    print("all data files valid")


if __name__ == "__main__":
    main()
