"""Run-wide sharing of identical probes: one endpoint is never probed twice in a run.

Several systems often share one address (the provincial data centre); their assets then ask
for the same nmap scan or TLS enumeration. The first caller runs it, the others wait for and
reuse its result (or its exception), so each still gets its own evidence record.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    """Thread-safe ``key -> result`` of work done once per run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Hashable, Future[Any]] = {}
        self.hits = 0

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` the first time ``key`` is asked for; the same outcome afterwards."""
        with self._lock:
            future = self._entries.get(key)
            owner = future is None
            if future is None:
                future = self._entries[key] = Future()
            else:
                self.hits += 1
        if owner:
            try:
                future.set_result(compute())
            except BaseException as exc:
                future.set_exception(exc)
        result: T = future.result()
        return result
