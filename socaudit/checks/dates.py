"""Freshness in calendar months (the inventory schedule's month arithmetic)."""

from __future__ import annotations

import datetime as dt

from socaudit.inventory.schedule import add_months


def older_than(day: dt.date, months: int, as_of: dt.date) -> bool:
    """Whether ``day`` is more than ``months`` months before ``as_of``."""
    return add_months(day, months) < as_of
