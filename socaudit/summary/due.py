"""When each system's next assessment is due (NĐ 85/2016 Art. 20.2.c), for ``socaudit due``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from socaudit.inventory.models import Inventory, System
from socaudit.inventory.schedule import assessment_interval_months, last_assessment
from socaudit.inventory.schedule import next_assessment_due as _next_due


@dataclass(frozen=True, slots=True)
class DueEntry:
    id: str
    level: int
    last_assessed: dt.date | None
    source: str | None
    """``socaudit`` (a stored assessment), ``inspection`` (declared) or None (never)."""
    interval_months: int
    due: dt.date | None
    overdue: bool


def due_entry(system: System, stored: dt.date | None, as_of: dt.date) -> DueEntry:
    """The system's due date from the later of ``stored`` and its declared inspection.

    Dates after ``as_of`` are ignored (an assessment cannot count before it happened).
    """
    stored = stored if stored is not None and stored <= as_of else None
    declared = last_assessment(system)
    declared = declared if declared is not None and declared <= as_of else None
    last = max((d for d in (stored, declared) if d is not None), default=None)
    source = None if last is None else ("socaudit" if last == stored else "inspection")
    due = _next_due(system, last) if last is not None else None
    return DueEntry(
        id=system.id,
        level=system.level,
        last_assessed=last,
        source=source,
        interval_months=assessment_interval_months(system),
        due=due,
        overdue=due is None or due < as_of,
    )


def due_entries(
    inventory: Inventory, stored: Mapping[str, dt.date], as_of: dt.date
) -> tuple[DueEntry, ...]:
    """One entry per system, in inventory order."""
    return tuple(due_entry(s, stored.get(s.id), as_of) for s in inventory.systems)


def due_json(as_of: dt.date, entries: tuple[DueEntry, ...]) -> dict[str, Any]:
    """``{"as_of", "systems": [{"id", "level", "last_assessed", "interval_months", "due",
    "overdue"}]}`` — the ``socaudit due --format json`` contract."""
    return {
        "as_of": as_of.isoformat(),
        "systems": [
            {
                "id": e.id,
                "level": e.level,
                "last_assessed": _iso(e.last_assessed),
                "interval_months": e.interval_months,
                "due": _iso(e.due),
                "overdue": e.overdue,
            }
            for e in entries
        ],
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None
