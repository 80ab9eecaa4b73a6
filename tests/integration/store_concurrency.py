"""N processes opening one store at the same moment (cron jobs overlapping), for tests."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import traceback
from multiprocessing.synchronize import Barrier
from typing import Any


def open_and_write(url: str, barrier: Barrier, results: Any, index: int) -> None:
    """Wait for every process, then open the store and start a run (the first use)."""
    from socaudit.store.repository import NewRun, Store

    barrier.wait(timeout=120)
    try:
        store = Store(url)
        try:
            new = NewRun(f"/inv-{index}.yaml", "ab" * 32, dt.date(2026, 12, 2), {}, ())
            store.start_run(new)
        finally:
            store.close()
    except BaseException:
        results.put((index, traceback.format_exc()))
    else:
        results.put((index, None))


def open_at_once(url: str, processes: int) -> dict[int, str | None]:
    """Each process's failure (traceback text), or None when it succeeded."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(target=open_and_write, args=(url, barrier, results, i))
        for i in range(processes)
    ]
    for worker in workers:
        worker.start()
    outcome = dict(results.get(timeout=180) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    return outcome
