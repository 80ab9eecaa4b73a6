"""The NĐ 331/2026 Mẫu 08 system table and its totals, computed from the rows.

Status words are kept as codes (``approved``, ``fully_deployed`` …); the form's Vietnamese
strings come from the ``summary.mau08.*`` catalogue entries, verbatim.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from socaudit.inventory.models import ApprovalStatus, Inventory, PlanStatus, System
from socaudit.inventory.schedule import add_months
from socaudit.summary.due import DueEntry


@dataclass(frozen=True, slots=True)
class AssessmentStatus:
    """Mẫu 08 "Tình trạng kiểm tra, đánh giá": before go-live, periodic, both or blank."""

    pre_operation: bool
    periodic: bool

    @property
    def code(self) -> str:
        """``pre_operation``, ``periodic``, ``both`` or ``none``."""
        if self.pre_operation and self.periodic:
            return "both"
        if self.pre_operation:
            return "pre_operation"
        return "periodic" if self.periodic else "none"


@dataclass(frozen=True, slots=True)
class Mau08Row:
    no: int
    id: str
    name: str
    owner: str | None
    operator: str | None
    level: int
    shared_datacenter: bool
    approval: ApprovalStatus
    approval_decision: str | None
    approval_date: dt.date | None
    approval_issuer: str | None
    expected_approval: dt.date | None
    regulation_decision: str | None
    regulation_date: dt.date | None
    plan: PlanStatus | None
    """None: the inventory declares no security plan (printed as not deployed)."""
    expected_full_deployment: dt.date | None
    assessment: AssessmentStatus


@dataclass(frozen=True, slots=True)
class Mau08Totals:
    """Mẫu 08 part 1, every number counted from the rows."""

    in_scope: int
    classified: int
    with_dossier: int
    appraised: int
    approved: int
    periodically_assessed: int
    pre_operation_assessed: int
    with_regulation: int
    expected_completion: dt.date | None
    """The latest expected approval date among systems not yet approved."""
    by_level: dict[int, int]
    by_approval: dict[str, int]
    by_plan: dict[str, int]


def report_period(inventory: Inventory, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The inventory's assessment period (capped at ``as_of``), else the 12 months to ``as_of``."""
    if inventory.assessment is not None:
        period = inventory.assessment.period
        return period.start, min(period.end, as_of)
    return add_months(as_of, -12), as_of


def mau08_rows(
    inventory: Inventory, due: tuple[DueEntry, ...], as_of: dt.date
) -> tuple[Mau08Row, ...]:
    """One row per system, numbered from 1 in inventory order."""
    start, end = report_period(inventory, as_of)
    last = {e.id: e.last_assessed for e in due}
    return tuple(
        _row(i, s, _status(s, last.get(s.id), start, end, as_of))
        for i, s in enumerate(inventory.systems, start=1)
    )


def _status(
    system: System, last: dt.date | None, start: dt.date, end: dt.date, as_of: dt.date
) -> AssessmentStatus:
    pre = system.pre_operation_assessment
    return AssessmentStatus(
        pre_operation=pre is not None and pre.date <= as_of,
        periodic=last is not None and start <= last <= end,
    )


def _row(no: int, system: System, assessment: AssessmentStatus) -> Mau08Row:
    approval, plan = system.level_approval, system.security_plan
    regulation = system.security_regulation
    pending = approval.status is not ApprovalStatus.APPROVED
    return Mau08Row(
        no=no,
        id=system.id,
        name=system.name,
        owner=system.owner,
        operator=system.operator,
        level=system.level,
        shared_datacenter=system.shared_datacenter,
        approval=approval.status,
        approval_decision=approval.decision,
        approval_date=approval.date,
        approval_issuer=approval.issuer,
        expected_approval=approval.expected_date if pending else None,
        regulation_decision=regulation.decision if regulation else None,
        regulation_date=regulation.date if regulation else None,
        plan=plan.status if plan else None,
        expected_full_deployment=plan.expected_full_deployment if plan else None,
        assessment=assessment,
    )


_DOSSIER = {ApprovalStatus.SUBMITTED, ApprovalStatus.APPRAISED, ApprovalStatus.APPROVED}
_APPRAISED = {ApprovalStatus.APPRAISED, ApprovalStatus.APPROVED}


def mau08_totals(rows: tuple[Mau08Row, ...]) -> Mau08Totals:
    """The form's totals: a dossier is complete once submitted; approval implies appraisal."""
    pending = [r.expected_approval for r in rows if r.expected_approval is not None]
    levels = Counter(r.level for r in rows)
    return Mau08Totals(
        in_scope=len(rows),
        classified=sum(1 for r in rows if 1 <= r.level <= 5),
        with_dossier=sum(r.approval in _DOSSIER for r in rows),
        appraised=sum(r.approval in _APPRAISED for r in rows),
        approved=sum(r.approval is ApprovalStatus.APPROVED for r in rows),
        periodically_assessed=sum(r.assessment.periodic for r in rows),
        pre_operation_assessed=sum(r.assessment.pre_operation for r in rows),
        with_regulation=sum(r.regulation_decision is not None for r in rows),
        expected_completion=max(pending, default=None),
        by_level={level: levels[level] for level in range(1, 6)},
        by_approval={s.value: sum(r.approval is s for r in rows) for s in ApprovalStatus},
        by_plan={p.value: sum(_plan(r) is p for r in rows) for p in PlanStatus},
    )


def _plan(row: Mau08Row) -> PlanStatus:
    return row.plan if row.plan is not None else PlanStatus.NOT_DEPLOYED
