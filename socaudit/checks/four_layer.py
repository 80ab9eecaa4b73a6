"""The four layers as checks: present → pass, partial → partial, lapsed (stale) → fail, declared
absent → fail, not declared → insufficient evidence (never a failure)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from socaudit.checks import layers
from socaudit.checks.context import CheckContext
from socaudit.checks.registry import CheckResult, NoParams, register
from socaudit.evaluation.model import LayerStatus, Outcome

_READS = {"inventory"}


class MonitoringParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    min_log_retention_days: int = Field(default=layers.MIN_LOG_RETENTION_DAYS, ge=0)


class InspectionParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    max_age_months: int | None = Field(default=None, ge=1)
    """None: the level's interval (NĐ 85 Art. 20.2.c: 6 months at L5, 12 at L3–4, 24 at L1–2)."""


def outcome_of(judged: layers.LayerJudgement) -> CheckResult:
    """The check outcome of a layer's status."""
    if judged.status is LayerStatus.PRESENT:
        outcome = Outcome.PASS
    elif judged.status is LayerStatus.PARTIAL:
        outcome = Outcome.PARTIAL
    elif judged.status is LayerStatus.STALE or judged.declared_absent:
        outcome = Outcome.FAIL
    else:
        outcome = Outcome.INSUFFICIENT_EVIDENCE
    return CheckResult(outcome, judged.reason, judged.evidence)


@register("four_layer.on_site", source="declared", reads=_READS, params=NoParams)
def on_site(ctx: CheckContext, params: NoParams) -> CheckResult:
    """Layer 1: a designated on-site security unit with staff, decision and training."""
    return outcome_of(layers.on_site(ctx.system, ctx.as_of))


@register("four_layer.monitoring", source="declared", reads=_READS, params=MonitoringParams)
def monitoring(ctx: CheckContext, params: MonitoringParams) -> CheckResult:
    """Layer 2: professional monitoring under a valid contract, logs kept long enough
    (TT 31/2017 Art. 5.3.h: 30 days)."""
    return outcome_of(layers.monitoring(ctx.system, ctx.as_of, params.min_log_retention_days))


@register(
    "four_layer.independent_inspection", source="declared", reads=_READS, params=InspectionParams
)
def independent_inspection(ctx: CheckContext, params: InspectionParams) -> CheckResult:
    """Layer 3: a recent inspection by an organisation independent of the layer-2 provider."""
    judged = layers.independent_inspection(ctx.system, ctx.as_of, params.max_age_months)
    return outcome_of(judged)


@register("four_layer.national_connection", source="declared", reads=_READS, params=NoParams)
def national_connection(ctx: CheckContext, params: NoParams) -> CheckResult:
    """Layer 4: connected to the national monitoring system, with its reference."""
    return outcome_of(layers.national_connection(ctx.system, ctx.as_of))
