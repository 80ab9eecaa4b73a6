"""The lab against real clients: openssl s_client handshakes, served certificates, banners."""

from __future__ import annotations

import datetime as dt
import re
import socket
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from socaudit.lab.api import Endpoint, LabInfo

pytestmark = pytest.mark.integration

LEGACY = ("tls-legacy", "tls-rsa1024", "tls-sha1", "tls-dhe1024", "tls-nofs")
TLS_NAMES = (
    "tls-good", "tls-legacy", "tls-expired", "tls-notyet", "tls-selfsigned", "tls-rsa1024",
    "tls-sha1", "tls-mismatch", "tls-nochain", "tls-null-anon", "tls-dhe1024", "tls-nofs",
)  # fmt: skip


def s_client(lab: LabInfo, ep: Endpoint, *extra: str) -> str:
    """One real handshake with ``openssl s_client``; returns its combined output."""
    argv = [
        "openssl",
        "s_client",
        "-connect",
        f"{ep.address}:{ep.port}",
        "-servername",
        ep.hostname,
        "-CAfile",
        str(lab.ca_bundle),
        "-showcerts",
        *extra,
    ]
    done = subprocess.run(argv, input=b"", capture_output=True, timeout=10, check=False)
    return (done.stdout + done.stderr).decode(errors="replace")


def served_certs(output: str) -> list[x509.Certificate]:
    blocks = re.findall(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", output, re.S)
    return [x509.load_pem_x509_certificate(b.encode()) for b in blocks]


def test_status_lists_the_whole_address_plan_up(lab: LabInfo) -> None:
    assert [e.name for e in lab.endpoints if e.kind == "tls"] == list(TLS_NAMES)
    assert all(e.up for e in lab.endpoints)
    assert lab.ca_bundle.is_file()
    assert lab.endpoint("tls-good").address == "127.0.10.10"


@pytest.mark.parametrize("name", TLS_NAMES)
def test_every_tls_target_completes_a_real_handshake(lab: LabInfo, name: str) -> None:
    extra = ["-cipher", "DEFAULT:@SECLEVEL=0"] if name in LEGACY else []
    if name == "tls-null-anon":
        extra = ["-cipher", "aNULL:eNULL:@SECLEVEL=0"]
    out = s_client(lab, lab.endpoint(name), *extra)
    assert re.search(r"New, TLSv1\.[0-3], Cipher is (?!\(NONE\))", out), out


def test_good_target_verifies_against_the_lab_ca_with_tls13(lab: LabInfo) -> None:
    out = s_client(lab, lab.endpoint("tls-good"))
    assert "Verify return code: 0 (ok)" in out
    assert "TLSv1.3" in out
    certs = served_certs(out)
    assert len(certs) == 2  # leaf + intermediate
    assert isinstance(certs[0].public_key(), rsa.RSAPublicKey)
    assert certs[0].public_key().key_size == 2048  # type: ignore[union-attr]


def test_legacy_target_speaks_tls10(lab: LabInfo) -> None:
    out = s_client(lab, lab.endpoint("tls-legacy"), "-tls1", "-cipher", "DEFAULT:@SECLEVEL=0")
    assert "Protocol  : TLSv1\n" in out


def test_good_target_refuses_tls10(lab: LabInfo) -> None:
    out = s_client(lab, lab.endpoint("tls-good"), "-tls1", "-cipher", "DEFAULT:@SECLEVEL=0")
    assert "Cipher is (NONE)" in out or "alert" in out


def test_certificate_facts_match_the_plan(lab: LabInfo) -> None:
    now = dt.datetime.now(dt.UTC)
    low = ("-cipher", "DEFAULT:@SECLEVEL=0")
    leaf = {n: served_certs(s_client(lab, lab.endpoint(n), *low))[0] for n in TLS_NAMES[:9]}
    assert leaf["tls-expired"].not_valid_after_utc < now
    assert leaf["tls-notyet"].not_valid_before_utc > now
    assert leaf["tls-selfsigned"].issuer == leaf["tls-selfsigned"].subject
    assert leaf["tls-rsa1024"].public_key().key_size == 1024  # type: ignore[union-attr]
    assert leaf["tls-sha1"].signature_hash_algorithm.name == "sha1"  # type: ignore[union-attr]
    san = leaf["tls-mismatch"].extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert san.value.get_values_for_type(x509.DNSName) == ["other-name.example.test"]


def test_nochain_serves_only_the_leaf(lab: LabInfo) -> None:
    out = s_client(lab, lab.endpoint("tls-nochain"))
    assert len(served_certs(out)) == 1
    assert "unable to get local issuer certificate" in out


def test_dhe1024_uses_1024_bit_dh_and_nofs_uses_rsa_kx(lab: LabInfo) -> None:
    dhe = s_client(lab, lab.endpoint("tls-dhe1024"), "-cipher", "DEFAULT:@SECLEVEL=0")
    assert "Server Temp Key: DH, 1024 bits" in dhe
    nofs = s_client(lab, lab.endpoint("tls-nofs"))
    assert "Server Temp Key" not in nofs
    assert re.search(r"Cipher is AES\d+-", nofs)


def test_null_anon_negotiates_anonymous_and_null_suites(lab: LabInfo) -> None:
    ep = lab.endpoint("tls-null-anon")
    assert re.search(r"Cipher is A(EC)?DH-", s_client(lab, ep, "-cipher", "aNULL:@SECLEVEL=0"))
    assert "NULL-SHA" in s_client(lab, ep, "-cipher", "eNULL:@SECLEVEL=0")


def banner(ep: Endpoint, size: int = 200) -> bytes:
    with socket.create_connection((ep.address, ep.port), timeout=5) as sock:
        sock.settimeout(5)
        return sock.recv(size)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ssh-weak", b"SSH-2.0-OpenSSH_"),
        ("ssh-modern", b"SSH-2.0-OpenSSH_"),
        ("telnet-admin", b"\xff\xfd\x18\xff\xfd"),
        ("ftp-anon", b"220 ProFTPD"),
        ("smtp-plain", b"220 smtp-plain.lab.socaudit.test ESMTP"),
        ("db-exposed", b"\x0a5.7.44"),
    ],
)
def test_plain_banners(lab: LabInfo, name: str, expected: bytes) -> None:
    assert expected in banner(lab.endpoint(name))


def test_telnet_prompts_for_a_clear_text_login(lab: LabInfo) -> None:
    ep = lab.endpoint("telnet-admin")
    with socket.create_connection((ep.address, ep.port), timeout=5) as sock:
        sock.settimeout(5)
        sock.recv(64)
        sock.sendall(b"\xff\xfc\x18")  # IAC WONT TTYPE
        assert b"login: " in sock.recv(200)
