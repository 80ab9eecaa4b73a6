"""JSON Schema (draft 2020-12) of the report JSON, as shipped in ``schemas/``.

Derived from the report model's types, so the schema and ``jsonout`` cannot drift apart
silently (a test compares the shipped file with ``schema_text()``)::

    python -c 'from socaudit.report.schema import schema_text; print(schema_text(), end="")' \\
        > schemas/system-report.schema.json
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from socaudit.report.model import SystemReport

SCHEMA_ID = "https://socaudit.example/schemas/system-report.schema.json"


def report_schema() -> dict[str, Any]:
    schema = TypeAdapter(SystemReport).json_schema(mode="serialization")
    props = schema["properties"]
    del props["bars"]
    schema["required"] = [k for k in schema["required"] if k != "bars"]
    counts = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
    props["counts"] = counts
    schema["$defs"]["Verdict"]["properties"]["counts"] = counts
    schema["$defs"].pop("Bar", None)
    props["schema_version"] = {"const": 1}
    props["kind"] = {"const": "system_report"}
    schema["required"] = ["schema_version", "kind", *schema["required"]]
    _closed(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(report_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _closed(node: Any) -> None:
    """Every object with listed properties rejects unknown keys."""
    if isinstance(node, dict):
        if "properties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _closed(value)
    elif isinstance(node, list):
        for value in node:
            _closed(value)
