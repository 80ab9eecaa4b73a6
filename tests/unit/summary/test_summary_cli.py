"""``socaudit summary`` and ``due`` through the entry point: formats, escaping, exit codes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from socaudit.cli.main import main
from socaudit.exitcodes import ExitCode

HOSTILE = '<script>alert(1)</script> =HYPERLINK("http://x") **bold** | pipe'


def inventory(
    tmp_path: Path, name: str = "Cổng dịch vụ công", inspected: str = "2026-06-01"
) -> Path:
    data = {
        "schema_version": 1,
        "organization": {"name": "UBND tỉnh Thử Nghiệm", "province": "Thử Nghiệm"},
        "authorization": {
            "reference": "QĐ 1/QĐ-UBND",
            "approved_by": "Chủ tịch UBND tỉnh",
            "window": {"from": "2026-01-01", "to": "2026-12-31"},
            "scope": ["127.0.10.0/24"],
        },
        "systems": [
            {
                "id": "dvc",
                "name": name,
                "owner": "-2+3",
                "level": 3,
                "level_approval": {"status": "approved", "decision": "@SUM(A1)"},
                "shared_datacenter": True,
                "four_layer": {"independent_inspection": {"last_date": inspected}},
            }
        ],
    }
    path = tmp_path / "inv.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *argv: str) -> tuple[int, str, str]:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    with pytest.raises(SystemExit) as exc:
        main(["--db", db, *argv])
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


@pytest.mark.parametrize(
    ("as_of", "code"),
    [("2027-06-01", ExitCode.OK), ("2027-06-02", ExitCode.FINDINGS)],
)
def test_due_exits_1_exactly_when_a_system_is_overdue(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, as_of: str, code: int
) -> None:
    path = inventory(tmp_path)
    status, out, _ = run(
        capsys, tmp_path, "due", "-i", str(path), "--as-of", as_of, "--format", "json"
    )
    assert status == code
    (entry,) = json.loads(out)["systems"]
    assert entry["due"] == "2027-06-01" and entry["overdue"] is (code == ExitCode.FINDINGS)


def test_summary_html_md_csv_treat_names_as_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = inventory(tmp_path, name=HOSTILE)
    out_dir = tmp_path / "out"
    status, out, _ = run(
        capsys,
        tmp_path,
        "summary",
        "-i",
        str(path),
        "--as-of",
        "2026-12-01",
        "--format",
        "html,md,csv,json",
        "--out",
        str(out_dir),
    )
    assert status == 0, out
    html = (out_dir / "summary.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Đã được phê duyệt" in html and "Định kỳ" in html
    md = (out_dir / "summary.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "\\*\\*bold\\*\\*" in md and "\\| pipe" in md
    rows = list(csv.reader(io.StringIO((out_dir / "summary.csv").read_text(encoding="utf-8"))))
    assert rows[0][0] == "STT" and len(rows) == 2
    cells = rows[1]
    assert cells[1].startswith("<script>")  # text, not a formula: left as it is
    assert cells[2] == "'-2+3"  # owner starting with '-'
    assert cells[6].startswith("'@SUM(A1)")
    assert all(not c.startswith(("=", "+", "-", "@")) for c in cells)
    data = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    assert data["systems"][0]["name"] == HOSTILE
    assert data["kpis"]["shared_assessed_yearly"]["value"] == 1.0


def test_summary_in_english_and_text_to_stdout(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = inventory(tmp_path)
    status, out, _ = run(
        capsys, tmp_path, "summary", "-i", str(path), "--as-of", "2026-12-01", "--lang", "en"
    )
    assert status == 0
    assert "levels_approved" in out and "1/1 (100%)" in out and "Approved" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--format", "pdf"), "--out DIR is needed"),
        (("--format", "xml"), "choose from"),
        (("7",), "no run '7'"),
    ],
)
def test_summary_usage_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: tuple[str, ...], message: str
) -> None:
    path = inventory(tmp_path)
    status, _, err = run(capsys, tmp_path, "summary", *argv, "-i", str(path))
    assert status == ExitCode.USAGE and message in err


def test_summary_without_runs_or_inventory_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, _, err = run(capsys, tmp_path, "summary")
    assert status == ExitCode.USAGE and "no runs" in err


def test_due_without_as_of_is_today_in_the_inventory_time_zone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    days = []
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):  # UTC+14 and UTC-11
        path = inventory(tmp_path)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["authorization"]["timezone"] = zone
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        _, out, _ = run(capsys, tmp_path, "due", "-i", str(path), "--format", "json")
        days.append(dt.date.fromisoformat(json.loads(out)["as_of"]))
    now = dt.datetime.now(dt.UTC)
    expected = [
        now.astimezone(ZoneInfo(z)).date() for z in ("Pacific/Kiritimati", "Pacific/Pago_Pago")
    ]
    assert days == expected and days[0] > days[1]  # 25 hours apart: never the same day


def test_diff_of_an_unreadable_assessment_or_unknown_run_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from socaudit.store.repository import NewAssessment, NewRun, Store

    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        for _ in range(2):
            new = NewRun("inv.yaml", "0" * 64, dt.date(2026, 12, 1), {}, (("dvc", "DVC", 3),))
            run_id = store.start_run(new)
        store.save_assessment(
            NewAssessment(run_id, dt.date(2026, 12, 1), "p", "1", "0" * 64, "run", {"systems": 1})
        )
    finally:
        store.close()
    status, _, err = run(capsys, tmp_path, "diff", "1", "2")
    assert status == ExitCode.USAGE and "stored assessment 1 of run 2 is not readable" in err
    status, _, err = run(capsys, tmp_path, "diff", "1", "9")
    assert status == ExitCode.USAGE and "no run '9'" in err
    status, out, _ = run(capsys, tmp_path, "diff", "1", "1", "--format", "json")
    assert status == ExitCode.OK and len(json.loads(out)["notes"]) == 2
