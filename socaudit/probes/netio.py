"""Bounded socket I/O for probes: one overall deadline, typed errors, capped reads."""

from __future__ import annotations

import socket
import ssl
import time
from ipaddress import IPv4Address, IPv6Address

from socaudit.evidence.base import ErrorReason
from socaudit.probes.errors import ProbeError


class Deadline:
    """The moment a probe must give up; every socket call waits at most until then."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.end = time.monotonic() + timeout

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise ProbeError(ErrorReason.TIMEOUT, f"no complete answer within {self.timeout:g} s")
        return left


def map_os_error(exc: OSError, doing: str) -> ProbeError:
    """A ProbeError naming what failed (refused, reset, timeout, TLS)."""
    if isinstance(exc, TimeoutError):
        return ProbeError(ErrorReason.TIMEOUT, f"timed out while {doing}")
    if isinstance(exc, ssl.SSLError):
        return ProbeError(ErrorReason.PROTOCOL, f"TLS failure while {doing}: {exc.reason or exc}")
    if isinstance(exc, ConnectionRefusedError):
        return ProbeError(ErrorReason.CONNECTIVITY, f"connection refused while {doing}")
    if isinstance(exc, ConnectionResetError):
        return ProbeError(ErrorReason.CONNECTIVITY, f"connection reset while {doing}")
    return ProbeError(ErrorReason.CONNECTIVITY, f"{exc.strerror or exc} while {doing}")


def connect(address: IPv4Address | IPv6Address, port: int, deadline: Deadline) -> socket.socket:
    """A TCP connection to exactly ``address`` (never a name lookup)."""
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(deadline.remaining())
        sock.connect((str(address), port))
    except OSError as exc:
        sock.close()
        raise map_os_error(exc, f"connecting to {address} port {port}") from exc
    except ProbeError:
        sock.close()
        raise
    return sock


def recv_some(sock: socket.socket, deadline: Deadline, doing: str, size: int = 4096) -> bytes:
    """Up to ``size`` bytes (b"" at end of stream), waiting no later than the deadline."""
    try:
        sock.settimeout(deadline.remaining())
        return sock.recv(size)
    except OSError as exc:
        raise map_os_error(exc, doing) from exc


def send_all(sock: socket.socket, data: bytes, deadline: Deadline, doing: str) -> None:
    try:
        sock.settimeout(deadline.remaining())
        sock.sendall(data)
    except OSError as exc:
        raise map_os_error(exc, doing) from exc
