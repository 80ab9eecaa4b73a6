"""``socaudit evidence``: what a stored run observed, per system (observed facts, not verdicts)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from socaudit.cli.context import AppContext, pass_app
from socaudit.errors import InputError, UsageError
from socaudit.exitcodes import ExitCode
from socaudit.inventory.loader import load_inventory
from socaudit.inventory.models import Inventory
from socaudit.runview import REPORTED_SEVERITIES, RunView, SystemView, build_run_view
from socaudit.store.repository import RunSummary, Store
from socaudit.tls.text import clean


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
        records = [r for r in store.records(run.id) if not systems or r.target.system_id in systems]
    finally:
        store.close()
    inventory, note = _inventory(run)
    view = build_run_view(records, inventory)
    if fmt == "json":
        click.echo(json.dumps(_json(run, view, note), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(_text(run, view, note)))
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


def _inventory(run: RunSummary) -> tuple[Inventory | None, str | None]:
    path = Path(run.inventory_path)
    try:
        return load_inventory(path), None
    except InputError:
        return None, f"inventory {path} is missing or no longer valid: declared ports not compared"


def _exit_code(run: RunSummary, view: RunView) -> int:
    counts = view.severity_counts()
    if view.undeclared_ports or any(counts[s] for s in REPORTED_SEVERITIES):
        return ExitCode.FINDINGS
    if run.status != "completed" or view.problems:
        return ExitCode.INCOMPLETE
    return ExitCode.OK


def _text(run: RunSummary, view: RunView, note: str | None) -> Iterator[str]:
    yield (
        f"run {run.id} ({run.status}, as of {run.as_of}) — {run.inventory_path} — "
        f"{len(view.systems)} system(s)"
    )
    if note:
        yield f"note: {note}"
    for system in view.systems:
        yield from _system_text(system)
    counts = ", ".join(f"{n} {sev}" for sev, n in view.severity_counts().items() if n)
    yield ""
    yield (
        f"findings: {counts or 'none'}; undeclared open ports: {view.undeclared_ports}; "
        f"errors/refusals: {view.problems}"
    )
    yield "Observed facts only; judging TCVN 11930 controls is the assessment's job."


def _system_text(system: SystemView) -> Iterator[str]:
    level = f", level {system.level}" if system.level else ""
    yield ""
    yield f"== {system.system_id}{level}: {system.name or '(not in the inventory)'}"
    for port in system.open_ports:
        mark = {True: "declared", False: "UNDECLARED", None: "not compared"}[port.declared]
        service = clean(" ".join(x for x in (port.service, port.product) if x) or "?")
        yield f"  open {port.address}:{port.port} {service}{' (TLS)' if port.tls else ''} [{mark}]"
    for tls in system.tls:
        grade = tls.grade or "not graded"
        if tls.grade_if_trust_ignored and tls.grade_if_trust_ignored != tls.grade:
            grade += f" (if trust ignored: {tls.grade_if_trust_ignored})"
        yield f"  tls {clean(tls.target)}: {', '.join(tls.protocols) or '-'}; grade {grade}"
        if tls.certificate:
            yield f"      certificate {clean(tls.certificate)}"
    for item in system.findings:
        finding = item.finding
        yield f"  [{finding.severity}] {finding.id} {clean(item.target)}: {clean(finding.message)}"
    for problem in system.problems:
        why = problem.reason or problem.status
        yield f"  {problem.status} {clean(problem.target)} ({why}): {clean(problem.detail or '')}"


def _json(run: RunSummary, view: RunView, note: str | None) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "run": {
            "id": run.id,
            "status": run.status,
            "as_of": run.as_of.isoformat(),
            "inventory": run.inventory_path,
        },
        "note": note,
        "systems": [_system_json(s) for s in view.systems],
        "totals": {
            "findings": view.severity_counts(),
            "undeclared_open_ports": view.undeclared_ports,
            "problems": view.problems,
        },
    }


def _system_json(system: SystemView) -> dict[str, Any]:
    data = dataclasses.asdict(system)
    data["findings"] = [
        {"target": f.target, **f.finding.model_dump(mode="json")} for f in system.findings
    ]
    return data
