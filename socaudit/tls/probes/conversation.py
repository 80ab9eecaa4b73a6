"""A multi-message raw TLS exchange on one connection (hello, then records the probe sends)."""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from socaudit.evidence.base import ErrorReason
from socaudit.tls import parse
from socaudit.tls.clienthello import HelloSpec, build_client_hello
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.handshake import MAX_FLIGHT, ServerFlight, read_flight
from socaudit.tls.probes import starttls
from socaudit.tls.probes.base import ProbeContext
from socaudit.tls.records import ALERT, RecordReader, connect

CHANGE_CIPHER_SPEC = 20
HEARTBEAT = 24


@dataclass(slots=True)
class Conversation:
    """One connection: send records, read records, all before one deadline."""

    sock: socket.socket
    reader: RecordReader

    def send(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError as exc:
            raise ProbeFailure(ErrorReason.CONNECTIVITY, f"send failed: {exc}") from None

    def hello(self, spec: HelloSpec) -> ServerFlight:
        """Send a ClientHello and read the server's first flight."""
        self.send(build_client_hello(spec))
        return read_flight(self.reader, MAX_FLIGHT)

    def answer(self) -> str:
        """How the server reacts next: ``alert:N``, ``record:T``, ``closed`` or ``timeout``."""
        try:
            record = self.reader.next_record()
        except ProbeFailure as failure:
            if failure.reason is ErrorReason.TIMEOUT:
                return "timeout"
            return "closed"  # reset or cut-off: the server hung up
        if record is None:
            return "closed"
        if record.content_type == ALERT:
            return f"alert:{parse.parse_alert(record.payload)[1]}"
        return f"record:{record.content_type}"


def record(content_type: int, version: int, payload: bytes) -> bytes:
    return struct.pack("!BHH", content_type, version, len(payload)) + payload


@contextmanager
def conversation(ctx: ProbeContext, timeout: float | None = None) -> Iterator[Conversation]:
    """A fresh connection under the probe's budget and gate (STARTTLS redone first)."""
    facts, wait = ctx.facts, timeout if timeout is not None else ctx.timeout
    with ctx.slot():
        deadline = time.monotonic() + wait
        sock = connect(facts.address, facts.port, wait)
        try:
            if facts.starttls is not None:
                starttls.upgrader(facts.starttls)(sock, deadline)
            yield Conversation(sock, RecordReader(sock, deadline, MAX_FLIGHT))
        finally:
            sock.close()


def legacy_spec(ctx: ProbeContext, **changes: object) -> HelloSpec | None:
    """A hello at the highest accepted version below TLS 1.3, offering the suites the server
    accepted there (None when it speaks none of SSL 3.0 … TLS 1.2)."""
    versions = ctx.facts.legacy_versions
    if not versions:
        return None
    version = versions[-1]
    spec = HelloSpec(version, ctx.facts.suites[version], sni=ctx.facts.sni)
    return replace(spec, **changes)  # type: ignore[arg-type]
