"""The inventory's clock: every date of an inventory is a day in ``authorization.timezone``.

An authorisation window, a waiver's expiry, a monitoring contract's end, a due date: all are
calendar days where the agency is (default ``Asia/Ho_Chi_Minh``, UTC+7), never UTC days. At
UTC+7 the UTC date lags by one day from 00:00 to 06:59, so a scan at 03:00 on the day after
``window.to`` would otherwise still be accepted. Call ``local_today(inventory)`` wherever
"today" is compared with an inventory date (scope, evaluation, due dates, reports).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator

if TYPE_CHECKING:
    from socaudit.inventory.models import Inventory

__all__ = [
    "DEFAULT_TIMEZONE",
    "TimeZoneName",
    "inventory_zone",
    "local_date",
    "local_now",
    "local_today",
    "zone_info",
]

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
_ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+-]{0,30}(/[A-Za-z0-9_+-]{1,30}){0,2}$")


def zone_info(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (``ValueError`` with a hint if there is no such zone)."""
    problem = f"unknown time zone {name!r}: give an IANA name such as {DEFAULT_TIMEZONE}"
    if not _ZONE_NAME.match(name):
        raise ValueError(problem)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(problem) from None


def _valid_zone(name: str) -> str:
    zone_info(name)
    return name


TimeZoneName = Annotated[str, AfterValidator(_valid_zone)]
"""An IANA time zone name (``Asia/Ho_Chi_Minh``, ``UTC``), checked against the zone database."""


def inventory_zone(inventory: Inventory) -> ZoneInfo:
    """The zone the inventory's dates are days in."""
    return zone_info(inventory.authorization.timezone)


def local_now(inventory: Inventory, now: dt.datetime | None = None) -> dt.datetime:
    """``now`` (default: the current instant) as an aware time in the inventory's zone.

    A naive ``now`` is refused: it names no instant.
    """
    moment = dt.datetime.now(dt.UTC) if now is None else now
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("local_now() needs an aware datetime (e.g. datetime.now(UTC))")
    return moment.astimezone(inventory_zone(inventory))


def local_today(inventory: Inventory, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the inventory's zone (or the date of the instant ``now`` there)."""
    return local_now(inventory, now).date()


def local_date(inventory: Inventory, moment: dt.datetime) -> dt.date:
    """The calendar day in the inventory's zone of a stored instant (e.g. a run's start).

    Stored naive times are UTC (SQLite drops the zone).
    """
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return local_today(inventory, aware)
