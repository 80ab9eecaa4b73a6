"""The inventory's policy_overrides change what `socaudit evaluate` judges with."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parents[1] / "cli"))

from tests_evaluate_support import records, system_data

from socaudit.cli.main import main
from socaudit.store.repository import NewRun, Store
from socaudit.store.snapshot import take_snapshot

EVIDENCE = [{"control": "QL.6", "status": "implemented", "document": "PA 1", "date": "2026-03-01"}]


def _inventory(path: Path, overrides: list[dict[str, Any]]) -> Path:
    data = {
        "schema_version": 1,
        "organization": {"name": "UBND tỉnh"},
        "authorization": {
            "reference": "QĐ 9/QĐ-UBND",
            "approved_by": "Chủ tịch UBND tỉnh",
            "window": {"from": "2026-10-01", "to": "2026-12-31"},
            "scope": ["127.0.10.0/24"],
        },
        "systems": [system_data(evidence=EVIDENCE)],
        "policy_overrides": overrides,
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _evaluate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], overrides: list[dict[str, Any]]
) -> tuple[int, str, str]:
    tmp_path.mkdir(exist_ok=True)
    db = tmp_path / "s.db"
    inventory = _inventory(tmp_path / "inv.yaml", overrides)
    store = Store(f"sqlite:///{db}")
    files = take_snapshot(inventory)
    run = store.start_run(
        NewRun(
            inventory_path=str(inventory),
            inventory_sha256=files[0].sha256,
            as_of=dt.date(2026, 11, 1),
            options={},
            systems=(("sys", "Hệ thống thử nghiệm", 3),),
            snapshot=files,
        )
    )
    for record in records():
        store.add(run, record)
    store.close()
    with pytest.raises(SystemExit) as exited:
        main(["--db", f"sqlite:///{db}", "evaluate", str(run), "--as-of", "2027-11-01",
              "--format", "json"])  # fmt: skip
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def _outcome(out: str, control: str) -> str:
    controls = json.loads(out)["systems"][0]["controls"]
    return str(next(c["outcome"] for c in controls if c["id"] == control))


def test_a_longer_interval_keeps_the_risk_plan_fresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    default = _evaluate(tmp_path / "a", capsys, [])
    longer = _evaluate(
        tmp_path / "b",
        capsys,
        [
            {
                "parameter": "assessment_interval_months",
                "value": 24,
                "levels": [3],
                "reason": "Quyết định của chủ quản",
            }
        ],
    )

    assert _outcome(default[1], "QL.6") == "insufficient_evidence"  # 20 months > 12
    assert _outcome(longer[1], "QL.6") == "pass"


def test_a_wrong_override_stops_with_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _evaluate(
        tmp_path, capsys, [{"parameter": "assesment_interval_months", "value": 6, "reason": "r"}]
    )

    assert (code, out) == (3, "")
    assert "did you mean 'assessment_interval_months'?" in err
