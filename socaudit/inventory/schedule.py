"""When a system's next independent assessment is due (NĐ 85/2016 Art. 20.2.c)."""

from __future__ import annotations

import calendar
import datetime as dt

from socaudit.inventory.models import System


def assessment_interval_months(system: System) -> int:
    """6 for level 5; 12 for levels 3–4 and shared data-centre systems; 24 otherwise."""
    if system.level >= 5:
        return 6
    if system.level >= 3 or system.shared_datacenter:
        return 12
    return 24


def last_assessment(system: System, stored: dt.date | None = None) -> dt.date | None:
    """The later of the declared independent inspection and ``stored`` (a socaudit assessment)."""
    layers = system.four_layer
    inspection = layers.independent_inspection if layers is not None else None
    declared = inspection.last_date if inspection is not None else None
    dates = [d for d in (declared, stored) if d is not None]
    return max(dates) if dates else None


def next_assessment_due(system: System, stored: dt.date | None = None) -> dt.date | None:
    """Last assessment + the level's interval (None when the system was never assessed)."""
    last = last_assessment(system, stored)
    return add_months(last, assessment_interval_months(system)) if last is not None else None


def is_overdue(system: System, as_of: dt.date, stored: dt.date | None = None) -> bool:
    """True when the due date has passed, or the system was never assessed."""
    due = next_assessment_due(system, stored)
    return due is None or due < as_of


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clamped to the month's last day (31 Aug + 6 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
