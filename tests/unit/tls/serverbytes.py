"""Independent TLS byte builders and a ClientHello parser for tests (not production code)."""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field

HRR_RANDOM = hashlib.sha256(b"HelloRetryRequest").digest()


def record(content_type: int, payload: bytes, version: int = 0x0303) -> bytes:
    return struct.pack("!BHH", content_type, version, len(payload)) + payload


def handshake(kind: int, body: bytes) -> bytes:
    return bytes([kind]) + len(body).to_bytes(3, "big") + body


def alert(description: int = 40, version: int = 0x0303) -> bytes:
    return record(21, bytes([2, description]), version)


def _ext(kind: int, data: bytes) -> bytes:
    return struct.pack("!HH", kind, len(data)) + data


ext = _ext


def server_hello(
    version: int,
    suite: int,
    *,
    group: int | None = None,
    retry: bool = False,
    compression: int = 0,
    extensions: bytes = b"",
) -> bytes:
    """ServerHello (TLS 1.3 via supported_versions; ``retry`` makes it a HelloRetryRequest)."""
    legacy = 0x0303 if version >= 0x0304 else version
    random = HRR_RANDOM if retry else b"\x11" * 32
    if version >= 0x0304:
        share = struct.pack("!H", group or 0x001D)
        if not retry:
            share += struct.pack("!H", 32) + b"\x22" * 32
        extensions += _ext(43, struct.pack("!H", 0x0304)) + _ext(51, share)
    body = struct.pack("!H", legacy) + random + b"\x00" + struct.pack("!HB", suite, compression)
    if extensions:
        body += struct.pack("!H", len(extensions)) + extensions
    return handshake(2, body)


def certificate(chain: tuple[bytes, ...]) -> bytes:
    items = b"".join(len(c).to_bytes(3, "big") + c for c in chain)
    return handshake(11, len(items).to_bytes(3, "big") + items)


def ske_dhe(bits: int) -> bytes:
    prime = ((1 << (bits - 1)) | 1).to_bytes((bits + 7) // 8, "big")
    body = struct.pack("!H", len(prime)) + prime + b"\x00\x01\x02" + b"\x00\x01\x05"
    return handshake(12, body + b"\x04\x01\x00\x02\xab\xcd")


def ske_ecdhe(curve: int) -> bytes:
    return handshake(
        12, struct.pack("!BH", 3, curve) + b"\x20" + b"\x33" * 32 + b"\x04\x01\x00\x00"
    )


def sslv2_server_hello(kinds: tuple[int, ...], cert: bytes = b"cert") -> bytes:
    specs = b"".join(k.to_bytes(3, "big") for k in kinds)
    body = struct.pack("!BBBHHHH", 4, 0, 1, 0x0002, len(cert), len(specs), 16)
    body += cert + specs + b"\x44" * 16
    return struct.pack("!H", 0x8000 | len(body)) + body


def server_hello_done() -> bytes:
    return handshake(14, b"")


@dataclass
class ClientHelloView:
    record_version: int
    version: int
    session_id: bytes
    suites: list[int]
    compression: bytes
    extensions: dict[int, bytes] = field(default_factory=dict)
    extension_order: list[int] = field(default_factory=list)

    def _u16_list(self, kind: int, prefix: int) -> list[int]:
        data = self.extensions.get(kind, b"")[prefix:]
        return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]

    @property
    def groups(self) -> list[int]:
        return self._u16_list(10, 2)

    @property
    def supported_versions(self) -> list[int]:
        return self._u16_list(43, 1)

    @property
    def sni(self) -> str | None:
        data = self.extensions.get(0)
        return data[5:].decode() if data else None

    @property
    def key_shares(self) -> dict[int, bytes]:
        data = self.extensions.get(51, b"")[2:]
        shares: dict[int, bytes] = {}
        while data:
            group, length = struct.unpack("!HH", data[:4])
            shares[group] = data[4 : 4 + length]
            data = data[4 + length :]
        return shares


def parse_client_hello(data: bytes) -> ClientHelloView:
    """Parse a ClientHello record the way a server would (asserting well-formedness)."""
    content_type, record_version, length = struct.unpack("!BHH", data[:5])
    assert content_type == 22 and length == len(data) - 5
    body = data[5:]
    assert body[0] == 1 and int.from_bytes(body[1:4], "big") == len(body) - 4
    pos = 4
    version = int.from_bytes(body[pos : pos + 2], "big")
    pos += 34
    session_id = body[pos + 1 : pos + 1 + body[pos]]
    pos += 1 + body[pos]
    suites_len = int.from_bytes(body[pos : pos + 2], "big")
    suites = [
        int.from_bytes(body[pos + 2 + i : pos + 4 + i], "big") for i in range(0, suites_len, 2)
    ]
    pos += 2 + suites_len
    compression = body[pos + 1 : pos + 1 + body[pos]]
    pos += 1 + body[pos]
    view = ClientHelloView(record_version, version, session_id, suites, compression)
    if pos < len(body):
        ext_len = int.from_bytes(body[pos : pos + 2], "big")
        assert pos + 2 + ext_len == len(body)
        pos += 2
        while pos < len(body):
            kind, size = struct.unpack("!HH", body[pos : pos + 4])
            view.extensions[kind] = body[pos + 4 : pos + 4 + size]
            view.extension_order.append(kind)
            pos += 4 + size
    return view
