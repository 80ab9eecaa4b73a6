"""Connection limits: at most N connections per host and M in total, across all endpoints."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from ipaddress import IPv4Address, IPv6Address

from socaudit.evidence.base import ErrorReason
from socaudit.tls.errors import ProbeFailure


class ConnectionGate:
    """Hands out per-host context managers that hold a host slot and a global slot."""

    def __init__(self, per_host: int, total: int) -> None:
        if per_host < 1 or total < 1:
            raise ValueError("connection limits must be at least 1")
        self._per_host = per_host
        self._total = threading.BoundedSemaphore(total)
        self._hosts: dict[IPv4Address | IPv6Address, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    def for_host(
        self, address: IPv4Address | IPv6Address, stop: threading.Event | None = None
    ) -> Callable[[], AbstractContextManager[None]]:
        """A factory of slots for connections to ``address``; once ``stop`` is set, taking a
        slot raises ``ProbeFailure(INTERRUPTED)`` so every loop ends at its next handshake."""
        with self._lock:
            host = self._hosts.setdefault(address, threading.BoundedSemaphore(self._per_host))

        @contextmanager
        def slot() -> Iterator[None]:
            with host, self._total:
                if stop is not None and stop.is_set():
                    raise ProbeFailure(ErrorReason.INTERRUPTED, "assessment interrupted")
                yield

        return slot
