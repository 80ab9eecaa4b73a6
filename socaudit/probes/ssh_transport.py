"""SSH binary packets (RFC 4253 §6): plain, AES-GCM (RFC 5647 as OpenSSH does it) and
AES-CTR with HMAC-SHA2, with sequence numbers and strict size limits.

Only what the probe needs to read the server's KEXINIT and, after a key exchange, its list of
authentication methods. Every read is bounded by the probe's deadline.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import socket
import struct
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.ciphers import Cipher, CipherContext, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from socaudit.evidence.base import ErrorReason
from socaudit.probes.errors import ProbeError
from socaudit.probes.netio import Deadline, recv_some, send_all

MAX_PACKET = 35000
BLOCK = 16
MAC_HASHES = {"hmac-sha2-256": hashlib.sha256, "hmac-sha2-512": hashlib.sha512}
KEY_SIZES = {
    "aes128-gcm@openssh.com": 16,
    "aes256-gcm@openssh.com": 32,
    "aes128-ctr": 16,
    "aes256-ctr": 32,
}


def protocol_error(detail: str) -> ProbeError:
    return ProbeError(ErrorReason.PROTOCOL, detail)


def string(data: bytes) -> bytes:
    """SSH ``string``: uint32 length and the bytes."""
    return struct.pack(">I", len(data)) + data


class Reader:
    """Buffered reads from a socket, bounded by the probe's deadline."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self.sock, self.deadline, self.buffer = sock, deadline, b""

    def _fill(self, doing: str) -> None:
        chunk = recv_some(self.sock, self.deadline, doing)
        if not chunk:
            raise protocol_error(f"connection closed while {doing}")
        self.buffer += chunk

    def line(self, limit: int) -> bytes:
        """One line including its LF; ``limit`` bytes at most."""
        while (end := self.buffer.find(b"\n")) < 0:
            if len(self.buffer) > limit:
                raise protocol_error(f"line longer than {limit} bytes before the SSH banner")
            self._fill("reading the identification string")
        line, self.buffer = self.buffer[: end + 1], self.buffer[end + 1 :]
        return line

    def exact(self, size: int, doing: str) -> bytes:
        while len(self.buffer) < size:
            self._fill(doing)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data


def _padded(payload: bytes, aligned_extra: int) -> bytes:
    """padding_length || payload || padding, aligned to 16 with ``aligned_extra`` bytes more."""
    padding = BLOCK - (aligned_extra + 1 + len(payload)) % BLOCK
    padding += BLOCK if padding < 4 else 0
    return bytes([padding]) + payload + os.urandom(padding)


def _unpad(body: bytes) -> bytes:
    if not body or body[0] + 1 >= len(body):
        raise protocol_error("packet padding does not fit")
    return body[1 : len(body) - body[0]]


def _checked_length(raw: bytes) -> int:
    length = int.from_bytes(raw, "big")
    if not 5 <= length <= MAX_PACKET:
        raise protocol_error(f"absurd packet length {length}")
    return length


class Plain:
    """Unencrypted packets (before NEWKEYS)."""

    def seal(self, payload: bytes, seq: int) -> bytes:
        del seq
        body = _padded(payload, 4)
        return struct.pack(">I", len(body)) + body

    def open(self, reader: Reader, seq: int) -> bytes:
        del seq
        length = _checked_length(reader.exact(4, "reading a packet length"))
        return _unpad(reader.exact(length, "reading a packet"))


class Gcm:
    """aes{128,256}-gcm@openssh.com: length in clear as AAD, 12-byte nonce with a counter."""

    def __init__(self, key: bytes, iv: bytes) -> None:
        self.aead, self.fixed = AESGCM(key), iv[:4]
        self.counter = int.from_bytes(iv[4:12], "big")

    def _nonce(self) -> bytes:
        nonce = self.fixed + self.counter.to_bytes(8, "big")
        self.counter = (self.counter + 1) % (1 << 64)
        return nonce

    def seal(self, payload: bytes, seq: int) -> bytes:
        del seq
        body = _padded(payload, 0)
        aad = struct.pack(">I", len(body))
        return aad + self.aead.encrypt(self._nonce(), body, aad)

    def open(self, reader: Reader, seq: int) -> bytes:
        del seq
        aad = reader.exact(4, "reading a packet length")
        length = _checked_length(aad)
        sealed = reader.exact(length + 16, "reading an encrypted packet")
        return _unpad(self.aead.decrypt(self._nonce(), sealed, aad))


@dataclass
class CtrHmac:
    """aes{128,256}-ctr with hmac-sha2-{256,512} (encrypt-and-MAC)."""

    key: bytes
    iv: bytes
    mac_key: bytes
    mac: str
    stream: CipherContext = field(init=False)

    def __post_init__(self) -> None:
        self.stream = Cipher(algorithms.AES(self.key), modes.CTR(self.iv)).encryptor()

    def _tag(self, seq: int, packet: bytes) -> bytes:
        return hmac.new(
            self.mac_key, struct.pack(">I", seq) + packet, MAC_HASHES[self.mac]
        ).digest()

    def seal(self, payload: bytes, seq: int) -> bytes:
        body = _padded(payload, 4)
        packet = struct.pack(">I", len(body)) + body
        return self.stream.update(packet) + self._tag(seq, packet)

    def open(self, reader: Reader, seq: int) -> bytes:
        first = self.stream.update(reader.exact(BLOCK, "reading an encrypted packet"))
        length = _checked_length(first[:4])
        rest = self.stream.update(reader.exact(length + 4 - BLOCK, "reading an encrypted packet"))
        packet = first + rest
        tag = reader.exact(MAC_HASHES[self.mac]().digest_size, "reading a MAC")
        if not hmac.compare_digest(tag, self._tag(seq, packet)):
            raise protocol_error("MAC check failed")
        return _unpad(packet[4:])


Codec = Plain | Gcm | CtrHmac


class Transport:
    """Packets in both directions with their sequence numbers (RFC 4253 §6.4)."""

    def __init__(self, sock: socket.socket, deadline: Deadline, reader: Reader) -> None:
        self.sock, self.deadline, self.reader = sock, deadline, reader
        self.sent = self.received = 0
        self.outgoing: Codec = Plain()
        self.incoming: Codec = Plain()

    def send(self, payload: bytes, prefix: bytes = b"") -> None:
        """Send one packet (after ``prefix``, e.g. our identification line, in one write)."""
        packet = prefix + self.outgoing.seal(payload, self.sent)
        send_all(self.sock, packet, self.deadline, "sending")
        self.sent = (self.sent + 1) % (1 << 32)

    def receive(self) -> bytes:
        payload = self.incoming.open(self.reader, self.received)
        self.received = (self.received + 1) % (1 << 32)
        if not payload:
            raise protocol_error("empty packet")
        return payload


def make_codec(cipher: str, mac: str, key: bytes, iv: bytes, mac_key: bytes) -> Codec:
    if cipher.endswith("-gcm@openssh.com"):
        return Gcm(key, iv)
    return CtrHmac(key, iv, mac_key, mac)
