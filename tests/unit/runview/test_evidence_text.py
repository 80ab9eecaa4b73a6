"""print_lines: plain off a terminal; styled on one, with hostile text still inert."""

from __future__ import annotations

import io

import pytest

from socaudit.cli.evidence_text import print_lines
from socaudit.tls.text import clean

from .records import HOSTILE


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def lines() -> list[str]:
    return [f"  [high] tls.cert.self_signed x: {clean(HOSTILE)}", f"  ssh x: {clean(HOSTILE)}"]


def test_off_a_terminal_lines_are_written_verbatim() -> None:
    out = io.StringIO()
    print_lines(lines(), out)
    assert out.getvalue() == "\n".join(lines()) + "\n"


def test_on_a_terminal_markup_in_server_text_prints_literally(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    out = Terminal()
    print_lines(lines(), out)
    text = out.getvalue()
    assert text.count("\\x1b[2J[bold red]pwned[/]") == 2
    assert "\x1b[2J" not in text
    assert "\x1b[31m" in text  # the high-severity line is red: styles come from socaudit only
