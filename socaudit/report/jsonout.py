"""The report model as JSON (``schema_version`` 1; ``schemas/system-report.schema.json``).

Language-neutral: reader text keeps both languages (``{"vi", "en"}``); dates are ISO strings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from socaudit.evaluation.model import LocalText
from socaudit.report.model import SystemReport

SCHEMA_VERSION = 1


def report_json(report: SystemReport) -> dict[str, Any]:
    """The JSON document of one system report."""
    data = _plain(report)
    data["verdict"]["counts"] = dict(report.verdict.counts)
    data["counts"] = dict(report.counts)
    del data["bars"]  # a drawing, not data
    return {"schema_version": SCHEMA_VERSION, "kind": "system_report", **data}


def dumps(report: SystemReport) -> str:
    return json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, LocalText):
        return {"vi": value.vi, "en": value.en}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value
