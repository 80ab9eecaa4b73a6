"""``socaudit lab status`` output contract (a lab that is not running: no processes needed)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from socaudit.cli.main import cli
from socaudit.exitcodes import ExitCode
from socaudit.lab.targets import TARGETS


def test_status_json_of_a_stopped_lab(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["lab", "status", "--dir", str(tmp_path), "--format", "json"])
    assert result.exit_code == ExitCode.INCOMPLETE
    data = json.loads(result.output)
    assert set(data) == {"endpoints", "ca_bundle"}
    assert [e["name"] for e in data["endpoints"]] == [t.name for t in TARGETS]
    first = data["endpoints"][0]
    assert set(first) == {"name", "kind", "address", "port", "description", "hostname", "up"}
    assert first["up"] is False and first["port"] == 8443
    assert data["ca_bundle"] == str(tmp_path / "ca" / "lab-root.pem")


def test_status_text_lists_every_target(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["lab", "status", "--dir", str(tmp_path)])
    assert result.exit_code == ExitCode.INCOMPLETE
    lines = result.output.splitlines()
    assert sum(line.startswith("down") for line in lines) == len(TARGETS)
    assert any("127.0.10.60:3306" in line for line in lines)


def test_down_with_nothing_running(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["lab", "down", "--dir", str(tmp_path / "none")])
    assert result.exit_code == 0
    assert "stopped" in result.output


def test_lab_dir_defaults_to_the_environment(tmp_path: Path) -> None:
    env = {"SOCAUDIT_LAB_DIR": str(tmp_path / "envlab")}
    result = CliRunner(env=env).invoke(cli, ["lab", "status", "--format", "json"])
    assert json.loads(result.output)["ca_bundle"].startswith(str(tmp_path / "envlab"))
