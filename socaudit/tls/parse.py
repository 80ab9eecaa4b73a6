"""Parse the server's first flight: ServerHello/HRR, Certificate, ServerKeyExchange, Alert."""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from socaudit.evidence.base import ErrorReason
from socaudit.tls.errors import ProbeFailure

SERVER_HELLO = 2
CERTIFICATE = 11
SERVER_KEY_EXCHANGE = 12
SERVER_HELLO_DONE = 14
HRR_RANDOM = hashlib.sha256(b"HelloRetryRequest").digest()
"""RFC 8446 §4.1.3: the ServerHello.random that marks a HelloRetryRequest."""


@dataclass(frozen=True, slots=True)
class ServerHello:
    version: int
    """Negotiated version (supported_versions wins over legacy_version)."""
    suite: int
    group: int | None
    """TLS 1.3 key_share / HRR selected_group."""
    retry: bool
    compression: int = 0
    extensions: frozenset[int] = frozenset()
    """Extension types the server answered with (renegotiation_info, EMS, heartbeat …)."""


@dataclass(frozen=True, slots=True)
class KeyExchangeParams:
    dh_bits: int | None = None
    curve: int | None = None


class Cursor:
    """Bounds-checked reader over one message; any overrun is a protocol error."""

    def __init__(self, data: bytes, what: str) -> None:
        self._data = data
        self._pos = 0
        self._what = what

    def take(self, count: int) -> bytes:
        if count < 0 or self._pos + count > len(self._data):
            raise ProbeFailure(ErrorReason.PROTOCOL, f"truncated {self._what}")
        chunk = self._data[self._pos : self._pos + count]
        self._pos += count
        return chunk

    def uint(self, size: int) -> int:
        return int.from_bytes(self.take(size), "big")

    def vector(self, size: int) -> bytes:
        return self.take(self.uint(size))

    @property
    def remaining(self) -> int:
        return len(self._data) - self._pos


def split_handshakes(buffer: bytearray, max_message: int) -> list[tuple[int, bytes]]:
    """Remove and return the complete handshake messages at the start of ``buffer``."""
    messages: list[tuple[int, bytes]] = []
    while len(buffer) >= 4:
        length = int.from_bytes(buffer[1:4], "big")
        if length > max_message:
            detail = f"handshake message type {buffer[0]} claims {length} bytes"
            raise ProbeFailure(ErrorReason.PROTOCOL, f"{detail} (limit {max_message})")
        if len(buffer) < 4 + length:
            break
        messages.append((buffer[0], bytes(buffer[4 : 4 + length])))
        del buffer[: 4 + length]
    return messages


def parse_server_hello(body: bytes) -> ServerHello:
    """ServerHello or HelloRetryRequest (TLS 1.3 facts taken from its extensions)."""
    cur = Cursor(body, "ServerHello")
    version = cur.uint(2)
    retry = cur.take(32) == HRR_RANDOM
    cur.vector(1)
    suite = cur.uint(2)
    compression = cur.uint(1)
    group: int | None = None
    seen: set[int] = set()
    if cur.remaining:
        extensions = Cursor(cur.vector(2), "ServerHello extensions")
        while extensions.remaining:
            kind, data = extensions.uint(2), extensions.vector(2)
            seen.add(kind)
            if kind == 43 and len(data) >= 2:
                version = int.from_bytes(data[:2], "big")
            elif kind == 51 and len(data) >= 2:
                group = int.from_bytes(data[:2], "big")
    return ServerHello(
        version=version,
        suite=suite,
        group=group,
        retry=retry,
        compression=compression,
        extensions=frozenset(seen),
    )


def parse_certificates(body: bytes) -> tuple[bytes, ...]:
    """TLS ≤ 1.2 Certificate message → DER certificates as served (leaf first)."""
    cur = Cursor(body, "Certificate message")
    chain = Cursor(cur.vector(3), "certificate list")
    certs: list[bytes] = []
    while chain.remaining:
        certs.append(chain.vector(3))
    return tuple(certs)


def parse_key_exchange(body: bytes, *, dhe: bool, ecdhe: bool) -> KeyExchangeParams:
    """DHE prime size in bits, or the ECDHE named curve, from a ServerKeyExchange."""
    cur = Cursor(body, "ServerKeyExchange")
    if dhe:
        prime = cur.vector(2)
        return KeyExchangeParams(dh_bits=int.from_bytes(prime, "big").bit_length())
    if ecdhe:
        curve_type = cur.uint(1)
        if curve_type != 3:
            raise ProbeFailure(ErrorReason.PROTOCOL, f"unsupported ECDHE curve type {curve_type}")
        return KeyExchangeParams(curve=cur.uint(2))
    return KeyExchangeParams()


def parse_alert(payload: bytes) -> tuple[int, int]:
    """(level, description) of an Alert record."""
    if len(payload) < 2:
        raise ProbeFailure(ErrorReason.PROTOCOL, "truncated alert")
    level, description = struct.unpack("!BB", payload[:2])
    return level, description
