"""Management facts the inventory records: level approval, security plan, network zones,
endpoint protection and how recently the system was assessed."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from socaudit.checks.context import CheckContext
from socaudit.checks.dates import older_than
from socaudit.checks.registry import CheckResult, NoParams, register
from socaudit.checks.results import listing, result
from socaudit.evaluation.model import Outcome
from socaudit.inventory.models import ApprovalStatus, PlanStatus, Zone
from socaudit.inventory.schedule import assessment_interval_months, last_assessment

_READS = {"inventory"}
ZONES_BY_LEVEL: dict[int, tuple[Zone, ...]] = {
    1: (Zone.INTERNAL, Zone.EDGE, Zone.DMZ),
    2: (Zone.INTERNAL, Zone.EDGE, Zone.DMZ, Zone.INTERNAL_SERVER),
    3: (Zone.INTERNAL, Zone.EDGE, Zone.DMZ, Zone.INTERNAL_SERVER, Zone.DATABASE, Zone.MANAGEMENT),
}
"""TT 12/2022 design item a (zones i–viii); wireless (a.v) only where the system has one."""
ZONES_BY_LEVEL[4] = (*ZONES_BY_LEVEL[3], Zone.DEVICE_MANAGEMENT)
ZONES_BY_LEVEL[5] = ZONES_BY_LEVEL[4]


class FreshnessParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    interval_months: int | None = Field(default=None, ge=1)
    """None: the level's interval (6 at L5, 12 at L3–4 and shared data-centre systems, 24)."""


class CoverageParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    min_ratio: float = Field(default=0.9, ge=0, le=1)


class ZonesParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    required: list[Zone] | None = None
    """None: the minimum zones of the system's level."""


@register("inventory.level_approved", source="declared", reads=_READS, params=NoParams)
def level_approved(ctx: CheckContext, params: NoParams) -> CheckResult:
    """The level is approved by a decision (NĐ 85 Art. 12); appraised or submitted is partial."""
    approval = ctx.system.level_approval
    refs = ("declared:level_approval",)
    decision = approval.decision or "—"
    if approval.status is ApprovalStatus.APPROVED:
        if not approval.decision:
            return result(Outcome.INSUFFICIENT_EVIDENCE, "inventory.approved_no_decision", refs)
        return result(Outcome.PASS, "inventory.level_approved", refs, decision=decision)
    if approval.status is ApprovalStatus.DRAFTING:
        return result(Outcome.FAIL, "inventory.level_drafting", refs, level=ctx.system.level)
    return result(
        Outcome.PARTIAL, f"inventory.level_{approval.status.value}", refs, decision=decision
    )


@register("inventory.security_plan_deployed", source="declared", reads=_READS, params=NoParams)
def security_plan_deployed(ctx: CheckContext, params: NoParams) -> CheckResult:
    """The security plan of the level (NĐ 85 Art. 19) is fully deployed."""
    plan = ctx.system.security_plan
    refs = ("declared:security_plan",)
    if plan is None:
        return result(Outcome.INSUFFICIENT_EVIDENCE, "inventory.plan_missing")
    if plan.status is PlanStatus.FULLY_DEPLOYED:
        return result(Outcome.PASS, "inventory.plan_full", refs)
    if plan.status is PlanStatus.PARTIALLY_DEPLOYED:
        if plan.expected_full_deployment is None:
            return result(Outcome.PARTIAL, "inventory.plan_partial_undated", refs)
        due = str(plan.expected_full_deployment)
        return result(Outcome.PARTIAL, "inventory.plan_partial", refs, date=due)
    return result(Outcome.FAIL, "inventory.plan_none", refs)


@register("design.zones", source="declared", reads=_READS, params=ZonesParams)
def zones(ctx: CheckContext, params: ZonesParams) -> CheckResult:
    """The assets' zones cover the minimum zones of the level. A zone no asset is declared in is
    insufficient evidence (the inventory lists the assets in scope, not every zone), never a
    failure."""
    declared = {a.zone for a in ctx.system.assets if a.zone is not None}
    if not declared:
        return result(Outcome.INSUFFICIENT_EVIDENCE, "design.no_zones")
    required = list(params.required or ZONES_BY_LEVEL[ctx.system.level])
    if Zone.WIRELESS in declared and Zone.WIRELESS not in required:
        required.append(Zone.WIRELESS)
    missing = [z.value for z in required if z not in declared]
    refs = ("declared:assets.zone",)
    if missing:  # not declared is not evidence of a missing zone
        zones = listing(missing)
        return result(Outcome.INSUFFICIENT_EVIDENCE, "design.zones_missing", refs, zones=zones)
    return result(Outcome.PASS, "design.zones_ok", refs, zones=listing(z.value for z in required))


@register("endpoints.protection_coverage", source="declared", reads=_READS, params=CoverageParams)
def protection_coverage(ctx: CheckContext, params: CoverageParams) -> CheckResult:
    """Share of endpoints with anti-malware protection ≥ ``min_ratio``."""
    endpoints = ctx.system.endpoints
    if endpoints is None or endpoints.total == 0:
        return result(Outcome.INSUFFICIENT_EVIDENCE, "endpoints.not_declared")
    ratio = min(endpoints.protected, endpoints.total) / endpoints.total
    args: dict[str, str | int | float] = {
        "protected": endpoints.protected,
        "total": endpoints.total,
        "percent": f"{ratio * 100:.1f}",
        "target": f"{params.min_ratio * 100:.0f}",
    }
    outcome = Outcome.PASS if ratio >= params.min_ratio else Outcome.FAIL
    key = "endpoints.covered" if outcome is Outcome.PASS else "endpoints.below_target"
    return result(outcome, key, ("declared:endpoints",), **args)


@register("assessment.freshness", source="declared", reads=_READS, params=FreshnessParams)
def freshness(ctx: CheckContext, params: FreshnessParams) -> CheckResult:
    """The last assessment (declared independent inspection, or the latest stored socaudit
    assessment the caller passes) is within the level's interval (NĐ 85 Art. 20.2.c)."""
    dates = [d for d in (last_assessment(ctx.system), ctx.last_assessed) if d and d <= ctx.as_of]
    months = params.interval_months or assessment_interval_months(ctx.system)
    if not dates:
        return result(Outcome.INSUFFICIENT_EVIDENCE, "assessment.none", months=months)
    last = max(dates)
    refs = ("declared:four_layer.independent_inspection",)
    if older_than(last, months, ctx.as_of):
        return result(Outcome.FAIL, "assessment.overdue", refs, date=str(last), months=months)
    return result(Outcome.PASS, "assessment.recent", refs, date=str(last), months=months)
