"""The TLS engine against the real lab (nginx with known weaknesses on 127.0.10.x)."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import time
from collections.abc import Iterator
from ipaddress import ip_address
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from cryptography.x509.oid import NameOID

from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.tls import CertificateFacts, TlsEndpointResult
from socaudit.tls.engine import TlsOptions, TlsTarget, assess
from socaudit.tls.probes import registry

pytestmark = pytest.mark.integration
PROBE_BUDGET = sum(p.budget for p in registry.select())


@pytest.fixture(scope="module")
def results(lab: Any) -> dict[str, TlsEndpointResult]:
    """Every TLS endpoint of the lab, assessed once in one concurrent run."""
    by_label: dict[str, str] = {}
    targets = []
    for endpoint in lab.endpoints:
        if endpoint.kind != "tls" or endpoint.port != 8443:
            continue
        host = f"{endpoint.name}.lab.socaudit.test"
        targets.append(TlsTarget(host, ip_address(endpoint.address), endpoint.port))
        by_label[f"{host}:{endpoint.port}"] = endpoint.name
    options = TlsOptions(timeout=5.0, ca_files=(lab.ca_bundle,), http=False)
    return {by_label[r.target]: r for r in assess(targets, options)}


def cert(results: dict[str, TlsEndpointResult], name: str) -> CertificateFacts:
    facts = results[name].certificate
    assert facts is not None, f"{name}: no certificate facts"
    return facts


def test_every_endpoint_completes(results: dict[str, TlsEndpointResult]) -> None:
    assert len(results) >= 12  # the twelve nginx targets, plus the probe and revocation ones
    assert {n: r.status for n, r in results.items()} == dict.fromkeys(
        results, AttemptStatus.COMPLETED
    )


def test_good_endpoint(results: dict[str, TlsEndpointResult]) -> None:
    good = results["tls-good"]
    assert good.protocols == ("TLSv1.2", "TLSv1.3")
    assert all(
        "ECDHE" in s and ("GCM" in s or "CHACHA20" in s) for s in good.cipher_suites["TLSv1.2"]
    )
    assert len(good.cipher_suites["TLSv1.3"]) == 3
    assert "x25519" in good.key_exchange.ecdhe_groups
    facts = cert(results, "tls-good")
    assert facts.chain_trusted and facts.chain_complete and facts.hostname_match
    assert (facts.key_type, facts.key_size, facts.signature_hash) == ("RSA", 2048, "sha256")


def test_legacy_protocols(results: dict[str, TlsEndpointResult]) -> None:
    assert {"TLSv1.0", "TLSv1.1"} <= set(results["tls-legacy"].protocols)
    assert results["tls-legacy"].cipher_suites["TLSv1.0"]


def test_null_and_anonymous_suites(results: dict[str, TlsEndpointResult]) -> None:
    suites = {s for group in results["tls-null-anon"].cipher_suites.values() for s in group}
    assert any("_WITH_NULL_" in s for s in suites)
    assert any("_anon_" in s for s in suites)


def test_dhe_1024(results: dict[str, TlsEndpointResult]) -> None:
    dhe = results["tls-dhe1024"]
    assert dhe.key_exchange.dhe_min_bits == 1024
    assert all(s.startswith("TLS_DHE_") for g in dhe.cipher_suites.values() for s in g)


def test_no_forward_secrecy(results: dict[str, TlsEndpointResult]) -> None:
    suites = [s for g in results["tls-nofs"].cipher_suites.values() for s in g]
    assert suites and all(s.startswith("TLS_RSA_WITH_") for s in suites)


def test_certificate_weaknesses(results: dict[str, TlsEndpointResult]) -> None:
    assert cert(results, "tls-expired").expired
    assert cert(results, "tls-notyet").not_yet_valid
    assert cert(results, "tls-selfsigned").self_signed
    assert cert(results, "tls-rsa1024").key_size == 1024
    assert cert(results, "tls-sha1").signature_hash == "sha1"
    assert cert(results, "tls-mismatch").hostname_match is False
    assert cert(results, "tls-nochain").chain_complete is False


def test_handshakes_stay_near_accepted_suites(results: dict[str, TlsEndpointResult]) -> None:
    for name, result in results.items():
        accepted = sum(len(s) for s in result.cipher_suites.values())
        groups = len(result.key_exchange.ecdhe_groups) + len(result.key_exchange.ffdhe_groups)
        budget = 6 + accepted + len(result.protocols) + groups + 2  # 6 probes incl. SSLv2
        budget += PROBE_BUDGET  # the vulnerability probes, each within its own budget
        assert result.handshakes <= budget, name


@pytest.fixture(scope="module")
def tls13_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """``openssl s_server`` speaking TLS 1.3 only on 127.0.20.50 (its chain is encrypted)."""
    folder = tmp_path_factory.mktemp("tls13")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "only13.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=10))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("only13.test")]), False)
        .sign(key, hashes.SHA256())
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    )
    with socket.socket() as probe:
        probe.bind(("127.0.20.50", 0))
        port = probe.getsockname()[1]
    argv = ["openssl", "s_server", "-accept", f"127.0.20.50:{port}", "-tls1_3", "-www"]
    argv += ["-cert", str(folder / "cert.pem"), "-key", str(folder / "key.pem")]
    server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30  # openssl starts slowly on a loaded machine
        while not _accepts("127.0.20.50", port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"openssl s_server is not listening ({server.poll()})")
            time.sleep(0.05)
        yield "127.0.20.50", port
    finally:
        server.terminate()
        server.wait(timeout=5)


def _accepts(address: str, port: int) -> bool:
    with socket.socket() as client:
        return client.connect_ex((address, port)) == 0


def test_tls13_only_server_chain_comes_from_openssl(tls13_only: tuple[str, int]) -> None:
    address, port = tls13_only
    target = TlsTarget("only13.test", ip_address(address), port)
    options = TlsOptions(timeout=5.0, max_connections_per_host=1, http=False)
    (result,) = assess([target], options)
    assert result.status is AttemptStatus.COMPLETED, result.error
    assert result.protocols == ("TLSv1.3",)
    assert result.certificate is not None
    assert result.certificate.subject == "CN=only13.test"
    assert result.certificate.hostname_match is True


def test_hsts_is_read_through_the_resolved_address(lab: Any) -> None:
    good = lab.endpoint("tls-good")
    target = TlsTarget("tls-good.lab.socaudit.test", ip_address(good.address), good.port)
    (result,) = assess([target], TlsOptions(ca_files=(lab.ca_bundle,)))
    assert result.hsts is not None and result.hsts.present
    assert result.hsts.max_age == 63072000 and result.hsts.include_subdomains
    assert result.grade is not None and result.grade.letter == "A+"
    assert not [f for f in result.findings if f.severity in ("critical", "high", "medium")]
