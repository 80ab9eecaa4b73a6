"""Session resumption (TLS ≤ 1.2): by session ID (server cache) and by session ticket
(RFC 5077), each tried with a full handshake and a resumed one (Python's ``ssl``)."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
import warnings

from socaudit.evidence.base import ErrorReason
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.probes import starttls
from socaudit.tls.probes.base import Probe, ProbeContext, ProbeOutcome, not_applicable
from socaudit.tls.records import connect
from socaudit.tls.versions import TlsVersion

KEYS = ("session_id", "session_ticket")


def _context(tickets: bool) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # resumption only; the certificate is judged elsewhere
    context.set_ciphers("ALL:COMPLEMENTOFALL:@SECLEVEL=0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    if not tickets:
        context.options |= ssl.OP_NO_TICKET
    return context


def _handshake(
    ctx: ProbeContext, context: ssl.SSLContext, session: ssl.SSLSession | None
) -> tuple[ssl.SSLSession | None, bool]:
    """(the session, whether it was resumed) of one full handshake."""
    facts = ctx.facts
    with ctx.slot():
        deadline = time.monotonic() + ctx.timeout
        raw = connect(facts.address, facts.port, ctx.timeout)
        try:
            if facts.starttls is not None:
                starttls.upgrader(facts.starttls)(raw, deadline)
            remaining = max(0.1, deadline - time.monotonic())
            raw.settimeout(remaining)
            # ssl's timeout is per read: a trickling server is cut off at the deadline instead
            watchdog = threading.Timer(remaining, _cut, args=(raw,))
            watchdog.start()
            try:
                sni = facts.sni or None
                with context.wrap_socket(raw, server_hostname=sni, session=session) as tls:
                    return tls.session, bool(tls.session_reused)
            finally:
                watchdog.cancel()
        except ssl.SSLError as exc:
            raise ProbeFailure(ErrorReason.PROTOCOL, f"TLS handshake failed: {exc}") from None
        except TimeoutError:
            raise ProbeFailure(ErrorReason.TIMEOUT, "TLS handshake timed out") from None
        except OSError as exc:
            raise ProbeFailure(ErrorReason.CONNECTIVITY, f"TLS handshake failed: {exc}") from None
        finally:
            raw.close()


def _cut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _resumes(ctx: ProbeContext, tickets: bool) -> bool:
    context = _context(tickets)
    session, _ = _handshake(ctx, context, None)
    if session is None or (tickets and not session.has_ticket):
        return False
    _, reused = _handshake(ctx, context, session)
    return reused


def run(ctx: ProbeContext) -> ProbeOutcome:
    if not any(v >= TlsVersion.TLS10 for v in ctx.facts.legacy_versions):
        return not_applicable(KEYS, "no TLS 1.0 … 1.2 version accepted")
    return ProbeOutcome({"session_id": _resumes(ctx, False), "session_ticket": _resumes(ctx, True)})


PROBE = Probe(name="resumption", section="resumption", keys=KEYS, run=run, budget=4)
