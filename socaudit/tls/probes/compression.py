"""TLS compression (CRIME, CVE-2012-4929): offer DEFLATE and see whether the server picks it."""

from __future__ import annotations

from socaudit.tls.clienthello import HelloSpec, build_client_hello
from socaudit.tls.enumerate import candidate_suites
from socaudit.tls.probes.base import Probe, ProbeContext, ProbeOutcome, not_applicable

DEFLATE = 1
KEYS = ("compression",)


def run(ctx: ProbeContext) -> ProbeOutcome:
    """``True`` when the server selects DEFLATE at its highest TLS ≤ 1.2 version."""
    versions = ctx.facts.legacy_versions
    if not versions:
        return not_applicable(KEYS, "no SSL 3.0 … TLS 1.2 version accepted (TLS 1.3 has none)")
    version = versions[-1]
    suites = ctx.facts.suites[version] or candidate_suites(version)
    spec = HelloSpec(version, suites, sni=ctx.facts.sni, compression=(DEFLATE, 0))
    flight = ctx.prober().run(build_client_hello(spec))
    if flight.hello is None:
        note = f"compression: refused a hello offering DEFLATE (alert {flight.alert})"
        return ProbeOutcome({"compression": False}, (note,))
    return ProbeOutcome({"compression": flight.hello.compression == DEFLATE})


PROBE = Probe(name="compression", section="vulnerabilities", keys=KEYS, run=run, budget=1)
