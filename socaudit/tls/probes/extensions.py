"""Secure renegotiation (RFC 5746) and extended master secret (RFC 7627): does the server
answer a TLS ≤ 1.2 ClientHello with the extension (or, for SSL 3.0, honour the SCSV)?"""

from __future__ import annotations

from socaudit.tls.clienthello import build_client_hello
from socaudit.tls.probes.base import Probe, ProbeContext, ProbeOutcome, not_applicable
from socaudit.tls.probes.conversation import legacy_spec

RENEGOTIATION_INFO = 0xFF01
EXTENDED_MASTER_SECRET = 23
NO_LEGACY = "no SSL 3.0 … TLS 1.2 version accepted (TLS 1.3 replaced renegotiation)"


def _answered(ctx: ProbeContext, key: str, extension: int) -> ProbeOutcome:
    spec = legacy_spec(ctx)
    if spec is None:
        return not_applicable((key,), NO_LEGACY)
    flight = ctx.prober().run(build_client_hello(spec))
    if flight.hello is None:
        reason = (
            f"the server refused the hello it accepted during enumeration (alert {flight.alert})"
        )
        return not_applicable((key,), reason)
    return ProbeOutcome({key: extension in flight.hello.extensions})


def run_renegotiation(ctx: ProbeContext) -> ProbeOutcome:
    """``True`` when the server sends renegotiation_info (it supports secure renegotiation)."""
    return _answered(ctx, "secure_renegotiation", RENEGOTIATION_INFO)


def run_ems(ctx: ProbeContext) -> ProbeOutcome:
    """``True`` when the server sends extended_master_secret."""
    return _answered(ctx, "extended_master_secret", EXTENDED_MASTER_SECRET)


SECURE_RENEGOTIATION = Probe(
    name="secure_renegotiation", section="vulnerabilities", keys=("secure_renegotiation",),
    run=run_renegotiation, budget=1,
)  # fmt: skip
EXTENDED_MASTER_SECRET_PROBE = Probe(
    name="extended_master_secret", section="vulnerabilities", keys=("extended_master_secret",),
    run=run_ems, budget=1,
)  # fmt: skip
