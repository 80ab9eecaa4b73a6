"""The assessment's circumstances for the report: period, assessor, authorisation, tools."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from socaudit.evaluation.model import AssessmentResult
from socaudit.evidence.network import PortScanResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.inventory.models import Inventory


@dataclass(frozen=True, slots=True)
class AssessmentContext:
    run: int
    assessment: int | None
    run_status: str
    as_of: dt.date
    period: tuple[dt.date, dt.date] | None
    assessor: str | None
    independent_of_operator: bool | None
    independent_of_monitoring: bool | None
    authorization: str
    approved_by: str
    window: tuple[dt.date, dt.date]
    timezone: str
    """The IANA zone every date of the inventory is judged in (``authorization.timezone``)."""
    method: str
    scope: tuple[str, ...]
    pack: tuple[str, str]
    tools: tuple[tuple[str, str], ...]
    """(tool, version): socaudit, the policy pack, nmap as the scans reported it."""


def assessment_context(
    result: AssessmentResult,
    inventory: Inventory,
    records: Iterable[EvidenceRecord],
    run_status: str,
) -> AssessmentContext:
    auth = inventory.authorization
    assessment = inventory.assessment
    assessor = assessment.assessor if assessment else None
    return AssessmentContext(
        run=result.run,
        assessment=result.assessment,
        run_status=run_status,
        as_of=result.as_of,
        period=(assessment.period.start, assessment.period.end) if assessment else None,
        assessor=assessor.organization if assessor else None,
        independent_of_operator=assessor.independent_of_operator if assessor else None,
        independent_of_monitoring=(
            assessor.independent_of_monitoring_provider if assessor else None
        ),
        authorization=auth.reference,
        approved_by=auth.approved_by,
        window=(auth.window.start, auth.window.end),
        timezone=auth.timezone,
        method=auth.method.value,
        scope=tuple(str(s) for s in auth.scope),
        pack=(result.pack.id, result.pack.version),
        tools=_tools(result, records),
    )


def _tools(
    result: AssessmentResult, records: Iterable[EvidenceRecord]
) -> tuple[tuple[str, str], ...]:
    tools = [("socaudit", result.tool_version or "?")]
    tools.append((f"policy {result.pack.id}", result.pack.version))
    nmap = sorted(
        {
            r.payload.scanner_version or "?"
            for r in records
            if isinstance(r.payload, PortScanResult) and r.payload.scanner == "nmap"
        }
    )
    tools += [("nmap", v) for v in nmap]
    return tuple(tools)
