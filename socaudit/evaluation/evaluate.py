"""Judge a stored run: controls × evidence × declarations × ``as_of`` → results (pure).

Never opens a socket or the store: the caller loads the run, its inventory snapshot and the
pack, calls ``evaluate_run`` and saves the assessment (``socaudit.cli.evaluate``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import socaudit.checks  # noqa: F401 - registers every check
from socaudit import __version__
from socaudit.checks.conditions import CONDITIONS, applies
from socaudit.checks.context import CheckContext
from socaudit.checks.layers import MIN_LOG_RETENTION_DAYS
from socaudit.checks.registry import REGISTRY, CheckSpec
from socaudit.evaluation.fold import fold
from socaudit.evaluation.four_layer import scorecard
from socaudit.evaluation.model import (
    AssessmentResult,
    CheckOutcome,
    ControlResult,
    LocalText,
    Outcome,
    PackRef,
    SystemResult,
)
from socaudit.evaluation.waivers import active_waiver, apply_waiver
from socaudit.evidence.records import EvidenceRecord
from socaudit.i18n import both
from socaudit.inventory.models import Inventory, System
from socaudit.policy.resolved import ResolvedControl

ControlsForLevel = Callable[[int], Sequence[ResolvedControl]]


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A control with its checks' parameters validated once per level."""

    control: ResolvedControl
    checks: tuple[tuple[CheckSpec[Any], Any], ...]
    base: Mapping[str, Any]
    """The result fields that come from the control itself."""


def evaluate_run(
    run_id: int,
    inventory: Inventory,
    controls_for_level: ControlsForLevel,
    records: Iterable[EvidenceRecord],
    as_of: dt.date,
    pack: PackRef,
    last_assessed: Mapping[str, dt.date] | None = None,
    *,
    systems: Sequence[str] | None = None,
    inventory_sha256: str | None = None,
) -> AssessmentResult:
    """Every control of each system's level judged on the run's records (``systems``: only
    these, in this order; default every system of the inventory)."""
    by_system: dict[str, list[EvidenceRecord]] = {}
    for record in records:
        by_system.setdefault(record.target.system_id, []).append(record)
    chosen = [inventory.system(s) for s in systems] if systems else list(inventory.systems)
    results = tuple(
        iter_systems(inventory, chosen, controls_for_level, by_system, as_of, last_assessed or {})
    )
    return AssessmentResult(
        run=run_id,
        assessment=None,
        pack=pack,
        as_of=as_of,
        systems=results,
        inventory_sha256=inventory_sha256,
        tool_version=__version__,
    )


def iter_systems(
    inventory: Inventory,
    systems: Iterable[System],
    controls_for_level: ControlsForLevel,
    records: Mapping[str, Sequence[EvidenceRecord]],
    as_of: dt.date,
    last_assessed: Mapping[str, dt.date],
) -> Iterator[SystemResult]:
    """One system at a time (memory stays flat when the caller streams the results)."""
    compiled: dict[int, tuple[_Compiled, ...]] = {}
    for system in systems:
        if system.level not in compiled:
            compiled[system.level] = compile_controls(controls_for_level(system.level))
        ctx = CheckContext.build(
            system, inventory, as_of, records.get(system.id, ()), last_assessed.get(system.id)
        )
        yield evaluate_system(ctx, compiled[system.level])


def compile_controls(controls: Iterable[ResolvedControl]) -> tuple[_Compiled, ...]:
    """Look up each check and validate its parameters (KeyError / ValidationError if wrong)."""
    out = []
    for control in controls:
        for name in _conditions(control):
            if name not in CONDITIONS:
                raise KeyError(f"control {control.id}: unknown condition {name!r}")
        specs = [(REGISTRY[c.name], c.params) for c in control.checks]
        checks = tuple((s, s.parse_params(p)) for s, p in specs)
        out.append(_Compiled(control, checks, _base(control)))
    return tuple(out)


def evaluate_system(ctx: CheckContext, controls: Sequence[_Compiled]) -> SystemResult:
    results = tuple(judge_control(ctx, c) for c in controls)
    counts = {o.value: 0 for o in Outcome}
    for r in results:
        counts[r.outcome.value] += 1
    return SystemResult(
        id=ctx.system.id,
        level=ctx.system.level,
        outcome=system_outcome(r.outcome for r in results),
        counts=counts,
        controls=results,
        four_layer=scorecard(ctx.system, ctx.as_of, *_layer_params(controls)),
        name=ctx.system.name,
    )


def _base(control: ResolvedControl) -> dict[str, Any]:
    return {
        "id": control.id,
        "group": control.group,
        "clause": control.clause,
        "kind": control.kind,
        "severity": control.severity,
        "title": control.title,
        "tt12_row": control.tt12_row,
    }


def system_outcome(outcomes: Iterable[Outcome]) -> Outcome:
    """The controls folded, a waived control counting as passed; ``waived`` when the system
    passes only thanks to waivers."""
    seen = list(outcomes)
    folded = fold(Outcome.PASS if o is Outcome.WAIVED else o for o in seen)
    return Outcome.WAIVED if folded is Outcome.PASS and Outcome.WAIVED in seen else folded


def judge_control(ctx: CheckContext, compiled: _Compiled) -> ControlResult:
    control, base = compiled.control, compiled.base
    conditions = _conditions(control)
    if conditions and not any(applies(c, ctx.system, ctx.inventory) for c in conditions):
        reason = both(CONDITIONS[conditions[0]].reason_key)
        return ControlResult(outcome=Outcome.NOT_APPLICABLE, reason=reason, **base)
    here = ctx.for_control(control.id)
    judged = [(spec, spec.run(here, params)) for spec, params in compiled.checks]
    outcomes = [
        CheckOutcome(
            check=spec.name,
            outcome=res.outcome,
            reason=_text(res.reason.key, res.reason.args),
            source=spec.source,
            evidence=res.evidence,
        )
        for spec, res in judged
    ]
    folded = fold(o.outcome for o in outcomes)
    outcome, waived_outcome, waiver = apply_waiver(
        folded, active_waiver(ctx.system.waivers, control.id, ctx.as_of)
    )
    return ControlResult(
        outcome=outcome,
        waived_outcome=waived_outcome,
        waiver=waiver,
        reason=_reason(outcomes, folded),
        evidence=tuple(dict.fromkeys(e for _, res in judged for e in res.evidence)),
        observed=tuple(o.check for o in outcomes if o.source == "observed"),
        declared=tuple(o.check for o in outcomes if o.source == "declared"),
        checks=tuple(outcomes),
        **base,
    )


_TEXTS: dict[tuple[str, tuple[tuple[str, object], ...]], LocalText] = {}
_TEXTS_MAX = 50_000


def _text(key: str, args: Mapping[str, object]) -> LocalText:
    """``both(key, args)``, remembered: the same reasons recur for every system of a province."""
    memo_key = (key, tuple(sorted(args.items())))
    found = _TEXTS.get(memo_key)
    if found is None:
        if len(_TEXTS) >= _TEXTS_MAX:
            _TEXTS.clear()
        found = _TEXTS[memo_key] = both(key, args)
    return found


def _conditions(control: ResolvedControl) -> tuple[str, ...]:
    """The control applies when any of its conditions holds (none: always)."""
    if control.conditions:
        return control.conditions
    return (control.condition,) if control.condition else ()


def _reason(outcomes: Sequence[CheckOutcome], folded: Outcome) -> LocalText:
    """The reasons of the checks that decided the outcome, joined."""
    deciding = [o.reason for o in outcomes if o.outcome is folded]
    if not deciding:
        return both("evaluation.no_checks")
    if len(deciding) == 1:
        return deciding[0]
    return LocalText(vi=" ".join(r.vi for r in deciding), en=" ".join(r.en for r in deciding))


def _layer_params(controls: Sequence[_Compiled]) -> tuple[int, int | None]:
    """The pack's layer-2 retention and layer-3 age for this level (defaults otherwise)."""
    retention, age = MIN_LOG_RETENTION_DAYS, None
    for compiled in controls:
        for spec, params in compiled.checks:
            if spec.name == "four_layer.monitoring":
                retention = params.min_log_retention_days
            elif spec.name == "four_layer.independent_inspection":
                age = params.max_age_months
    return retention, age
