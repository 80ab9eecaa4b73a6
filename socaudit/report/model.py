"""The per-system report as data: every count, order and grouping, no text, no markup.

Built from the evaluation's ``AssessmentResult`` (the stored assessment), the run's inventory
snapshot and its evidence records. Templates only format these values; reader text comes
from the catalogues (``report.*``, ``common.*``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from socaudit.evaluation.model import (
    AssessmentResult,
    ControlResult,
    Layer,
    LocalText,
    Outcome,
    SystemResult,
)
from socaudit.evidence.records import EvidenceRecord
from socaudit.inventory.models import Inventory, System
from socaudit.report.appendix import Appendix, build_appendix
from socaudit.report.context import AssessmentContext, assessment_context
from socaudit.report.findings import FindingRow, GapRow, Remediation, findings, gaps
from socaudit.report.layout import DocumentHeader, document_header

OUTCOME_ORDER = (
    Outcome.FAIL,
    Outcome.PARTIAL,
    Outcome.ERROR,
    Outcome.INSUFFICIENT_EVIDENCE,
    Outcome.MANUAL,
    Outcome.WAIVED,
    Outcome.PASS,
    Outcome.NOT_APPLICABLE,
)
DOCUMENT_CHECK = "declared.document"
"""The check that reads a control's ``evidence:`` entry (``socaudit.checks.declared``)."""
CHART_WIDTH = 90.0
"""Length in the chart's units (mm) of the longest bar."""


@dataclass(frozen=True, slots=True)
class Bar:
    word: str
    count: int
    width: float
    y: float


@dataclass(frozen=True, slots=True)
class Identity:
    id: str
    name: str
    owner: str | None
    operator: str | None
    level: int
    approval_status: str
    approval_decision: str | None
    approval_date: dt.date | None
    organization: str


@dataclass(frozen=True, slots=True)
class ControlRow:
    id: str
    title: LocalText | None
    clause: str | None
    tt12_row: str | None
    kind: str
    severity: str
    outcome: str
    waived_outcome: str | None
    reason: LocalText
    declaration_missing: bool = False
    """Not judged only because the inventory declares no evidence for it (nothing observed)."""


@dataclass(frozen=True, slots=True)
class GroupRow:
    group: str
    title: LocalText | None
    controls: tuple[ControlRow, ...]
    failed: int
    total: int

    @property
    def judged(self) -> tuple[ControlRow, ...]:
        """The rows a reader needs one by one: everything but the undeclared."""
        return tuple(r for r in self.controls if not r.declaration_missing)

    @property
    def undeclared(self) -> tuple[ControlRow, ...]:
        """Rows with nothing to judge but a missing declaration (listed together in print)."""
        return tuple(r for r in self.controls if r.declaration_missing)


@dataclass(frozen=True, slots=True)
class CheckRow:
    control: str
    check: str
    outcome: str
    reason: LocalText
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DeclaredRow:
    control: str
    status: str
    document: str | None
    date: dt.date | None
    note: str | None


@dataclass(frozen=True, slots=True)
class WaiverRow:
    control: str
    reason: str
    approved_by: str
    expires: dt.date
    waived_outcome: str | None
    applied: bool


@dataclass(frozen=True, slots=True)
class LayerRow:
    layer: str
    status: str
    reason: LocalText


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: str
    total: int
    counts: dict[str, int]
    serious: int
    """Findings of critical or high severity."""
    first: tuple[str, ...]
    """Ids of the (at most three) findings to fix first."""


@dataclass(frozen=True, slots=True)
class SystemReport:
    header: DocumentHeader
    identity: Identity
    context: AssessmentContext
    verdict: Verdict
    counts: tuple[tuple[str, int], ...]
    bars: tuple[Bar, ...]
    groups: tuple[GroupRow, ...]
    layers: tuple[LayerRow, ...]
    findings: tuple[FindingRow, ...]
    gaps: tuple[GapRow, ...]
    observed: tuple[CheckRow, ...]
    declared_checks: tuple[CheckRow, ...]
    declared: tuple[DeclaredRow, ...]
    waivers: tuple[WaiverRow, ...]
    appendix: Appendix
    gap_lists: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Outcome word -> ids of the controls that could not be judged (compact listing)."""
    undeclared: tuple[str, ...] = ()
    """Controls whose declared part found no (or no fresh) declaration."""

    @property
    def declared_judged(self) -> tuple[CheckRow, ...]:
        """Declared checks that found a declaration to judge."""
        return tuple(k for k in self.declared_checks if k.outcome != "insufficient_evidence")


def build_system_report(
    result: AssessmentResult,
    system_id: str,
    inventory: Inventory,
    records: Iterable[EvidenceRecord],
    remediation: Remediation = lambda _control: None,
    run_status: str = "completed",
    group_titles: Mapping[str, LocalText] | None = None,
) -> SystemReport:
    """The report of ``system_id`` (``KeyError`` if the assessment does not hold it)."""
    judged = next((s for s in result.systems if s.id == system_id), None)
    if judged is None:
        raise KeyError(system_id)
    records = list(records)
    system = inventory.system(system_id)
    found = findings(judged.controls, result.as_of, remediation)
    declared_checks = _checks(judged.controls, "declared")
    not_judged = gaps(judged.controls)
    return SystemReport(
        header=document_header(inventory, result.as_of),
        identity=_identity(system, inventory),
        context=assessment_context(result, inventory, records, run_status),
        verdict=_verdict(judged, found),
        counts=_counts(judged),
        bars=_bars(judged),
        groups=_groups(judged.controls, group_titles or {}, {e.control for e in system.evidence}),
        layers=_layers(judged),
        findings=found,
        gaps=not_judged,
        observed=_checks(judged.controls, "observed"),
        declared_checks=declared_checks,
        declared=tuple(
            DeclaredRow(e.control, e.status.value, e.document, e.date, e.note)
            for e in sorted(system.evidence, key=lambda e: e.control)
        ),
        waivers=_waivers(system, judged, result.as_of),
        appendix=build_appendix(system_id, records, inventory),
        gap_lists=_gap_lists(not_judged),
        undeclared=tuple(
            dict.fromkeys(
                k.control for k in declared_checks if k.outcome == "insufficient_evidence"
            )
        ),
    )


def _gap_lists(rows: Iterable[GapRow]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    by_outcome: dict[str, list[str]] = {}
    for row in rows:
        by_outcome.setdefault(row.outcome, []).append(row.control)
    return tuple((word, tuple(ids)) for word, ids in by_outcome.items())


def _identity(system: System, inventory: Inventory) -> Identity:
    approval = system.level_approval
    return Identity(
        id=system.id,
        name=system.name,
        owner=system.owner,
        operator=system.operator,
        level=system.level,
        approval_status=approval.status.value,
        approval_decision=approval.decision,
        approval_date=approval.date,
        organization=inventory.organization.name,
    )


def _count(judged: SystemResult, word: Outcome) -> int:
    if judged.counts:
        return judged.counts.get(word.value, 0)
    return sum(c.outcome is word for c in judged.controls)


def _counts(judged: SystemResult) -> tuple[tuple[str, int], ...]:
    return tuple((o.value, _count(judged, o)) for o in OUTCOME_ORDER)


def _bars(judged: SystemResult) -> tuple[Bar, ...]:
    shown = [(word, n) for word, n in _counts(judged) if n]
    top = max((n for _, n in shown), default=1)
    return tuple(
        Bar(word, n, round(CHART_WIDTH * n / top, 1), 1 + 7 * i)
        for i, (word, n) in enumerate(shown)
    )


def _verdict(judged: SystemResult, found: tuple[FindingRow, ...]) -> Verdict:
    counts = dict(_counts(judged))
    return Verdict(
        outcome=judged.outcome.value,
        total=sum(counts.values()),
        counts=counts,
        serious=sum(f.severity in ("critical", "high") for f in found),
        first=tuple(f.control for f in found[:3]),
    )


def _groups(
    controls: Iterable[ControlResult], titles: Mapping[str, LocalText], declared: set[str]
) -> tuple[GroupRow, ...]:
    by_group: dict[str, list[ControlRow]] = {}
    for c in controls:
        by_group.setdefault(c.group, []).append(_row(c, _declaration_missing(c, declared)))
    return tuple(
        GroupRow(
            group=group,
            title=titles.get(group),
            controls=tuple(rows),
            failed=sum(r.outcome in ("fail", "partial") for r in rows),
            total=len(rows),
        )
        for group, rows in by_group.items()
    )


def _row(c: ControlResult, declaration_missing: bool) -> ControlRow:
    waived = c.waived_outcome.value if c.waived_outcome else None
    return ControlRow(
        c.id,
        c.title,
        c.clause,
        c.tt12_row,
        c.kind,
        c.severity,
        c.outcome.value,
        waived,
        c.reason,
        declaration_missing,
    )


def _declaration_missing(c: ControlResult, declared: set[str]) -> bool:
    """Insufficient only because the inventory has no ``evidence:`` entry for it: its only
    checks are the declared-document check, which found nothing (a stale or refused entry,
    and any other check's finding, keep their own row and reason)."""
    return (
        c.outcome is Outcome.INSUFFICIENT_EVIDENCE
        and c.id not in declared
        and bool(c.checks)
        and all(
            k.check == DOCUMENT_CHECK and k.outcome is Outcome.INSUFFICIENT_EVIDENCE
            for k in c.checks
        )
    )


def _layers(judged: SystemResult) -> tuple[LayerRow, ...]:
    rows = []
    for layer in Layer:
        result = judged.four_layer.get(layer.value)
        if result is not None:
            rows.append(LayerRow(layer.value, result.status.value, result.reason))
    return tuple(rows)


def _checks(controls: Iterable[ControlResult], source: str) -> tuple[CheckRow, ...]:
    return tuple(
        CheckRow(c.id, k.check, k.outcome.value, k.reason, k.evidence)
        for c in controls
        for k in c.checks
        if k.source == source
    )


def _waivers(system: System, judged: SystemResult, as_of: dt.date) -> tuple[WaiverRow, ...]:
    applied = {c.id: c for c in judged.controls if c.outcome is Outcome.WAIVED}
    rows = []
    for w in sorted(system.waivers, key=lambda w: w.control):
        control = applied.get(w.control)
        waived = control.waived_outcome.value if control and control.waived_outcome else None
        rows.append(
            WaiverRow(w.control, w.reason, w.approved_by, w.expires, waived, control is not None)
        )
    return tuple(rows)
