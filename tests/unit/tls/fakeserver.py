"""Tiny real socket servers on 127.0.20.x: a scripted TLS persona and hostile behaviours."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tls import serverbytes as sb

Behaviour = Callable[[socket.socket], None]
ECDHE_KX = {"ECDHE", "ECDH"}


def _wanted(data: bytes) -> int:
    if data and data[0] & 0x80:  # SSL 2.0: 2-byte header
        return 2 + (((data[0] & 0x7F) << 8) | data[1]) if len(data) >= 2 else 2
    return 5 + struct.unpack("!H", data[3:5])[0] if len(data) >= 5 else 5


def read_client_hello(conn: socket.socket) -> bytes:
    """One full record from the client (the ClientHello, TLS or SSL 2.0 format)."""
    data = b""
    while len(data) < _wanted(data):
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("client went away")
        data += chunk
    return data


@contextlib.contextmanager
def serve(address: str, behaviour: Behaviour) -> Iterator[int]:
    """Run ``behaviour`` for every connection to ``address`` (ephemeral port, yielded)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, 0))
    listener.listen(64)
    listener.settimeout(0.2)
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn:
            conn.settimeout(30)
            behaviour(conn)

    def accept_loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept_loop, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        listener.close()


@dataclass
class Persona:
    """A scripted TLS server: accepts ``suites[version]`` (its preference order) and alerts
    otherwise; sends Certificate, ServerKeyExchange and ServerHelloDone like a real one."""

    suites: dict[int, tuple[int, ...]]
    groups: tuple[int, ...] = (0x001D, 0x0017)
    dh_bits: int = 2048
    chain: tuple[bytes, ...] = (b"leaf-certificate-der", b"intermediate-der")
    kx_of: dict[int, str] = field(default_factory=dict)
    """Suite code → "DHE" | "ECDHE" | "RSA" (default RSA)."""
    ssl2: tuple[int, ...] = ()
    """SSL 2.0 cipher kinds to answer an SSLv2 CLIENT-HELLO with (empty: close)."""
    max_suites: int | None = None
    """Close silently on hellos with more suites (a large-hello-intolerant server)."""
    seen: list[sb.ClientHelloView] = field(default_factory=list)

    def __call__(self, conn: socket.socket) -> None:
        data = read_client_hello(conn)
        if data[0] & 0x80:
            if self.ssl2:
                conn.sendall(sb.sslv2_server_hello(self.ssl2))
            return
        hello = sb.parse_client_hello(data)
        self.seen.append(hello)
        if self.max_suites is None or len(hello.suites) <= self.max_suites:
            conn.sendall(self.reply(hello))

    def reply(self, hello: sb.ClientHelloView) -> bytes:
        if 0x0304 in hello.supported_versions and 0x0304 in self.suites:
            return self._tls13(hello)
        version = max((v for v in self.suites if v <= hello.version and v < 0x0304), default=None)
        if version is None:
            return sb.alert(70)
        suite = next((s for s in self.suites[version] if s in hello.suites), None)
        if suite is None:
            return sb.alert(40, version)
        kx = self.kx_of.get(suite, "RSA")
        messages = sb.server_hello(version, suite) + sb.certificate(self.chain)
        if kx == "DHE":
            messages += sb.ske_dhe(self.dh_bits)
        elif kx == "ECDHE":
            curve = next((g for g in self.groups if g in hello.groups), None)
            if curve is None:
                return sb.alert(40, version)
            messages += sb.ske_ecdhe(curve)
        return sb.record(22, messages + sb.server_hello_done(), version)

    def _tls13(self, hello: sb.ClientHelloView) -> bytes:
        suite = next((s for s in self.suites[0x0304] if s in hello.suites), None)
        group = next((g for g in self.groups if g in hello.groups), None)
        if suite is None or group is None:
            return sb.alert(40)
        retry = group not in hello.key_shares
        return sb.record(22, sb.server_hello(0x0304, suite, group=group, retry=retry))


def tarpit(conn: socket.socket) -> None:
    """Accept and never answer."""
    time.sleep(30)


def garbage(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n" + bytes(range(256)))


def reset(conn: socket.socket) -> None:
    """Close with RST at once (SO_LINGER 0)."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def stall(conn: socket.socket) -> None:
    """Read the ClientHello, then say nothing."""
    read_client_hello(conn)
    time.sleep(30)


def absurd_length(conn: socket.socket) -> None:
    read_client_hello(conn)
    conn.sendall(b"\x16\x03\x03\xff\xff" + b"\xff" * 1024)


def huge_certificate(conn: socket.socket) -> None:
    """ServerHello, then a Certificate message claiming 16 MiB, streamed as legal records."""
    read_client_hello(conn)
    first = sb.server_hello(0x0303, 0x002F) + b"\x0b" + (2**24 - 1).to_bytes(3, "big")
    conn.sendall(sb.record(22, first))
    filler = sb.record(22, b"\x00" * 2**14)
    for _ in range(200):
        conn.sendall(filler)


def trickle(conn: socket.socket) -> None:
    """A valid-looking record header, then one byte every 0.3 s (defeats per-recv timeouts)."""
    read_client_hello(conn)
    conn.sendall(b"\x16\x03\x03\x00\x40")
    for _ in range(100):
        conn.sendall(b"\x02")
        time.sleep(0.3)
