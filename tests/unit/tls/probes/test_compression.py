"""CRIME probe against scripted servers that do and do not select DEFLATE."""

from __future__ import annotations

import socket

import pytest

from socaudit.tls.probes import compression
from socaudit.tls.versions import TlsVersion
from tls import serverbytes as sb
from tls.fakeserver import Behaviour, read_client_hello, serve
from tls.probes.support import RSA_SUITE, context

ADDRESS = "127.0.20.60"


def compressing(conn: socket.socket) -> None:
    """Pick DEFLATE whenever the client offers it (what a 2012 OpenSSL did)."""
    hello = sb.parse_client_hello(read_client_hello(conn))
    method = 1 if 1 in hello.compression else 0
    hello_msg = sb.server_hello(0x0303, RSA_SUITE, compression=method)
    conn.sendall(sb.record(22, hello_msg + sb.certificate((b"c",)) + sb.server_hello_done()))


def plain(conn: socket.socket) -> None:
    read_client_hello(conn)
    conn.sendall(sb.record(22, sb.server_hello(0x0303, RSA_SUITE) + sb.server_hello_done()))


@pytest.mark.parametrize(("behaviour", "expected"), [(compressing, True), (plain, False)])
def test_compression_verdict(behaviour: Behaviour, expected: bool) -> None:
    with serve(ADDRESS, behaviour) as port:
        ctx = context(ADDRESS, port)
        outcome = compression.run(ctx)
    assert outcome.values == {"compression": expected}
    assert ctx.connections == 1


def test_tls13_only_is_not_applicable() -> None:
    ctx = context(ADDRESS, 1, suites={TlsVersion.TLS13: (0x1301,)})
    outcome = compression.run(ctx)
    assert outcome.values == {"compression": None}
    assert outcome.notes and "TLS 1.3" in outcome.notes[0]
    assert ctx.connections == 0
