"""The JSON document ``socaudit tls --format json`` prints, and its JSON Schema."""

from __future__ import annotations

import json
from typing import Any, Literal

from socaudit import __version__
from socaudit.evidence.base import Model
from socaudit.evidence.tls import TlsEndpointResult

SCHEMA_ID = "https://socaudit.example/schemas/tls-result.schema.json"


class CheckAuthorization(Model):
    """On what authority an ad-hoc check ran: an inventory's written authorisation, loopback
    targets only, or ``--unscoped`` (nothing recorded: the user vouched for the targets)."""

    recorded: bool
    basis: Literal["inventory", "loopback", "unscoped"]
    reference: str | None = None
    """``authorization.reference`` of the inventory (basis ``inventory``)."""
    inventory: str | None = None
    as_of: str | None = None
    """The day judged against the window, in the inventory's ``authorization.timezone``."""


class TlsReport(Model):
    """``{"schema_version": 1, "tool": "socaudit", "version": ..., "authorization": {...},
    "endpoints": [...]}``."""

    schema_version: Literal[1] = 1
    tool: Literal["socaudit"] = "socaudit"
    version: str = __version__
    authorization: CheckAuthorization | None = None
    endpoints: tuple[TlsEndpointResult, ...] = ()


def report_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of :class:`TlsReport`, as shipped in ``schemas/``."""
    schema = TlsReport.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    """The schema file's exact content."""
    return json.dumps(report_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
