"""One HTTP request per URL in a scan: the TLS analysis reads the HTTP collector's answer for
HSTS, and that request takes a slot of the run's per-host gate."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

from analysis.factory import issue
from cryptography.hazmat.primitives import serialization
from tls.fakeserver import serve

from socaudit.collect.base import CollectContext
from socaudit.collect.http_collector import collect_http
from socaudit.collect.tls_collector import collect_tls, shared_gate
from socaudit.evidence.base import EvidenceKind
from socaudit.planning import ScanOptions, declared_followups
from socaudit.scope import authorize

from .factory import asset, inventory

ADDRESS = "127.0.30.9"
TODAY = dt.datetime.now(dt.UTC).date()


@contextlib.contextmanager
def https_server(tmp: Path, requests: list[str]) -> Iterator[int]:
    """A real TLS server (Python's ssl) answering GETs with HSTS; ``requests`` records them."""
    leaf = issue(ADDRESS, names=(ADDRESS,))
    key = leaf.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp / "cert.pem").write_bytes(leaf.pem)
    (tmp / "key.pem").write_bytes(key)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp / "cert.pem", tmp / "key.pem")

    def handle(conn: socket.socket) -> None:
        with context.wrap_socket(conn, server_side=True) as tls:
            head = tls.recv(4096)
            if head.startswith(b"GET "):
                requests.append(head.split(b"\r\n", 1)[0].decode())
                tls.sendall(
                    b"HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=63072000\r\n"
                    b"Content-Length: 0\r\nConnection: close\r\n\r\n"
                )

    with serve(ADDRESS, handle) as port:
        yield port


def test_tls_and_http_collectors_share_one_gated_request(tmp_path: Path) -> None:
    requests: list[str] = []
    with https_server(tmp_path, requests) as port:
        services = [{"port": port, "name": "https"}]
        inv = inventory([asset("web", ADDRESS, services=services)], scope=["127.0.30.0/24"])
        (target,) = authorize(inv, as_of=TODAY).targets
        probes = {p.kind: p for p in declared_followups(target)}
        ctx = CollectContext(ScanOptions(timeout=3.0, per_host=2))
        gate = shared_gate(ctx)
        (http_record,) = collect_http(probes[EvidenceKind.HTTP], ctx)
        (tls_record,) = collect_tls(probes[EvidenceKind.TLS], ctx)
    assert requests == ["GET / HTTP/1.1"]  # one request for both collectors
    assert http_record.payload.hsts is not None  # type: ignore[union-attr]
    tls = tls_record.payload
    assert tls.hsts is not None and tls.hsts.max_age == 63072000  # type: ignore[union-attr]
    assert tls.http_check is not None and tls.http_check.url == f"https://{ADDRESS}:{port}/"  # type: ignore[union-attr]
    assert shared_gate(ctx) is gate
