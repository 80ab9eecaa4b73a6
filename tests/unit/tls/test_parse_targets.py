"""Parsing of HOST:PORT arguments, SNI choice, connection gate and hostile text rendering."""

from __future__ import annotations

import threading
from ipaddress import ip_address

import pytest

from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.tls import CertificateFacts, TlsEndpointResult
from socaudit.tls.engine import TlsTarget
from socaudit.tls.gate import ConnectionGate
from socaudit.tls.targets import resolve, split_target
from socaudit.tls.text import render


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("example.vn:443", ("example.vn", 443, None)),
        ("[::1]:8443", ("::1", 8443, None)),
        ("sở.gov.vn:443", ("sở.gov.vn", 443, None)),
        ("a.test:8443{127.0.10.10}", ("a.test", 8443, ip_address("127.0.10.10"))),
        ("a.test:8443{::1}", ("a.test", 8443, ip_address("::1"))),
    ],
)
def test_valid_targets(text: str, expected: tuple[object, ...]) -> None:
    assert split_target(text) == expected


@pytest.mark.parametrize(
    "text",
    ["host", "host:", ":443", "h:0", "h:65536", "h:x", "::1:443", "[::1]443", "[zz]:1", "h:1{x}"],
)
def test_invalid_targets(text: str) -> None:
    with pytest.raises(ValueError):
        split_target(text)


def test_ip_literals_need_no_resolver_and_send_no_sni() -> None:
    target = resolve("127.0.20.9", 443, None)
    assert target.address == ip_address("127.0.20.9")
    assert target.server_name is None
    assert TlsTarget("a.test", ip_address("::1"), 1).server_name == "a.test"
    assert TlsTarget("a.test", ip_address("::1"), 1, sni="b.test").server_name == "b.test"
    assert TlsTarget("::1", ip_address("::1"), 8443).label == "[::1]:8443"


def test_gate_caps_connections_per_host() -> None:
    gate = ConnectionGate(per_host=2, total=10)
    slot = gate.for_host(ip_address("127.0.20.1"))
    active, peak, lock = [0], [0], threading.Lock()
    pair = threading.Barrier(2, timeout=30)  # holders wait for each other: the cap is reached

    def work() -> None:
        with slot():
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            pair.wait()
            with lock:
                active[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 2


def test_render_escapes_control_characters_from_certificates() -> None:
    cert = CertificateFacts(
        subject="CN=evil\x1b[31mred\x07",
        issuer="CN=Cục An toàn thông tin",
        not_before="2026-01-01T00:00:00Z",
        not_after="2027-01-01T00:00:00Z",
        days_remaining=30,
        expired=False,
        not_yet_valid=False,
        key_type="RSA",
        key_size=2048,
        signature_hash="sha256",
        self_signed=False,
        hostname_match=True,
        chain_trusted=True,
        chain_complete=True,
        lifespan_days=365,
    )
    result = TlsEndpointResult(
        target="a.test:443", status=AttemptStatus.COMPLETED, certificate=cert
    )
    text = render(result)
    assert "\x1b" not in text and "\x07" not in text
    assert "CN=evil\\x1b[31mred\\x07" in text
    assert "Cục An toàn thông tin" in text
