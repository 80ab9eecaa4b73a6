"""Refusals as evidence: stored so reports can say "not assessed: out of scope"."""

from __future__ import annotations

import datetime as dt

from socaudit.evidence.base import AttemptStatus, ErrorReason, EvidenceKind
from socaudit.evidence.network import Refusal as RefusalPayload
from socaudit.evidence.records import EvidenceRecord, TargetRef
from socaudit.scope import Refusal

NAME = "scope"


def refusal_key(refusal: Refusal) -> str:
    where = refusal.address or refusal.hostname or "-"
    return f"refusal:{refusal.system_id}:{refusal.asset_id}:{where}"


def refusal_record(refusal: Refusal, at: dt.datetime) -> EvidenceRecord:
    """The record of one refused target (status refused, reason out_of_scope)."""
    return EvidenceRecord(
        kind=EvidenceKind.REFUSAL,
        probe_key=refusal_key(refusal),
        collector=NAME,
        target=TargetRef(
            system_id=refusal.system_id,
            asset_id=refusal.asset_id,
            address=str(refusal.address) if refusal.address else None,
            hostname=refusal.hostname,
        ),
        started_at=at,
        finished_at=at,
        status=AttemptStatus.REFUSED,
        error_reason=ErrorReason.OUT_OF_SCOPE,
        detail=refusal.reason,
        payload=RefusalPayload(reason=refusal.reason, rule=refusal.rule),
    )
