"""probe_http against real loopback servers, including hostile ones (127.0.21.x)."""

from __future__ import annotations

import socket
import threading
import time
from ipaddress import ip_address
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from analysis.factory import issue
from analysis.servers import Script, http_server, scripted_server
from socaudit.evidence.base import ErrorReason
from socaudit.probes.errors import ProbeError
from socaudit.probes.http import probe_http

HOST = "127.0.21.10"
ADDR = ip_address(HOST)
GOOD_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "Content-Security-Policy": "default-src 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "geolocation=()",
}


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    leaf = issue("cong.langson.gov.vn", names=("cong.langson.gov.vn",))
    directory = tmp_path_factory.mktemp("tls")
    key = leaf.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (directory / "cert.pem").write_bytes(leaf.pem)
    (directory / "key.pem").write_bytes(key)
    return directory / "cert.pem", directory / "key.pem"


def test_https_good_headers(tls_files: tuple[Path, Path]) -> None:
    with http_server(HOST, 200, GOOD_HEADERS, tls=tls_files) as port:
        r = probe_http(f"https://cong.langson.gov.vn:{port}/", ADDR, 3.0, [])
    assert r.status_code == 200
    assert r.hsts is not None
    assert (r.hsts.present, r.hsts.max_age) == (True, 63072000)
    assert r.hsts.include_subdomains and r.hsts.preload
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["permissions-policy"] == "geolocation=()"
    assert r.redirects_to_https is None
    assert r.server_banner == "nginx/1.22.1"


def test_tls10_only_server_still_gets_its_headers_read(tls_files: tuple[Path, Path]) -> None:
    with http_server(HOST, 200, GOOD_HEADERS, tls=tls_files, legacy=True) as port:
        r = probe_http(f"https://cong.langson.gov.vn:{port}/", ADDR, 3.0, [])
    assert r.hsts is not None and r.hsts.max_age == 63072000


def test_https_missing_headers(tls_files: tuple[Path, Path]) -> None:
    with http_server(HOST, 200, {}, tls=tls_files) as port:
        r = probe_http(f"https://cong.langson.gov.vn:{port}/", ADDR, 3.0, [])
    assert r.hsts is not None and not r.hsts.present
    assert "content-security-policy" not in r.headers


@pytest.mark.parametrize(
    "value",
    ["max-age=abc", "includeSubDomains", "max-age=1; max-age=2", "max-age=-5", 'max-age="x"'],
)
def test_https_malformed_hsts(tls_files: tuple[Path, Path], value: str) -> None:
    with http_server(HOST, 200, {"Strict-Transport-Security": value}, tls=tls_files) as port:
        r = probe_http(f"https://cong.langson.gov.vn:{port}/", ADDR, 3.0, [])
    assert r.hsts is not None and r.hsts.present and r.hsts.max_age is None


def test_quoted_max_age_is_valid(tls_files: tuple[Path, Path]) -> None:
    header = {"Strict-Transport-Security": 'max-age="31536000"'}
    with http_server(HOST, 200, header, tls=tls_files) as port:
        r = probe_http(f"https://cong.langson.gov.vn:{port}/", ADDR, 3.0, [])
    assert r.hsts is not None and r.hsts.max_age == 31536000


@pytest.mark.parametrize(
    ("location", "expected"),
    [("https://cong.langson.gov.vn/", True), ("http://cong.langson.gov.vn/x", False)],
)
def test_plain_http_redirect(location: str, expected: bool) -> None:
    with http_server(HOST, 301, {"Location": location}) as port:
        r = probe_http(f"http://cong.langson.gov.vn:{port}/", ADDR, 3.0, [])
    assert r.status_code == 301
    assert r.redirects_to_https is expected
    assert r.location == location
    assert r.hsts is None


def test_plain_http_without_redirect() -> None:
    with http_server(HOST, 200, {}) as port:
        r = probe_http(f"http://{HOST}:{port}/", ADDR, 3.0, [])
    assert r.redirects_to_https is False


def _send_and_linger(data: bytes) -> Script:
    def script(conn: socket.socket, stop: threading.Event) -> None:
        conn.recv(4096)
        conn.sendall(data)
        stop.wait(1.0)

    return script


def test_huge_headers_are_capped() -> None:
    data = b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n"
    server = scripted_server(HOST, _send_and_linger(data))
    with server as port, pytest.raises(ProbeError) as info:
        probe_http(f"http://{HOST}:{port}/", ADDR, 3.0, [])
    assert info.value.reason is ErrorReason.PROTOCOL and "exceed" in info.value.detail


def test_never_ending_headers_hit_the_deadline() -> None:
    def drip(conn: socket.socket, stop: threading.Event) -> None:
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        while not stop.wait(0.05):
            conn.sendall(b"X-More: 1\r\n")

    with scripted_server(HOST, drip) as port:
        started = time.monotonic()
        with pytest.raises(ProbeError) as info:
            probe_http(f"http://{HOST}:{port}/", ADDR, 0.8, [])
        elapsed = time.monotonic() - started
    assert info.value.reason is ErrorReason.TIMEOUT
    # the drip never ends: only the overall deadline stops it (slack for a loaded machine)
    assert elapsed < 0.8 + 5.0


def test_silent_server_times_out() -> None:
    def silent(conn: socket.socket, stop: threading.Event) -> None:
        stop.wait(3.0)

    with scripted_server(HOST, silent) as port, pytest.raises(ProbeError) as info:
        probe_http(f"http://{HOST}:{port}/", ADDR, 0.5, [])
    assert info.value.reason is ErrorReason.TIMEOUT


def test_stall_in_tls_handshake_times_out() -> None:
    def silent(conn: socket.socket, stop: threading.Event) -> None:
        stop.wait(3.0)

    with scripted_server(HOST, silent) as port, pytest.raises(ProbeError) as info:
        probe_http(f"https://x.test:{port}/", ADDR, 0.5, [])
    assert info.value.reason is ErrorReason.TIMEOUT


@pytest.mark.parametrize("data", [b"\x00\xff garbage\r\n\r\n", b"SSH-2.0-OpenSSH_9.2\r\n\r\n", b""])
def test_garbage_is_a_protocol_error(data: bytes) -> None:
    def script(conn: socket.socket, stop: threading.Event) -> None:
        conn.recv(4096)
        conn.sendall(data)

    with scripted_server(HOST, script) as port, pytest.raises(ProbeError) as info:
        probe_http(f"http://{HOST}:{port}/", ADDR, 2.0, [])
    assert info.value.reason is ErrorReason.PROTOCOL


def test_reset_is_a_connectivity_error() -> None:
    def reset(conn: socket.socket, stop: threading.Event) -> None:
        conn.recv(4096)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")

    with scripted_server(HOST, reset) as port, pytest.raises(ProbeError) as info:
        probe_http(f"http://{HOST}:{port}/", ADDR, 2.0, [])
    assert info.value.reason in {ErrorReason.CONNECTIVITY, ErrorReason.PROTOCOL}


def test_refused_port() -> None:
    with socket.create_server((HOST, 0)) as probe_socket:
        port = probe_socket.getsockname()[1]
    with pytest.raises(ProbeError) as info:
        probe_http(f"http://{HOST}:{port}/", ADDR, 2.0, [])
    assert info.value.reason is ErrorReason.CONNECTIVITY


@pytest.mark.parametrize("url", ["ftp://x/", "http:///nohost", "http://bad host/", "gopher:x"])
def test_bad_url_is_a_value_error(url: str) -> None:
    with pytest.raises(ValueError, match="URL"):
        probe_http(url, ADDR, 1.0, [])
