"""A non-positive serial on a TLS 1.3-only server: reported as a finding, stderr stays clean."""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from analysis.factory import issue, make_pki
from analysis.test_chain_signatures import openssl_intermediate
from cryptography.hazmat.primitives import serialization

ADDRESS = "127.0.20.62"
HOST = "cong.langson.gov.vn"


@contextlib.contextmanager
def tls13_server(cert: Path, key: Path) -> Iterator[int]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(cert, key)
    listener = socket.create_server((ADDRESS, 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with contextlib.suppress(OSError), conn:
                conn.settimeout(5)
                with context.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(1)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        listener.close()


def test_tls13_chain_with_negative_serial(tmp_path: Path) -> None:
    pki = make_pki()
    intermediate = openssl_intermediate(pki, tmp_path, digest="sha256", serial=-3)
    leaf = issue(HOST, issuer=intermediate, names=(HOST,))
    (tmp_path / "chain.pem").write_bytes(leaf.pem + intermediate.pem)
    key = leaf.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "key.pem").write_bytes(key)
    with tls13_server(tmp_path / "chain.pem", tmp_path / "key.pem") as port:
        done = subprocess.run(
            [sys.executable, "-m", "socaudit", "tls", f"{ADDRESS}:{port}",
             "--no-http", "--format", "json", "--timeout", "3"],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert "Warning" not in done.stderr and "serial" not in done.stderr, done.stderr
    (endpoint,) = json.loads(done.stdout)["endpoints"]
    assert endpoint["protocols"] == ["TLSv1.3"]
    assert endpoint["certificate"]["non_positive_serials"] == ["CN=Weakly Signed Intermediate"]
    assert "tls.cert.serial_not_positive" in {f["id"] for f in endpoint["findings"]}
