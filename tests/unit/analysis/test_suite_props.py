"""suite_props: properties from IANA names, including suites no local OpenSSL can serve."""

from __future__ import annotations

import pytest

from socaudit.tls.suite_props import suite_props


@pytest.mark.parametrize(
    ("name", "kx", "cipher", "bits", "mode", "fs", "export", "anon"),
    [
        ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE", "AES", 128, "aead", True, False, False),
        ("TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "DHE", "AES", 256, "cbc", True, False, False),
        ("TLS_RSA_WITH_AES_128_CBC_SHA", "RSA", "AES", 128, "cbc", False, False, False),
        ("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "RSA", "3DES", 112, "cbc", False, False, False),
        ("TLS_RSA_WITH_RC4_128_SHA", "RSA", "RC4", 128, "stream", False, False, False),
        ("TLS_RSA_EXPORT_WITH_RC4_40_MD5", "RSA", "RC4", 40, "stream", False, True, False),
        ("TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA", "RSA", "DES", 56, "cbc", False, True, False),
        ("TLS_RSA_WITH_DES_CBC_SHA", "RSA", "DES", 56, "cbc", False, False, False),
        ("TLS_RSA_WITH_NULL_SHA256", "RSA", "NULL", 0, "none", False, False, False),
        ("TLS_ECDHE_ECDSA_WITH_NULL_SHA", "ECDHE", "NULL", 0, "none", True, False, False),
        ("TLS_DH_anon_WITH_AES_128_CBC_SHA", "DHE", "AES", 128, "cbc", True, False, True),
        ("TLS_ECDH_anon_WITH_AES_256_CBC_SHA", "ECDHE", "AES", 256, "cbc", True, False, True),
        ("TLS_DH_anon_EXPORT_WITH_RC4_40_MD5", "DHE", "RC4", 40, "stream", True, True, True),
        ("TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", "ECDH", "AES", 128, "cbc", False, False, False),
        ("TLS_PSK_WITH_AES_128_CCM_8", "PSK", "AES", 128, "aead", False, False, False),
        (
            "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA",
            "DHE",
            "CAMELLIA",
            256,
            "cbc",
            True,
            False,
            False,
        ),
        (
            "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256",
            "ECDHE",
            "ARIA",
            128,
            "aead",
            True,
            False,
            False,
        ),
        ("TLS_RSA_WITH_SEED_CBC_SHA", "RSA", "SEED", 128, "cbc", False, False, False),
        ("TLS_RSA_WITH_IDEA_CBC_SHA", "RSA", "IDEA", 128, "cbc", False, False, False),
        ("TLS_AES_256_GCM_SHA384", "TLS1.3", "AES", 256, "aead", True, False, False),
        ("TLS_CHACHA20_POLY1305_SHA256", "TLS1.3", "CHACHA20", 256, "aead", True, False, False),
        ("TLS_AES_128_CCM_8_SHA256", "TLS1.3", "AES", 128, "aead", True, False, False),
        ("TLS_SHA256_SHA256", "TLS1.3", "NULL", 0, "none", True, False, False),
    ],
)
def test_properties(
    name: str, kx: str, cipher: str, bits: int, mode: str, fs: bool, export: bool, anon: bool
) -> None:
    props = suite_props(name)
    assert (props.key_exchange, props.cipher, props.bits, props.mode) == (kx, cipher, bits, mode)
    assert (props.forward_secrecy, props.export, props.anonymous) == (fs, export, anon)


def test_aead_and_block64_flags() -> None:
    assert suite_props("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256").aead
    assert not suite_props("TLS_RSA_WITH_AES_128_CBC_SHA").aead
    assert suite_props("TLS_RSA_WITH_3DES_EDE_CBC_SHA").block_64
    assert not suite_props("TLS_RSA_WITH_AES_128_CBC_SHA").block_64


def test_mac_is_read() -> None:
    assert suite_props("TLS_RSA_WITH_RC4_128_MD5").mac == "MD5"
    assert suite_props("TLS_RSA_WITH_AES_256_CBC_SHA256").mac == "SHA256"
    assert suite_props("TLS_RSA_WITH_AES_128_GCM_SHA256").mac == "AEAD"


@pytest.mark.parametrize("name", ["", "TLS_FALLBACK_SCSV", "garbage_WITH_", "TLS_FOO_WITH_BAR_SHA"])
def test_odd_names_do_not_raise(name: str) -> None:
    props = suite_props(name)
    assert props.bits is None or props.key_exchange == "unknown"


@pytest.mark.parametrize(
    ("name", "cipher", "bits", "export"),
    [
        ("SSL_CK_RC4_128_WITH_MD5", "RC4", 128, False),
        ("SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5", "RC2", 40, True),
        ("SSL_CK_DES_192_EDE3_CBC_WITH_MD5", "3DES", 112, False),
    ],
)
def test_sslv2_cipher_kinds(name: str, cipher: str, bits: int, export: bool) -> None:
    props = suite_props(name)
    assert (props.key_exchange, props.cipher, props.bits, props.export) == (
        "RSA",
        cipher,
        bits,
        export,
    )


def test_every_registered_iana_suite_is_understood() -> None:
    """The enumeration engine's registry and this parser agree on every IANA-named suite."""
    from socaudit.tls.suites import cipher_suites

    for suite in cipher_suites().values():
        if "-" in suite.name or suite.name.endswith("_SCSV"):
            continue  # OpenSSL-only names (GOST) and signalling values
        props = suite_props(suite.name)
        assert props.key_exchange != "unknown", suite.name
        assert props.bits is not None, suite.name
        expected = 112 if props.cipher == "3DES" else suite.bits
        assert props.bits == expected, suite.name
        assert props.export == suite.export, suite.name
