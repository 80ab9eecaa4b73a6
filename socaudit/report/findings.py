"""Findings and gaps of a system: ordered by severity, each with a proposed deadline.

The deadline rule (``DEADLINE_DAYS``) is the project's proposal, counted in calendar days from
the assessment date: critical 7, high 30, medium 90, low 180; ``info`` gets none. It follows
the usual practice of remediation SLAs by severity (e.g. CISA BOD 19-02 gives 15/30 days for
critical/high on internet-facing systems); the province may set its own in its plan.
A finding is a control that failed or partially passed; a gap is one that could not be judged
(insufficient evidence, an error while collecting, or a manual control) — never a finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from socaudit.evaluation.model import ControlResult, LocalText, Outcome

SEVERITIES = ("critical", "high", "medium", "low", "info")
DEADLINE_DAYS: dict[str, int | None] = {
    "critical": 7,
    "high": 30,
    "medium": 90,
    "low": 180,
    "info": None,
}
FINDING_OUTCOMES = (Outcome.FAIL, Outcome.PARTIAL)
GAP_OUTCOMES = (Outcome.ERROR, Outcome.INSUFFICIENT_EVIDENCE, Outcome.MANUAL)

Remediation = Callable[[str], LocalText | None]
"""Control id -> the pack's remediation text (None when the pack is unavailable)."""


@dataclass(frozen=True, slots=True)
class FindingRow:
    rank: int
    control: str
    title: LocalText | None
    severity: str
    outcome: str
    reason: LocalText
    remediation: LocalText | None
    deadline: dt.date | None
    days: int | None
    clause: str | None


@dataclass(frozen=True, slots=True)
class GapRow:
    control: str
    title: LocalText | None
    outcome: str
    reason: LocalText


def deadline(severity: str, as_of: dt.date) -> tuple[dt.date | None, int | None]:
    """The proposed deadline of a finding of ``severity`` found on ``as_of``."""
    days = DEADLINE_DAYS.get(severity, DEADLINE_DAYS["medium"])
    return (as_of + dt.timedelta(days=days), days) if days is not None else (None, None)


def findings(
    controls: Iterable[ControlResult], as_of: dt.date, remediation: Remediation
) -> tuple[FindingRow, ...]:
    """Failed and partial controls, most severe first (fail before partial, then by id)."""
    chosen = sorted(
        (c for c in controls if c.outcome in FINDING_OUTCOMES),
        key=lambda c: (_severity_rank(c.severity), c.outcome is not Outcome.FAIL, c.id),
    )
    rows = []
    for rank, c in enumerate(chosen, start=1):
        due, days = deadline(c.severity, as_of)
        rows.append(
            FindingRow(
                rank=rank,
                control=c.id,
                title=c.title,
                severity=c.severity,
                outcome=c.outcome.value,
                reason=c.reason,
                remediation=remediation(c.id),
                deadline=due,
                days=days,
                clause=c.clause,
            )
        )
    return tuple(rows)


def gaps(controls: Iterable[ControlResult]) -> tuple[GapRow, ...]:
    """Controls that could not be judged, errors first, then by id."""
    chosen = sorted(
        (c for c in controls if c.outcome in GAP_OUTCOMES),
        key=lambda c: (GAP_OUTCOMES.index(c.outcome), c.id),
    )
    return tuple(GapRow(c.id, c.title, c.outcome.value, c.reason) for c in chosen)


def _severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
