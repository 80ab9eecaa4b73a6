"""Process exit codes: one enum that cron jobs and CI can branch on."""

from enum import IntEnum


class ExitCode(IntEnum):
    """Every code socaudit exits with (documented in README)."""

    OK = 0
    """Everything evaluated passed / the input is valid."""
    FINDINGS = 1
    """The assessment ran and found problems."""
    USAGE = 2
    """Wrong command-line usage."""
    INVALID_INPUT = 3
    """An inventory, policy or evidence file is invalid."""
    INCOMPLETE = 4
    """Evidence is incomplete (some probes failed or targets were refused)."""
    INTERNAL = 70
    """A bug in socaudit."""
    INTERRUPTED = 130
    """Interrupted by SIGINT/SIGTERM; partial results were kept."""
