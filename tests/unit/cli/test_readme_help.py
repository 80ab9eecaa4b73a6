"""README's command block equals `socaudit --help` (rewrite it with `make readme`)."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from socaudit.cli.main import cli

README = Path(__file__).parents[3] / "README.md"
START, END = "<!-- help:start -->", "<!-- help:end -->"


def help_block() -> str:
    """The block README must hold: `socaudit --help` at 100 columns, fenced."""
    result = CliRunner().invoke(cli, ["--help"], terminal_width=100, prog_name="socaudit")
    assert result.exit_code == 0, result.output
    return f"{START}\n```text\n{result.output.rstrip()}\n```\n{END}"


def current_block(text: str) -> str:
    start, end = text.index(START), text.index(END) + len(END)
    return text[start:end]


def test_readme_shows_the_real_help() -> None:
    text = README.read_text(encoding="utf-8")
    assert current_block(text) == help_block(), "README is stale: run `make readme`"


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    README.write_text(text.replace(current_block(text), help_block()), encoding="utf-8")
    sys.exit(0)
