"""Read TLS records from a socket with hard limits on bytes, per-read time and total time."""

from __future__ import annotations

import socket
import struct
import time
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address

from socaudit.evidence.base import ErrorReason
from socaudit.tls.errors import ProbeFailure

MAX_RECORD = 2**14 + 2048
"""Largest legal TLSCiphertext fragment (RFC 5246 §6.2.3)."""
CONTENT_TYPES = frozenset({20, 21, 22, 23, 24})
"""ChangeCipherSpec, alert, handshake, application data, heartbeat (RFC 6520)."""
HANDSHAKE = 22
ALERT = 21


@dataclass(frozen=True, slots=True)
class Record:
    content_type: int
    version: int
    payload: bytes


def connect(address: IPv4Address | IPv6Address, port: int, timeout: float) -> socket.socket:
    """Open a TCP connection, mapping every failure to a :class:`ProbeFailure`."""
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect((str(address), port))
    except TimeoutError:
        sock.close()
        raise ProbeFailure(ErrorReason.TIMEOUT, f"connect timed out after {timeout:g} s") from None
    except OSError as exc:
        sock.close()
        raise ProbeFailure(
            ErrorReason.CONNECTIVITY, f"connect failed: {exc.strerror or exc}"
        ) from None
    return sock


class RecordReader:
    """Pulls whole records off a socket; never reads past ``max_bytes`` or ``deadline``."""

    def __init__(self, sock: socket.socket, deadline: float, max_bytes: int) -> None:
        self._sock = sock
        self._deadline = deadline
        self._budget = max_bytes
        self._buffer = bytearray()
        self.received = 0

    def next_record(self) -> Record | None:
        """The next record, or None on a clean close before any byte of it."""
        header = self.read_exact(5, allow_eof=True)
        if header is None:
            return None
        content_type, version, length = struct.unpack("!BHH", header)
        if content_type not in CONTENT_TYPES or version >> 8 != 3:
            raise ProbeFailure(ErrorReason.PROTOCOL, f"not a TLS record (header {header.hex()})")
        if length > MAX_RECORD:
            raise ProbeFailure(ErrorReason.PROTOCOL, f"record length {length} exceeds {MAX_RECORD}")
        payload = self.read_exact(length, allow_eof=False)
        assert payload is not None  # noqa: S101 - allow_eof=False never returns None
        return Record(content_type, version, payload)

    def read_exact(self, count: int, *, allow_eof: bool) -> bytes | None:
        """``count`` bytes; None on a clean close before the first (if ``allow_eof``)."""
        while len(self._buffer) < count:
            chunk = self._recv()
            if not chunk:
                if allow_eof and not self._buffer:
                    return None
                raise ProbeFailure(ErrorReason.PROTOCOL, "connection closed inside a record")
            self._buffer += chunk
        data = bytes(self._buffer[:count])
        del self._buffer[:count]
        return data

    def _recv(self) -> bytes:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise ProbeFailure(ErrorReason.TIMEOUT, "no complete server reply before the deadline")
        if self.received >= self._budget:
            raise ProbeFailure(
                ErrorReason.PROTOCOL, f"server sent more than {self._budget} bytes in one flight"
            )
        self._sock.settimeout(remaining)
        try:
            chunk = self._sock.recv(min(65536, self._budget - self.received))
        except TimeoutError:
            raise ProbeFailure(ErrorReason.TIMEOUT, "server stopped answering") from None
        except OSError as exc:
            quiet = self.received == 0
            detail = f"connection failed while reading: {exc.strerror or exc}"
            raise ProbeFailure(ErrorReason.CONNECTIVITY, detail, quiet_close=quiet) from None
        self.received += len(chunk)
        return chunk
