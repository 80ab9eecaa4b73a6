"""Client-initiated renegotiation: after a full TLS ≤ 1.2 handshake, ask for a new one (``R``
in ``openssl s_client``). Accepting it lets one client make the server redo expensive key
exchanges at will (a denial-of-service lever); TLS 1.3 has no renegotiation."""

from __future__ import annotations

from socaudit.tls.probes.base import Probe, ProbeContext, ProbeOutcome, not_applicable
from socaudit.tls.probes.s_client import base_command, converse
from socaudit.tls.versions import TlsVersion

KEYS = ("client_renegotiation",)
_VERSION_FLAGS = {
    TlsVersion.TLS12: "-tls1_2", TlsVersion.TLS11: "-tls1_1", TlsVersion.TLS10: "-tls1",
}  # fmt: skip
_REFUSED = ("no renegotiation", "alert", "errno=", ":error:")
"""OpenSSL error lines look like ``4007…:error:0A000153:…``; ``verify error:num=…`` is not one."""


def verdict(output: str) -> bool | None:
    """True: a second handshake completed; False: refused; None: no first handshake."""
    _, marker, tail = output.partition("RENEGOTIATING")
    if not marker:
        return None
    if any(word in tail for word in _REFUSED):
        return False
    return "depth=" in tail or "verify return" in tail


def _finished(output: str) -> bool:
    _, marker, tail = output.partition("RENEGOTIATING")
    return bool(marker) and ("depth=" in tail or any(w in tail for w in _REFUSED))


def run(ctx: ProbeContext) -> ProbeOutcome:
    versions = [v for v in ctx.facts.legacy_versions if v in _VERSION_FLAGS]
    if not versions:
        return not_applicable(KEYS, "no TLS 1.0 … 1.2 version accepted (TLS 1.3 has none)")
    flag = _VERSION_FLAGS[versions[-1]]
    command = base_command(ctx, flag, "-cipher", "ALL:COMPLEMENTOFALL:@SECLEVEL=0",
                           "-legacy_renegotiation")  # fmt: skip
    output = converse(ctx, command, b"R\n", _finished)
    result = verdict(output)
    if result is None:
        last = output.strip().splitlines()[-1:] or ["no output"]
        return not_applicable(KEYS, f"openssl could not complete a handshake ({last[0][:120]})")
    return ProbeOutcome({"client_renegotiation": result})


PROBE = Probe(name="client_renegotiation", section="vulnerabilities", keys=KEYS, run=run, budget=1)
