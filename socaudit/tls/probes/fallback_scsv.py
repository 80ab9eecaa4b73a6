"""TLS_FALLBACK_SCSV (RFC 7507): a hello below the best version, marked as a fallback, must be
refused with ``inappropriate_fallback``."""

from __future__ import annotations

from socaudit.tls.clienthello import HelloSpec, build_client_hello
from socaudit.tls.probes.base import Probe, ProbeContext, ProbeOutcome, not_applicable
from socaudit.tls.versions import TlsVersion

FALLBACK_SCSV = 0x5600
INAPPROPRIATE_FALLBACK = 86
KEYS = ("fallback_scsv",)


def run(ctx: ProbeContext) -> ProbeOutcome:
    """``True``: the server refused the fallback hello as RFC 7507 asks."""
    versions = ctx.facts.versions
    if len(versions) < 2:
        return not_applicable(KEYS, "only one protocol version accepted: nothing to fall back to")
    lower = versions[-2]
    if lower is TlsVersion.TLS13:  # pragma: no cover - TLS 1.3 is the highest version
        return not_applicable(KEYS, "no version below TLS 1.3")
    suites = (*ctx.facts.suites[lower], FALLBACK_SCSV)
    spec = HelloSpec(lower, suites, sni=ctx.facts.sni)
    flight = ctx.prober().run(build_client_hello(spec))
    if flight.accepted:
        return ProbeOutcome({"fallback_scsv": False})
    if flight.alert == INAPPROPRIATE_FALLBACK:
        return ProbeOutcome({"fallback_scsv": True})
    note = (
        f"fallback_scsv: the {lower.label} fallback hello was refused with alert {flight.alert} "
        "instead of inappropriate_fallback (counted as protected: no downgrade happened)"
    )
    return ProbeOutcome({"fallback_scsv": True}, (note,))


PROBE = Probe(name="fallback_scsv", section="vulnerabilities", keys=KEYS, run=run, budget=1)
