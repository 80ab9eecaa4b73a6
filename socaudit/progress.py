"""Progress reporting through an observer: engines never print.

The CLI's rich progress bar is one observer; tests pass a recording one.
"""

from __future__ import annotations

from typing import Protocol


class ProgressObserver(Protocol):
    """Receives progress of long-running work (scans, TLS enumeration)."""

    def started(self, task: str, total: int | None) -> None:
        """A task with ``total`` steps (None: unknown) has begun."""

    def advanced(self, task: str, step: str, steps: int = 1) -> None:
        """``steps`` more steps of ``task`` are done; ``step`` names the last one."""

    def message(self, text: str) -> None:
        """A note worth showing the user (e.g. 'not root: TCP connect discovery')."""

    def finished(self, task: str) -> None:
        """The task is over (completed, failed or interrupted)."""


class NullObserver:
    """An observer that ignores everything."""

    def started(self, task: str, total: int | None) -> None:
        return None

    def advanced(self, task: str, step: str, steps: int = 1) -> None:
        return None

    def message(self, text: str) -> None:
        return None

    def finished(self, task: str) -> None:
        return None
