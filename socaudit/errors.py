"""User-facing errors: problems with a file and line, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from socaudit.exitcodes import ExitCode


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file."""

    file: Path
    line: int | None
    message: str
    hint: str | None = None
    severity: str = "error"  # "error" | "warning"

    def render(self) -> str:
        """``FILE:LINE: message (hint)``."""
        where = f"{self.file}:{self.line}" if self.line is not None else f"{self.file}"
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class SocauditError(Exception):
    """Base of errors that the CLI turns into a message and an exit code."""

    exit_code: ExitCode = ExitCode.INTERNAL


class InputError(SocauditError):
    """Invalid user input: one or more problems, all collected in one pass."""

    exit_code = ExitCode.INVALID_INPUT

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))


class UsageError(SocauditError):
    """A command was used wrongly (beyond what Click itself catches)."""

    exit_code = ExitCode.USAGE
