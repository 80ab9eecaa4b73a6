"""TLS_FALLBACK_SCSV against servers that honour and ignore it; probes that do not apply."""

from __future__ import annotations

import socket
import time

import pytest

from socaudit.tls.errors import ProbeFailure
from socaudit.tls.probes import early_data, fallback_scsv, heartbleed, resumption
from socaudit.tls.versions import TlsVersion
from tls import serverbytes as sb
from tls.fakeserver import Persona, read_client_hello, serve
from tls.probes.support import RSA_SUITE, context

ADDRESS = "127.0.20.65"
TWO_VERSIONS = {TlsVersion.TLS11: (RSA_SUITE,), TlsVersion.TLS12: (RSA_SUITE,)}


class Guarded(Persona):
    """Refuses a fallback hello below its best version with inappropriate_fallback (86)."""

    def __call__(self, conn: socket.socket) -> None:
        hello = sb.parse_client_hello(read_client_hello(conn))
        self.seen.append(hello)
        if 0x5600 in hello.suites and hello.version < max(self.suites):
            conn.sendall(sb.alert(86))
            return
        conn.sendall(self.reply(hello))


@pytest.mark.parametrize(("server", "expected"), [(Guarded, True), (Persona, False)])
def test_fallback_scsv(server: type[Persona], expected: bool) -> None:
    persona = server(suites={0x0302: (RSA_SUITE,), 0x0303: (RSA_SUITE,)})
    with serve(ADDRESS, persona) as port:
        ctx = context(ADDRESS, port, suites=TWO_VERSIONS)
        outcome = fallback_scsv.run(ctx)
    assert outcome.values == {"fallback_scsv": expected}
    assert persona.seen[-1].version == 0x0302 and 0x5600 in persona.seen[-1].suites


def test_probes_that_do_not_apply_open_no_connection() -> None:
    tls13 = {TlsVersion.TLS13: (0x1301,)}
    cases = [
        (fallback_scsv, {TlsVersion.TLS12: (RSA_SUITE,)}, "fallback_scsv"),
        (early_data, {TlsVersion.TLS12: (RSA_SUITE,)}, "early_data"),
        (heartbleed, tls13, "heartbleed"),
        (resumption, tls13, "session_id"),
    ]
    for module, suites, key in cases:
        ctx = context(ADDRESS, 1, suites=suites)
        outcome = module.run(ctx)
        assert outcome.values[key] is None and outcome.notes, key
        assert ctx.connections == 0, key


def test_a_silent_server_costs_one_timeout() -> None:
    """Heartbeat echoed, then silence: the probe ends at its timeout, not later."""

    def silent_after_flight(conn: socket.socket) -> None:
        read_client_hello(conn)
        hello = sb.server_hello(0x0303, RSA_SUITE, extensions=sb.ext(15, b"\x01"))
        conn.sendall(sb.record(22, hello + sb.certificate((b"c",)) + sb.server_hello_done()))
        time.sleep(10)

    with serve(ADDRESS, silent_after_flight) as port:
        ctx = context(ADDRESS, port, timeout=1.0)
        started = time.monotonic()
        outcome = heartbleed.run(ctx)
        elapsed = time.monotonic() - started
    assert outcome.values == {"heartbleed": False}
    assert elapsed < 1.0 * ctx.connections + 2.0  # one connection, one timeout (+ slack)


def test_resumption_against_a_trickling_server_ends_at_the_deadline() -> None:
    """One byte of a ServerHello every 0.2 s: Python's per-read timeout would never fire."""

    def trickle(conn: socket.socket) -> None:
        read_client_hello(conn)
        for _ in range(100):
            conn.sendall(b"\x16")
            time.sleep(0.2)

    with serve(ADDRESS, trickle) as port:
        ctx = context(ADDRESS, port, timeout=1.0)
        started = time.monotonic()
        with pytest.raises(ProbeFailure):
            resumption.run(ctx)
        elapsed = time.monotonic() - started
    assert ctx.connections == 1 and elapsed < 1.0 + 2.0
