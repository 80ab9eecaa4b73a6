"""Next assessment due dates (NĐ 85/2016 Art. 20.2.c)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from socaudit.inventory.models import System
from socaudit.inventory.schedule import add_months, is_overdue, next_assessment_due


def system(level: int, last: str | None, **extra: Any) -> System:
    layers = {"independent_inspection": {"last_date": last}} if last else {}
    return System.model_validate(
        {
            "id": "s",
            "name": "Hệ thống",
            "level": level,
            "level_approval": {"status": "approved"},
            "four_layer": layers,
            **extra,
        }
    )


@pytest.mark.parametrize(
    ("level", "shared", "due"),
    [
        (1, False, "2027-03-10"),
        (2, False, "2027-03-10"),
        (2, True, "2026-03-10"),
        (3, False, "2026-03-10"),
        (4, False, "2026-03-10"),
        (5, False, "2025-09-10"),
    ],
)
def test_interval_by_level_and_shared_datacenter(level: int, shared: bool, due: str) -> None:
    found = next_assessment_due(system(level, "2025-03-10", shared_datacenter=shared))

    assert found == dt.date.fromisoformat(due)


def test_no_inspection_means_no_due_date_and_overdue() -> None:
    undeclared = system(3, None)

    assert next_assessment_due(undeclared) is None
    assert is_overdue(undeclared, dt.date(2026, 11, 28))


def test_overdue_only_after_the_due_date() -> None:
    inspected = system(3, "2025-11-28")

    assert not is_overdue(inspected, dt.date(2026, 11, 28))
    assert is_overdue(inspected, dt.date(2026, 11, 29))


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 12, 15), 24) == dt.date(2027, 12, 15)
