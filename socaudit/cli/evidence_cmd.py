"""``socaudit evidence``: what a stored run observed, per system (observed facts, not verdicts)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import click

from socaudit.cli.context import AppContext, pass_app
from socaudit.cli.evidence_text import print_lines, run_text
from socaudit.errors import InputError, UsageError
from socaudit.exitcodes import ExitCode
from socaudit.inventory.loader import load_inventory
from socaudit.inventory.models import Inventory
from socaudit.runview import REPORTED_SEVERITIES, RunView, SystemView, build_run_view
from socaudit.store.repository import RunSummary, Store


@click.command("evidence")
@click.argument("run_ref", default="latest", metavar="[RUN_ID|latest]")
@click.option("--system", "systems", multiple=True, metavar="ID", help="Only this system.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_app
def evidence(app: AppContext, run_ref: str, systems: tuple[str, ...], fmt: str) -> int:
    """Show what a run observed per system: open ports against the declared services, TLS
    grades and findings, HTTP and SSH findings, errors and refused targets.

    Exit status: 1 a finding of medium severity or above or an undeclared open port; 4 the run
    is incomplete (errors, refusals, interrupted); 0 nothing to report; 2 unknown run."""
    store = Store(app.db_url)
    try:
        run = _find_run(store, run_ref)
        _check_systems(run, systems)
        records = [r for r in store.records(run.id) if not systems or r.target.system_id in systems]
    finally:
        store.close()
    inventory, note = _inventory(run)
    view = build_run_view(records, inventory, systems or run.systems)
    if fmt == "json":
        click.echo(json.dumps(_json(run, view, note), ensure_ascii=False, indent=2))
    else:
        print_lines(run_text(run, view, note), sys.stdout)
    return _exit_code(run, view)


def _find_run(store: Store, run_ref: str) -> RunSummary:
    if run_ref == "latest":
        runs = store.runs()
        if not runs:
            raise UsageError("no runs in the store yet (run `socaudit scan` first)")
        return max(runs, key=lambda r: r.id)
    if not run_ref.isdigit() or (run := store.run(int(run_ref))) is None:
        raise UsageError(f"no run {run_ref!r} in the store (see `socaudit runs`)")
    return run


def _check_systems(run: RunSummary, systems: tuple[str, ...]) -> None:
    unknown = sorted(set(systems) - set(run.systems))
    if unknown:
        known = ", ".join(run.systems) or "none"
        raise UsageError(f"run {run.id} has no system {', '.join(unknown)} (its systems: {known})")


def _inventory(run: RunSummary) -> tuple[Inventory | None, str | None]:
    """The run's inventory for the declared-port comparison, unless it is gone or changed."""
    path = Path(run.inventory_path)
    skipped = "declared ports not compared"
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        inventory = load_inventory(path)
    except (OSError, InputError):
        return None, f"inventory {path} is missing or no longer valid: {skipped}"
    if run.inventory_sha256 and digest != run.inventory_sha256:
        return None, f"inventory {path} changed since the run: {skipped}"
    return inventory, None


def _exit_code(run: RunSummary, view: RunView) -> int:
    counts = view.severity_counts()
    if view.undeclared_ports or any(counts[s] for s in REPORTED_SEVERITIES):
        return ExitCode.FINDINGS
    if run.status != "completed" or view.problems:
        return ExitCode.INCOMPLETE
    return ExitCode.OK


def _json(run: RunSummary, view: RunView, note: str | None) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "run": {
            "id": run.id,
            "status": run.status,
            "as_of": run.as_of.isoformat(),
            "inventory": run.inventory_path,
            "started_at": run.started_at.isoformat(),
            "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        },
        "note": note,
        "systems": [_system_json(s) for s in view.systems],
        "totals": {
            "findings": view.severity_counts(),
            "systems": len(view.systems),
            "undeclared_open_ports": view.undeclared_ports,
            "problems": view.problems,
            "errors": view.errors,
            "refusals": view.refusals,
        },
    }


def _system_json(system: SystemView) -> dict[str, Any]:
    data = dataclasses.asdict(system)
    data["findings"] = [
        {"target": f.target, **f.finding.model_dump(mode="json")} for f in system.findings
    ]
    for tls in data["tls"]:
        tls["mozilla"] = dict(tls["mozilla"])  # profile -> compliant (null: can't tell)
    return data
