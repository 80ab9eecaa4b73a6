"""``socaudit inventory validate|show``: check an inventory file and list its systems."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from socaudit.inventory.clock import local_today
from socaudit.inventory.loader import validate_inventory
from socaudit.inventory.models import Inventory, System
from socaudit.inventory.schedule import next_assessment_due

_FILE = click.Path(path_type=Path, dir_okay=False)


@click.group()
def inventory() -> None:
    """Validate and inspect inventory files (docs/inventory.md)."""


@inventory.command()
@click.argument("file", type=_FILE)
def validate(file: Path) -> None:
    """Check FILE; print warnings and a summary (exit 3 with every problem if invalid)."""
    loaded, warnings = validate_inventory(file)
    for warning in warnings:
        click.echo(warning.render(), err=True)
    click.echo(f"{file}: valid — {summary(loaded, len(warnings))}")


def summary(loaded: Inventory, warnings: int) -> str:
    """``11 systems, 17 assets, 2 warnings``."""
    assets = sum(len(system.assets) for system in loaded.systems)
    return (
        f"{_count(len(loaded.systems), 'system')}, {_count(assets, 'asset')}, "
        f"{_count(warnings, 'warning')}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@inventory.command()
@click.argument("file", type=_FILE)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Judge due dates on this day (YYYY-MM-DD) instead of today in the inventory's "
    "authorization.timezone.",
)
def show(file: Path, as_of: dt.datetime | None) -> None:
    """Print FILE's systems: level, approval, assets and when the next assessment is due."""
    loaded, _warnings = validate_inventory(file)
    today = as_of.date() if as_of is not None else local_today(loaded)
    table = Table(title=escape(f"{loaded.organization.name} — {file}"))
    for column in ("id", "name", "level", "approval", "assets", "next assessment due"):
        table.add_column(column, overflow="fold")
    for system in loaded.systems:
        table.add_row(*_row(system, today))
    Console(width=None if sys.stdout.isatty() else 160).print(table)


def _row(system: System, today: dt.date) -> tuple[str, ...]:
    return (
        system.id,
        escape(system.name),  # inventory text is data, never rich markup
        str(system.level),
        system.level_approval.status.value,
        str(len(system.assets)),
        _due(system, today),
    )


def _due(system: System, today: dt.date) -> str:
    due = next_assessment_due(system)
    if due is None:
        return "[red]no inspection declared[/red]"
    if due < today:
        return f"[red]{due.isoformat()} overdue[/red]"
    return due.isoformat()
