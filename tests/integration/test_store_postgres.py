"""The evidence store on a real PostgreSQL server (a throwaway cluster on a Unix socket, no TCP)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from pg_support import postgres_cluster

from socaudit.evidence.base import AttemptStatus, ErrorReason, EvidenceKind
from socaudit.evidence.network import PortObservation, PortScanResult
from socaudit.evidence.records import EvidenceRecord, TargetRef
from socaudit.store.repository import NewRun, Store
from socaudit.store.schema import RunStatus

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with postgres_cluster() as url:
        yield url


def _record(key: str, status: AttemptStatus) -> EvidenceRecord:
    now = dt.datetime.now(dt.UTC)
    payload = PortScanResult(
        profile="declared",
        ports_requested="443",
        ports=(PortObservation(port=443, state="open", service="https", tunnel="ssl"),),
    )
    completed = status is AttemptStatus.COMPLETED
    return EvidenceRecord(
        kind=EvidenceKind.PORTS,
        probe_key=key,
        collector="nmap.ports",
        target=TargetRef(system_id="lgsp", asset_id="lgsp-web", address="127.0.10.10", port=443),
        started_at=now,
        finished_at=now,
        status=status,
        error_reason=None if completed else ErrorReason.TIMEOUT,
        detail=None if completed else "nmap host timeout (Cổng dịch vụ công)",
        payload=payload if completed else None,
    )


def test_schema_and_round_trip_on_postgresql(postgres_url: str) -> None:
    store = Store(postgres_url)
    try:
        run_id = store.start_run(
            NewRun(
                inventory_path="inventories/demo.yaml",
                inventory_sha256="0" * 64,
                as_of=dt.date(2026, 11, 28),
                options={"top_ports": 100},
                systems=(("lgsp", "Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP)", 3),),
            )
        )
        store.add(run_id, _record("ports:lgsp:lgsp-web:443", AttemptStatus.COMPLETED))
        store.add(run_id, _record("ports:lgsp:lgsp-web:22", AttemptStatus.ERROR))
        store.finish_run(run_id, RunStatus.COMPLETED)

        records = list(store.records(run_id))
        summary = store.run(run_id)
    finally:
        store.close()
    assert [r.status for r in records] == [AttemptStatus.COMPLETED, AttemptStatus.ERROR]
    assert {r.probe_key for r in records} == {"ports:lgsp:lgsp-web:443", "ports:lgsp:lgsp-web:22"}
    payload = records[0].payload
    assert isinstance(payload, PortScanResult)
    assert payload.open_ports[0].tls
    assert records[1].detail == "nmap host timeout (Cổng dịch vụ công)"
    assert summary is not None
    assert (summary.status, summary.evidence, summary.systems) == ("completed", 2, ("lgsp",))
