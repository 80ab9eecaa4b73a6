"""``socaudit plan`` prints the plan and refusals without opening a single socket."""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from socaudit.cli.main import cli, main
from socaudit.collect.nmap_ports import top_tcp_ports
from socaudit.exitcodes import ExitCode

from .factory import asset, write_inventory

WINDOW = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket connect/send or child process fails the test."""

    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("plan must not touch the network or start processes")

    for name in ("connect", "connect_ex", "send", "sendall", "sendto"):
        monkeypatch.setattr(socket.socket, name, forbidden)
    monkeypatch.setattr(subprocess.Popen, "__init__", forbidden)


def inventory_file(tmp_path: Path) -> Path:
    services = [{"port": 8443, "name": "https"}, {"port": 2222, "name": "ssh"}]
    assets = [asset("web", "127.0.30.5", hostname="cong.example.vn", services=services)]
    return write_inventory(tmp_path / "kiểm-kê.yaml", assets, window=WINDOW, systems=2)


def test_plan_json_lists_probes_without_network(tmp_path: Path, no_network: None) -> None:
    path = inventory_file(tmp_path)
    result = CliRunner().invoke(
        cli,
        [
            "plan",
            "-i",
            str(path),
            "--as-of",
            "2026-06-15",
            "--format",
            "json",
            "--system",
            "he-thong-2",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2026-06-15"
    assert data["refused"] == []
    (target,) = data["targets"]
    assert (target["system"], target["address"], target["declared_ports"]) == (
        "he-thong-2",
        "127.0.30.5",
        [2222, 8443],
    )
    kinds = [p["kind"] for p in target["probes"]]
    assert kinds == ["discovery", "ports"]
    assert target["probes"][1]["nmap_arguments"][:2] == ["-n", "-Pn"]
    scanned = target["probes"][1]["ports"]
    assert {2222, 8443, 80, 443, 22} <= set(scanned)  # declared plus nmap's top 100
    assert scanned == sorted(set(top_tcp_ports(100)) | {2222, 8443})
    assert sorted(p["kind"] for p in target["after_port_scan"]) == ["http", "ssh", "tls"]


def test_plan_shows_refusals_outside_window(tmp_path: Path, no_network: None) -> None:
    path = inventory_file(tmp_path)
    result = CliRunner().invoke(cli, ["plan", "-i", str(path), "--as-of", "2026-07-01"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("REFUSED") == 2
    assert "outside the window" in result.stdout
    assert "0 target(s)" in result.stdout


def test_unknown_system_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = inventory_file(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["plan", "-i", str(path), "--system", "khong-co"])
    assert exited.value.code == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "unknown system id(s): khong-co" in err
    assert "Traceback" not in err
