"""Hostile servers on 127.0.20.x: each ends as that endpoint's error with the right reason,
within the documented bound (timeout × handshakes), never a crash or a hang."""

from __future__ import annotations

import socket
import threading
import time
from ipaddress import ip_address

import pytest

from socaudit.evidence.base import AttemptStatus, ErrorReason
from socaudit.evidence.tls import TlsEndpointResult
from socaudit.tls.engine import TlsOptions, TlsTarget, assess
from socaudit.tls.enumerate import Evidence, enumerate_endpoint
from socaudit.tls.handshake import Prober
from tls import fakeserver
from tls.fakeserver import Behaviour, Persona, serve

ADDRESS = "127.0.20.32"
TIMEOUT = 0.5
LOAD_SLACK = 5.0
"""Scheduling slack on a loaded 2-core machine; the hostile servers hold out for 30 s, so a
bound below that still proves the timeouts work (tests/README.md, "Timing in tests")."""


def run(behaviour: Behaviour) -> tuple[TlsEndpointResult, float]:
    with serve(ADDRESS, behaviour) as port:
        started = time.monotonic()
        target = TlsTarget(ADDRESS, ip_address(ADDRESS), port)
        (result,) = assess([target], TlsOptions(timeout=TIMEOUT, http=False))
        return result, time.monotonic() - started


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        (fakeserver.tarpit, ErrorReason.TIMEOUT),
        (fakeserver.stall, ErrorReason.TIMEOUT),
        (fakeserver.trickle, ErrorReason.TIMEOUT),
        (fakeserver.garbage, ErrorReason.PROTOCOL),
        (fakeserver.absurd_length, ErrorReason.PROTOCOL),
        (fakeserver.huge_certificate, ErrorReason.PROTOCOL),
        (fakeserver.reset, ErrorReason.CONNECTIVITY),
    ],
    ids=["tarpit", "stall", "trickle", "garbage", "absurd-length", "huge-cert", "reset"],
)
def test_hostile_server_gives_error_status(behaviour: Behaviour, reason: ErrorReason) -> None:
    result, elapsed = run(behaviour)
    assert result.status is AttemptStatus.ERROR
    assert result.error is not None and result.error.reason is reason
    assert result.protocols == ()
    # one probe per version (SSLv2 included), plus one small-hello retry per version when
    # a large hello is dropped silently
    assert 6 <= result.handshakes <= 11
    # Five version probes run in parallel; each is capped at TIMEOUT (connect + reply).
    assert elapsed < TIMEOUT * result.handshakes + LOAD_SLACK


def test_refused_port_is_a_connectivity_error() -> None:
    target = TlsTarget(ADDRESS, ip_address(ADDRESS), 9)
    (result,) = assess([target], TlsOptions(timeout=TIMEOUT, http=False))
    assert result.error is not None and result.error.reason is ErrorReason.CONNECTIVITY
    assert "refused" in result.error.detail


def test_many_hostile_endpoints_are_assessed_concurrently() -> None:
    lock, holding, both = threading.Lock(), {"a": 0, "b": 0}, threading.Event()

    def tarpit(name: str) -> Behaviour:
        """Never answer; note when both servers hold a live connection at the same moment."""

        def behaviour(conn: socket.socket) -> None:
            with lock:
                holding[name] += 1
                if all(holding.values()):
                    both.set()
            try:
                while conn.recv(4096):  # the ClientHello, then EOF when the client gives up
                    pass
            finally:
                with lock:
                    holding[name] -= 1

        return behaviour

    with (
        serve("127.0.20.33", tarpit("a")) as port_a,
        serve("127.0.20.34", tarpit("b")) as port_b,
    ):
        targets = [
            TlsTarget("a", ip_address("127.0.20.33"), port_a),
            TlsTarget("b", ip_address("127.0.20.34"), port_b),
        ]
        started = time.monotonic()
        results = list(assess(targets, TlsOptions(timeout=TIMEOUT, http=False)))
        elapsed = time.monotonic() - started
    assert {r.target for r in results} == {f"a:{port_a}", f"b:{port_b}"}
    assert all(r.error and r.error.reason is ErrorReason.TIMEOUT for r in results)
    assert both.is_set(), "the two endpoints were never probed at the same time"
    assert elapsed < 2 * TIMEOUT * max(r.handshakes for r in results) + LOAD_SLACK


def test_a_bug_in_one_endpoint_keeps_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    real = enumerate_endpoint

    def flaky(prober: Prober, workers: int) -> Evidence:
        if prober.port == 1:
            raise RuntimeError("boom")
        return real(prober, workers)

    monkeypatch.setattr("socaudit.tls.engine.enumerate_endpoint", flaky)
    targets = [TlsTarget("bug", ip_address(ADDRESS), 1), TlsTarget("ok", ip_address(ADDRESS), 9)]
    results = {r.target: r for r in assess(targets, TlsOptions(timeout=TIMEOUT, http=False))}
    assert results["bug:1"].error is not None
    assert results["bug:1"].error.reason is ErrorReason.BUG
    assert results["ok:9"].error is not None
    assert results["ok:9"].error.reason is ErrorReason.CONNECTIVITY


def test_malformed_certificate_is_a_protocol_error() -> None:
    persona = Persona(suites={0x0303: (0x002F,)}, chain=(b"\x30\x03garbage",))
    result, _ = run(persona)
    assert result.status is AttemptStatus.ERROR
    assert result.error is not None and result.error.reason is ErrorReason.PROTOCOL
    assert result.protocols == ("TLSv1.2",), "what was enumerated is kept"


def test_closing_the_stream_early_drops_queued_endpoints() -> None:
    connections: list[int] = []

    def counting_tarpit(conn: socket.socket) -> None:
        connections.append(1)
        fakeserver.tarpit(conn)

    with serve(ADDRESS, counting_tarpit) as port:
        targets = [TlsTarget(f"t{i}", ip_address(ADDRESS), port) for i in range(4)]
        results = assess(targets, TlsOptions(timeout=TIMEOUT, http=False, max_endpoints=1))
        first = next(results)
        results.close()
    assert first.error is not None and first.error.reason is ErrorReason.TIMEOUT
    # the first endpoint and at most the one already running: 6 probes each, never all four
    assert len(connections) <= 12
