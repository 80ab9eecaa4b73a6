"""Signatures and serials across the served chain (intermediates made by the openssl CLI,
since ``cryptography`` refuses to sign with SHA-1/MD5 or to write non-positive serials)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from analysis.factory import NOW, Issued, Pki, issue, make_pki, rsa_key
from socaudit.evidence.tls import TlsEndpointResult
from socaudit.tls.certificates import analyze_chain
from socaudit.tls.findings import certificate_findings
from socaudit.tls.grading import grade

HOST = "dichvucong.langson.gov.vn"
CA_EXT = (
    "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
    "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
)


def _pem_key(issued: Issued) -> bytes:
    return issued.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def openssl_intermediate(pki: Pki, tmp: Path, *, digest: str, serial: int) -> Issued:
    """A CA certificate for a fresh key, signed by ``pki.root`` with ``digest`` and ``serial``."""
    key = rsa_key()
    sub = Issued(pki.root.cert, key)  # only for the key's PEM
    (tmp / "int.key").write_bytes(_pem_key(sub))
    (tmp / "root.key").write_bytes(_pem_key(pki.root))
    (tmp / "root.pem").write_bytes(pki.root.pem)
    (tmp / "ca.cnf").write_text(CA_EXT)
    run = {"cwd": tmp, "check": True, "capture_output": True}
    subj = "/CN=Weakly Signed Intermediate"
    subprocess.run(
        ["openssl", "req", "-new", "-key", "int.key", "-subj", subj, "-out", "i.csr"], **run
    )  # type: ignore[call-overload]
    subprocess.run(
        ["openssl", "x509", "-req", "-in", "i.csr", "-CA", "root.pem", "-CAkey", "root.key",
         "-set_serial", str(serial), f"-{digest}", "-days", "60", "-extfile", "ca.cnf",
         "-outform", "DER", "-out", "i.der"],
        **run,  # type: ignore[call-overload]
    )  # fmt: skip
    return Issued(x509.load_der_x509_certificate((tmp / "i.der").read_bytes()), key)


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


def _chain(pki: Pki, tmp: Path, digest: str, serial: int = 4242) -> list[bytes]:
    intermediate = openssl_intermediate(pki, tmp, digest=digest, serial=serial)
    leaf = issue(HOST, issuer=intermediate, names=(HOST,))
    return [leaf.der, intermediate.der]


def _result(cert: object) -> TlsEndpointResult:
    return TlsEndpointResult.model_validate(
        {
            "target": f"{HOST}:443",
            "status": "completed",
            "protocols": ["TLSv1.2", "TLSv1.3"],
            "cipher_suites": {
                "TLSv1.2": ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"],
                "TLSv1.3": ["TLS_AES_128_GCM_SHA256"],
            },
            "key_exchange": {"ecdhe_groups": ["x25519"]},
            "certificate": cert,
            "hsts": {"present": True, "max_age": 63072000},
        }
    )


def test_sha1_intermediate_is_reported_with_t(pki: Pki, tmp_path: Path) -> None:
    root = pki.write_root(tmp_path)
    facts = analyze_chain(_chain(pki, tmp_path, "sha1"), HOST, [root], NOW)
    assert facts.signature_hash == "sha256"  # the leaf itself is fine
    assert facts.weakest_signature_hash == "sha1"
    assert facts.weakest_signature_subject == "CN=Weakly Signed Intermediate"
    ids = {f.id: f for f in certificate_findings(facts, NOW)}
    assert "Weakly Signed Intermediate" in ids["tls.cert.weak_signature"].message
    result = grade(_result(facts), as_of=NOW)
    assert result.letter == "T"
    assert any(c.cap == "T" and "SHA-1" in c.reason for c in result.caps)


def test_md5_intermediate_is_weak_not_broken(pki: Pki, tmp_path: Path) -> None:
    root = pki.write_root(tmp_path)
    facts = analyze_chain(_chain(pki, tmp_path, "md5"), HOST, [root], NOW)
    assert facts.chain_complete and facts.chain_trusted
    assert facts.weakest_signature_hash == "md5"
    ids = {f.id: f.severity for f in certificate_findings(facts, NOW)}
    assert ids["tls.cert.weak_signature"] == "critical"
    assert "tls.cert.incomplete_chain" not in ids and "tls.cert.untrusted" not in ids
    result = grade(_result(facts), as_of=NOW)
    assert result.letter == "F"


def test_served_root_self_signature_is_not_judged(pki: Pki, tmp_path: Path) -> None:
    root = pki.write_root(tmp_path)
    leaf = pki.leaf(HOST)
    facts = analyze_chain([leaf.der, pki.intermediate.der, pki.root.der], HOST, [root], NOW)
    assert facts.weakest_signature_hash == "sha256"


def test_non_positive_serial_is_a_finding(pki: Pki, tmp_path: Path) -> None:
    root = pki.write_root(tmp_path)
    facts = analyze_chain(_chain(pki, tmp_path, "sha256", serial=-7), HOST, [root], NOW)
    assert facts.non_positive_serials == ("CN=Weakly Signed Intermediate",)
    ids = {f.id for f in certificate_findings(facts, NOW)}
    assert "tls.cert.serial_not_positive" in ids
