"""Small helpers every check family uses to say what it found."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from socaudit.checks.context import CheckContext
from socaudit.checks.registry import CheckResult, Reason
from socaudit.evaluation.model import Outcome
from socaudit.evidence.records import EvidenceRecord

MAX_LISTED = 6


def result(
    outcome: Outcome, key: str, refs: Iterable[str] = (), **args: str | int | float
) -> CheckResult:
    """A check result with its catalogue key (``checks.`` is prefixed) and arguments."""
    return CheckResult(outcome, Reason(f"checks.{key}", args), tuple(dict.fromkeys(refs)))


def ref(record: EvidenceRecord) -> str:
    """``observed:<kind>:<target>``: what a judgement was based on."""
    return f"observed:{record.kind.value}:{record.target.label()}"


def listing(items: Iterable[str]) -> str:
    """``a, b, c (+2)``: a short list for a reason text."""
    names = list(dict.fromkeys(items))
    shown = ", ".join(names[:MAX_LISTED])
    return shown + (f" (+{len(names) - MAX_LISTED})" if len(names) > MAX_LISTED else "")


def missing_or_error(ctx: CheckContext, kinds: Sequence[str], family: str) -> CheckResult:
    """No completed evidence of ``kinds``: ``error`` if a probe errored, else insufficient.

    Keys: ``checks.<family>.probe_error`` / ``checks.<family>.not_observed``.
    """
    errors = [r for kind in kinds for r in ctx.errors(kind)]
    if errors:
        first = errors[0]
        return result(
            Outcome.ERROR,
            f"{family}.probe_error",
            (ref(r) for r in errors),
            target=first.target.label(),
            reason=first.error_reason.value if first.error_reason else "error",
        )
    return result(Outcome.INSUFFICIENT_EVIDENCE, f"{family}.not_observed")


def unless_errored(
    ctx: CheckContext, kinds: Sequence[str], family: str, found: CheckResult
) -> CheckResult:
    """A pass (or a lack of evidence) says nothing about probes that errored: then ``error``."""
    if found.outcome in (Outcome.PASS, Outcome.INSUFFICIENT_EVIDENCE) and any(
        ctx.errors(kind) for kind in kinds
    ):
        return missing_or_error(ctx, kinds, family)
    return found
