"""The evaluation's results: the JSON contract of ``socaudit evaluate`` (schema_version 1).

Other tools and the reports read these exact keys; add fields, never rename them::

    {"run", "assessment", "pack": {"id", "version"}, "as_of", "systems": [{"id", "level",
     "outcome", "counts", "controls": [{"id", "group", "clause", "kind", "outcome",
     "waived_outcome", "reason": {"vi", "en"}, "evidence": [...], "waiver"}], "four_layer"}]}
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Persisted results: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Outcome(StrEnum):
    """A control's outcome (``waived``: ``waived_outcome`` holds what it would have been)."""

    PASS = "pass"  # noqa: S105 - an outcome word, not a password
    FAIL = "fail"
    PARTIAL = "partial"
    MANUAL = "manual"
    NOT_APPLICABLE = "not_applicable"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    ERROR = "error"
    WAIVED = "waived"


class LayerStatus(StrEnum):
    """A four-layer model layer's status (Chỉ thị 14/CT-TTg)."""

    PRESENT = "present"
    PARTIAL = "partial"
    STALE = "stale"
    MISSING = "missing"


class Layer(StrEnum):
    ON_SITE = "on_site"
    MONITORING = "monitoring"
    INDEPENDENT_INSPECTION = "independent_inspection"
    NATIONAL_CONNECTION = "national_connection"


class LocalText(Model):
    """Reader text in both report languages."""

    vi: str
    en: str


class PackRef(Model):
    id: str
    version: str


class WaiverRef(Model):
    """The waiver that applied to a control result."""

    reason: str
    approved_by: str
    expires: dt.date


class ControlResult(Model):
    id: str
    group: str
    clause: str | None
    """The TCVN clause at the system's level (None for requirements without a TCVN clause)."""
    kind: str
    """automated | declared | hybrid"""
    outcome: Outcome
    waived_outcome: Outcome | None = None
    reason: LocalText
    evidence: tuple[str, ...] = ()
    """References to what was judged: ``observed:<kind>:<target>`` or ``declared:<what>``."""
    waiver: WaiverRef | None = None
    severity: str = "medium"
    title: LocalText | None = None
    tt12_row: str | None = None
    observed: tuple[str, ...] = ()
    """Hybrid/automated controls: which checks judged observed evidence."""
    declared: tuple[str, ...] = ()
    """Which checks judged declared evidence."""
    checks: tuple[CheckOutcome, ...] = ()
    """Each check's own outcome before folding."""


class CheckOutcome(Model):
    check: str
    outcome: Outcome
    reason: LocalText
    source: str
    """observed | declared"""
    evidence: tuple[str, ...] = ()


class LayerResult(Model):
    status: LayerStatus
    reason: LocalText
    evidence: tuple[str, ...] = ()


class SystemResult(Model):
    id: str
    level: int
    outcome: Outcome
    counts: dict[str, int]
    """Outcome word -> number of controls (every outcome word present, zeros included)."""
    controls: tuple[ControlResult, ...]
    four_layer: dict[str, LayerResult]
    """Layer name (``on_site`` …) -> its status."""
    name: str | None = None


class AssessmentResult(Model):
    schema_version: int = 1
    run: int
    assessment: int | None
    """The stored assessment's id (None before it is saved)."""
    pack: PackRef
    as_of: dt.date
    systems: tuple[SystemResult, ...]
    inventory_sha256: str | None = None
    tool_version: str | None = None


ControlResult.model_rebuild()
