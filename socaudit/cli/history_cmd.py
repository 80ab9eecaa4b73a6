"""``socaudit history``: the stored assessments of the systems over time."""

from __future__ import annotations

import json

import click

from socaudit.cli.context import AppContext, pass_app
from socaudit.cli.stored_support import stored_judgements
from socaudit.errors import UsageError
from socaudit.store.repository import Store
from socaudit.summary.history import history as history_rows
from socaudit.summary.history import history_json
from socaudit.summary.stored import SystemJudgement

_SHOWN = ("fail", "partial", "pass", "waived", "insufficient_evidence", "error", "manual")


@click.command("history")
@click.option("--system", "system", metavar="ID", help="Only this system.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_app
def history(app: AppContext, system: str | None, fmt: str) -> int:
    """The assessments of each system over time: date, pack, outcome and outcome counts."""
    store = Store(app.db_url)
    try:
        found = stored_judgements(store)
    finally:
        store.close()
    if system is not None and all(j.result.id != system for j in found):
        known = ", ".join(sorted({j.result.id for j in found})) or "none"
        raise UsageError(f"no stored assessment of system {system!r} (assessed systems: {known})")
    rows = history_rows(found, system)
    if fmt == "json":
        click.echo(json.dumps(history_json(rows), ensure_ascii=False, indent=2))
    else:
        click.echo(history_text(rows))
    return 0


def history_text(rows: list[SystemJudgement]) -> str:
    if not rows:
        return "no stored assessments yet (run `socaudit evaluate`)"
    head = f"{'assessed':<10}  {'system':<16} run  asmt  {'pack':<26} {'outcome':<22} counts"
    lines = [head]
    for j in rows:
        counts = " ".join(f"{k}={j.result.counts.get(k, 0)}" for k in _SHOWN)
        lines.append(
            f"{j.assessed_on.isoformat():<10}  {j.result.id:<16} {j.run_id:>3}  "
            f"{j.assessment_id:>4}  {j.pack:<26} {j.result.outcome.value:<22} {counts}"
        )
    return "\n".join(lines)
