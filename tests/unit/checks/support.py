"""Controls built in tests (as the pack loader hands them over) and a small evaluation call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from socaudit.evaluation.evaluate import evaluate_run
from socaudit.evaluation.model import AssessmentResult, ControlResult, LocalText, PackRef
from socaudit.evidence.records import EvidenceRecord
from socaudit.inventory.models import Inventory
from socaudit.policy.resolved import ResolvedCheck, ResolvedControl

PACK = PackRef(id="test-pack", version="1")


def control(
    cid: str, kind: str, *checks: str | tuple[str, dict[str, Any]], condition: str | None = None
) -> ResolvedControl:
    resolved = tuple(
        ResolvedCheck(c) if isinstance(c, str) else ResolvedCheck(c[0], c[1]) for c in checks
    )
    return ResolvedControl(
        id=cid,
        group="technical.network" if kind != "declared" else "management.policy",
        level=3,
        clause=f"7.{cid}",
        tt12_row=None,
        title=LocalText(vi=f"Yêu cầu {cid}", en=f"Requirement {cid}"),
        kind=kind,
        severity="high",
        checks=resolved,
        remediation=LocalText(vi="Khắc phục", en="Fix it"),
        condition=condition,
    )


CONTROLS = (
    control("QL.1.1", "declared", ("declared.document", {"max_age_months": 12})),
    control("QL.5.5", "declared", "declared.document", "endpoints.protection_coverage"),
    control("KT.1.1", "hybrid", "ports.only_declared_services", "declared.document"),
    control("KT.1.6", "automated", "ports.no_cleartext_admin"),
    control("KT.3.4", "automated", "tls.min_version", "tls.certificate_validity"),
    control("BL.2", "declared", "four_layer.monitoring"),
    control("BL.3", "declared", "four_layer.independent_inspection", "assessment.freshness"),
    control("TK.b.xvi", "declared", "declared.document", condition="wireless"),
    control("HS.1", "declared", "inventory.level_approved"),
)


def evaluate(
    inventory: Inventory,
    records: Sequence[EvidenceRecord] = (),
    as_of: dt.date = dt.date(2026, 11, 1),
    controls: Sequence[ResolvedControl] = CONTROLS,
) -> AssessmentResult:
    return evaluate_run(7, inventory, lambda level: controls, records, as_of, PACK)


def by_id(result: AssessmentResult, system: str = "sys") -> dict[str, ControlResult]:
    found = next(s for s in result.systems if s.id == system)
    return {c.id: c for c in found.controls}
