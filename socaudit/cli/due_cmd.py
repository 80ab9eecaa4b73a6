"""``socaudit due``: when each system's next assessment is due (for cron; exit 1 if overdue)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from socaudit.cli.context import AppContext, pass_app
from socaudit.cli.stored_support import needed_judgements, today
from socaudit.exitcodes import ExitCode
from socaudit.inventory.loader import load_inventory
from socaudit.store.repository import Store
from socaudit.summary.due import DueEntry, due_entries, due_json
from socaudit.summary.stored import last_assessed_dates


@click.command(
    "due", short_help="When each system's next assessment is due; exit 1 when one is overdue."
)
@click.option(
    "-i", "--inventory", "path", required=True, type=click.Path(path_type=Path, dir_okay=False)
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Judge due dates on this day (default: today in the inventory's time zone).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_app
def due(app: AppContext, path: Path, as_of: dt.datetime | None, fmt: str) -> int:
    """When each system's next assessment is due (NĐ 85/2016 Art. 20.2.c: level 5 every 6
    months, levels 3-4 and shared data-centre systems yearly, levels 1-2 every 2 years).

    The last assessment is the later of a stored socaudit assessment of the system and the
    independent inspection the inventory declares; never assessed means overdue.

    Exit status: 1 a system is overdue; 0 none is."""
    inventory = load_inventory(path)
    day = as_of.date() if as_of else today(inventory)
    store = Store(app.db_url)
    try:
        found = needed_judgements(store, [s.id for s in inventory.systems], day)
        stored = last_assessed_dates(found, day)
    finally:
        store.close()
    entries = due_entries(inventory, stored, day)
    if fmt == "json":
        click.echo(json.dumps(due_json(day, entries), ensure_ascii=False, indent=2))
    else:
        click.echo(due_text(day, entries))
    return ExitCode.FINDINGS if any(e.overdue for e in entries) else ExitCode.OK


def due_text(day: dt.date, entries: tuple[DueEntry, ...]) -> str:
    lines = [f"as of {day.isoformat()}", f"{'system':<20} lvl  {'last assessed':<25} every  due"]
    for e in entries:
        last = f"{e.last_assessed} ({e.source})" if e.last_assessed else "never"
        when = e.due.isoformat() if e.due else "-"
        mark = "  OVERDUE" if e.overdue else ""
        lines.append(f"{e.id:<20} {e.level:>3}  {last:<25} {e.interval_months:>3}m  {when}{mark}")
    overdue = sum(e.overdue for e in entries)
    lines.append(f"{overdue} of {len(entries)} system(s) overdue")
    return "\n".join(lines)
