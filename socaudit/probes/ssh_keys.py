"""SSH public key and certificate blobs (RFC 4253 §6.6, RFC 5656, RFC 8709, OpenSSH
PROTOCOL.certkeys): type, size, fingerprint. Bounded parsing of attacker-sent bytes."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import struct

from socaudit.evidence.ssh import SshCertificate, SshHostKey
from socaudit.probes.ssh_transport import protocol_error

CERT_SUFFIX = "-cert-v01@openssh.com"
MAX_LIST = 64
_CURVE_BITS = {"nistp256": 256, "nistp384": 384, "nistp521": 521}
_FIXED_BITS = {"ssh-ed25519": 256, "ssh-ed448": 456}
_FOREVER = (1 << 64) - 1
_KNOWN = {"ssh-rsa", "ssh-dss", *_FIXED_BITS}


class Cursor:
    """Reads SSH wire types from a byte string; any overrun is a protocol error."""

    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data, self.offset = data, offset

    def take(self, size: int) -> bytes:
        value = self.data[self.offset : self.offset + size]
        if len(value) != size:
            raise protocol_error("truncated key or message")
        self.offset += size
        return value

    def uint32(self) -> int:
        return int(struct.unpack(">I", self.take(4))[0])

    def uint64(self) -> int:
        return int(struct.unpack(">Q", self.take(8))[0])

    def string(self) -> bytes:
        return self.take(self.uint32())

    def mpint(self) -> int:
        return int.from_bytes(self.string(), "big", signed=True)

    def text(self) -> str:
        raw = self.string().decode("utf-8", "replace")
        return "".join(ch if ch.isprintable() else "?" for ch in raw)[:256]


def fingerprint(blob: bytes) -> str:
    """``SHA256:`` + unpadded base64, as ``ssh-keygen -l`` prints it."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def _key_fields(key_type: str, cursor: Cursor) -> int | None:
    """Read the public-key fields of ``key_type``; its size in bits (None if unknown)."""
    if key_type == "ssh-rsa":
        cursor.mpint()  # e
        return cursor.mpint().bit_length()
    if key_type == "ssh-dss":
        p = cursor.mpint()
        for _ in range(3):  # q, g, y
            cursor.mpint()
        return p.bit_length()
    if key_type.startswith("ecdsa-sha2-"):
        curve = cursor.text()
        cursor.string()  # Q
        return _CURVE_BITS.get(curve)
    if key_type in _FIXED_BITS:
        cursor.string()
        return _FIXED_BITS[key_type]
    return None


def key_size(blob: bytes) -> tuple[str, int | None]:
    """(type, bits) of a plain public key blob."""
    cursor = Cursor(blob)
    key_type = cursor.text()
    return key_type, _key_fields(key_type, cursor)


def _when(seconds: int) -> str | None:
    if seconds in (0, _FOREVER):
        return None
    try:
        moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.isoformat().replace("+00:00", "Z")


def _principals(raw: bytes) -> tuple[str, ...]:
    cursor, names = Cursor(raw), list[str]()
    while cursor.offset < len(raw) and len(names) < MAX_LIST:
        names.append(cursor.text())
    return tuple(names)


def _certificate(cert_type: str, cursor: Cursor) -> tuple[str, int | None, SshCertificate]:
    cursor.string()  # nonce
    key_type = cert_type.removesuffix(CERT_SUFFIX)
    if key_type not in _KNOWN and not key_type.startswith("ecdsa-sha2-"):
        raise protocol_error(f"certificate of an unknown key type {key_type[:40]!r}")
    bits = _key_fields(key_type, cursor)
    cursor.uint64()  # serial
    kind = {1: "user", 2: "host"}.get(cursor.uint32())
    key_id, principals = cursor.text(), _principals(cursor.string())
    after, before = cursor.uint64(), cursor.uint64()
    for _ in range(3):  # critical options, extensions, reserved
        cursor.string()
    ca_blob = cursor.string()
    ca_type, ca_bits = key_size(ca_blob)
    cert = SshCertificate.model_validate(
        {
            "cert_type": kind,
            "key_id": key_id,
            "principals": principals,
            "valid_after": _when(after),
            "valid_before": _when(before),
            "ca_key_type": ca_type,
            "ca_bits": ca_bits,
            "ca_fingerprint": fingerprint(ca_blob),
        }
    )
    return key_type, bits, cert


def host_key(blob: bytes, algorithms: tuple[str, ...]) -> SshHostKey:
    """The host key (or certificate) blob of a key-exchange reply, for ``algorithms``."""
    cursor = Cursor(blob)
    blob_type = cursor.text()
    cert = None
    if blob_type.endswith(CERT_SUFFIX):
        key_type, bits, cert = _certificate(blob_type, cursor)
    else:
        key_type, bits = blob_type, _key_fields(blob_type, cursor)
    return SshHostKey(
        algorithms=algorithms,
        key_type=key_type,
        bits=bits,
        fingerprint=fingerprint(blob),
        certificate=cert,
    )
