"""The HSTS request: through the connection gate, and a failure is reported with its reason."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from ipaddress import IPv4Address, IPv6Address, ip_address

from socaudit.evidence.base import AttemptStatus, ErrorReason
from socaudit.tls.engine import TlsOptions, TlsTarget, assess
from socaudit.tls.gate import ConnectionGate
from socaudit.tls.text import render
from tls.fakeserver import Persona, serve
from tls.test_enumeration import NOW, self_signed

ADDRESS = "127.0.20.63"


class CountingGate(ConnectionGate):
    """A gate that counts the slots it hands out."""

    def __init__(self) -> None:
        super().__init__(1, 4)
        self.taken = 0
        self._count_lock = threading.Lock()

    def for_host(
        self, address: IPv4Address | IPv6Address, stop: threading.Event | None = None
    ) -> Callable[[], AbstractContextManager[None]]:
        inner = super().for_host(address, stop)

        @contextmanager
        def slot() -> Iterator[None]:
            with inner():
                with self._count_lock:
                    self.taken += 1
                yield

        return slot


def test_failed_http_request_is_reported_and_gated() -> None:
    """The scripted server speaks raw TLS the Python HTTP client cannot finish: the request
    fails, and the result says so (JSON, text, grade) instead of looking switched off."""
    persona = Persona(suites={0x0303: (0xC02F,)}, kx_of={0xC02F: "ECDHE"},
                      chain=(self_signed("web.test"),))  # fmt: skip
    accepted = 0
    lock = threading.Lock()

    def counted(conn: socket.socket) -> None:
        nonlocal accepted
        with lock:
            accepted += 1
        persona(conn)

    gate = CountingGate()
    with serve(ADDRESS, counted) as port:
        target = TlsTarget("web.test", ip_address(ADDRESS), port)
        options = TlsOptions(timeout=2.0, as_of=NOW, probes=(), gate=gate)
        (result,) = assess([target], options)
    assert result.status is AttemptStatus.COMPLETED
    check = result.http_check
    assert check is not None and check.status is AttemptStatus.ERROR
    assert check.url == f"https://web.test:{port}/"
    assert check.error is not None and check.error.reason in {
        ErrorReason.PROTOCOL,
        ErrorReason.CONNECTIVITY,
        ErrorReason.TIMEOUT,
    }
    assert result.hsts is None
    assert "HTTP check failed" in render(result) and check.error.detail in render(result)
    assert result.grade is not None
    assert any("HTTP request failed" in cap.reason for cap in result.grade.caps)
    # every TCP connection, the HTTP one included, went through the per-host gate
    assert accepted == gate.taken == result.handshakes


def test_shared_fetch_is_used_instead_of_a_request() -> None:
    from socaudit.evidence.http import HttpResult
    from socaudit.evidence.tls import HstsFacts

    asked: list[tuple[str, str]] = []

    def fetch(url: str, address: IPv4Address | IPv6Address) -> HttpResult:
        asked.append((url, str(address)))
        return HttpResult(url=url, status_code=200, hsts=HstsFacts(present=True, max_age=1))

    persona = Persona(suites={0x0303: (0xC02F,)}, kx_of={0xC02F: "ECDHE"},
                      chain=(self_signed("web.test"),))  # fmt: skip
    with serve(ADDRESS, persona) as port:
        target = TlsTarget("web.test", ip_address(ADDRESS), port)
        options = TlsOptions(timeout=2.0, as_of=NOW, probes=(), http_fetch=fetch)
        (result,) = assess([target], options)
    assert asked == [(f"https://web.test:{port}/", ADDRESS)]
    assert result.hsts == HstsFacts(present=True, max_age=1)
    assert result.http_check is not None and result.http_check.status is AttemptStatus.COMPLETED
