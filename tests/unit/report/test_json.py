"""The report JSON against its shipped JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from socaudit.report.jsonout import report_json
from socaudit.report.model import build_system_report
from socaudit.report.schema import schema_text

from . import sample

SCHEMA = Path(__file__).parents[3] / "schemas" / "system-report.schema.json"


def _document() -> dict[str, object]:
    report = build_system_report(
        sample.assessment(), "dvc", sample.INVENTORY, sample.records(), sample.remediation
    )
    return json.loads(json.dumps(report_json(report)))  # type: ignore[no-any-return]


def test_output_validates_against_the_shipped_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    document = _document()
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["schema_version"] == 1 and document["kind"] == "system_report"
    assert document["counts"]["fail"] == 2  # type: ignore[index]


def test_schema_rejects_unknown_keys_and_wrong_types() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    document = _document()
    document["surprise"] = 1
    assert not validator.is_valid(document)
    document = _document()
    document["findings"][0]["deadline"] = 7  # type: ignore[index]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_shipped_schema_is_current() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), (
        "regenerate: python -c 'from socaudit.report.schema import schema_text; "
        'print(schema_text(), end="")\' > schemas/system-report.schema.json'
    )
