"""Alembic migrations: new stores match the ORM, old stores upgrade in place, nothing lost."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect

from socaudit.errors import UsageError
from socaudit.store import migrate
from socaudit.store.repository import NewAssessment, NewRun, SnapshotFile, Store
from socaudit.store.schema import Base

from .wave1 import SYSTEM_NAME, WAVE1_DDL, write_wave1_store


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return str(db.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_a_new_store_has_exactly_the_orm_schema(tmp_path: Path) -> None:
    """Fails when a table or column is added to schema.py without a revision."""
    store = Store(_url(tmp_path / "new.db"))
    try:
        assert _differences(store.engine) == []
    finally:
        store.close()
    assert _revision(tmp_path / "new.db") == migrate.head()


def test_revisions_form_one_line_numbered_like_their_files() -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert scripts.get_heads() == [migrate.head()]
    chain = [r.revision for r in scripts.walk_revisions()][::-1]
    assert chain == [f"{n:04d}" for n in range(1, len(chain) + 1)]
    for revision in scripts.walk_revisions():
        assert revision.path is not None
        assert re.match(rf"^{revision.revision}_\w+\.py$", Path(revision.path).name)


def _shape(engine: Engine) -> dict[str, Any]:
    """Tables, columns (name, type, nullable), keys and indexes, as reflected."""
    found = inspect(engine)
    shape: dict[str, Any] = {}
    for table in sorted(t for t in found.get_table_names() if t != "alembic_version"):
        shape[table] = (
            [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)],
            found.get_pk_constraint(table)["constrained_columns"],
            [
                (f["constrained_columns"], f["referred_table"], f["options"])
                for f in found.get_foreign_keys(table)
            ],
            sorted((i["name"], tuple(i["column_names"])) for i in found.get_indexes(table)),
        )
    return shape


def test_the_baseline_revision_is_the_wave1_schema(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "wave1.db") as db:
        db.executescript(WAVE1_DDL)
    baseline = create_engine(_url(tmp_path / "baseline.db"))
    with baseline.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), migrate.BASELINE)
    assert _shape(baseline) == _shape(create_engine(_url(tmp_path / "wave1.db")))


def test_a_wave1_store_upgrades_in_place_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "kept-for-years.db"
    written = write_wave1_store(path, runs=2)
    store = Store(_url(path))
    try:
        runs = store.runs()
        records = [list(store.records(r.id)) for r in runs]
        assert [(r.id, r.status, r.systems, r.evidence) for r in runs] == [
            (1, "completed", ("cong",), 1),
            (2, "completed", ("cong",), 1),
        ]
        assert runs[0].started_at == dt.datetime(2026, 11, 20, 1, 2, 3, tzinfo=dt.UTC)
        assert [r[0] for r in records] == written
        # the wave-2 tables work on the upgraded store
        snapshot = (SnapshotFile(0, "/srv/inv.yaml", "cd" * 32, "schema_version: 1\n"),)
        new = NewRun("/srv/inv.yaml", "cd" * 32, dt.date(2026, 12, 2), {}, (("cong", "x", 3),),
                     snapshot=snapshot)  # fmt: skip
        run_id = store.start_run(new)
        assert run_id == 3
        assert store.snapshot(run_id)[0].content == "schema_version: 1\n"
        store.save_assessment(
            NewAssessment(1, dt.date(2026, 12, 2), "tcvn", "1", "cd" * 32, "run", {"ok": True})
        )
        assert _differences(store.engine) == []
    finally:
        store.close()
    assert _revision(path) == migrate.head()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT name FROM run_systems WHERE run_id = 1").fetchone() == (
            SYSTEM_NAME,
        )


def test_a_store_from_create_all_without_revision_is_adopted(tmp_path: Path) -> None:
    """A development build between the waves made every table but recorded no revision."""
    path = tmp_path / "interim.db"
    engine = create_engine(_url(path))
    Base.metadata.create_all(engine)
    engine.dispose()
    store = Store(_url(path))
    store.close()
    assert _revision(path) == migrate.head()


def test_reopening_a_store_at_head_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store(_url(path)).close()
    before = path.read_bytes()
    Store(_url(path)).close()
    assert path.read_bytes() == before


def test_a_store_from_a_newer_socaudit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store(_url(path)).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(UsageError, match="schema revision 9999, newer than"):
        Store(_url(path))
