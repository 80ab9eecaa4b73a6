"""Shared by ``summary``, ``due``, ``history`` and ``diff``: runs, judgements, the inventory."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from socaudit.errors import UsageError
from socaudit.inventory.clock import local_today
from socaudit.inventory.loader import load_inventory
from socaudit.inventory.models import Inventory
from socaudit.store.repository import RunSummary, Store
from socaudit.store.schema import AssessmentRow
from socaudit.store.snapshot import load_snapshot
from socaudit.summary.select import Header
from socaudit.summary.select import needed_judgements as plan_judgements
from socaudit.summary.stored import SystemJudgement, judgements


def find_run(store: Store, ref: str) -> RunSummary:
    """``latest`` or a run id; a usage error when there is no such run."""
    runs = store.runs()
    if ref == "latest":
        if not runs:
            raise UsageError("no runs in the store yet (run `socaudit scan` first)")
        return runs[-1]
    found = next((r for r in runs if ref.isdigit() and r.id == int(ref)), None)
    if found is None:
        raise UsageError(f"no run {ref!r} in the store (see `socaudit runs`)")
    return found


def stored_judgements(store: Store) -> list[SystemJudgement]:
    """Every stored system judgement; a run's date is the day its evidence was collected."""
    dates = {r.id: r.as_of for r in store.runs()}
    return judgements(store.assessments(), dates)


def needed_judgements(
    store: Store, systems: Collection[str], as_of: dt.date, up_to_run: int | None = None
) -> list[SystemJudgement]:
    """Only the stored judgements that decide ``systems``' verdicts and last-assessed days
    (socaudit.summary.select): usually one evaluation, not the whole history."""
    runs = store.runs()
    dates = {r.id: r.as_of for r in runs}
    with Session(store.engine) as session:
        rows = session.execute(select(AssessmentRow.id, AssessmentRow.run_id)).all()
    headers = [Header(aid, run_id) for aid, run_id in rows]

    def unpack(assessment_id: int) -> list[SystemJudgement]:
        stored = store.assessment(assessment_id)
        return judgements([stored], dates) if stored is not None else []

    run_systems = {r.id: r.systems for r in runs}
    return plan_judgements(headers, dates, run_systems, systems, as_of, unpack, up_to_run)


def run_inventory(store: Store, run: RunSummary) -> Inventory:
    """The inventory a run used: its snapshot, else its file while unchanged, else -i."""
    files = store.snapshot(run.id)
    try:
        return load_snapshot(files)
    except ValueError:  # no snapshot, or evidence-file paths that cannot be laid out
        pass
    path = Path(run.inventory_path)
    try:
        unchanged = hashlib.sha256(path.read_bytes()).hexdigest() == run.inventory_sha256
    except OSError:
        unchanged = False
    if not unchanged:
        raise UsageError(
            f"run {run.id}: its inventory snapshot cannot be used and {path} is gone or "
            "changed: give the inventory with -i"
        )
    return load_inventory(path)


def inventory_arg(path: Path | None, store: Store, run: RunSummary | None) -> Inventory:
    """``-i FILE`` if given, else the run's inventory."""
    if path is not None:
        return load_inventory(path)
    if run is None:
        raise UsageError("no runs in the store: give the inventory with -i")
    return run_inventory(store, run)


def today(inventory: Inventory) -> dt.date:
    """Today in the inventory's time zone (``authorization.timezone``)."""
    return local_today(inventory)
