"""Concurrent first use of a SQLite store: every process succeeds, the schema is made once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from socaudit.store import migrate

from .concurrent_open import open_at_once


@pytest.mark.parametrize("processes", [3, 6])
def test_processes_opening_a_new_store_at_once_all_succeed(tmp_path: Path, processes: int) -> None:
    db = tmp_path / "new" / "socaudit.db"
    failures = open_at_once(f"sqlite:///{db}", processes)
    assert failures == dict.fromkeys(range(processes))
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT count(*) FROM runs").fetchone() == (processes,)
        assert check.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (migrate.head(),)
        ]
