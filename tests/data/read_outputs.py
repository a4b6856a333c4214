"""Reads a built site's files with parsers atlasgen does not share, for tests/it/hostile.rs.

    python tests/data/read_outputs.py FILE...

Prints one JSON object, keyed by the files given, of what each holds once parsed:
- .csv: its rows (Python's csv module, RFC 4180 quoting);
- .ics: the properties of each VEVENT, unescaped and unfolded (the `icalendar` package);
- .xml and .svg: every text and attribute value, in document order, entities decoded
  (xml.etree.ElementTree, which refuses a document that is not well-formed).

Exits non-zero, naming the file, when one cannot be parsed.
"""

import csv
import json
import pathlib
import sys
import xml.etree.ElementTree as ET

import icalendar


def read_csv(path: pathlib.Path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, strict=True))


def read_ics(path: pathlib.Path):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return [{k: str(v) for k, v in event.items()} for event in cal.walk("VEVENT")]


def read_xml(path: pathlib.Path):
    values = []
    for el in ET.parse(path).getroot().iter():
        values.extend(el.attrib.values())
        values.extend(t for t in (el.text, el.tail) if t and t.strip())
    return values


READERS = {".csv": read_csv, ".ics": read_ics, ".xml": read_xml, ".svg": read_xml}

out = {}
for name in sys.argv[1:]:
    path = pathlib.Path(name)
    try:
        out[name] = READERS[path.suffix](path)
    except Exception as e:  # noqa: BLE001 - any failure to parse is the finding
        print(f"FAIL {name}: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
print(json.dumps(out, ensure_ascii=False))
