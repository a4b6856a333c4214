"""Validates an atlas's YAML against the JSON Schemas `atlasgen schema` wrote.

    python tests/data/validate_schemas.py SCHEMA_DIR ATLAS_DIR

- atlas.yaml against atlas.schema.json;
- each YAML list of records (content/<collection>.yaml, content/<collection>/*.yaml)
  against its collection's schema;
- the front matter of each Markdown record (translations, `<id>.<lang>.md`, left out)
  against its collection's record schema (`#/$defs/record`).

YAML is read as YAML 1.2, as atlasgen and YAML language servers read it. Prints one line per
file checked, then `FAIL <file>: <where>: <message>` for each problem; exits 1 if any.
"""

import json
import pathlib
import sys

import jsonschema
from ruamel.yaml import YAML

yaml = YAML(typ="safe", pure=True)


def load_yaml(text):
    return yaml.load(text)


def front_matter(text):
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---", 4)
    if end < 0:
        return None
    return text[4 : end + 1]


def validator(schema, ref=None):
    if ref is not None:
        schema = {k: v for k, v in schema.items() if k not in ("type", "items")}
        schema["$ref"] = ref
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def main():
    schemas, atlas = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    failures = []

    def check(v, doc, path):
        errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            failures.append(f"FAIL {path}: {where}: {e.message}")
        print(f"{'ok  ' if not errors else 'FAIL'} {path}")

    config = json.loads((schemas / "atlas.schema.json").read_text())
    check(validator(config), load_yaml((atlas / "atlas.yaml").read_text()), "atlas.yaml")
    collections = load_yaml((atlas / "atlas.yaml").read_text())["collections"]
    counts = {}
    for name in collections:
        schema = json.loads((schemas / f"{name}.schema.json").read_text())
        listed = schema.get("type") == "array"
        whole, record = validator(schema), validator(schema, "#/$defs/record")
        content = atlas / "content"
        lists = [p for p in [content / f"{name}.yaml", content / f"{name}.yml"] if p.exists()]
        folder = content / name
        if folder.is_dir():
            lists += sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
            for md in sorted(folder.glob("*.md")):
                if "." in md.stem:
                    continue  # a translation: only its translatable fields
                fm = front_matter(md.read_text())
                if fm is not None:
                    check(record, load_yaml(fm) or {}, md.relative_to(atlas))
                    counts[name] = counts.get(name, 0) + 1
        for p in lists:
            if not listed:
                failures.append(f"FAIL {p.relative_to(atlas)}: a list, but the schema is not a list's")
                continue
            check(whole, load_yaml(p.read_text()) or [], p.relative_to(atlas))
            counts[name] = counts.get(name, 0) + 1
    print("files checked per collection:", json.dumps(counts, sort_keys=True))
    for f in failures:
        print(f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
