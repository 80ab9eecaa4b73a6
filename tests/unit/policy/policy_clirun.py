"""Run the real ``socaudit`` entry point in-process and capture its exit code and output."""

from __future__ import annotations

import pytest

from socaudit.cli.main import main


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``(exit code, stdout, stderr)`` of ``socaudit ARGS``."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err
