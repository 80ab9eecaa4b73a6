"""The lab's STARTTLS stand-ins and OCSP/CRL responder, run in a thread and spoken to by the
engine's own STARTTLS dialogue, Python's TLS client and the revocation checks."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from ipaddress import ip_address
from pathlib import Path

import pytest
from cryptography import x509

from socaudit.lab import revocationpki
from socaudit.lab.pki import ensure_pki
from socaudit.lab.targets import (
    LabError,
    NotLoopbackError,
    Target,
    has_certificate,
    parse_network,
    targets_for,
)
from socaudit.lab.tlsservices import Listen, parse_listen, start_servers
from socaudit.tls.probes import crl, httpget, ocsp
from socaudit.tls.probes.starttls import upgrade

NOW = dt.datetime.now(dt.UTC)
TARGETS = {t.name: t for t in targets_for(parse_network("127.0.37.0/24"))}


@pytest.fixture(scope="module")
def lab_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("tlsservices")
    ensure_pki(directory, tuple(t for t in TARGETS.values() if has_certificate(t)), NOW)
    revocationpki.write_material(directory, NOW)
    return directory


@contextlib.contextmanager
def running(lab_dir: Path, *targets: Target) -> Iterator[None]:
    """The servers for ``targets`` in a background event loop."""
    loop = asyncio.new_event_loop()
    listens = [Listen(t.kind, t.name, t.address, t.port) for t in targets]
    servers = loop.run_until_complete(start_servers(listens, lab_dir / "certs", lab_dir / "ca"))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        asyncio.run_coroutine_threadsafe(_shutdown(servers), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


async def _shutdown(servers: list[asyncio.Server]) -> None:
    """Close the listeners and end every connection task (nothing left pending)."""
    for server in servers:
        server.close()
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


@pytest.mark.parametrize("name", ["smtp-starttls", "imap-starttls", "pop3-starttls",
                                  "ftp-starttls"])  # fmt: skip
def test_stand_ins_upgrade_and_serve_the_lab_leaf(lab_dir: Path, name: str) -> None:
    target = TARGETS[name]
    context = ssl.create_default_context(cafile=str(lab_dir / "ca" / "lab-root.pem"))
    with running(lab_dir, target):
        raw = socket.create_connection((target.address, target.port), timeout=5)
        upgrade(raw, target.kind, time.monotonic() + 5)
        with context.wrap_socket(raw, server_hostname=target.hostname) as tls:
            assert tls.version() in ("TLSv1.2", "TLSv1.3")
            peer = tls.getpeercert()
    assert peer is not None
    subject = peer["subject"]
    assert ((("commonName", target.hostname),)) in subject


def test_responder_answers_revoked_good_and_serves_the_crl(lab_dir: Path) -> None:
    responder = TARGETS["ocsp-responder"]
    issuer = x509.load_pem_x509_certificate((lab_dir / "ca" / "lab-intermediate.pem").read_bytes())
    verdicts = {}
    with running(lab_dir, responder):
        for name in ("tls-revoked", "tls-ocsp-stapled", "tls-good"):
            leaf = x509.load_pem_x509_certificate((lab_dir / "certs" / f"{name}.pem").read_bytes())
            url = f"http://{responder.address}:{responder.port}/ocsp"
            body = httpget.fetch(url, ip_address(responder.address), 5.0,
                                 ocsp.request_der(leaf, issuer))  # fmt: skip
            # judged at the time of the answer: the module's NOW may be minutes old by now
            verdicts[name] = ocsp.judge(body, leaf, issuer, dt.datetime.now(dt.UTC)).status
        revoked = x509.load_pem_x509_certificate(
            (lab_dir / "certs" / "tls-revoked.pem").read_bytes()
        )
        (crl_url,) = crl.distribution_points(revoked)
        data = httpget.fetch(crl_url, ip_address(responder.address), 5.0)
    assert verdicts == {"tls-revoked": "revoked", "tls-ocsp-stapled": "good", "tls-good": "good"}
    assert crl.judge(data, revoked, issuer, dt.datetime.now(dt.UTC)).status == "revoked"


def test_stapled_file_is_a_good_answer_for_its_leaf(lab_dir: Path) -> None:
    pem = (lab_dir / "certs" / "tls-ocsp-stapled.pem").read_bytes()
    leaf, issuer = x509.load_pem_x509_certificates(pem)
    staple = (lab_dir / "ca" / "tls-ocsp-stapled.ocsp").read_bytes()
    assert ocsp.judge(staple, leaf, issuer, NOW).status == "good"


def test_listen_arguments_are_checked() -> None:
    assert parse_listen("smtp/smtp-starttls@127.0.10.80:2587") == Listen(
        "smtp", "smtp-starttls", "127.0.10.80", 2587
    )
    with pytest.raises(NotLoopbackError):
        parse_listen("smtp/x@192.0.2.1:25")
    for bad in ("smtp@127.0.0.1:25", "gopher/x@127.0.0.1:70", "ocsp/x@127.0.0.1:99999"):
        with pytest.raises(LabError):
            parse_listen(bad)
