"""One lab shared by concurrent users on this machine (test sessions, benchmarks).

The lab's address plan is fixed, so concurrent users share one lab directory under the temp
dir: the first user starts it, each holds a shared ``flock`` while it runs, and the last one to
finish stops it. A healthy lab started elsewhere on the same addresses (``make demo``, or a
``--lab-dir`` given explicitly) is reused and left running.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from socaudit.lab import api

SHARED_DIR = Path(tempfile.gettempdir()) / f"socaudit-pytest-lab-{os.geteuid()}"


@contextlib.contextmanager
def shared_lab(lab_dir: Path | str | None = None) -> Iterator[api.LabInfo]:
    """A running lab for the duration of the ``with`` block (raises ``LabError`` if it can't)."""
    running = api.status(lab_dir) if lab_dir else api.running_lab()
    if running is not None and running.all_up and running.directory != SHARED_DIR:
        yield running
        return
    SHARED_DIR.mkdir(mode=0o700, exist_ok=True)
    with (
        (SHARED_DIR / "start.lock").open("w") as gate,
        (SHARED_DIR / "users.lock").open("w") as users,
    ):
        with _locked(gate):
            info = api.start(SHARED_DIR)
            fcntl.flock(users, fcntl.LOCK_SH)
        try:
            yield info
        finally:
            with _locked(gate):
                try:
                    fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    pass  # another user still needs the lab; the last one stops it
                else:
                    api.stop(SHARED_DIR)


@contextlib.contextmanager
def _locked(handle: IO[str]) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``handle`` (serialises start and stop across users)."""
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
