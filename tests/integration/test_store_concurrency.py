"""Concurrent first use of a store: N processes at once all succeed, the schema is made once.

On SQLite and on a throwaway PostgreSQL cluster; cron jobs overlapping on a store that does
not exist yet used to fail with "table runs already exists".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_support import new_database, postgres_cluster
from sqlalchemy import create_engine, text
from store_concurrency import open_at_once

from socaudit.store import migrate

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with postgres_cluster() as url:
        yield url


@pytest.mark.parametrize("processes", [3, 6])
def test_processes_opening_a_new_sqlite_store_at_once_all_succeed(
    tmp_path: Path, processes: int
) -> None:
    db = tmp_path / "new" / "socaudit.db"
    failures = open_at_once(f"sqlite:///{db}", processes)
    assert failures == dict.fromkeys(range(processes))
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT count(*) FROM runs").fetchone() == (processes,)
        assert check.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (migrate.head(),)
        ]


@pytest.mark.parametrize("processes", [3, 6])
def test_processes_opening_a_new_postgresql_store_at_once_all_succeed(
    cluster: str, processes: int
) -> None:
    url = new_database(cluster, f"concurrent_{processes}")
    failures = open_at_once(url, processes)
    assert failures == dict.fromkeys(range(processes))
    engine = create_engine(url)
    with engine.connect() as check:
        assert check.execute(text("SELECT count(*) FROM runs")).scalar() == processes
        versions = check.execute(text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    assert [v[0] for v in versions] == [migrate.head()]
