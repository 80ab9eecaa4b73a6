"""The revocation probe end to end against a scripted TLS server and a local HTTP responder."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address

import pytest
from cryptography.x509 import ocsp as x509_ocsp

from socaudit.tls.probes import revocation
from socaudit.tls.probes.base import ProbeContext
from tls import serverbytes as sb
from tls.fakeserver import read_client_hello, serve
from tls.probes.revpki import Pki, crl, make_pki, ocsp_response
from tls.probes.support import RSA_SUITE, context

TLS_ADDRESS = "127.0.21.10"
HTTP_ADDRESS = "127.0.21.11"
Answer = Callable[[str, bytes], tuple[int, bytes]]


@contextlib.contextmanager
def responder(answer: Answer) -> Iterator[tuple[int, list[str]]]:
    """An HTTP server answering every GET/POST with ``answer(path, body)``; yields its port and
    the paths asked."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, body: bytes) -> None:
            asked.append(self.path)
            code, data = answer(self.path, body)
            self.send_response(code)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._reply(b"")

        def do_POST(self) -> None:
            self._reply(self.rfile.read(int(self.headers.get("Content-Length", "0"))))

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((HTTP_ADDRESS, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], asked
    finally:
        server.shutdown()
        server.server_close()


def tls_server(pki: Pki, staple: bytes | None) -> Callable[[socket.socket], None]:
    """ServerHello, Certificate, (CertificateStatus when asked and ``staple``), ServerHelloDone."""

    def behave(conn: socket.socket) -> None:
        hello = sb.parse_client_hello(read_client_hello(conn))
        asked = 5 in hello.extensions
        ext = sb.ext(5, b"") if asked and staple else b""
        flight = sb.server_hello(0x0303, RSA_SUITE, extensions=ext) + sb.certificate(pki.chain)
        if asked and staple:
            status = b"\x01" + len(staple).to_bytes(3, "big") + staple
            flight += sb.handshake(22, status)
        conn.sendall(sb.record(22, flight + sb.server_hello_done()))

    return behave


def probe(pki: Pki, port: int, **settings: object) -> dict[str, object]:
    ctx: ProbeContext = context(TLS_ADDRESS, port, chain=pki.chain)
    ctx.settings = settings
    return dict(revocation.run(ctx).values)


def test_stapled_revoked_response_wins_without_fetching() -> None:
    with responder(lambda p, b: (500, b"")) as (http_port, asked):
        pki = make_pki(f"http://{HTTP_ADDRESS}:{http_port}")
        staple = ocsp_response(pki, x509_ocsp.OCSPCertStatus.REVOKED)
        with serve(TLS_ADDRESS, tls_server(pki, staple)) as port:
            values = probe(pki, port)
    assert values["ocsp_stapled"] is True
    assert (values["status"], values["source"]) == ("revoked", "ocsp_stapled")
    assert asked == []


def test_fetched_ocsp_then_crl_on_loopback() -> None:
    state: dict[str, bytes] = {}

    def answer(path: str, body: bytes) -> tuple[int, bytes]:
        request = x509_ocsp.load_der_ocsp_request(body) if body else None
        if path == "/ocsp" and request is not None:
            return 200, state["ocsp"]
        return (200, state["crl"]) if path == "/ca.crl" else (404, b"")

    with responder(answer) as (http_port, asked):
        pki = make_pki(f"http://{HTTP_ADDRESS}:{http_port}")
        state["ocsp"] = ocsp_response(pki, x509_ocsp.OCSPCertStatus.GOOD)
        state["crl"] = crl(pki, (pki.leaf.serial_number,))
        with serve(TLS_ADDRESS, tls_server(pki, None)) as port:
            first = probe(pki, port)
            state["ocsp"] = b"garbage"  # the responder breaks: the CRL decides
            second = probe(pki, port)
    assert (first["ocsp_stapled"], first["status"], first["source"]) == (False, "good", "ocsp")
    assert (second["status"], second["source"]) == ("revoked", "crl")
    assert asked == ["/ocsp", "/ocsp", "/ca.crl"]


def test_unreachable_sources_are_unknown_never_good() -> None:
    with responder(lambda p, b: (503, b"busy")) as (http_port, _):
        pki = make_pki(f"http://{HTTP_ADDRESS}:{http_port}")
        with serve(TLS_ADDRESS, tls_server(pki, None)) as port:
            values = probe(pki, port)
    assert values["status"] == "unknown" and values["source"] is None
    assert "503" in str(values["detail"])


def test_outside_scope_is_not_fetched_and_not_judged() -> None:
    pki = make_pki("http://ocsp.example.test")  # never looked up, never contacted
    with serve(TLS_ADDRESS, tls_server(pki, None)) as port:
        values = probe(pki, port)
    assert values["status"] is None
    assert "outside loopback" in str(values["detail"])


def test_scope_rules() -> None:
    allowed = revocation.allowed_address
    assert allowed("http://127.0.0.5/x", {}) == (ip_address("127.0.0.5"), "")
    assert allowed("http://10.0.0.1/x", {})[0] is None
    assert allowed("https://127.0.0.1/x", {})[0] is None
    scope = {"revocation_hosts": {"ocsp.tinh.gov.vn": "10.1.2.3"}}
    assert allowed("http://OCSP.tinh.gov.vn/", scope) == (ip_address("10.1.2.3"), "")
    address, why = allowed("http://127.0.0.1/", scope)
    assert address is None and "authorised scope" in why
    assert allowed("http://10.9.9.9/", {"revocation_fetch": True})[0] == ip_address("10.9.9.9")
    networks = {"revocation_hosts": {}, "revocation_networks": ("10.20.0.0/16",)}
    assert allowed("http://10.20.3.4:8080/ocsp", networks) == (ip_address("10.20.3.4"), "")
    assert allowed("http://10.21.0.1/", networks)[0] is None
    assert allowed("http://ocsp.other.vn/", networks)[0] is None  # names need an asset: no DNS


@pytest.mark.parametrize("chain", [(), (b"not a certificate",)])
def test_no_usable_certificate(chain: tuple[bytes, ...]) -> None:
    ctx = context(TLS_ADDRESS, 1, chain=chain)
    values = revocation.run(ctx).values
    assert values["status"] is None and ctx.connections == 0
