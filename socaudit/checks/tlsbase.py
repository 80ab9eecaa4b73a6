"""What TLS, certificate and HTTP checks share: the system's TLS endpoints and a per-endpoint
judgement folded with the evaluation's truth table."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from socaudit.checks.context import CheckContext
from socaudit.checks.registry import CheckResult
from socaudit.checks.results import listing, missing_or_error, ref, result
from socaudit.evaluation.fold import fold
from socaudit.evaluation.model import Outcome
from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.records import EvidenceRecord
from socaudit.evidence.tls import TlsEndpointResult

Verdict = tuple[Outcome, str | None]
"""An endpoint's outcome and, when it is not a pass, what is wrong (for the reason text)."""

_TLS_NAMES = {"https", "ssl", "tls", "imaps", "pop3s", "smtps", "ldaps", "ftps"}


def endpoints(ctx: CheckContext) -> Iterator[tuple[EvidenceRecord, TlsEndpointResult]]:
    for record in ctx.observed("tls"):
        payload = record.payload
        if isinstance(payload, TlsEndpointResult) and payload.status is AttemptStatus.COMPLETED:
            yield record, payload


def serves_tls(ctx: CheckContext) -> bool:
    """Whether the system declares or shows a TLS service (else TLS checks do not apply)."""
    system = ctx.system
    declared = any(
        s.name in _TLS_NAMES or s.port == 443 for a in system.assets for s in a.services
    ) or any(u.startswith("https://") for a in system.assets for u in a.urls)
    return declared or bool(ctx.observed("tls")) or bool(ctx.errors("tls"))


def no_endpoint(ctx: CheckContext) -> CheckResult:
    if not serves_tls(ctx):
        return result(Outcome.NOT_APPLICABLE, "tls.no_tls_service")
    return missing_or_error(ctx, ("tls",), "tls")


def judge(
    ctx: CheckContext,
    verdict: Callable[[TlsEndpointResult], Verdict],
    fail_key: str,
    pass_key: str,
    unknown_key: str = "tls.incomplete",
    partial_key: str | None = None,
) -> CheckResult:
    """Judge every endpoint; the worst outcome wins and names the endpoints behind it."""
    judged = [(record, verdict(payload)) for record, payload in endpoints(ctx)]
    if not judged:
        return no_endpoint(ctx)
    failed: Verdict = (Outcome.ERROR, None)
    judged += [(record, failed) for record in ctx.errors("tls")]
    worst = fold(v[0] for _, v in judged)
    hits = [(r, v) for r, v in judged if v[0] is worst]
    refs = [ref(r) for r, _ in hits]
    details = listing(f"{r.target.label()}: {v[1]}" if v[1] else r.target.label() for r, v in hits)
    if worst is Outcome.PASS:
        return result(worst, pass_key, refs, endpoints=details)
    if worst is Outcome.INSUFFICIENT_EVIDENCE:
        return result(worst, unknown_key, refs, endpoints=details)
    if worst is Outcome.NOT_APPLICABLE:
        return result(worst, "tls.no_tls_service", refs)
    if worst is Outcome.ERROR:
        return missing_or_error(ctx, ("tls",), "tls")
    if worst is Outcome.PARTIAL and partial_key:
        return result(worst, partial_key, refs, endpoints=details)
    return result(worst, fail_key, refs, endpoints=details)


def finding_ids(payload: TlsEndpointResult) -> set[str]:
    return {f.id for f in payload.findings}
