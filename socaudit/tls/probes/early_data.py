"""TLS 1.3 early data (0-RTT): resume with a ticket and send data before the handshake ends.

Accepted 0-RTT data can be replayed by anyone who recorded it (RFC 8446 §8), so ``True`` is a
finding unless the application only takes idempotent requests. Two ``s_client`` runs: one to
get a ticket, one to resume with early data."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from socaudit.tls.probes.base import Probe, ProbeContext, ProbeOutcome, not_applicable
from socaudit.tls.probes.s_client import base_command, converse
from socaudit.tls.versions import TlsVersion

KEYS = ("early_data",)
REQUEST = b"HEAD / HTTP/1.1\r\nHost: socaudit.invalid\r\nConnection: close\r\n\r\n"


def _ticket_arrived(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0


def _resumed(output: str) -> bool:
    """The verdict is printed before the session block that ends with ``Max Early Data``."""
    return "Early data was" in output or "Max Early Data:" in output


def run(ctx: ProbeContext) -> ProbeOutcome:
    if TlsVersion.TLS13 not in ctx.facts.suites:
        return not_applicable(KEYS, "TLS 1.3 not accepted (0-RTT exists only in TLS 1.3)")
    with tempfile.TemporaryDirectory(prefix="socaudit-0rtt-") as folder:
        session, early = Path(folder) / "session.pem", Path(folder) / "early.txt"
        early.write_bytes(REQUEST if ctx.facts.starttls is None else b"NOOP\r\n")
        first = base_command(ctx, "-tls1_3", "-sess_out", str(session))
        started = time.monotonic()
        converse(ctx, first, b"", lambda _: _ticket_arrived(session))
        if not _ticket_arrived(session):
            waited = time.monotonic() - started
            return ProbeOutcome(
                {"early_data": False},
                (f"early_data: no TLS 1.3 session ticket within {waited:.1f} s, so no 0-RTT",),
            )
        second = base_command(ctx, "-tls1_3", "-sess_in", str(session), "-early_data", str(early))
        output = converse(ctx, second, b"", _resumed)
    if "Early data was accepted" in output:
        return ProbeOutcome({"early_data": True})
    return ProbeOutcome({"early_data": False})


PROBE = Probe(name="early_data", section="vulnerabilities", keys=KEYS, run=run, budget=2)
