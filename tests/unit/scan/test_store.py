"""The store: round-trip of records, runs with counts, keys for resume, SQLite setup."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from socaudit.errors import UsageError
from socaudit.evidence.base import AttemptStatus, ErrorReason, EvidenceKind
from socaudit.evidence.network import PortObservation, PortScanResult
from socaudit.evidence.records import EvidenceRecord, TargetRef
from socaudit.store.repository import NewRun, Store
from socaudit.store.schema import RunStatus

T0 = dt.datetime(2026, 6, 15, 8, 30, tzinfo=dt.UTC)


def new_run() -> NewRun:
    return NewRun(
        inventory_path="inventories/demo.yaml",
        inventory_sha256="ab" * 32,
        as_of=dt.date(2026, 6, 15),
        options={"top_ports": 0, "timeout": 10.0},
        systems=(
            ("lgsp", "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh", 3),
            ("ioc", "Trung tâm IOC", 2),
        ),
        authorization="Quyết định số 1234/QĐ-UBND",
    )


def ports_record(key: str = "ports:lgsp:web:127.0.10.10") -> EvidenceRecord:
    payload = PortScanResult(
        profile="declared",
        ports_requested="8443",
        ports=(PortObservation(port=8443, state="open", service="http", tunnel="ssl"),),
    )
    return EvidenceRecord(
        kind=EvidenceKind.PORTS,
        probe_key=key,
        collector="nmap",
        target=TargetRef(system_id="lgsp", asset_id="web", address="127.0.10.10"),
        started_at=T0,
        finished_at=T0 + dt.timedelta(seconds=3),
        status=AttemptStatus.COMPLETED,
        payload=payload,
    )


def error_record() -> EvidenceRecord:
    return EvidenceRecord(
        kind=EvidenceKind.TLS,
        probe_key="tls:lgsp:web:127.0.10.10:8443",
        collector="tls",
        target=TargetRef(system_id="lgsp", asset_id="web", address="127.0.10.10", port=8443),
        started_at=T0,
        finished_at=T0,
        status=AttemptStatus.ERROR,
        error_reason=ErrorReason.TIMEOUT,
        detail="handshake timed out — máy chủ không trả lời",
    )


def test_round_trip_and_listing(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "folder" / "socaudit.db"
    store = Store(f"sqlite:///{db}")
    run_id = store.start_run(new_run())
    store.add(run_id, ports_record())
    store.add(run_id, error_record())
    store.finish_run(run_id, RunStatus.INTERRUPTED)

    assert db.exists()
    records = list(store.records(run_id))
    assert records == [ports_record(), error_record()]
    assert records[0].started_at.tzinfo is not None
    assert [r.kind for r in store.records(run_id, "tls")] == [EvidenceKind.TLS]
    assert store.completed_keys(run_id) == {"ports:lgsp:web:127.0.10.10"}

    (summary,) = store.runs()
    assert (summary.id, summary.status, summary.evidence) == (run_id, "interrupted", 2)
    assert summary.systems == ("ioc", "lgsp")
    assert summary.finished_at is not None and summary.finished_at.tzinfo is not None
    store.close()


def test_reopen_and_second_run(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    first = store.start_run(new_run())
    store.finish_run(first, RunStatus.INTERRUPTED)
    store.reopen_run(first)
    assert store.runs()[0].status == "running"
    assert store.runs()[0].finished_at is None
    second = store.start_run(new_run())
    assert second != first
    assert [r.evidence for r in store.runs()] == [0, 0]
    store.close()


def test_each_record_is_committed_at_once(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = Store(f"sqlite:///{db}")
    run_id = store.start_run(new_run())
    store.add(run_id, ports_record())
    with sqlite3.connect(db) as other:  # another connection sees it without any close/flush
        assert other.execute("select count(*) from evidence").fetchone() == (1,)
        assert other.execute("pragma journal_mode").fetchone() == ("wal",)
    store.close()


@pytest.mark.parametrize(
    "url", ["not a url", "nosuchdb://x/y", "sqlite:////proc/no-such-dir/socaudit.db"]
)
def test_bad_store_url_is_a_usage_error(url: str) -> None:
    with pytest.raises(UsageError):
        Store(url)
