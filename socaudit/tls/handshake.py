"""One raw handshake: connect, send a ClientHello, read the server's first flight, close."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address
from typing import TypeVar

from socaudit.evidence.base import ErrorReason
from socaudit.tls import parse
from socaudit.tls.clienthello import HelloSpec, build_client_hello
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.records import ALERT, HANDSHAKE, RecordReader, connect
from socaudit.tls.suites import cipher_suites
from socaudit.tls.versions import TlsVersion

T = TypeVar("T")
MAX_FLIGHT = 256 * 1024
"""Cap on bytes read per handshake (large chains fit; a flood does not)."""


@dataclass(frozen=True, slots=True)
class ServerFlight:
    """What the server answered to one ClientHello."""

    hello: parse.ServerHello | None
    """None: the server refused (alert or close)."""
    alert: int | None = None
    chain: tuple[bytes, ...] = ()
    kx: parse.KeyExchangeParams = field(default_factory=parse.KeyExchangeParams)

    @property
    def accepted(self) -> bool:
        return self.hello is not None


@dataclass(slots=True)
class Prober:
    """Runs handshakes against one endpoint under a connection gate, counting connections."""

    address: IPv4Address | IPv6Address
    port: int
    sni: str | None
    timeout: float
    gate: Callable[[], AbstractContextManager[object]]
    max_bytes: int = MAX_FLIGHT
    handshakes: int = 0
    upgrade: Callable[[socket.socket, float], None] | None = None
    """Plain-text dialogue run on each fresh connection before TLS (STARTTLS), or None."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def hello(
        self, version: TlsVersion, suites: tuple[int, ...], groups: tuple[int, ...] | None = None
    ) -> ServerFlight:
        """Offer ``suites`` (and ``groups``; None: all) at ``version``."""
        spec = HelloSpec(version=version, suites=suites, sni=self.sni, groups=groups)
        return self.run(build_client_hello(spec))

    def run(self, client_hello: bytes) -> ServerFlight:
        """Send ``client_hello`` on a fresh connection and read the reply."""
        return self.exchange(client_hello, lambda reader: read_flight(reader, self.max_bytes))

    def exchange(self, payload: bytes, read: Callable[[RecordReader], T]) -> T:
        """Send ``payload`` on a fresh connection and let ``read`` consume the answer."""
        with self.gate():
            with self._lock:
                self.handshakes += 1
            deadline = time.monotonic() + self.timeout
            sock = connect(self.address, self.port, self.timeout)
            try:
                if self.upgrade is not None:
                    self.upgrade(sock, deadline)
                _send(sock, payload)
                return read(RecordReader(sock, deadline, self.max_bytes))
            finally:
                sock.close()


def _send(sock: socket.socket, data: bytes) -> None:
    try:
        sock.sendall(data)
    except TimeoutError:
        raise ProbeFailure(ErrorReason.TIMEOUT, "server did not take the ClientHello") from None
    except OSError as exc:
        detail = f"sending ClientHello failed: {exc.strerror or exc}"
        raise ProbeFailure(ErrorReason.CONNECTIVITY, detail, quiet_close=True) from None


def read_flight(reader: RecordReader, max_message: int) -> ServerFlight:
    """Read records until the first flight is complete, refused or cut off."""
    state = _FlightState()
    while not state.done:
        record = reader.next_record()
        if record is None and state.buffer:
            raise ProbeFailure(ErrorReason.PROTOCOL, "connection closed inside a handshake message")
        if record is None:
            return state.result(None)
        if record.content_type == ALERT:
            level, description = parse.parse_alert(record.payload)
            if level == 1 and description != 0:
                continue  # a warning (e.g. unrecognized_name) does not end the handshake
            return state.result(description)
        if record.content_type != HANDSHAKE:
            if state.hello is None:
                detail = f"record type {record.content_type} before ServerHello"
                raise ProbeFailure(ErrorReason.PROTOCOL, detail)
            break
        state.feed(record.payload, max_message)
    return state.result(None)


@dataclass(slots=True)
class _FlightState:
    hello: parse.ServerHello | None = None
    chain: tuple[bytes, ...] = ()
    kx: parse.KeyExchangeParams = field(default_factory=parse.KeyExchangeParams)
    buffer: bytearray = field(default_factory=bytearray)
    done: bool = False

    def feed(self, payload: bytes, max_message: int) -> None:
        self.buffer += payload
        for kind, body in parse.split_handshakes(self.buffer, max_message):
            self._message(kind, body)

    def _message(self, kind: int, body: bytes) -> None:
        if self.hello is None and kind != parse.SERVER_HELLO:
            raise ProbeFailure(ErrorReason.PROTOCOL, f"handshake type {kind} before ServerHello")
        if kind == parse.SERVER_HELLO:
            self.hello = parse.parse_server_hello(body)
            self.done = self.hello.retry or self.hello.version >= TlsVersion.TLS13
        elif kind == parse.CERTIFICATE:
            self.chain = parse.parse_certificates(body)
        elif kind == parse.SERVER_KEY_EXCHANGE and self.hello is not None:
            suite = cipher_suites().get(self.hello.suite)
            dhe, ecdhe = (suite.dhe, suite.ecdhe) if suite else (False, False)
            self.kx = parse.parse_key_exchange(body, dhe=dhe, ecdhe=ecdhe)
        elif kind == parse.SERVER_HELLO_DONE:
            self.done = True

    def result(self, alert: int | None) -> ServerFlight:
        if self.hello is None:
            return ServerFlight(hello=None, alert=alert)
        return ServerFlight(hello=self.hello, chain=self.chain, kx=self.kx)
