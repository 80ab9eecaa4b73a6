"""The entry point maps every kind of failure to its documented exit code."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from socaudit.cli import main as main_module
from socaudit.errors import InputError, Problem
from socaudit.exitcodes import ExitCode


@click.command("boom")
@click.argument("kind")
def boom(kind: str) -> None:
    """Raise what the test asks for."""
    if kind == "bug":
        raise RuntimeError("unexpected state")
    if kind == "input":
        raise InputError(
            [Problem(Path("inv.yaml"), 7, "unknown key 'nmae'", "did you mean 'name'?")]
        )
    if kind == "interrupt":
        raise KeyboardInterrupt


def run(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setitem(main_module.COMMANDS, "boom", f"{__name__}:boom")
    with pytest.raises(SystemExit) as exc:
        main_module.main(list(argv))
    return int(exc.value.code or 0)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("boom", "bug"), ExitCode.INTERNAL),
        (("boom", "input"), ExitCode.INVALID_INPUT),
        (("boom", "interrupt"), ExitCode.INTERRUPTED),
        (("no-such-command",), ExitCode.USAGE),
        (("--version",), ExitCode.OK),
    ],
)
def test_exit_codes(monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...], expected: int) -> None:
    assert run(monkeypatch, *argv) == expected


def test_input_error_prints_file_line_and_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run(monkeypatch, "boom", "input")
    err = capsys.readouterr().err
    assert "inv.yaml:7: error: unknown key 'nmae' (did you mean 'name'?)" in err
    assert "Traceback" not in err


def test_bug_says_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run(monkeypatch, "boom", "bug")
    err = capsys.readouterr().err
    assert "internal error" in err
    assert "RuntimeError: unexpected state" in err
