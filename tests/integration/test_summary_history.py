"""Two real scans of a demo system, a port closed and a waiver expired in between:
``diff``, ``due``, ``history`` and ``summary`` on that history (real lab, real nmap)."""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml
from scan_support import demo_copy, run_socaudit

pytestmark = pytest.mark.integration

EXTRA = "127.0.10.231"  # no lab target lives here: the test's own listener
WAIVER_ENDS = dt.date(2026, 12, 20)


def _listener() -> socket.socket:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((EXTRA, 0))
    server.listen(8)
    return server


def _inventory(tmp_path: Path, lab: Any, port: int) -> Path:
    path = demo_copy(tmp_path, lab)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    ioc = next(s for s in data["systems"] if s["id"] == "ioc")
    ioc["assets"].append(
        {
            "id": "ioc-report",
            "address": EXTRA,
            "role": "app",
            "zone": "internal_server",
            "services": [{"port": port, "name": "http", "exposure": "internal"}],
        }
    )
    ioc["waivers"] = [
        {
            "control": "TC.1",
            "reason": "Thay thế máy chủ web IOC trong tháng 12/2026",
            "approved_by": "Giám đốc Sở",
            "expires": WAIVER_ENDS.isoformat(),
        }
    ]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _ok(result: Any, *codes: int) -> Any:
    assert result.returncode in codes, result.stdout + result.stderr
    return result


def test_two_runs_port_closed_waiver_expired(lab: Any, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    server = _listener()
    port = server.getsockname()[1]
    inventory = _inventory(tmp_path, lab, port)
    scan = ("scan", "-i", str(inventory), "--system", "ioc", "--top-ports", "0", "--no-discovery")
    try:
        _ok(run_socaudit(db, *scan), 0, 1, 4)
    finally:
        server.close()  # the service stops between the two runs
    _ok(run_socaudit(db, *scan), 0, 1, 4)
    before, after = WAIVER_ENDS - dt.timedelta(days=1), WAIVER_ENDS + dt.timedelta(days=1)
    _ok(run_socaudit(db, "evaluate", "1", "--as-of", before.isoformat()), 0, 1, 4)
    _ok(run_socaudit(db, "evaluate", "2", "--as-of", after.isoformat()), 0, 1, 4)

    diff = _ok(run_socaudit(db, "diff", "1", "2", "--format", "json"), 1)
    (ioc,) = json.loads(diff.stdout)["systems"]
    assert ioc["waiver_expired"] == ["TC.1"]
    assert ioc["ports_closed"] == [
        {"asset": "ioc-report", "address": EXTRA, "port": port, "protocol": "tcp"}
    ]
    assert ioc["ports_opened"] == []
    assert "TC.1" not in ioc["new"] + ioc["regressed"] + ioc["fixed"]
    assert "KT.3.4" in ioc["still_open"]  # TLS 1.0/1.1 on the IOC web server in both runs
    assert "TC.1" not in ioc["still_open"] + ioc["newly_waived"]
    text = _ok(run_socaudit(db, "diff", "1", "2"), 1).stdout
    assert f"port closed: {EXTRA}:{port}/tcp" in text and "waiver expired: TC.1" in text
    same = _ok(run_socaudit(db, "diff", "2", "2", "--format", "json"), 0)
    assert all(
        not s["ports_closed"] and not s["waiver_expired"]
        for s in json.loads(same.stdout)["systems"]
    )

    history = json.loads(
        _ok(run_socaudit(db, "history", "--system", "ioc", "--format", "json"), 0).stdout
    )
    rows = history["assessments"]
    assert [(r["run"], r["as_of"]) for r in rows] == [
        (1, before.isoformat()),
        (2, after.isoformat()),
    ]
    assert rows[0]["counts"]["waived"] == 1 and rows[1]["counts"]["waived"] == 0

    scanned = dt.date.fromisoformat(rows[1]["assessed_on"])
    due = json.loads(
        _ok(
            run_socaudit(
                db, "due", "-i", str(inventory), "--format", "json", "--as-of", scanned.isoformat()
            ),
            1,
        ).stdout
    )
    entries = {s["id"]: s for s in due["systems"]}
    assert entries["ioc"] == {
        "id": "ioc",
        "level": 3,
        "last_assessed": scanned.isoformat(),
        "interval_months": 12,
        "due": scanned.replace(year=scanned.year + 1).isoformat(),
        "overdue": False,
    }
    assert entries["cuakhau"]["last_assessed"] == "2025-08-15"  # declared, not scanned here
    assert entries["trolyao"]["overdue"] is True and entries["trolyao"]["last_assessed"] is None

    # Only ioc in the inventory: nothing overdue (exit 0) until its year runs out (exit 1).
    data = yaml.safe_load(inventory.read_text(encoding="utf-8"))
    data["systems"] = [s for s in data["systems"] if s["id"] == "ioc"]
    data["evidence_files"] = []
    alone = tmp_path / "ioc.yaml"
    alone.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _ok(run_socaudit(db, "due", "-i", str(alone), "--as-of", scanned.isoformat()), 0)
    late = scanned.replace(year=scanned.year + 1) + dt.timedelta(days=1)
    out = _ok(run_socaudit(db, "due", "-i", str(alone), "--as-of", late.isoformat()), 1).stdout
    assert "OVERDUE" in out

    summary = json.loads(
        _ok(
            run_socaudit(
                db, "summary", "latest", "--format", "json", "--as-of", scanned.isoformat()
            ),
            0,
        ).stdout
    )
    rows_by_id = {r["id"]: r for r in summary["systems"]}
    assert rows_by_id["ioc"]["verdict"]["run_id"] == 2
    assert rows_by_id["ioc"]["verdict"]["outcome"] == "fail"
    assert rows_by_id["lgsp"]["verdict"] is None  # never assessed by socaudit here
    assert "ioc" not in summary["kpis"]["shared_assessed_yearly"]["systems_short"]
    assert rows_by_id["ioc"]["last_assessed_source"] == "socaudit"
