"""``socaudit runs``: the runs in the evidence store."""

from __future__ import annotations

import json
from typing import Any

import click

from socaudit.cli.context import AppContext, pass_app
from socaudit.store.repository import RunSummary, Store


@click.command("runs")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_app
def runs(app: AppContext, fmt: str) -> int:
    """List runs: id, started, finished, status, systems, evidence count."""
    store = Store(app.db_url)
    try:
        rows = store.runs()
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps([run_json(r) for r in rows], ensure_ascii=False, indent=2))
    else:
        click.echo(runs_text(rows))
    return 0


def run_json(run: RunSummary) -> dict[str, Any]:
    return {
        "id": run.id,
        "started": run.started_at.isoformat(),
        "finished": run.finished_at.isoformat() if run.finished_at else None,
        "status": run.status,
        "systems": list(run.systems),
        "evidence": run.evidence,
        "inventory": run.inventory_path,
        "as_of": run.as_of.isoformat(),
    }


def runs_text(rows: list[RunSummary]) -> str:
    if not rows:
        return "no runs yet"
    columns = ("id", "started (UTC)", "finished (UTC)", "status")
    lines = ["{:>4}  {:<19}  {:<19}  {:<11}  evidence  systems".format(*columns)]
    for r in rows:
        started = r.started_at.strftime("%Y-%m-%d %H:%M:%S")
        finished = r.finished_at.strftime("%Y-%m-%d %H:%M:%S") if r.finished_at else "-"
        systems = ",".join(r.systems)
        lines.append(
            f"{r.id:>4}  {started:<19}  {finished:<19}  {r.status:<11}  {r.evidence:>8}  {systems}"
        )
    return "\n".join(lines)
