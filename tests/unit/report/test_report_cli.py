"""``socaudit report``: a stored run and assessment -> a signed bundle of reports (no network)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from socaudit.cli.main import main
from socaudit.report.verify import verify_bundle
from socaudit.store.repository import NewAssessment, NewRun, Store
from socaudit.store.schema import RunStatus
from socaudit.store.snapshot import take_snapshot

from . import sample


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The self-signed signer is created in the test's own user data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def _store(tmp_path: Path, assessed: bool = True) -> str:
    inventory = tmp_path / "province.yaml"
    inventory.write_text(yaml.safe_dump(sample.inventory_data(), allow_unicode=True), "utf-8")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url)
    try:
        run_id = store.start_run(
            NewRun(
                inventory_path=str(inventory),
                inventory_sha256="0" * 64,
                as_of=sample.AS_OF,
                options={},
                systems=(("dvc", "DVC", 3),),
                snapshot=take_snapshot(inventory),
            )
        )
        for record in sample.records():
            store.add(run_id, record)
        store.finish_run(run_id, RunStatus.COMPLETED)
        if assessed:
            result = sample.assessment().model_copy(update={"run": run_id})
            store.save_assessment(
                NewAssessment(
                    run_id=run_id,
                    as_of=sample.AS_OF,
                    pack_id="tcvn11930",
                    pack_version="2026.1",
                    inventory_sha256="0" * 64,
                    inventory_source="snapshot",
                    results=result.model_dump(mode="json"),
                )
            )
    finally:
        store.close()
    return url


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    code = exited.value.code
    captured = capsys.readouterr()
    return (code if isinstance(code, int) else 1), captured.out + captured.err


def test_report_writes_a_verified_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, out = _store(tmp_path), tmp_path / "out"
    code, text = _main(
        capsys, "--db", url, "report", "latest", "--format", "html,md,json,docx", "--out", str(out)
    )
    assert code == 0, text
    assert f"bundle: {out}" in text
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {
        "reports/dvc.vi.html",
        "reports/dvc.vi.md",
        "reports/dvc.vi.docx",
        "reports/dvc.json",
        "inventory/province.yaml",
        "evidence/records.jsonl",
        "results/assessment.json",
        "signer.pem",
        "manifest.json",
        "manifest.sig",
    } <= names
    assert verify_bundle(out).valid
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["pack"] == {"id": "tcvn11930", "version": "2026.1"}
    assert manifest["tools"]["nmap"] == "7.93" and manifest["systems"] == ["dvc"]
    html = (out / "reports" / "dvc.vi.html").read_text()
    assert "&lt;script&gt;" in html and "<script>" not in html
    key = tmp_path / "data" / "socaudit" / "signing" / "signing-key.pem"
    assert key.stat().st_mode & 0o777 == 0o600


def test_english_and_one_system(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url, out = _store(tmp_path), tmp_path / "en"
    args = ["--db", url, "report", "1", "--system", "dvc", "--lang", "en", "--format", "html"]
    code, text = _main(capsys, *args, "--out", str(out))
    assert code == 0, text
    assert "SOCIALIST REPUBLIC" in (out / "reports" / "dvc.en.html").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "9"], "no run '9'"),
        (["report", "latest", "--system", "nope"], "has no system nope"),
        (["report", "latest", "--format", "html,xls"], "unknown format xls"),
        (["report", "latest", "--sign-cert", __file__], "give both --sign-cert and --sign-key"),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, text = _main(capsys, "--db", _store(tmp_path), *args, "--out", str(tmp_path / "o"))
    assert code == 2 and message in text and "Traceback" not in text


def test_a_run_without_assessment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _main(capsys, "--db", _store(tmp_path, assessed=False), "report")
    assert code == 2 and "has no assessment yet" in text
