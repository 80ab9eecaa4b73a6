"""One lab shared by concurrent users on this machine (test sessions, benchmarks).

The lab's address plan is fixed, so concurrent users share one lab directory in the user's
private state folder (``~/.local/state/socaudit/shared-lab``, 0700; never a fixed path under
/tmp, which another user could create first): the first user starts it, each holds a shared
``flock`` while it runs, and the last one to finish stops it. A healthy lab started elsewhere
on the same addresses (``make demo``, or a ``--lab-dir`` given explicitly) is reused and left
running.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from socaudit.lab import api


def shared_dir() -> Path:
    """The shared lab's folder (created 0700; ``UnsafePathError`` if others own or can write
    it)."""
    return api.state_dir("shared-lab")


@contextlib.contextmanager
def shared_lab(lab_dir: Path | str | None = None) -> Iterator[api.LabInfo]:
    """A running lab for the duration of the ``with`` block (raises ``LabError`` if it can't)."""
    running = api.status(lab_dir) if lab_dir else api.running_lab()
    shared = shared_dir()
    if running is not None and running.all_up and running.directory != shared:
        yield running
        return
    with (
        (shared / "start.lock").open("w") as gate,
        (shared / "users.lock").open("w") as users,
    ):
        with _locked(gate):
            info = api.start(shared)
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
                    api.stop(shared)


@contextlib.contextmanager
def _locked(handle: IO[str]) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``handle`` (serialises start and stop across users)."""
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
