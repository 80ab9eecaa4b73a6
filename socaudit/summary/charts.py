"""Geometry of the summary's inline SVG charts (numbers only; labels come from templates)."""

from __future__ import annotations

from dataclasses import dataclass

from socaudit.summary.kpis import Kpi
from socaudit.summary.mau08 import Mau08Totals

BAR_SPAN = 90.0
"""Width in SVG units of a full (100 %) bar."""
ROW = 7.0


@dataclass(frozen=True, slots=True)
class CountBar:
    key: str
    """Status or level code; the template turns it into text."""
    count: int
    width: float
    y: float


@dataclass(frozen=True, slots=True)
class KpiBar:
    name: str
    width: float
    target_x: float
    value: float | None
    met: bool | None
    y: float


@dataclass(frozen=True, slots=True)
class Charts:
    levels: tuple[CountBar, ...]
    approval: tuple[CountBar, ...]
    plan: tuple[CountBar, ...]
    kpis: tuple[KpiBar, ...]

    @staticmethod
    def height(rows: int) -> float:
        return rows * ROW + 2


def count_bars(counts: dict[str, int]) -> tuple[CountBar, ...]:
    """One bar per key, scaled to the largest count."""
    top = max(counts.values(), default=0) or 1
    return tuple(
        CountBar(key, n, round(BAR_SPAN * n / top, 2), i * ROW + 1)
        for i, (key, n) in enumerate(counts.items())
    )


def kpi_bars(kpis: dict[str, Kpi]) -> tuple[KpiBar, ...]:
    bars = []
    for i, (name, kpi) in enumerate(kpis.items()):
        value = kpi.value
        bars.append(
            KpiBar(
                name=name,
                width=round(BAR_SPAN * (value or 0.0), 2),
                target_x=round(BAR_SPAN * float(kpi.target), 2),
                value=value,
                met=kpi.met,
                y=i * ROW + 1,
            )
        )
    return tuple(bars)


def charts(totals: Mau08Totals, kpis: dict[str, Kpi]) -> Charts:
    return Charts(
        levels=count_bars({str(k): v for k, v in totals.by_level.items()}),
        approval=count_bars(totals.by_approval),
        plan=count_bars(totals.by_plan),
        kpis=kpi_bars(kpis),
    )
