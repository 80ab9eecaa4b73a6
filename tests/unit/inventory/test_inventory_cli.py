"""``socaudit inventory validate|show`` through the real entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .inventory_clirun import run_cli

DEMO = Path(__file__).parents[3] / "inventories" / "demo.yaml"


def test_validate_demo_prints_summary_and_located_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_cli(capsys, "inventory", "validate", str(DEMO))

    assert code == 0
    assert out == f"{DEMO}: valid — 12 systems, 33 assets, 2 warnings\n"
    lines = err.splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{DEMO}:") and ": warning: system '" in line for line in lines)
    assert "'trolyao': declared level 1 is below the minimum level 2" in lines[0]
    assert "'sohoa': declared level 2 is below the minimum level 3" in lines[1]


def test_show_lists_every_system_with_due_dates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run_cli(capsys, "inventory", "show", str(DEMO), "--as-of", "2026-11-28")

    assert code == 0
    for system_id in ("lgsp", "ioc", "portal", "dvc", "qlvb", "mail", "vhop", "cuakhau"):
        assert f"│ {system_id} " in out
    assert "Cổng thông tin điện tử tỉnh Lạng Sơn" in out
    cuakhau = next(line for line in out.splitlines() if "│ cuakhau " in line)
    assert "2026-08-15 overdue" in cuakhau
    lgsp = next(line for line in out.splitlines() if "│ lgsp " in line)
    assert "2027-03-10" in lgsp and "overdue" not in lgsp


def test_show_as_of_moves_the_overdue_line(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = run_cli(capsys, "inventory", "show", str(DEMO), "--as-of", "2027-03-11")

    lgsp = next(line for line in out.splitlines() if "│ lgsp " in line)
    assert "2027-03-10 overdue" in lgsp


def test_show_and_validate_refuse_invalid_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("- a\n", encoding="utf-8")

    for command in ("show", "validate"):
        code, out, err = run_cli(capsys, "inventory", command, str(path))
        assert (code, out) == (3, "")
        assert err.startswith(f"{path}:1: error: the top level must be a mapping")


def test_bad_as_of_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "inventory", "show", str(DEMO), "--as-of", "28/11/2026")

    assert code == 2
    assert "--as-of" in err


def test_inventory_command_is_listed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run_cli(capsys, "--help")

    assert code == 0
    assert "inventory" in out


def test_module_entry_point_refuses_a_bomb_without_traceback() -> None:
    bomb = DEMO.parents[1] / "tests" / "data" / "inventories" / "invalid" / "yaml-bomb.yaml"

    done = subprocess.run(
        [sys.executable, "-m", "socaudit", "inventory", "validate", str(bomb)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert done.returncode == 3
    assert done.stderr.startswith(f"{bomb}:1: error: the file expands to more than")
    assert "Traceback" not in done.stderr


def test_show_prints_names_as_text_not_markup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = DEMO.read_text(encoding="utf-8").replace(
        '"Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP)"', '"LGSP [bold red]thử nghiệm[/]"'
    )
    text = text.replace("evidence_files: [demo-evidence.yaml]", "")
    inventory = tmp_path / "markup.yaml"
    inventory.write_text(text, encoding="utf-8")
    code, out, _err = run_cli(capsys, "inventory", "show", str(inventory))
    assert code == 0
    assert "LGSP [bold red]thử nghiệm[/]" in out
