"""Reading and writing runs and evidence; every record is committed as it arrives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import selectinload, sessionmaker

from socaudit import __version__
from socaudit.errors import UsageError
from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.records import EvidenceRecord
from socaudit.store.engine import mask_secret, open_engine, safe_url
from socaudit.store.migrate import upgrade
from socaudit.store.schema import (
    AssessmentRow,
    Evidence,
    InventorySnapshot,
    Run,
    RunStatus,
    RunSystem,
)


@dataclass(frozen=True, slots=True)
class RunSummary:
    """A row of ``socaudit runs``."""

    id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    systems: tuple[str, ...]
    evidence: int
    inventory_path: str
    as_of: dt.date
    inventory_sha256: str = ""


@dataclass(frozen=True, slots=True)
class SnapshotFile:
    """One file of a run's inventory snapshot (position 0 is the inventory itself)."""

    position: int
    path: str
    sha256: str
    content: str


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    """One stored judgement of a run (``results`` is the evaluation's JSON)."""

    id: int
    run_id: int
    created_at: dt.datetime
    as_of: dt.date
    pack_id: str
    pack_version: str
    inventory_sha256: str
    inventory_source: str
    tool_version: str
    results: dict[str, Any]


@dataclass(frozen=True, slots=True)
class NewAssessment:
    """What ``Store.save_assessment`` is given."""

    run_id: int
    as_of: dt.date
    pack_id: str
    pack_version: str
    inventory_sha256: str
    inventory_source: str
    results: dict[str, Any]


@dataclass(frozen=True, slots=True)
class NewRun:
    """What a run is started with."""

    inventory_path: str
    inventory_sha256: str
    as_of: dt.date
    options: dict[str, Any]
    systems: tuple[tuple[str, str, int], ...]
    """(id, name, level) of each system in the run."""
    authorization: str | None = None
    snapshot: tuple[SnapshotFile, ...] = ()
    """The inventory's text (and its evidence files'), kept with the run."""


class Store:
    """The evidence store behind one SQLAlchemy URL."""

    def __init__(self, url: str) -> None:
        self.engine = open_engine(url)
        try:
            upgrade(self.engine)  # Alembic migrations, safe when several processes open at once
        except (OperationalError, ProgrammingError) as exc:
            self.engine.dispose()
            detail = mask_secret(str(exc.orig), url)
            raise UsageError(f"cannot open the evidence store {safe_url(url)!r}: {detail}") from exc
        except BaseException:
            self.engine.dispose()
            raise
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def start_run(self, new: NewRun) -> int:
        """Create a run in status ``running`` and return its id."""
        run = Run(
            started_at=_now(),
            finished_at=None,
            status=RunStatus.RUNNING.value,
            inventory_path=new.inventory_path,
            inventory_sha256=new.inventory_sha256,
            as_of=new.as_of,
            options=new.options,
            tool_version=__version__,
            authorization=new.authorization,
        )
        run.systems = [RunSystem(system_id=s, name=n, level=lv) for s, n, lv in new.systems]
        with self._sessions.begin() as session:
            session.add(run)
            session.flush()
            for f in new.snapshot:
                session.add(_snapshot_row(run.id, f))
            return run.id

    def reopen_run(self, run_id: int) -> Run:
        """Mark an existing run ``running`` again (for --resume); KeyError if absent."""
        with self._sessions.begin() as session:
            run = session.get(Run, run_id)
            if run is None:
                raise KeyError(run_id)
            run.status = RunStatus.RUNNING.value
            run.finished_at = None
            return run

    def finish_run(self, run_id: int, status: RunStatus) -> None:
        with self._sessions.begin() as session:
            run = session.get(Run, run_id)
            if run is not None:
                run.status = status.value
                run.finished_at = _now()

    def add(self, run_id: int, record: EvidenceRecord) -> None:
        """Write one record and commit at once."""
        with self._sessions.begin() as session:
            session.add(_row(run_id, record))

    def records(self, run_id: int, kind: str | None = None) -> Iterator[EvidenceRecord]:
        """The run's records in arrival order."""
        query = select(Evidence.payload).where(Evidence.run_id == run_id).order_by(Evidence.id)
        if kind is not None:
            query = query.where(Evidence.kind == kind)
        with self._sessions() as session:
            payloads = list(session.scalars(query))
        return (EvidenceRecord.model_validate(p) for p in payloads)

    def completed_keys(self, run_id: int) -> frozenset[str]:
        """Probe keys the run already finished (resume skips them)."""
        return self._keys(run_id, AttemptStatus.COMPLETED)

    def refused_keys(self, run_id: int) -> frozenset[str]:
        return self._keys(run_id, AttemptStatus.REFUSED)

    def _keys(self, run_id: int, status: AttemptStatus) -> frozenset[str]:
        query = select(Evidence.probe_key).where(
            Evidence.run_id == run_id, Evidence.status == status.value
        )
        with self._sessions() as session:
            return frozenset(session.scalars(query))

    def runs(self) -> list[RunSummary]:
        counts = (
            select(Evidence.run_id, func.count(Evidence.id).label("n"))
            .group_by(Evidence.run_id)
            .subquery()
        )
        query = (
            select(Run, counts.c.n)
            .outerjoin(counts, counts.c.run_id == Run.id)
            .options(selectinload(Run.systems))
            .order_by(Run.id)
        )
        with self._sessions() as session:
            return [_summary(run, n or 0) for run, n in session.execute(query).all()]

    def run(self, run_id: int) -> RunSummary | None:
        return next((r for r in self.runs() if r.id == run_id), None)

    # -- inventory snapshots ------------------------------------------------------------

    def save_snapshot(self, run_id: int, files: Iterable[SnapshotFile]) -> None:
        """Keep the inventory text a run used (replaces an earlier snapshot of the run)."""
        with self._sessions.begin() as session:
            for old in session.scalars(
                select(InventorySnapshot).where(InventorySnapshot.run_id == run_id)
            ):
                session.delete(old)
            session.flush()
            session.add_all(_snapshot_row(run_id, f) for f in files)

    def snapshot(self, run_id: int) -> tuple[SnapshotFile, ...]:
        """The run's inventory snapshot, inventory first (empty for runs stored without one)."""
        query = (
            select(InventorySnapshot)
            .where(InventorySnapshot.run_id == run_id)
            .order_by(InventorySnapshot.position)
        )
        with self._sessions() as session:
            return tuple(
                SnapshotFile(r.position, r.path, r.sha256, r.content)
                for r in session.scalars(query)
            )

    # -- assessments ----------------------------------------------------------------------

    def save_assessment(self, new: NewAssessment) -> int:
        """Store a judgement of a run and return its id (written into ``results["assessment"]``
        when the results carry that key, so the stored JSON names its own row)."""
        row = AssessmentRow(
            run_id=new.run_id,
            created_at=_now(),
            as_of=new.as_of,
            pack_id=new.pack_id,
            pack_version=new.pack_version,
            inventory_sha256=new.inventory_sha256,
            inventory_source=new.inventory_source,
            tool_version=__version__,
            results=new.results,
        )
        with self._sessions.begin() as session:
            session.add(row)
            session.flush()
            if "assessment" in new.results:
                row.results = {**new.results, "assessment": row.id}
            return row.id

    def assessments(self, run_id: int | None = None) -> list[StoredAssessment]:
        """Stored judgements, oldest first (of one run, or of every run)."""
        query = select(AssessmentRow).order_by(AssessmentRow.id)
        if run_id is not None:
            query = query.where(AssessmentRow.run_id == run_id)
        with self._sessions() as session:
            return [_assessment(r) for r in session.scalars(query)]

    def assessment(self, assessment_id: int) -> StoredAssessment | None:
        with self._sessions() as session:
            row = session.get(AssessmentRow, assessment_id)
            return _assessment(row) if row is not None else None

    def latest_assessment(self, run_id: int) -> StoredAssessment | None:
        """The run's most recent judgement, if any."""
        found = self.assessments(run_id)
        return found[-1] if found else None


def _summary(run: Run, evidence: int) -> RunSummary:
    return RunSummary(
        id=run.id,
        started_at=_aware(run.started_at),
        finished_at=_aware(run.finished_at) if run.finished_at else None,
        status=run.status,
        systems=tuple(s.system_id for s in run.systems),
        evidence=evidence,
        inventory_path=run.inventory_path,
        as_of=run.as_of,
        inventory_sha256=run.inventory_sha256,
    )


def _snapshot_row(run_id: int, f: SnapshotFile) -> InventorySnapshot:
    return InventorySnapshot(
        run_id=run_id, position=f.position, path=f.path, sha256=f.sha256, content=f.content
    )


def _assessment(row: AssessmentRow) -> StoredAssessment:
    return StoredAssessment(
        id=row.id,
        run_id=row.run_id,
        created_at=_aware(row.created_at),
        as_of=row.as_of,
        pack_id=row.pack_id,
        pack_version=row.pack_version,
        inventory_sha256=row.inventory_sha256,
        inventory_source=row.inventory_source,
        tool_version=row.tool_version,
        results=row.results,
    )


def _row(run_id: int, record: EvidenceRecord) -> Evidence:
    return Evidence(
        run_id=run_id,
        kind=record.kind.value,
        probe_key=record.probe_key,
        system_id=record.target.system_id,
        asset_id=record.target.asset_id,
        target=record.target.label(),
        status=record.status.value,
        error_reason=record.error_reason.value if record.error_reason else None,
        detail=record.detail,
        started_at=record.started_at,
        finished_at=record.finished_at,
        payload=record.model_dump(mode="json"),
    )


def add_all(store: Store, run_id: int, records: Iterable[EvidenceRecord]) -> int:
    """Write records one by one (each committed); returns how many."""
    count = 0
    for record in records:
        store.add(run_id, record)
        count += 1
    return count


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite drops the zone: stored values are UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
