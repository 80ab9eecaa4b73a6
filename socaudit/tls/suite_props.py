"""Properties of a cipher suite read from its IANA name alone (no registry lookup needed).

``TLS_<key exchange>_WITH_<cipher>_<mac>`` for TLS <= 1.2 and ``TLS_<cipher>_<hash>`` for
TLS 1.3. Unknown parts give ``"unknown"`` / ``None`` instead of an exception.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

Mode = Literal["aead", "cbc", "stream", "ctr", "none", "unknown"]

# (name prefix after _WITH_, cipher, effective bits, mode); longer prefixes first on overlap.
_CIPHERS: tuple[tuple[str, str, int, Mode], ...] = (
    ("NULL", "NULL", 0, "none"),
    ("RC4_40", "RC4", 40, "stream"),
    ("RC4_56", "RC4", 56, "stream"),
    ("RC4_64", "RC4", 64, "stream"),
    ("RC4_128", "RC4", 128, "stream"),
    ("RC2_CBC_40", "RC2", 40, "cbc"),
    ("RC2_CBC_56", "RC2", 56, "cbc"),
    ("RC2_CBC_128", "RC2", 128, "cbc"),
    ("RC2_56", "RC2", 56, "cbc"),
    ("DES40_CBC", "DES", 40, "cbc"),
    ("DES_CBC_40", "DES", 40, "cbc"),
    ("DES_CBC", "DES", 56, "cbc"),
    ("3DES_EDE_CBC", "3DES", 112, "cbc"),
    ("IDEA_CBC", "IDEA", 128, "cbc"),
    ("SEED_CBC", "SEED", 128, "cbc"),
    ("AES_128_CBC", "AES", 128, "cbc"),
    ("AES_256_CBC", "AES", 256, "cbc"),
    ("AES_128_GCM", "AES", 128, "aead"),
    ("AES_256_GCM", "AES", 256, "aead"),
    ("AES_128_CCM", "AES", 128, "aead"),
    ("AES_256_CCM", "AES", 256, "aead"),
    ("CAMELLIA_128_CBC", "CAMELLIA", 128, "cbc"),
    ("CAMELLIA_256_CBC", "CAMELLIA", 256, "cbc"),
    ("CAMELLIA_128_GCM", "CAMELLIA", 128, "aead"),
    ("CAMELLIA_256_GCM", "CAMELLIA", 256, "aead"),
    ("ARIA_128_CBC", "ARIA", 128, "cbc"),
    ("ARIA_256_CBC", "ARIA", 256, "cbc"),
    ("ARIA_128_GCM", "ARIA", 128, "aead"),
    ("ARIA_256_GCM", "ARIA", 256, "aead"),
    ("CHACHA20_POLY1305", "CHACHA20", 256, "aead"),
    ("SM4_GCM", "SM4", 128, "aead"),
    ("SM4_CCM", "SM4", 128, "aead"),
    ("KUZNYECHIK_MGM", "KUZNYECHIK", 256, "aead"),
    ("MAGMA_MGM", "MAGMA", 256, "aead"),
    ("KUZNYECHIK_CTR", "KUZNYECHIK", 256, "ctr"),
    ("MAGMA_CTR", "MAGMA", 256, "ctr"),
    ("28147_CNT", "GOST89", 256, "stream"),
)
"""Bits are effective strength: 3DES counts 112 (meet-in-the-middle), EXPORT 40/56."""

_BLOCK64 = frozenset({"DES", "3DES", "IDEA", "RC2", "MAGMA"})
_TLS13_INTEGRITY_ONLY = frozenset({"TLS_SHA256_SHA256", "TLS_SHA384_SHA384"})

# Key-exchange token (before _WITH_, prefix stripped) -> (key exchange, authentication).
_KX: dict[str, tuple[str, str]] = {
    "NULL": ("NULL", "NULL"),
    "RSA": ("RSA", "RSA"),
    "RSA_FIPS": ("RSA", "RSA"),
    "DH_DSS": ("DH", "DSS"),
    "DH_RSA": ("DH", "RSA"),
    "DHE_DSS": ("DHE", "DSS"),
    "DHE_RSA": ("DHE", "RSA"),
    "DH_anon": ("DHE", "anon"),
    "ECDH_ECDSA": ("ECDH", "ECDSA"),
    "ECDH_RSA": ("ECDH", "RSA"),
    "ECDHE_ECDSA": ("ECDHE", "ECDSA"),
    "ECDHE_RSA": ("ECDHE", "RSA"),
    "ECDH_anon": ("ECDHE", "anon"),
    "PSK": ("PSK", "PSK"),
    "DHE_PSK": ("DHE_PSK", "PSK"),
    "PSK_DHE": ("DHE_PSK", "PSK"),
    "RSA_PSK": ("RSA_PSK", "RSA"),
    "ECDHE_PSK": ("ECDHE_PSK", "PSK"),
    "KRB5": ("KRB5", "KRB5"),
    "SRP_SHA": ("SRP", "SRP"),
    "SRP_SHA_RSA": ("SRP", "RSA"),
    "SRP_SHA_DSS": ("SRP", "DSS"),
    "ECCPWD": ("ECCPWD", "ECCPWD"),
    "CECPQ1_RSA": ("CECPQ1", "RSA"),
    "CECPQ1_ECDSA": ("CECPQ1", "ECDSA"),
    "GOSTR341094": ("GOST", "GOST"),
    "GOSTR341001": ("GOST", "GOST"),
    "GOSTR341094_RSA": ("GOST", "RSA"),
    "GOSTR341112_256": ("GOST", "GOST"),
}
# SSL 2.0 "cipher kinds": name -> (cipher, bits, mode, export); key exchange is always RSA.
_SSL2: dict[str, tuple[str, int, Mode, bool]] = {
    "SSL_CK_RC4_128_WITH_MD5": ("RC4", 128, "stream", False),
    "SSL_CK_RC4_128_EXPORT40_WITH_MD5": ("RC4", 40, "stream", True),
    "SSL_CK_RC2_128_CBC_WITH_MD5": ("RC2", 128, "cbc", False),
    "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5": ("RC2", 40, "cbc", True),
    "SSL_CK_IDEA_128_CBC_WITH_MD5": ("IDEA", 128, "cbc", False),
    "SSL_CK_DES_64_CBC_WITH_MD5": ("DES", 56, "cbc", False),
    "SSL_CK_DES_192_EDE3_CBC_WITH_MD5": ("3DES", 112, "cbc", False),
}
_EPHEMERAL = frozenset({"DHE", "ECDHE", "DHE_PSK", "ECDHE_PSK", "CECPQ1", "TLS1.3"})
_EXPORT_TAGS = ("_EXPORT1024", "_EXPORT")


@dataclass(frozen=True, slots=True)
class SuiteProps:
    """What a suite's name tells: key exchange, authentication, cipher, strength and mode."""

    name: str
    key_exchange: str
    """RSA (static) | DH | DHE | ECDH | ECDHE | PSK | DHE_PSK | RSA_PSK | ECDHE_PSK | SRP | KRB5 |
    GOST | TLS1.3 | NULL | unknown. Anonymous suites are DHE/ECDHE with authentication anon."""
    authentication: str
    cipher: str
    bits: int | None
    """Effective symmetric strength; None when the cipher is unknown."""
    mode: Mode
    mac: str
    forward_secrecy: bool
    """Ephemeral key exchange (anonymous suites count: judge ``anonymous`` separately)."""
    export: bool
    anonymous: bool

    @property
    def aead(self) -> bool:
        return self.mode == "aead"

    @property
    def block_64(self) -> bool:
        """A 64-bit block cipher (SWEET32)."""
        return self.cipher in _BLOCK64


def _cipher_of(rest: str) -> tuple[str, int | None, Mode, str]:
    for prefix, cipher, bits, mode in _CIPHERS:
        if rest == prefix or rest.startswith(prefix + "_"):
            mac = "AEAD" if mode == "aead" else (rest[len(prefix) + 1 :] or "NULL")
            return cipher, bits, mode, mac
    return "unknown", None, "unknown", "unknown"


def _split_kx(kx_token: str) -> tuple[str, bool]:
    for tag in _EXPORT_TAGS:
        if kx_token.endswith(tag):
            return kx_token[: -len(tag)], True
    return kx_token, False


def _tls13(name: str, body: str) -> SuiteProps:
    cipher: str
    bits: int | None
    mode: Mode
    if name in _TLS13_INTEGRITY_ONLY:
        cipher, bits, mode, mac = "NULL", 0, "none", body.split("_", 1)[0]
    else:
        cipher, bits, mode, mac = _cipher_of(body)
    kx = "TLS1.3" if bits is not None else "unknown"
    return SuiteProps(name, kx, kx, cipher, bits, mode, mac, bits is not None, False, False)


@functools.lru_cache(maxsize=1024)
def suite_props(name: str) -> SuiteProps:
    """Properties of the suite called ``name`` (IANA spelling, ``TLS_`` or ``SSL_`` prefix)."""
    if name in _SSL2:
        cipher2, bits2, mode2, export2 = _SSL2[name]
        return SuiteProps(name, "RSA", "RSA", cipher2, bits2, mode2, "MD5", False, export2, False)
    body = name.removeprefix("TLS_").removeprefix("SSL_")
    if "_WITH_" not in body:
        return _tls13(name, body)
    kx_token, rest = body.split("_WITH_", 1)
    kx_token, export = _split_kx(kx_token)
    key_exchange, auth = _KX.get(kx_token, ("unknown", "unknown"))
    cipher, bits, mode, mac = _cipher_of(rest)
    return SuiteProps(
        name=name,
        key_exchange=key_exchange,
        authentication=auth,
        cipher=cipher,
        bits=bits,
        mode=mode,
        mac=mac,
        forward_secrecy=key_exchange in _EPHEMERAL,
        export=export,
        anonymous=auth == "anon",
    )
