"""Field types shared by the inventory models: strict ISO dates and NĐ 85/2016 vocabularies."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iso_date(value: object) -> object:
    """Accept ``date`` objects and ``YYYY-MM-DD`` text only (no numbers, no times)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        raise ValueError("expected a date written as YYYY-MM-DD")
    if isinstance(value, str):
        if not _ISO_DATE.match(value):
            raise ValueError("expected a date written as YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("no such calendar day") from None
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
"""A calendar date, written ``YYYY-MM-DD`` in files."""


class SecurityImpact(StrEnum):
    """Harm to defence or national security if the system is compromised."""

    NONE = "none"
    HARM = "harm"
    SERIOUS = "serious"
    ESPECIALLY_SERIOUS = "especially_serious"


class ConstructionGrade(StrEnum):
    """Grade of construction works (special grade, I–IV) or 'important to national security'."""

    SPECIAL = "special"
    NATIONAL_SECURITY = "national_security"
    I = "I"  # noqa: E741 - the legal name of the grade
    II = "II"
    III = "III"
    IV = "IV"


class NationalCritical(StrEnum):
    """Why a system is on the national critical list (Danh mục HTTT quan trọng quốc gia)."""

    NATIONAL_DATA = "national_data"
    INTERNATIONAL_GATEWAY = "international_gateway"
    PRIME_MINISTER_LIST = "prime_minister_list"
