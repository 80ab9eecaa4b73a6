"""`socaudit evidence` on a store populated in the test: text, JSON, escaping, exit codes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from socaudit.cli.main import main
from socaudit.evidence.records import EvidenceRecord
from socaudit.evidence.tls import Finding
from socaudit.exitcodes import ExitCode
from socaudit.store.repository import NewRun, Store
from socaudit.store.schema import RunStatus

from .details import discovery, graded_tls, plain_http, weak_ssh
from .records import HOSTILE, INVENTORY, NOW, ports, refusal, tls

Invoke = Callable[..., tuple[int, str]]


def store_run(tmp_path: Path, records: list[EvidenceRecord], status: RunStatus) -> str:
    tmp_path.mkdir(parents=True, exist_ok=True)
    inventory = tmp_path / "inventory.yaml"
    data = INVENTORY.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    inventory.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url)
    try:
        run_id = store.start_run(
            NewRun(
                inventory_path=str(inventory),
                inventory_sha256=hashlib.sha256(inventory.read_bytes()).hexdigest(),
                as_of=NOW.date(),
                options={},
                systems=(("ioc", "IOC", 3),),
            )
        )
        for item in records:
            store.add(run_id, item)
        store.finish_run(run_id, status)
    finally:
        store.close()
    return url


@pytest.fixture
def invoke(capsys: pytest.CaptureFixture[str]) -> Invoke:
    """``(exit code, stdout)`` of ``socaudit --db URL evidence ARGS`` through the entry point."""

    def run(url: str, *args: str) -> tuple[int, str]:
        with pytest.raises(SystemExit) as exited:
            main(["--db", url, "evidence", *args])
        code = exited.value.code
        return (code if isinstance(code, int) else 1), capsys.readouterr().out

    return run


def test_findings_and_undeclared_ports_exit_1(tmp_path: Path, invoke: Invoke) -> None:
    url = store_run(tmp_path, [ports(443, 3306)], RunStatus.COMPLETED)
    code, out = invoke(url)
    assert code == ExitCode.FINDINGS
    assert "open 127.0.30.1:3306 http nginx [UNDECLARED]" in out
    assert "open 127.0.30.1:443 http nginx [declared]" in out
    assert "undeclared open ports: 1" in out


def test_clean_complete_run_exits_0_and_incomplete_run_exits_4(
    tmp_path: Path, invoke: Invoke
) -> None:
    low = Finding(id="tls.no_tls13", severity="low", message="TLS 1.3 is not supported")
    clean_url = store_run(tmp_path / "a", [ports(443), tls(low)], RunStatus.COMPLETED)
    assert invoke(clean_url)[0] == ExitCode.OK
    refused_url = store_run(tmp_path / "b", [ports(443), refusal()], RunStatus.COMPLETED)
    code, out = invoke(refused_url)
    assert code == ExitCode.INCOMPLETE
    assert "not assessed: out of scope 127.0.30.1: 10.0.0.5 is outside the scope" in out
    assert "errors: 0; refusals: 1" in out


def test_hostile_server_strings_are_shown_as_inert_text(tmp_path: Path, invoke: Invoke) -> None:
    url = store_run(tmp_path, [ports(443, product=HOSTILE)], RunStatus.COMPLETED)
    _code, out = invoke(url)
    assert "\x1b" not in out
    assert "\\x1b[2J[bold red]pwned[/]" in out


def test_json_has_a_schema_version_and_totals(tmp_path: Path, invoke: Invoke) -> None:
    url = store_run(tmp_path, [ports(443, 3306)], RunStatus.INTERRUPTED)
    code, out = invoke(url, "1", "--format", "json")
    data = json.loads(out)
    assert code == ExitCode.FINDINGS
    assert data["schema_version"] == 1
    assert data["run"]["status"] == "interrupted"
    assert data["totals"]["undeclared_open_ports"] == 1
    assert data["systems"][0]["findings"][0]["id"] == "ports.undeclared"


@pytest.mark.parametrize("ref", ["7", "abc"])
def test_unknown_run_is_a_usage_error(tmp_path: Path, invoke: Invoke, ref: str) -> None:
    url = store_run(tmp_path, [ports(443)], RunStatus.COMPLETED)
    assert invoke(url, ref)[0] == ExitCode.USAGE


def test_empty_store_says_to_scan_first(tmp_path: Path, invoke: Invoke) -> None:
    code, _out = invoke(f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == ExitCode.USAGE


def test_hostile_certificate_http_and_ssh_strings_stay_inert(
    tmp_path: Path, invoke: Invoke
) -> None:
    hostile = [graded_tls(subject=HOSTILE), plain_http(banner=HOSTILE), weak_ssh(banner=HOSTILE)]
    url = store_run(tmp_path, [ports(443), *hostile], RunStatus.COMPLETED)
    _code, out = invoke(url)
    assert "\x1b" not in out
    # certificate subject, Server header, its version-disclosure finding, SSH banner
    assert out.count("\\x1b[2J[bold red]pwned[/]") == 4


def test_text_shows_assets_tls_http_and_ssh_details(tmp_path: Path, invoke: Invoke) -> None:
    records = [discovery(), ports(3306), graded_tls(), plain_http(), weak_ssh()]
    url = store_run(tmp_path, records, RunStatus.COMPLETED)
    code, out = invoke(url, "latest", "--system", "ioc")
    assert code == ExitCode.FINDINGS
    assert "asset ioc-web 127.0.30.1: up (tcp_connect)" in out
    assert "declared but not open 127.0.30.1:443 https (not open)" in out
    assert "grade C (if trust ignored: B)" in out
    assert "mozilla compliant: intermediate-5.7 no, modern-5.7 ?" in out
    assert "key RSA-1024, sig sha1, trusted, chain INCOMPLETE, hostname MISMATCH" in out
    assert "NO redirect to https" in out
    assert "auth methods: publickey, password" in out
    assert "started 2026-" in out


def test_changed_inventory_is_noted_and_not_compared(tmp_path: Path, invoke: Invoke) -> None:
    url = store_run(tmp_path, [ports(443, 3306)], RunStatus.COMPLETED)
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(inventory.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    code, out = invoke(url)
    assert "changed since the run: declared ports not compared" in out
    assert "[not compared]" in out and "UNDECLARED" not in out
    assert code == ExitCode.OK
    inventory.unlink()
    assert "is missing or no longer valid" in invoke(url)[1]


def test_json_totals_count_errors_and_refusals_apart(tmp_path: Path, invoke: Invoke) -> None:
    url = store_run(tmp_path, [discovery(), ports(443), refusal()], RunStatus.COMPLETED)
    code, out = invoke(url, "--format", "json")
    data = json.loads(out)
    assert code == ExitCode.INCOMPLETE
    assert data["totals"] | {"findings": None} == {
        "findings": None,
        "systems": 1,
        "undeclared_open_ports": 0,
        "problems": 1,
        "errors": 0,
        "refusals": 1,
    }
    assert data["run"]["started_at"].startswith("2026-")
    assert data["systems"][0]["assets"][0]["host_up"] is True


def test_json_tls_keeps_mozilla_as_a_mapping(tmp_path: Path, invoke: Invoke) -> None:
    url = store_run(tmp_path, [ports(443), graded_tls()], RunStatus.COMPLETED)
    (tls,) = json.loads(invoke(url, "--format", "json")[1])["systems"][0]["tls"]
    assert tls["mozilla"] == {"intermediate-5.7": False, "modern-5.7": None}
    assert tls["cert"]["key"] == "RSA-1024"
    assert tls["caps"] == ["C: TLS 1.0 accepted"]


def test_unknown_system_is_a_usage_error(tmp_path: Path, invoke: Invoke) -> None:
    url = store_run(tmp_path, [ports(443)], RunStatus.COMPLETED)
    assert invoke(url, "latest", "--system", "nope")[0] == ExitCode.USAGE


def test_interrupted_run_without_findings_is_incomplete(tmp_path: Path, invoke: Invoke) -> None:
    url = store_run(tmp_path, [discovery(), ports(443)], RunStatus.INTERRUPTED)
    code, out = invoke(url)
    assert code == ExitCode.INCOMPLETE
    assert "run 1 (interrupted" in out
