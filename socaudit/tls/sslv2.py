"""SSL 2.0: one CLIENT-HELLO; a SERVER-HELLO lists every SSLv2 cipher kind the server shares.

A server that does not speak SSL 2.0 answers with a TLS alert, closes, resets or waits; all of
those mean "not supported" (never an endpoint error: this probe is a courtesy for old systems).
"""

from __future__ import annotations

import os
import struct

from socaudit.tls.errors import ProbeFailure
from socaudit.tls.handshake import Prober
from socaudit.tls.records import RecordReader

CIPHER_KINDS: dict[int, str] = {
    0x010080: "SSL_CK_RC4_128_WITH_MD5",
    0x020080: "SSL_CK_RC4_128_EXPORT40_WITH_MD5",
    0x030080: "SSL_CK_RC2_128_CBC_WITH_MD5",
    0x040080: "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5",
    0x050080: "SSL_CK_IDEA_128_CBC_WITH_MD5",
    0x060040: "SSL_CK_DES_64_CBC_WITH_MD5",
    0x0700C0: "SSL_CK_DES_192_EDE3_CBC_WITH_MD5",
}
SERVER_HELLO = 4


def client_hello() -> bytes:
    """An SSL 2.0 CLIENT-HELLO offering every cipher kind (2-byte record header)."""
    specs = b"".join(code.to_bytes(3, "big") for code in CIPHER_KINDS)
    challenge = os.urandom(16)
    body = struct.pack("!BHHHH", 1, 0x0002, len(specs), 0, len(challenge)) + specs + challenge
    return struct.pack("!H", 0x8000 | len(body)) + body


def parse_server_hello(data: bytes) -> tuple[str, ...] | None:
    """Cipher kind names from an SSL 2.0 SERVER-HELLO; None if ``data`` is not one."""
    if len(data) < 13 or not data[0] & 0x80 or data[2] != SERVER_HELLO:
        return None
    version, cert_len, specs_len = struct.unpack("!HHH", data[5:11])
    if version != 0x0002 or specs_len % 3 or 13 + cert_len + specs_len > len(data):
        return None
    specs = data[13 + cert_len : 13 + cert_len + specs_len]
    codes = [int.from_bytes(specs[i : i + 3], "big") for i in range(0, len(specs), 3)]
    return tuple(CIPHER_KINDS.get(c, f"SSL_CK_UNKNOWN_0x{c:06X}") for c in codes)


def read_message(reader: RecordReader) -> bytes:
    """One SSL 2.0 record with a 2-byte header, or whatever else came first (then unparsed)."""
    header = reader.read_exact(2, allow_eof=True)
    if header is None or not header[0] & 0x80:
        return header or b""
    body = reader.read_exact(((header[0] & 0x7F) << 8) | header[1], allow_eof=False)
    return header + (body or b"")


def probe(prober: Prober) -> tuple[str, ...] | None:
    """The SSLv2 cipher kinds the server accepts, or None if it does not speak SSL 2.0."""
    try:
        return parse_server_hello(prober.exchange(client_hello(), read_message))
    except ProbeFailure:
        return None
