"""The province's targets measured from the inventory and the stored assessments.

Each KPI is numerator / denominator with the systems short of the target named. The targets
are the province's plan (regime.md §8 item 9), not a legal number; their reader-facing
definitions and sources are the ``summary.kpi.<name>.*`` catalogue entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from socaudit.inventory.activities import drilled_within
from socaudit.inventory.models import ApprovalStatus, Inventory, PlanStatus, System
from socaudit.inventory.schedule import add_months
from socaudit.summary.due import DueEntry

KPI_NAMES = (
    "levels_approved",
    "plans_deployed",
    "endpoints_protected",
    "shared_assessed_yearly",
    "dc_monitored_connected",
    "staff_informed",
    "security_staff_trained",
    "drills_live_fire",
)

DEFAULT_TARGETS: Mapping[str, Fraction] = {
    name: Fraction(9, 10) if name == "endpoints_protected" else Fraction(1) for name in KPI_NAMES
}


def province_targets(inventory: Inventory) -> dict[str, Fraction]:
    """The defaults, with the inventory's ``targets`` (percent) over them."""
    targets = dict(DEFAULT_TARGETS)
    declared = inventory.targets
    for name in KPI_NAMES:
        value = getattr(declared, name) if declared is not None else None
        if value is not None:
            targets[name] = Fraction(str(value)) / 100
    return targets


@dataclass(frozen=True, slots=True)
class Kpi:
    name: str
    numerator: int
    denominator: int
    target: Fraction
    systems_short: tuple[str, ...]
    """Systems counted in the denominator that fall short of the target."""
    not_declared: tuple[str, ...] = ()
    """Systems left out because the inventory does not declare what this KPI counts."""

    @property
    def value(self) -> float | None:
        return round(self.numerator / self.denominator, 4) if self.denominator else None

    @property
    def met(self) -> bool | None:
        """None when nothing was counted (denominator 0)."""
        if not self.denominator:
            return None
        return Fraction(self.numerator, self.denominator) >= self.target


@dataclass(frozen=True, slots=True)
class _Context:
    inventory: Inventory
    due: Mapping[str, DueEntry]
    as_of: dt.date
    target: Fraction

    @property
    def year_ago(self) -> dt.date:
        return add_months(self.as_of, -12)


def measure(
    inventory: Inventory,
    due: tuple[DueEntry, ...],
    as_of: dt.date,
    targets: Mapping[str, Fraction] = DEFAULT_TARGETS,
) -> dict[str, Kpi]:
    """Every KPI, in ``KPI_NAMES`` order."""
    by_id = {e.id: e for e in due}
    return {
        name: _MEASURES[name](name, _Context(inventory, by_id, as_of, targets[name]))
        for name in KPI_NAMES
    }


def _share(name: str, ctx: _Context, systems: list[System], ok: Callable[[System], bool]) -> Kpi:
    """A KPI counting systems: those for which ``ok`` holds, out of ``systems``."""
    short = tuple(s.id for s in systems if not ok(s))
    return Kpi(name, len(systems) - len(short), len(systems), ctx.target, short)


def _ratio(name: str, ctx: _Context, counts: Callable[[System], tuple[int, int] | None]) -> Kpi:
    """A KPI summing (part, whole) over the systems that declare them."""
    parts: dict[str, tuple[int, int]] = {}
    missing: list[str] = []
    for system in ctx.inventory.systems:
        found = counts(system)
        if found is None:
            missing.append(system.id)
        else:
            parts[system.id] = found
    short = tuple(
        sid for sid, (part, whole) in parts.items() if whole and Fraction(part, whole) < ctx.target
    )
    numerator = sum(p for p, _ in parts.values())
    denominator = sum(w for _, w in parts.values())
    return Kpi(name, numerator, denominator, ctx.target, short, tuple(missing))


def _levels_approved(name: str, ctx: _Context) -> Kpi:
    approved = ApprovalStatus.APPROVED
    return _share(
        name, ctx, list(ctx.inventory.systems), lambda s: s.level_approval.status is approved
    )


def _plans_deployed(name: str, ctx: _Context) -> Kpi:
    def deployed(system: System) -> bool:
        plan = system.security_plan
        return plan is not None and plan.status is PlanStatus.FULLY_DEPLOYED

    return _share(name, ctx, list(ctx.inventory.systems), deployed)


def _endpoints(name: str, ctx: _Context) -> Kpi:
    def counts(system: System) -> tuple[int, int] | None:
        e = system.endpoints
        return (e.protected, e.total) if e is not None else None

    return _ratio(name, ctx, counts)


def _shared(ctx: _Context) -> list[System]:
    return [s for s in ctx.inventory.systems if s.shared_datacenter]


def _shared_assessed(name: str, ctx: _Context) -> Kpi:
    def assessed(system: System) -> bool:
        last = ctx.due[system.id].last_assessed
        return last is not None and ctx.year_ago <= last <= ctx.as_of

    return _share(name, ctx, _shared(ctx), assessed)


def _monitored_connected(name: str, ctx: _Context) -> Kpi:
    def ok(system: System) -> bool:
        layers = system.four_layer
        if layers is None or layers.monitoring is None or layers.national_connection is None:
            return False
        until = layers.monitoring.valid_until
        return until is not None and until >= ctx.as_of and layers.national_connection.connected

    return _share(name, ctx, _shared(ctx), ok)


def _staff_informed(name: str, ctx: _Context) -> Kpi:
    def counts(system: System) -> tuple[int, int] | None:
        a = system.awareness
        return (a.informed, a.staff) if a is not None else None

    return _ratio(name, ctx, counts)


def _security_staff_trained(name: str, ctx: _Context) -> Kpi:
    def counts(system: System) -> tuple[int, int] | None:
        on_site = system.four_layer.on_site if system.four_layer else None
        if on_site is None or not on_site.staff:
            return None
        if on_site.staff_trained is not None:
            return on_site.staff_trained, on_site.staff
        return (on_site.staff if on_site.trained else 0), on_site.staff

    return _ratio(name, ctx, counts)


def _drills(name: str, ctx: _Context) -> Kpi:
    level3 = [s for s in ctx.inventory.systems if s.level >= 3]
    return _share(name, ctx, level3, lambda s: drilled_within(s.drills, ctx.year_ago, ctx.as_of))


_MEASURES: Mapping[str, Callable[[str, _Context], Kpi]] = {
    "levels_approved": _levels_approved,
    "plans_deployed": _plans_deployed,
    "endpoints_protected": _endpoints,
    "shared_assessed_yearly": _shared_assessed,
    "dc_monitored_connected": _monitored_connected,
    "staff_informed": _staff_informed,
    "security_staff_trained": _security_staff_trained,
    "drills_live_fire": _drills,
}
