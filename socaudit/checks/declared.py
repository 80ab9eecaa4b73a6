"""Declared evidence: the inventory's ``evidence:`` entry for the control being judged.

Missing or stale declarations are insufficient evidence, never a failure; only a declaration
that the control is not implemented fails.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from socaudit.checks.context import CheckContext
from socaudit.checks.dates import older_than
from socaudit.checks.registry import CheckResult, register
from socaudit.checks.results import result
from socaudit.evaluation.model import Outcome
from socaudit.inventory.models import DeclaredEvidence, EvidenceStatus


class DocumentParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    max_age_months: int | None = Field(default=None, ge=1)
    """A declaration dated longer ago than this is stale (None: never stale)."""
    require_document: bool = True
    """``implemented`` counts only with the document that proves it."""


def declaration(ctx: CheckContext) -> DeclaredEvidence | None:
    """The latest-dated entry for the control being judged (undated entries last)."""
    found = [e for e in ctx.system.evidence if e.control == ctx.control_id]
    found.sort(key=lambda e: (e.date is not None, e.date or ctx.as_of))
    return found[-1] if found else None


@register("declared.document", source="declared", reads={"inventory"}, params=DocumentParams)
def document(ctx: CheckContext, params: DocumentParams) -> CheckResult:
    """implemented (+document, fresh) → pass; partial → partial; not_implemented → fail;
    not_applicable with a note → not_applicable; anything missing or stale → insufficient."""
    entry = declaration(ctx)
    if entry is None:
        return result(
            Outcome.INSUFFICIENT_EVIDENCE, "declared.missing", control=ctx.control_id or "?"
        )
    refs = (f"declared:evidence:{entry.control}",)
    doc, note = entry.document or "", entry.note or ""
    if entry.status is EvidenceStatus.NOT_APPLICABLE:
        if note:
            return result(Outcome.NOT_APPLICABLE, "declared.not_applicable", refs, note=note)
        return result(Outcome.INSUFFICIENT_EVIDENCE, "declared.na_without_reason", refs)
    if entry.status is EvidenceStatus.NOT_IMPLEMENTED:
        return result(Outcome.FAIL, "declared.not_implemented", refs, note=note or "—")
    if entry.date is not None and entry.date > ctx.as_of:
        return result(Outcome.INSUFFICIENT_EVIDENCE, "declared.future", refs, date=str(entry.date))
    if params.max_age_months is not None:
        if entry.date is None:
            return result(
                Outcome.INSUFFICIENT_EVIDENCE, "declared.undated", refs, document=doc or "—"
            )
        if older_than(entry.date, params.max_age_months, ctx.as_of):
            return result(
                Outcome.INSUFFICIENT_EVIDENCE, "declared.stale", refs,
                document=doc or "—", date=str(entry.date), months=params.max_age_months,
            )  # fmt: skip
    if entry.status is EvidenceStatus.PARTIAL:
        return result(
            Outcome.PARTIAL, "declared.partial", refs, document=doc or "—", note=note or "—"
        )
    if params.require_document and not doc:
        return result(Outcome.INSUFFICIENT_EVIDENCE, "declared.no_document", refs)
    return result(
        Outcome.PASS, "declared.implemented", refs, document=doc or "—", date=str(entry.date or "—")
    )
