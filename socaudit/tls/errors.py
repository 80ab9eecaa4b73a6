"""The only exception the TLS engine's protocol layer lets out: a failed probe with a reason."""

from __future__ import annotations

from socaudit.evidence.base import ErrorReason


class ProbeFailure(Exception):
    """A handshake could not be judged: connectivity, timeout or protocol trouble.

    A plain class, not a frozen dataclass: ``contextlib`` assigns ``__traceback__``.
    """

    def __init__(self, reason: ErrorReason, detail: str, *, quiet_close: bool = False) -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail
        self.quiet_close = quiet_close
        """The peer closed or reset before sending anything (often just a refusal)."""

    def __str__(self) -> str:
        return f"{self.reason.value}: {self.detail}"
