"""``socaudit evaluate`` on a store with recorded evidence: JSON contract, stored assessments,
--as-of, -i, runs without a snapshot, exit codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests_evaluate_support import records, system_data

from socaudit.cli.main import main
from socaudit.evidence.records import EvidenceRecord
from socaudit.store.repository import NewRun, Store
from socaudit.store.snapshot import take_snapshot

RUN_DATE = dt.date(2026, 11, 1)


def _inventory(path: Path, **system: Any) -> Path:
    data = {
        "schema_version": 1,
        "organization": {"name": "UBND tỉnh"},
        "authorization": {
            "reference": "QĐ 9/QĐ-UBND",
            "approved_by": "Chủ tịch UBND tỉnh",
            "window": {"from": "2026-10-01", "to": "2026-12-31"},
            "scope": ["127.0.10.0/24"],
        },
        "systems": [system_data(**system)],
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _store_run(
    db: Path, inventory: Path, found: list[EvidenceRecord], snapshot: bool = True
) -> int:
    store = Store(f"sqlite:///{db}")
    files = take_snapshot(inventory)
    run_id = store.start_run(
        NewRun(
            inventory_path=str(inventory),
            inventory_sha256=files[0].sha256,
            as_of=RUN_DATE,
            options={},
            systems=(("sys", "Hệ thống thử nghiệm", 3),),
            snapshot=files if snapshot else (),
        )
    )
    for record in found:
        store.add(run_id, record)
    store.close()
    return run_id


def _cli(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["--db", f"sqlite:///{db}", "evaluate", *args])
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_json_contract_and_the_assessment_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.db"
    run = _store_run(db, _inventory(tmp_path / "inv.yaml"), records(telnet=True))
    code, out, err = _cli(db, capsys, "latest", "--format", "json")
    assert code == 1, err  # telnet is a failure
    data = json.loads(out)
    assert {"run", "assessment", "pack", "as_of", "systems"} <= set(data)
    assert data["run"] == run and data["as_of"] == "2026-11-01"
    assert data["pack"]["id"] == "tcvn11930" and data["pack"]["version"]
    (system,) = data["systems"]
    assert {"id", "level", "outcome", "counts", "controls", "four_layer"} <= set(system)
    assert set(system["four_layer"]) == {
        "on_site", "monitoring", "independent_inspection", "national_connection"
    }  # fmt: skip
    control = system["controls"][0]
    expected = {"id", "group", "clause", "kind", "outcome", "waived_outcome", "reason",
                "evidence", "waiver"}  # fmt: skip
    assert expected <= set(control) and set(control["reason"]) == {"vi", "en"}
    failed = [c for c in system["controls"] if c["outcome"] == "fail"]
    assert any("observed:ports:127.0.10.41" in c["evidence"] for c in failed)
    store = Store(f"sqlite:///{db}")
    (stored,) = store.assessments(run)
    store.close()
    assert stored.id == data["assessment"] and stored.inventory_source == "snapshot"
    assert stored.results["systems"][0]["controls"] == system["controls"]


def test_text_lists_failing_controls_first_then_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.db"
    _store_run(db, _inventory(tmp_path / "inv.yaml"), records(telnet=True))
    code, out, _ = _cli(db, capsys)
    assert code == 1
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  ["))
    assert lines[first].startswith("  [Không đạt]")
    assert "2323" in out and "Tổng hợp:" in out and "Mô hình 4 lớp" in out


def test_as_of_a_year_later_and_a_newer_inventory_are_new_assessments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.db"
    evidence = [{"control": "QL.6", "status": "implemented", "document": "PA 1",
                 "date": "2026-03-01"}]  # fmt: skip
    run = _store_run(db, _inventory(tmp_path / "inv.yaml"), records())
    _, before, _ = _cli(db, capsys, str(run), "--format", "json")
    newer = _inventory(tmp_path / "newer.yaml", evidence=evidence)
    _, now, _ = _cli(db, capsys, str(run), "-i", str(newer), "--format", "json")
    _, later, _ = _cli(
        db, capsys, str(run), "-i", str(newer), "--as-of", "2027-11-01", "--format", "json"
    )

    def outcome(text: str, cid: str) -> str:
        controls = json.loads(text)["systems"][0]["controls"]
        return str(next(c["outcome"] for c in controls if c["id"] == cid))

    assert outcome(before, "QL.6") == "insufficient_evidence"
    assert outcome(now, "QL.6") == "pass"
    assert outcome(later, "QL.6") == "insufficient_evidence"  # stale after 12 months
    assert outcome(before, "KT.1.6") == outcome(now, "KT.1.6") == outcome(later, "KT.1.6")
    store = Store(f"sqlite:///{db}")
    stored = store.assessments(run)
    store.close()
    assert [a.as_of.isoformat() for a in stored] == ["2026-11-01", "2026-11-01", "2027-11-01"]
    assert stored[1].inventory_source.startswith("snapshot+-i:")


def test_a_run_without_snapshot_needs_its_unchanged_file_or_i(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.db"
    inventory = _inventory(tmp_path / "inv.yaml")
    run = _store_run(db, inventory, records(), snapshot=False)
    code, _, err = _cli(db, capsys, str(run))
    assert code == 4, err  # judged with the unchanged file: no failure, declarations missing
    inventory.write_text(inventory.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    code, _, err = _cli(db, capsys, str(run))
    assert code == 2 and "-i INVENTORY" in err and "changed since the run" in err
    code, out, err = _cli(db, capsys, str(run), "-i", str(inventory), "--format", "json")
    assert code == 4, err
    assert json.loads(out)["systems"][0]["id"] == "sys"


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    assert _cli(db, capsys)[0] == 2  # no runs yet
    _store_run(db, _inventory(tmp_path / "inv.yaml"), records())
    assert _cli(db, capsys, "99")[0] == 2
    code, _, err = _cli(db, capsys, "--system", "nope")
    assert code == 2 and "nope" in err
    assert _cli(db, capsys, "--pack", str(tmp_path / "no-pack"))[0] == 3
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nsystems: []\n", encoding="utf-8")
    assert _cli(db, capsys, "-i", str(bad))[0] == 3
