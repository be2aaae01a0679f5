"""docs/api.md's record and mutation tables, generated from the clinic's /openapi.json.

`python -m scripts.api_docs` rewrites the blocks between `<!-- generated: NAME -->` and
`<!-- end: NAME -->`; tests/clinic/test_api_docs.py fails when they differ from the contract.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
BLOCK = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(<!-- end: \2 -->)", re.DOTALL)

Schema = dict[str, Any]


def _name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type(prop: Schema) -> str:
    """A short reading of a property's JSON schema: `string`, `"a" | "b"`, `[string]`, `… | null`."""
    if "$ref" in prop:
        return _name(prop["$ref"])
    if "anyOf" in prop:
        return " | ".join(_type(p) for p in prop["anyOf"])
    if "const" in prop:
        return f'"{prop["const"]}"'
    if "enum" in prop:
        return " | ".join(f'"{v}"' for v in prop["enum"])
    kind = prop.get("type", "any")
    if kind == "array":
        return f"[{_type(prop.get('items', {}))}]"
    if kind == "object" and isinstance(prop.get("additionalProperties"), dict):
        return f"{{string: {_type(prop['additionalProperties'])}}}"
    return str(kind)


def _fields(schema: Schema) -> str:
    required = set(schema.get("required", ()))
    cells = []
    for name, prop in schema.get("properties", {}).items():
        optional = "" if name in required else "?"
        cells.append(f"`{name}{optional}`: {_type(prop)}")
    return ", ".join(cells).replace("|", "\\|")


def _variants(union: Schema) -> list[str]:
    return [_name(v["$ref"]) for v in union["oneOf"]]


def _data_schemas(change: Schema) -> list[str]:
    data = change["properties"]["data"]
    return [_name(p["$ref"]) for p in data.get("anyOf", [data]) if "$ref" in p]


def records(spec: Schema) -> str:
    """One row per record type and `data` schema of a sync change."""
    schemas = spec["components"]["schemas"]
    rows = ["| type | `data` schema | fields (`?`: may be left out) |", "| --- | --- | --- |"]
    for variant in _variants(schemas["SyncResponse"]["properties"]["changes"]["items"]):
        change = schemas[variant]
        type_ = change["properties"]["type"]["const"]
        for data in _data_schemas(change):
            rows.append(f"| `{type_}` | `{data}` | {_fields(schemas[data])} |")
    return "\n".join(rows) + "\n"


def mutations(spec: Schema) -> str:
    """One row per mutation type of `POST /v1/mutations`, with its payload."""
    schemas = spec["components"]["schemas"]
    rows = ["| type | payload schema | payload fields (`?`: may be left out) |", "| --- | --- | --- |"]
    for variant in _variants(schemas["MutationBatch"]["properties"]["mutations"]["items"]):
        mutation = schemas[variant]
        type_ = mutation["properties"]["type"]["const"]
        payload = _name(mutation["properties"]["payload"]["$ref"])
        rows.append(f"| `{type_}` | `{payload}` | {_fields(schemas[payload])} |")
    return "\n".join(rows) + "\n"


GENERATORS = {"records": records, "mutations": mutations}


def render(text: str, spec: Schema) -> str:
    """`text` with every generated block replaced by what the contract says."""
    return BLOCK.sub(lambda m: m.group(1) + GENERATORS[m.group(2)](spec) + m.group(4), text)


def blocks(text: str) -> dict[str, str]:
    return {m.group(2): m.group(3) for m in BLOCK.finditer(text)}


def main() -> int:
    from clinic.app import create_app
    from clinic.config import Settings
    from clinic.container import Services

    # The schema needs no database: the app is built but never started.
    spec = create_app(Services.build(Settings(database_url="sqlite://"))).openapi()
    DOC.write_text(render(DOC.read_text(encoding="utf-8"), spec), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
