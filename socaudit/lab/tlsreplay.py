"""Scripted TLS servers for what no server on this machine does any more: Heartbleed, OpenSSL
CCS injection, a ROBOT padding oracle and TLS compression.

``python -m socaudit.lab.tlsreplay --listen FLAW@ADDRESS:PORT:CHAIN:KEY [...]`` (loopback
only). Each persona speaks TLS 1.2 with RSA key exchange far enough to show its flaw: it
answers the ClientHello with ServerHello (echoing renegotiation_info, extended master secret
and, for ``heartbleed``, the heartbeat extension), the lab certificate chain and
ServerHelloDone, then reacts to the client's next records. Everything else about it is
patched: it refuses early CCS, answers every broken key exchange alike (except ``robot``) and
never compresses (except ``compression``). Nothing is ever encrypted.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import socket
import struct
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from socaudit.lab.targets import LabError, require_loopback

FLAWS = ("heartbleed", "ccs", "robot", "compression")
RSA_SUITES = (0x009C, 0x002F, 0x0035, 0x003C)
"""AES-GCM/CBC with static RSA key exchange, in preference order."""
TLS12 = 0x0303
CONNECTION_LIFETIME = 10.0
MAX_RECORD = 2**14 + 2048


@dataclass(frozen=True, slots=True)
class Hello:
    version: int
    suites: tuple[int, ...]
    compression: bytes
    extensions: dict[int, bytes] = field(default_factory=dict)


def _record(content_type: int, payload: bytes, version: int = TLS12) -> bytes:
    return struct.pack("!BHH", content_type, version, len(payload)) + payload


def _handshake(kind: int, body: bytes) -> bytes:
    return bytes([kind]) + len(body).to_bytes(3, "big") + body


def _alert(description: int) -> bytes:
    return _record(21, bytes([2, description]))


def _read_record(conn: socket.socket) -> tuple[int, bytes] | None:
    header = _exact(conn, 5)
    if header is None:
        return None
    content_type, _, length = struct.unpack("!BHH", header)
    if length > MAX_RECORD:
        return None
    payload = _exact(conn, length)
    return None if payload is None else (content_type, payload)


def _exact(conn: socket.socket, count: int) -> bytes | None:
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def parse_hello(payload: bytes) -> Hello | None:
    """The ClientHello in a handshake record's payload (None if it is not one)."""
    if len(payload) < 4 or payload[0] != 1:
        return None
    body, pos = payload[4:], 34
    try:
        pos += 1 + body[pos]
        suites_len = int.from_bytes(body[pos : pos + 2], "big")
        suites = tuple(
            int.from_bytes(body[pos + 2 + i : pos + 4 + i], "big") for i in range(0, suites_len, 2)
        )
        pos += 2 + suites_len
        compression = body[pos + 1 : pos + 1 + body[pos]]
        pos += 1 + body[pos]
        extensions: dict[int, bytes] = {}
        end = pos + 2 + int.from_bytes(body[pos : pos + 2], "big") if pos < len(body) else pos
        pos += 2
        while pos + 4 <= end:
            kind, size = struct.unpack("!HH", body[pos : pos + 4])
            extensions[kind] = body[pos + 4 : pos + 4 + size]
            pos += 4 + size
    except IndexError:
        return None
    version = int.from_bytes(body[0:2], "big")
    return Hello(version, suites, bytes(compression), extensions)


@dataclass
class Persona:
    """One scripted server: ``flaw`` is what it gets wrong."""

    flaw: str
    chain: tuple[bytes, ...]
    """DER certificates, leaf first."""
    key: rsa.RSAPrivateKey | None = None
    """The leaf's key (``robot`` decrypts with it)."""

    def __call__(self, conn: socket.socket) -> None:
        first = _read_record(conn)
        hello = parse_hello(first[1]) if first and first[0] == 22 else None
        if hello is None:
            return
        if hello.version < TLS12:  # TLS 1.2 only; supported_versions (TLS 1.3) is ignored
            conn.sendall(_alert(70))
            return
        suite = next((s for s in RSA_SUITES if s in hello.suites), None)
        if suite is None:
            conn.sendall(_alert(40))
            return
        conn.sendall(self._flight(hello, suite))
        self._after_flight(conn)

    def _flight(self, hello: Hello, suite: int) -> bytes:
        compress = 1 if self.flaw == "compression" and 1 in hello.compression else 0
        extensions = b""
        answers: dict[int, bytes] = {0xFF01: b"\x00", 23: b""}
        if self.flaw == "heartbleed":
            answers[15] = b"\x01"
        scsv = 0x00FF in hello.suites  # RFC 5746 SCSV: answer with renegotiation_info too
        for kind, data in answers.items():
            if kind in hello.extensions or (kind == 0xFF01 and scsv):
                extensions += struct.pack("!HH", kind, len(data)) + data
        body = (
            struct.pack("!H", TLS12) + b"\x5a" * 32 + b"\x00" + struct.pack("!HB", suite, compress)
        )
        body += struct.pack("!H", len(extensions)) + extensions
        items = b"".join(len(c).to_bytes(3, "big") + c for c in self.chain)
        certificate = _handshake(11, len(items).to_bytes(3, "big") + items)
        return _record(22, _handshake(2, body) + certificate + _handshake(14, b""))

    def _after_flight(self, conn: socket.socket) -> None:
        ccs_taken = False
        while (item := _read_record(conn)) is not None:
            content_type, payload = item
            if content_type == 24 and self.flaw == "heartbleed":
                claimed = int.from_bytes(payload[1:3], "big") if len(payload) >= 3 else 0
                leak = bytes((i * 7) & 0xFF for i in range(min(claimed, 2**14 - 19)))
                conn.sendall(_record(24, b"\x02" + len(leak).to_bytes(2, "big") + leak))
                return
            if content_type == 20 and not ccs_taken:
                if self.flaw != "ccs":
                    conn.sendall(_alert(10))  # unexpected_message: the patched answer
                    return
                ccs_taken = True
                continue
            if ccs_taken:
                conn.sendall(_alert(20))  # the CCS switched keys: nothing decrypts any more
                return
            if content_type == 22 and payload[:1] == b"\x10":
                conn.sendall(_alert(self._key_exchange_answer(payload)))
                return
            conn.sendall(_alert(10))
            return

    def _key_exchange_answer(self, payload: bytes) -> int:
        """bad_record_mac (the Finished cannot verify) — or, for ``robot``, decrypt_error
        when the padding was wrong: the oracle."""
        if self.flaw != "robot" or self.key is None:
            return 20
        encrypted = payload[6 : 6 + int.from_bytes(payload[4:6], "big")]
        numbers = self.key.private_numbers()
        size = (self.key.key_size + 7) // 8
        block = pow(int.from_bytes(encrypted, "big"), numbers.d, numbers.public_numbers.n)
        data = block.to_bytes(size, "big")
        separator = data.find(b"\x00", 2)
        valid = (
            data[:2] == b"\x00\x02"
            and separator == size - 49
            and data[separator + 1 :][:2] == b"\x03\x03"
        )
        return 20 if valid else 51


def load_persona(flaw: str, chain_pem: Path, key_pem: Path) -> Persona:
    if flaw not in FLAWS:
        raise LabError(f"unknown flaw {flaw!r} (hint: one of {', '.join(FLAWS)})")
    certs = x509.load_pem_x509_certificates(chain_pem.read_bytes())
    chain = tuple(c.public_bytes(serialization.Encoding.DER) for c in certs)
    key = serialization.load_pem_private_key(key_pem.read_bytes(), password=None)
    return Persona(flaw, chain, key if isinstance(key, rsa.RSAPrivateKey) else None)


def serve_forever(address: str, port: int, persona: Persona, stop: threading.Event) -> None:
    """Accept on ``address:port`` until ``stop`` is set; one thread per connection."""
    require_loopback(address)
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((address, port))
        listener.listen(64)
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=_handle, args=(conn, persona), daemon=True).start()


def _handle(conn: socket.socket, persona: Persona) -> None:
    with contextlib.suppress(OSError), conn:
        conn.settimeout(CONNECTION_LIFETIME)
        persona(conn)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="socaudit.lab.tlsreplay")
    parser.add_argument("--listen", action="append", required=True,
                        help="FLAW@ADDRESS:PORT:CHAIN.pem:KEY.pem")  # fmt: skip
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threads = []
    try:
        for text in args.listen:
            flaw, _, rest = text.partition("@")
            address, port, chain, key = rest.split(":", 3)
            persona = load_persona(flaw, Path(chain), Path(key))
            require_loopback(address)
            thread = threading.Thread(
                target=serve_forever, args=(address, int(port), persona, stop), daemon=True
            )
            thread.start()
            threads.append(thread)
    except (LabError, OSError, ValueError) as exc:
        print(f"tlsreplay: {exc}", file=sys.stderr)
        return 1
    while not stop.wait(0.5):
        if not all(t.is_alive() for t in threads):
            print("tlsreplay: a listener failed", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
