"""Network facts that are informational: IPv6 reachability (never a failure)."""

from __future__ import annotations

import ipaddress

from socaudit.checks.context import CheckContext
from socaudit.checks.registry import CheckResult, NoParams, register
from socaudit.checks.results import listing, ref, result
from socaudit.evaluation.model import Outcome


def _is_v6(address: str | None) -> bool:
    try:
        return address is not None and ":" in address and ipaddress.ip_address(address).version == 6
    except ValueError:
        return False


@register(
    "net.ipv6_reachable", source="observed", reads={"discovery", "ports", "tls", "http"},
    params=NoParams,
)  # fmt: skip
def ipv6_reachable(ctx: CheckContext, params: NoParams) -> CheckResult:
    """Informational: whether a service answered over IPv6. Without an IPv6 address in the
    inventory the question is left to a person (manual), never failed."""
    reached = [
        r
        for kind in ("discovery", "ports", "tls", "http")
        for r in ctx.observed(kind)
        if _is_v6(r.target.address)
    ]
    if reached:
        where = listing(r.target.label() for r in reached)
        return result(Outcome.PASS, "net.ipv6_reached", (ref(r) for r in reached), targets=where)
    declared = [a.id for a in ctx.system.assets if a.address is not None and a.address.version == 6]
    if declared:
        return result(
            Outcome.INSUFFICIENT_EVIDENCE, "net.ipv6_not_observed", assets=listing(declared)
        )
    return result(Outcome.MANUAL, "net.ipv6_not_declared")
