"""``socaudit evaluate``: judge a stored run against a policy pack and keep the assessment."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from socaudit.cli.context import AppContext, pass_app
from socaudit.cli.evaluate_text import exit_code, print_text
from socaudit.errors import UsageError
from socaudit.evaluation.declarations import with_declarations
from socaudit.evaluation.evaluate import evaluate_run
from socaudit.evaluation.model import AssessmentResult, PackRef
from socaudit.inventory.loader import load_inventory
from socaudit.inventory.models import Inventory
from socaudit.policy.loader import DEFAULT_PACK, load_pack
from socaudit.store.repository import NewAssessment, RunSummary, Store
from socaudit.store.snapshot import inventory_sha256, load_snapshot


@dataclass(frozen=True, slots=True)
class _Source:
    inventory: Inventory
    sha256: str
    label: str
    """Where the inventory came from: ``snapshot``, ``file:PATH`` or ``snapshot+-i:PATH``."""


@click.command("evaluate")
@click.argument("run_ref", default="latest", metavar="[RUN_ID|latest]")
@click.option(
    "-i",
    "--inventory",
    "inventory_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Declared evidence and waivers from this (newer) inventory; observed evidence stays "
    "the run's.",
)
@click.option("--pack", "pack_ref", default=DEFAULT_PACK, show_default=True, metavar="ID|PATH")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Date that freshness and waiver expiry are judged at (default: the run's date).",
)
@click.option("--system", "systems", multiple=True, metavar="ID", help="Only this system.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_app
def evaluate(
    app: AppContext,
    run_ref: str,
    inventory_path: Path | None,
    pack_ref: str,
    as_of: dt.datetime | None,
    systems: tuple[str, ...],
    fmt: str,
) -> int:
    """Judge a stored run against a policy pack and store the result as an assessment.

    Exit status: 0 every applicable control passes; 1 a control fails or is partial; 4 no
    failure but insufficient evidence, errors or controls to judge by hand; 2 unknown run or
    system; 3 invalid inventory or pack."""
    pack = load_pack(pack_ref)
    store = Store(app.db_url)
    try:
        run = _find_run(store, run_ref)
        unknown = sorted(set(systems) - set(run.systems))
        if unknown:
            raise UsageError(f"run {run.id} has no system {', '.join(unknown)}")
        source = _inventory(store, run, inventory_path)
        chosen = list(systems or run.systems)
        day = as_of.date() if as_of else run.as_of
        result = evaluate_run(
            run.id,
            source.inventory,
            functools.partial(pack.controls_for_level, overrides=source.inventory.policy_overrides),
            (r for r in store.records(run.id) if r.target.system_id in chosen),
            day,
            PackRef(id=pack.info.id, version=pack.info.version),
            _last_assessed(store, run.id, day),
            systems=chosen,
            inventory_sha256=source.sha256,
        )
        assessment = store.save_assessment(
            NewAssessment(
                run_id=run.id,
                as_of=day,
                pack_id=pack.info.id,
                pack_version=pack.info.version,
                inventory_sha256=source.sha256,
                inventory_source=source.label,
                results=result.model_dump(mode="json"),
            )
        )
    finally:
        store.close()
    result = result.model_copy(update={"assessment": assessment})
    _print(result, fmt, app.lang)
    return exit_code(result)


def _print(result: AssessmentResult, fmt: str, lang: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print_text(result, lang, sys.stdout)


def _find_run(store: Store, run_ref: str) -> RunSummary:
    if run_ref == "latest":
        runs = store.runs()
        if not runs:
            raise UsageError("no runs in the store yet (run `socaudit scan` first)")
        return max(runs, key=lambda r: r.id)
    if not run_ref.isdigit() or (run := store.run(int(run_ref))) is None:
        raise UsageError(f"no run {run_ref!r} in the store (see `socaudit runs`)")
    return run


def _inventory(store: Store, run: RunSummary, newer_path: Path | None) -> _Source:
    """The run's inventory (its snapshot, else its file if unchanged), with ``-i``'s
    declarations over it."""
    files = store.snapshot(run.id)
    try:
        base = _Source(load_snapshot(files), inventory_sha256(files), "snapshot")
    except ValueError:  # no snapshot, or one whose evidence-file paths cannot be laid out
        base = _unchanged_file(run, newer_path)
    if newer_path is None or base.label.startswith("-i:"):
        return base
    newer = load_inventory(newer_path)
    merged = with_declarations(base.inventory, newer, newer_path, run.systems)
    digest = hashlib.sha256(newer_path.read_bytes()).hexdigest()
    return _Source(merged, digest, f"{base.label}+-i:{newer_path}")


def _unchanged_file(run: RunSummary, newer_path: Path | None) -> _Source:
    """Runs stored before snapshots: the run's file if its SHA-256 still matches, else ``-i``."""
    path = Path(run.inventory_path)
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    digest = hashlib.sha256(data).hexdigest() if data is not None else ""
    if data is not None and digest == run.inventory_sha256:
        return _Source(load_inventory(path), digest, f"file:{path}")
    if newer_path is not None:
        newer = load_inventory(newer_path)
        digest = hashlib.sha256(newer_path.read_bytes()).hexdigest()
        return _Source(newer, digest, f"-i:{newer_path}")
    state = "is missing" if data is None else "has changed since the run"
    raise UsageError(
        f"run {run.id} was stored without an inventory snapshot and {path} {state}: "
        "give the inventory to judge it with, -i INVENTORY"
    )


def _last_assessed(store: Store, run_id: int, as_of: dt.date) -> dict[str, dt.date]:
    """Per system, the latest stored assessment of another run dated on or before ``as_of``."""
    latest: dict[str, dt.date] = {}
    for stored in store.assessments():
        if stored.run_id == run_id or stored.as_of > as_of:
            continue
        for system in stored.results.get("systems", []):
            sid = system.get("id") if isinstance(system, dict) else None
            if isinstance(sid, str) and stored.as_of > latest.get(sid, dt.date.min):
                latest[sid] = stored.as_of
    return latest
