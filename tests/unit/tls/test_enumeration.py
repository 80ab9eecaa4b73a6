"""Enumeration against a scripted TLS server: what the lab's OpenSSL cannot serve
(SSLv3, RC4, 3DES, EXPORT), plus group enumeration through HelloRetryRequest."""

from __future__ import annotations

import datetime as dt
from ipaddress import ip_address

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.tls import TlsEndpointResult
from socaudit.tls.engine import TlsOptions, TlsTarget, assess
from tls.fakeserver import Persona, serve

ADDRESS = "127.0.20.31"
NOW = dt.datetime.now(dt.UTC)


def self_signed(name: str) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(Encoding.DER)


def run(persona: Persona, address: str = ADDRESS, **options: object) -> TlsEndpointResult:
    with serve(address, persona) as port:
        target = TlsTarget("legacy.test", ip_address(address), port)
        opts = TlsOptions(timeout=2.0, http=False, as_of=NOW, probes=(), **options)  # type: ignore[arg-type]
        (result,) = assess([target], opts)
    return result


@pytest.fixture(scope="module")
def legacy() -> tuple[Persona, TlsEndpointResult]:
    persona = Persona(
        suites={
            0x0300: (0x0005, 0x000A, 0x0003),
            0x0301: (0x0005, 0x000A, 0x0014, 0x002F),
            0x0303: (0xC02F, 0x009E, 0x002F),
        },
        kx_of={0x0014: "DHE", 0x009E: "DHE", 0xC02F: "ECDHE"},
        dh_bits=1024,
        groups=(0x0017, 0x0018),
        chain=(self_signed("legacy.test"),),
    )
    return persona, run(persona)


def test_legacy_versions_are_reported_ascending(legacy: tuple[Persona, TlsEndpointResult]) -> None:
    _, result = legacy
    assert result.status is AttemptStatus.COMPLETED
    assert result.protocols == ("SSLv3", "TLSv1.0", "TLSv1.2")


def test_rc4_3des_and_export_suites_are_named(legacy: tuple[Persona, TlsEndpointResult]) -> None:
    _, result = legacy
    assert result.cipher_suites["SSLv3"] == (
        "TLS_RSA_WITH_RC4_128_SHA",
        "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
    )
    assert result.cipher_suites["TLSv1.0"] == (
        "TLS_RSA_WITH_RC4_128_SHA",
        "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA",
        "TLS_RSA_WITH_AES_128_CBC_SHA",
    )
    assert set(result.cipher_suites["TLSv1.2"]) == {
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_RSA_WITH_AES_128_CBC_SHA",
    }


def test_dh_size_groups_and_certificate(legacy: tuple[Persona, TlsEndpointResult]) -> None:
    _, result = legacy
    assert result.key_exchange.dhe_min_bits == 1024
    assert result.key_exchange.ecdhe_groups == ("secp256r1", "secp384r1")
    assert result.certificate is not None
    assert result.certificate.self_signed and result.certificate.hostname_match


def test_handshake_count_is_accepted_plus_a_few(legacy: tuple[Persona, TlsEndpointResult]) -> None:
    persona, result = legacy
    accepted = sum(len(s) for s in result.cipher_suites.values())
    versions, groups = 6, len(result.key_exchange.ecdhe_groups)
    # one probe per version (SSLv2 too), one refusal per accepted version, groups + one refusal
    assert result.handshakes == versions + accepted + groups + 1
    assert len(persona.seen) == result.handshakes - 1  # the SSLv2 hello is not parsed


def test_tls13_groups_found_through_hello_retry_including_hybrid_pq() -> None:
    persona = Persona(
        suites={0x0304: (0x1302, 0x1301), 0x0303: (0xC030,)},
        kx_of={0xC030: "ECDHE"},
        groups=(0x11EC, 0x001D, 0x0017),
        chain=(self_signed("legacy.test"),),
    )
    result = run(persona)
    assert result.protocols == ("TLSv1.2", "TLSv1.3")
    assert result.cipher_suites["TLSv1.3"] == ("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256")
    assert result.key_exchange.ecdhe_groups == ("X25519MLKEM768", "x25519", "secp256r1")
    retries = [h for h in persona.seen if 0x0304 in h.supported_versions and not h.key_shares]
    assert retries, "groups without x25519 must be offered without a key share"


def test_one_connection_per_host_still_completes() -> None:
    persona = Persona(suites={0x0303: (0x002F, 0x0035)}, chain=(self_signed("legacy.test"),))
    result = run(persona, max_connections_per_host=1)
    assert result.cipher_suites == {
        "TLSv1.2": ("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA")
    }


def test_ipv6_loopback_endpoint() -> None:
    persona = Persona(suites={0x0303: (0x009C,)}, chain=(self_signed("legacy.test"),))
    result = run(persona, address="::1")
    assert result.target.startswith("legacy.test:")
    assert result.cipher_suites == {"TLSv1.2": ("TLS_RSA_WITH_AES_128_GCM_SHA256",)}


def test_server_dropping_large_hellos_is_enumerated_in_chunks() -> None:
    persona = Persona(
        suites={0x0303: (0xC02F, 0x002F), 0x0301: (0x002F,)},
        kx_of={0xC02F: "ECDHE"},
        chain=(self_signed("legacy.test"),),
        max_suites=200,
    )
    result = run(persona)
    assert result.status is AttemptStatus.COMPLETED
    assert result.protocols == ("TLSv1.0", "TLSv1.2")
    assert set(result.cipher_suites["TLSv1.2"]) == {
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_RSA_WITH_AES_128_CBC_SHA",
    }
    dropped = [h for h in persona.seen if len(h.suites) > 200]
    assert len(dropped) == 1, "only the first TLS 1.2 probe may be too large"


def test_sslv2_server_hello_lists_its_cipher_kinds() -> None:
    persona = Persona(
        suites={0x0300: (0x0005,)}, ssl2=(0x010080, 0x0700C0), chain=(self_signed("legacy.test"),)
    )
    result = run(persona)
    assert result.protocols == ("SSLv2", "SSLv3")
    assert result.cipher_suites["SSLv2"] == (
        "SSL_CK_RC4_128_WITH_MD5",
        "SSL_CK_DES_192_EDE3_CBC_WITH_MD5",
    )
