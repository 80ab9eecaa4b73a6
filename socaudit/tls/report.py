"""The JSON document ``socaudit tls --format json`` prints, and its JSON Schema."""

from __future__ import annotations

import json
from typing import Any, Literal

from socaudit import __version__
from socaudit.evidence.base import Model
from socaudit.evidence.tls import TlsEndpointResult

SCHEMA_ID = "https://socaudit.example/schemas/tls-result.schema.json"


class TlsReport(Model):
    """``{"schema_version": 1, "tool": "socaudit", "version": ..., "endpoints": [...]}``."""

    schema_version: Literal[1] = 1
    tool: Literal["socaudit"] = "socaudit"
    version: str = __version__
    endpoints: tuple[TlsEndpointResult, ...] = ()


def report_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of :class:`TlsReport`, as shipped in ``schemas/``."""
    schema = TlsReport.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    """The schema file's exact content."""
    return json.dumps(report_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
