"""``socaudit assess`` against the lab: scan -> evaluate -> reports -> signed bundle, the
exit code as evaluate's; interrupted while scanning it exits 130 and ``--resume`` finishes."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from scan_support import REPO, lab_inventory, query, run_socaudit, sigint_deliverable, socaudit_cmd

pytestmark = pytest.mark.integration


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONWARNINGS": "ignore", "XDG_DATA_HOME": str(tmp_path / "data")}


def test_assess_writes_a_verified_bundle_and_exits_like_evaluate(
    lab: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    inventory = lab_inventory(
        tmp_path / "inv.yaml", lab, {"cong": ["tls-legacy", "http-plain"], "lgsp": ["tls-good"]}
    )
    db, out = tmp_path / "socaudit.db", tmp_path / "bundle"
    done = run_socaudit(
        db, "assess", "-i", str(inventory), "--top-ports", "0", "--format", "html,md,json",
        "--out", str(out), timeout=400,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # TLS 1.0 and plain HTTP: findings
    assert "assess: 1/3 scan" in done.stderr and "assess: 3/3 reports and bundle" in done.stderr
    assert f"bundle: {out}" in done.stdout and "verified" in done.stdout
    html = (out / "reports" / "cong.vi.html").read_text(encoding="utf-8")
    assert "Hệ thống cong — thử nghiệm" in html and "TLSv1.0" in html
    assert (out / "reports" / "lgsp.json").is_file()
    assert list((out / "evidence" / "nmap").glob("*.xml"))
    assert run_socaudit(db, "verify", str(out)).returncode == 0
    (out / "reports" / "lgsp.vi.md").write_text("# changed\n", encoding="utf-8")
    tampered = run_socaudit(db, "verify", str(out))
    assert tampered.returncode == 1 and "reports/lgsp.vi.md: changed" in tampered.stdout


def test_interrupted_assess_exits_130_and_resume_finishes(lab: Any, tmp_path: Path) -> None:
    targets = ["tls-good", "tls-legacy", "tls-expired", "tls-selfsigned", "tls-sha1"]
    inventory = lab_inventory(tmp_path / "inv.yaml", lab, {f"he-{n}": [n] for n in targets})
    db, out = tmp_path / "socaudit.db", tmp_path / "bundle"
    args = socaudit_cmd(db, "assess", "-i", str(inventory), "--top-ports", "0", "--out", str(out))
    with sigint_deliverable():
        child = subprocess.Popen(
            [*args, "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, cwd=REPO, env=_env(tmp_path),
        )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if query(db, "select count(*) from evidence where status = 'completed'")[0][0]:
                break
        except Exception:  # noqa: S110 - the store may not exist yet
            pass
        time.sleep(0.2)
    child.send_signal(signal.SIGINT)
    _stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == 130, stderr
    assert query(db, "select status from runs") == [("interrupted",)]
    assert not out.exists()  # no report from half the evidence
    env = _env(tmp_path)
    resumed = subprocess.run(
        [*socaudit_cmd(db, "assess", "--resume", "1", "--out", str(out)), "--format", "json"],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=400, check=False,
    )  # fmt: skip
    assert resumed.returncode in (1, 4), resumed.stderr
    assert query(db, "select status from runs") == [("completed",)]
    assert "verified" in resumed.stdout and (out / "reports" / "he-tls-good.json").is_file()
