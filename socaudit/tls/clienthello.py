"""Hand-built ClientHello records (SSLv3 … TLS 1.3), independent of the local OpenSSL."""

from __future__ import annotations

import ipaddress
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from socaudit.tls.suites import FFDHE_GROUPS, GROUPS, SCSV_RENEGOTIATION, X25519
from socaudit.tls.versions import TlsVersion

MAX_SUITES = (2**16 - 2) // 2 - 1
"""Most suites one ClientHello can carry (one slot is kept for the SSLv3 renegotiation SCSV)."""

SIGNATURE_ALGORITHMS: tuple[int, ...] = (
    0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806,
    0x0809, 0x080A, 0x080B, 0x0401, 0x0501, 0x0601, 0x0303, 0x0301,
    0x0302, 0x0402, 0x0502, 0x0602, 0x0203, 0x0201, 0x0202, 0x0101,
)  # fmt: skip
"""Broad on purpose: modern schemes first, then SHA-224/SHA-1/MD5 for old servers."""

_PQ_GROUPS = frozenset(code for code in GROUPS if code >= 0x0200 and code not in FFDHE_GROUPS)
TLS12_GROUPS: tuple[int, ...] = tuple(
    code for code in GROUPS if code not in FFDHE_GROUPS and code not in _PQ_GROUPS
)
"""Elliptic curves usable with TLS ≤ 1.2 ECDHE (FFDHE left out so servers use their DH params)."""
TLS13_GROUPS: tuple[int, ...] = tuple(GROUPS)


@dataclass(frozen=True, slots=True)
class HelloSpec:
    """What one ClientHello offers."""

    version: TlsVersion
    suites: tuple[int, ...]
    sni: str | None = None
    groups: tuple[int, ...] | None = None
    """None: every group valid for ``version``."""
    compression: tuple[int, ...] = (0,)
    """Compression methods offered (0 = null; 1 = DEFLATE, for the CRIME probe)."""
    extra_extensions: tuple[tuple[int, bytes], ...] = ()
    """(type, data) extensions appended after the standard ones (probes add heartbeat …)."""


def build_client_hello(spec: HelloSpec) -> bytes:
    """The complete TLS record carrying a ClientHello for ``spec``."""
    if not spec.suites or len(spec.suites) > MAX_SUITES:
        raise ValueError(f"a ClientHello carries 1..{MAX_SUITES} suites, got {len(spec.suites)}")
    tls13 = spec.version is TlsVersion.TLS13
    ssl3 = spec.version is TlsVersion.SSL3
    legacy = TlsVersion.TLS12 if tls13 else spec.version
    # RFC 5746: the SCSV where extensions cannot be sent, the extension everywhere else.
    suites = (*spec.suites, SCSV_RENEGOTIATION) if ssl3 else spec.suites
    head = b"".join(
        (
            struct.pack("!H", legacy),
            os.urandom(32),
            _vec8(os.urandom(32) if tls13 else b""),
            _vec16(b"".join(struct.pack("!H", s) for s in suites)),
            _vec8(bytes(spec.compression)),
        )
    )
    body = head if ssl3 else head + _vec16(_padded(len(head), _extensions(spec)))
    handshake = b"\x01" + len(body).to_bytes(3, "big") + body
    record_version = TlsVersion.SSL3 if ssl3 else TlsVersion.TLS10
    return struct.pack("!BHH", 0x16, record_version, len(handshake)) + handshake


def _padded(head_length: int, extensions: bytes) -> bytes:
    """Add an RFC 7685 padding extension when the hello would be 256..511 bytes long
    (some server stacks hang on that size; browsers pad for the same reason)."""
    length = 4 + head_length + 2 + len(extensions)
    if not 0x100 <= length < 0x200:
        return extensions
    return extensions + _ext(21, bytes(max(0, 0x200 - length - 4)))


def _extensions(spec: HelloSpec) -> bytes:
    tls13 = spec.version is TlsVersion.TLS13
    groups = spec.groups if spec.groups is not None else _default_groups(spec.version)
    parts = [_sni(spec.sni)] if _is_dns_name(spec.sni) else []
    if groups:
        parts.append(_ext(10, _vec16(_u16s(groups))))
    parts += [_ext(11, _vec8(b"\x00\x01\x02")), _ext(23, b""), _ext(0xFF01, b"\x00")]
    if spec.version >= TlsVersion.TLS12:
        parts.append(_ext(13, _vec16(_u16s(SIGNATURE_ALGORITHMS))))
    if tls13:
        parts += [
            _ext(43, _vec8(struct.pack("!H", TlsVersion.TLS13))),
            _ext(45, _vec8(b"\x01")),
            _ext(51, _vec16(_key_shares(groups))),
        ]
    parts += [_ext(kind, data) for kind, data in spec.extra_extensions]
    return b"".join(parts)


def _default_groups(version: TlsVersion) -> tuple[int, ...]:
    return TLS13_GROUPS if version is TlsVersion.TLS13 else TLS12_GROUPS


def _key_shares(groups: Sequence[int]) -> bytes:
    """A real x25519 share when x25519 is offered; otherwise none (the server asks by HRR)."""
    if X25519 not in groups:
        return b""
    public = X25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return struct.pack("!H", X25519) + _vec16(public)


def _sni(name: str | None) -> bytes:
    encoded = (name or "").encode("idna")
    return _ext(0, _vec16(b"\x00" + _vec16(encoded)))


def _is_dns_name(name: str | None) -> bool:
    """SNI carries DNS names only, never IP literals (RFC 6066 §3)."""
    if not name:
        return False
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return True
    return False


def _ext(kind: int, data: bytes) -> bytes:
    return struct.pack("!HH", kind, len(data)) + data


def _u16s(values: Sequence[int]) -> bytes:
    return b"".join(struct.pack("!H", v) for v in values)


def _vec8(data: bytes) -> bytes:
    return bytes([len(data)]) + data


def _vec16(data: bytes) -> bytes:
    return struct.pack("!H", len(data)) + data
