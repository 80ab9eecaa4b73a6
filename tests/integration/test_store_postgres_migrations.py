"""Migrations on PostgreSQL: a wave-1 store upgrades in place; a new one matches the ORM."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pg_support import new_database, postgres_cluster
from sqlalchemy import Engine, create_engine, text

from socaudit.evidence.base import AttemptStatus, EvidenceKind
from socaudit.evidence.network import PortObservation, PortScanResult
from socaudit.evidence.records import EvidenceRecord, TargetRef
from socaudit.store import migrate
from socaudit.store.repository import NewRun, SnapshotFile, Store
from socaudit.store.schema import Base

pytestmark = pytest.mark.integration

WAVE1_DDL = (
    """CREATE TABLE runs (
    id SERIAL NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    status VARCHAR(16) NOT NULL,
    inventory_path TEXT NOT NULL,
    inventory_sha256 VARCHAR(64) NOT NULL,
    as_of DATE NOT NULL,
    options JSON NOT NULL,
    tool_version VARCHAR(32) NOT NULL,
    "authorization" TEXT,
    PRIMARY KEY (id))""",
    """CREATE TABLE evidence (
    id SERIAL NOT NULL,
    run_id INTEGER NOT NULL,
    kind VARCHAR(16) NOT NULL,
    probe_key TEXT NOT NULL,
    system_id VARCHAR(64) NOT NULL,
    asset_id VARCHAR(64),
    target TEXT NOT NULL,
    status VARCHAR(16) NOT NULL,
    error_reason VARCHAR(32),
    detail TEXT,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE NOT NULL,
    payload JSON NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE CASCADE)""",
    "CREATE INDEX ix_evidence_run_id ON evidence (run_id)",
    """CREATE TABLE run_systems (
    run_id INTEGER NOT NULL,
    system_id VARCHAR(64) NOT NULL,
    name TEXT NOT NULL,
    level INTEGER NOT NULL,
    PRIMARY KEY (run_id, system_id),
    FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE CASCADE)""",
)
"""What wave-1 socaudit's ``create_all`` made on PostgreSQL (schema of commit c86fce5)."""

STARTED = dt.datetime(2026, 11, 20, 1, 2, 3, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with postgres_cluster() as url:
        yield url


def _differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


def _record() -> EvidenceRecord:
    return EvidenceRecord(
        kind=EvidenceKind.PORTS,
        probe_key="ports:cong:web:443",
        collector="nmap.ports",
        target=TargetRef(system_id="cong", asset_id="web", address="127.0.10.10", port=443),
        started_at=STARTED,
        finished_at=STARTED,
        status=AttemptStatus.COMPLETED,
        payload=PortScanResult(
            profile="declared",
            ports_requested="443",
            ports=(PortObservation(port=443, state="open", service="https", tunnel="ssl"),),
        ),
    )


def _write_wave1(url: str, record: EvidenceRecord) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in WAVE1_DDL:
            connection.execute(text(statement))
        connection.execute(
            text(
                "INSERT INTO runs (started_at, finished_at, status, inventory_path,"
                ' inventory_sha256, as_of, options, tool_version, "authorization") VALUES'
                " (:t, :t, 'completed', '/srv/inv.yaml', :sha, '2026-11-20', '{}', '0.1.0',"
                " 'QĐ 12')"
            ),
            {"t": STARTED, "sha": "ab" * 32},
        )
        connection.execute(text("INSERT INTO run_systems VALUES (1, 'cong', 'Cổng', 3)"))
        connection.execute(
            text(
                "INSERT INTO evidence (run_id, kind, probe_key, system_id, asset_id, target,"
                " status, started_at, finished_at, payload) VALUES (1, 'ports', :key, 'cong',"
                " 'web', :target, 'completed', :t, :t, :payload)"
            ),
            {
                "key": record.probe_key,
                "target": record.target.label(),
                "t": STARTED,
                "payload": json.dumps(record.model_dump(mode="json")),
            },
        )
    engine.dispose()


def test_a_new_postgresql_store_has_exactly_the_orm_schema(cluster: str) -> None:
    store = Store(new_database(cluster, "fresh"))
    try:
        assert _differences(store.engine) == []
    finally:
        store.close()


def test_a_wave1_postgresql_store_upgrades_in_place(cluster: str) -> None:
    url = new_database(cluster, "wave1")
    record = _record()
    _write_wave1(url, record)
    store = Store(url)
    try:
        (run,) = store.runs()
        assert (run.id, run.status, run.systems, run.evidence) == (1, "completed", ("cong",), 1)
        assert list(store.records(1)) == [record]
        snapshot = (SnapshotFile(0, "/srv/inv.yaml", "cd" * 32, "schema_version: 1\n"),)
        new = NewRun("/srv/inv.yaml", "cd" * 32, dt.date(2026, 12, 2), {}, (), snapshot=snapshot)
        assert store.start_run(new) == 2  # the old sequence carries on
        assert store.snapshot(2)[0].content == "schema_version: 1\n"
        assert _differences(store.engine) == []
        with store.engine.connect() as connection:
            assert migrate.current_revision(connection) == migrate.head()
    finally:
        store.close()
