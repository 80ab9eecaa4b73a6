"""A store as wave-1 socaudit wrote it (``create_all`` of the three tables, no migrations)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from socaudit.evidence.base import AttemptStatus, EvidenceKind
from socaudit.evidence.network import PortObservation, PortScanResult
from socaudit.evidence.records import EvidenceRecord, TargetRef

WAVE1_DDL = (Path(__file__).parent / "wave1.sql").read_text(encoding="utf-8")
"""The DDL of ``git show c86fce5:socaudit/store/schema.py`` (SQLAlchemy's create_all, SQLite)."""

STARTED = dt.datetime(2026, 11, 20, 1, 2, 3, tzinfo=dt.UTC)
SYSTEM_NAME = "Cổng dịch vụ công tỉnh"


def wave1_record(key: str = "ports:cong:web:443") -> EvidenceRecord:
    payload = PortScanResult(
        profile="declared",
        ports_requested="443",
        ports=(PortObservation(port=443, state="open", service="https", tunnel="ssl"),),
    )
    return EvidenceRecord(
        kind=EvidenceKind.PORTS,
        probe_key=key,
        collector="nmap.ports",
        target=TargetRef(system_id="cong", asset_id="web", address="127.0.10.10", port=443),
        started_at=STARTED,
        finished_at=STARTED,
        status=AttemptStatus.COMPLETED,
        payload=payload,
    )


def write_wave1_store(path: Path, runs: int = 2) -> list[EvidenceRecord]:
    """A wave-1 store with ``runs`` completed runs of one system and one record each."""
    records = []
    with sqlite3.connect(path) as db:
        db.executescript(WAVE1_DDL)
        for run_id in range(1, runs + 1):
            db.execute(
                "INSERT INTO runs VALUES (?, ?, ?, 'completed', '/srv/inv.yaml', ?, '2026-11-20',"
                " ?, '0.1.0', 'QĐ 12/QĐ-UBND')",
                (run_id, "2026-11-20 01:02:03.000000", "2026-11-20 01:05:00.000000",
                 "ab" * 32, json.dumps({"top_ports": 100})),
            )  # fmt: skip
            db.execute("INSERT INTO run_systems VALUES (?, 'cong', ?, 3)", (run_id, SYSTEM_NAME))
            record = wave1_record(f"ports:cong:web:{run_id}")
            db.execute(
                "INSERT INTO evidence (run_id, kind, probe_key, system_id, asset_id, target,"
                " status, started_at, finished_at, payload)"
                " VALUES (?, 'ports', ?, 'cong', 'web', ?, 'completed', ?, ?, ?)",
                (run_id, record.probe_key, record.target.label(), "2026-11-20 01:02:03.000000",
                 "2026-11-20 01:02:03.000000", json.dumps(record.model_dump(mode="json"))),
            )  # fmt: skip
            records.append(record)
    return records
