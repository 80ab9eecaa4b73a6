"""Identical probes within a run are done once; waiters share the result or the exception."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from socaudit.collect.memo import Memo


def test_concurrent_callers_share_one_computation() -> None:
    memo = Memo()
    calls: list[int] = []
    gate = threading.Event()

    def slow() -> str:
        calls.append(1)
        gate.wait(5)
        return "nmap xml"

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(memo.once, ("nmap", "127.0.30.5"), slow) for _ in range(4)]
        deadline = time.monotonic() + 30
        while memo.hits < 3 and time.monotonic() < deadline:  # three callers found it running
            time.sleep(0.01)
        assert calls == [1] and memo.hits == 3, "the other callers did not wait for the first"
        gate.set()
        results = [f.result(timeout=5) for f in futures]
    assert results == ["nmap xml"] * 4
    assert len(calls) == 1
    assert memo.hits == 3


def test_exception_is_shared_and_keys_are_separate() -> None:
    memo = Memo()

    def broken() -> str:
        raise TimeoutError("nmap ran too long")

    for _ in range(2):
        with pytest.raises(TimeoutError):
            memo.once("a", broken)
    assert memo.once("b", lambda: "other") == "other"
