"""The one exception the probes raise for network and protocol failures."""

from __future__ import annotations

from socaudit.evidence.base import ErrorReason


class ProbeError(Exception):
    """A probe could not complete: ``reason`` says why, ``detail`` gives the evidence.

    Not a frozen dataclass on purpose: ``contextlib`` assigns ``__traceback__`` on exceptions
    leaving a ``@contextmanager``, which a frozen dataclass refuses. The fields are set once.
    """

    def __init__(self, reason: ErrorReason, detail: str) -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.reason.value}: {self.detail}"
