"""The OCSP/CRL HTTP client against hostile responders: bounded in time and size."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from ipaddress import ip_address

import pytest

from socaudit.evidence.base import ErrorReason
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.probes import httpget
from tls.fakeserver import serve

ADDRESS = "127.0.21.30"


def answering(data: bytes, pause: float = 0.0) -> Callable[[socket.socket], None]:
    def behave(conn: socket.socket) -> None:
        conn.recv(65536)
        if pause:
            time.sleep(pause)
        conn.sendall(data)

    return behave


def fetch(behaviour: Callable[[socket.socket], None], **kwargs: object) -> bytes:
    with serve(ADDRESS, behaviour) as port:
        return httpget.fetch(f"http://ocsp.test:{port}/x", ip_address(ADDRESS), 1.0, **kwargs)  # type: ignore[arg-type]


def test_body_of_a_200_answer() -> None:
    assert fetch(answering(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc")) == b"abc"


@pytest.mark.parametrize(
    ("behaviour", "reason", "words"),
    [
        (answering(b"HTTP/1.0 404 Not Found\r\n\r\n"), ErrorReason.PROTOCOL, "404"),
        (answering(b"\x16\x03\x01 not http at all"), ErrorReason.PROTOCOL, "not an HTTP answer"),
        (answering(b"HTTP/1.0 200 OK\r\n\r\n" + b"x" * 5000), ErrorReason.PROTOCOL, "larger"),
        (answering(b"HTTP/1.0 200 OK\r\n\r\nlate", pause=2.0), ErrorReason.TIMEOUT, "in time"),
    ],
)
def test_hostile_responders(
    behaviour: Callable[[socket.socket], None], reason: ErrorReason, words: str
) -> None:
    started = time.monotonic()
    with pytest.raises(ProbeFailure) as caught:
        fetch(behaviour, max_bytes=1000)
    assert time.monotonic() - started < 1.8
    assert caught.value.reason is reason and words in caught.value.detail


def test_only_http_urls() -> None:
    with pytest.raises(ProbeFailure):
        httpget.fetch("https://ocsp.test/x", ip_address(ADDRESS), 1.0)
    with pytest.raises(ProbeFailure):
        httpget.fetch("ldap://ldap.test/cn=crl", ip_address(ADDRESS), 1.0)
