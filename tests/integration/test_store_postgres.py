"""The evidence store on a real PostgreSQL server (a throwaway cluster on a Unix socket, no TCP)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from socaudit.evidence.base import AttemptStatus, ErrorReason, EvidenceKind
from socaudit.evidence.network import PortObservation, PortScanResult
from socaudit.evidence.records import EvidenceRecord, TargetRef
from socaudit.store.repository import NewRun, Store
from socaudit.store.schema import RunStatus

pytestmark = pytest.mark.integration


def _pg_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not candidates:
        pytest.fail(
            "PostgreSQL server binaries are missing: `make test` installs them (apt postgresql)"
        )
    return candidates[-1].parent


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    bindir = _pg_bin()
    # Not under pytest's tmp dir: that one is private to root and the server runs as postgres.
    base = Path(tempfile.mkdtemp(prefix="socaudit-pg-"))
    data, sock = base / "data", base / "sock"
    data.mkdir()
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(data, "postgres")
        shutil.chown(sock, "postgres")
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
    subprocess.run(_as_postgres(initdb), check=True, capture_output=True, timeout=120)
    options = f"-k {sock} -c listen_addresses=''"
    pg_ctl = str(bindir / "pg_ctl")
    start = [pg_ctl, "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"]
    subprocess.run(_as_postgres(start), check=True, capture_output=True, timeout=120)
    try:
        yield f"postgresql+psycopg://postgres@/postgres?host={sock}"
    finally:
        stop = [pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_postgres(stop), check=False, capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


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
