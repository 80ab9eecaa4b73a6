"""Session fixtures shared by every test module: the running lab.

Several pytest sessions may run at once on one machine (parallel developers, CI jobs), and
the lab's address plan is fixed, so sessions share one lab directory under the temp dir:
the first session starts it, each holds a shared ``flock`` while it runs, and the last one
to finish stops it. A healthy lab started elsewhere on the same addresses (``make demo``,
a benchmark) is found through ``api.running_lab()``, reused and left running.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from socaudit.lab import api
from socaudit.lab.targets import LabError

SHARED_DIR = Path(tempfile.gettempdir()) / f"socaudit-pytest-lab-{os.geteuid()}"


@pytest.fixture(scope="session")
def lab() -> Iterator[api.LabInfo]:
    """The running lab (started once per session, stopped by the last session using it)."""
    running = api.running_lab()
    if (
        running is not None and running.directory != SHARED_DIR
    ):  # e.g. `make demo`, or a benchmark: reuse, leave it running
        yield running
        return
    SHARED_DIR.mkdir(mode=0o700, exist_ok=True)
    with (
        (SHARED_DIR / "start.lock").open("w") as gate,
        (SHARED_DIR / "users.lock").open("w") as users,
    ):
        with _locked(gate):
            try:
                info = api.start(SHARED_DIR)
            except LabError as exc:
                pytest.fail(f"cannot start the lab in {SHARED_DIR}: {exc}", pytrace=False)
            fcntl.flock(users, fcntl.LOCK_SH)
        yield info
        with _locked(gate):
            try:
                fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another session still uses the lab; the last one stops it
            api.stop(SHARED_DIR)


@contextlib.contextmanager
def _locked(handle: IO[str]) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``handle`` (serialises start and stop across sessions)."""
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
