"""Inventory keys for people and exercises: awareness, drills, the pre-operation assessment.

They feed the subcommittee summary's targets (NĐ 85/2016 Art. 20.2.d: training, awareness and
drills) and the Mẫu 08 assessment-status column (NĐ 331/2026 Art. 28.3). All are optional.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from socaudit.inventory.basetypes import IsoDate

_Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Awareness(_Model):
    """Staff who use or run the system, and how many were informed about security."""

    staff: int = Field(ge=0)
    informed: int = Field(ge=0)
    date: IsoDate | None = None
    """The last awareness session."""
    document: _Text | None = None

    @model_validator(mode="after")
    def _informed_at_most_staff(self) -> Self:
        if self.informed > self.staff:
            raise ValueError(f"informed ({self.informed}) is more than staff ({self.staff})")
        return self


class DrillKind(StrEnum):
    LIVE_FIRE = "live_fire"
    """Diễn tập thực chiến: real attacks against the running system."""
    TABLETOP = "tabletop"
    """Diễn tập trên bàn / theo kịch bản."""


class Drill(_Model):
    """An incident-response drill held on the system."""

    date: IsoDate
    kind: DrillKind
    scenario: _Text | None = None
    report: _Text | None = None


class PreOperationAssessment(_Model):
    """The assessment before go-live ("Trước khi đưa vào sử dụng", NĐ 331 Art. 28.3)."""

    date: IsoDate
    organization: _Text | None = None
    report: _Text | None = None


def drilled_within(drills: tuple[Drill, ...], start: dt.date, end: dt.date) -> bool:
    """Whether a live-fire drill was held between ``start`` and ``end`` (both included)."""
    return any(d.kind is DrillKind.LIVE_FIRE and start <= d.date <= end for d in drills)


_Percent = Annotated[float, Field(ge=0, le=100)]


class Targets(_Model):
    """The province's own targets, in percent (the summary's defaults when absent)."""

    levels_approved: _Percent | None = None
    plans_deployed: _Percent | None = None
    endpoints_protected: _Percent | None = None
    shared_assessed_yearly: _Percent | None = None
    dc_monitored_connected: _Percent | None = None
    staff_informed: _Percent | None = None
    security_staff_trained: _Percent | None = None
    drills_live_fire: _Percent | None = None
    plan: _Text | None = None
    """The plan the targets come from (e.g. "Kế hoạch số 120/KH-UBND ngày 15/01/2026")."""
