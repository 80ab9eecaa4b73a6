"""Kill test: SIGINT/SIGTERM mid-scan keeps the evidence, marks the run interrupted (exit 130);
``--resume`` finishes it without repeating completed probes."""

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

TLS_TARGETS = ["tls-good", "tls-legacy", "tls-expired", "tls-selfsigned", "tls-sha1", "tls-nofs"]


def start_scan(db: Path, inventory: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    args = socaudit_cmd(db, "scan", "-i", str(inventory), "--top-ports", "0", *extra)
    with sigint_deliverable():
        return subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=env
        )


def wait_for(db: Path, sql: str, deadline_s: float) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if db.exists():
            try:
                if query(db, sql)[0][0]:
                    return
            except Exception:  # noqa: S110 - the schema may not exist yet
                pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for: {sql}")


def completed_keys(db: Path) -> set[str]:
    return {k for (k,) in query(db, "select probe_key from evidence where status = 'completed'")}


def nmap_children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in (task / "children").read_text().split():
            if Path(f"/proc/{child}/comm").read_text().strip() == "nmap":
                found.add(int(child))
    return found


def test_sigint_keeps_evidence_and_resume_completes_without_repeats(
    lab: Any, tmp_path: Path
) -> None:
    inventory = lab_inventory(tmp_path / "inv.yaml", lab, {f"he-{n}": [n] for n in TLS_TARGETS})
    db = tmp_path / "socaudit.db"
    scan = start_scan(db, inventory, "--concurrency", "2", "--per-host", "1")
    wait_for(db, "select count(*) from evidence where kind = 'ports'", 60)
    scan.send_signal(signal.SIGINT)
    out, err = scan.communicate(timeout=30)
    assert scan.returncode == 130, out + err
    assert "Traceback" not in err
    assert query(db, "select status from runs") == [("interrupted",)]
    before = dict(query(db, "select probe_key, count(*) from evidence group by probe_key"))
    completed_before = {
        k for (k,) in query(db, "select probe_key from evidence where status = 'completed'")
    }
    assert any(k.startswith("ports:") for k in completed_before)
    expected = len(TLS_TARGETS) * 4  # discovery, ports, nmap_xml, tls
    assert len(completed_before) < expected, "interrupted too late to prove anything"

    resumed = run_socaudit(db, "scan", "--resume", "1", "--top-ports", "0")  # its own inventory
    assert resumed.returncode in (0, 4), resumed.stdout + resumed.stderr
    assert resumed.stdout.startswith("run 1: resumed")
    assert query(db, "select count(*), min(status) from runs") == [(1, "completed")]
    after = dict(query(db, "select probe_key, count(*) from evidence group by probe_key"))
    for key in completed_before:
        assert after[key] == before[key] == 1, f"{key} was probed again"
    completed_after = {
        k for (k,) in query(db, "select probe_key from evidence where status = 'completed'")
    }
    kinds = [k.split(":")[0] for k in completed_after]
    assert {kind: kinds.count(kind) for kind in set(kinds)}.get("ports") == len(TLS_TARGETS)
    assert kinds.count("tls") + len(
        query(db, "select 1 from evidence where kind = 'tls' and status = 'error'")
    ) >= len(TLS_TARGETS)


def test_sigterm_marks_run_interrupted_and_stops_nmap(lab: Any, tmp_path: Path) -> None:
    inventory = lab_inventory(tmp_path / "inv.yaml", lab, {"he-1": TLS_TARGETS[:3]})
    db = tmp_path / "socaudit.db"
    scan = start_scan(db, inventory, "--no-discovery")
    wait_for(db, "select count(*) from runs", 30)
    end = time.monotonic() + 60
    children: set[int] = set()
    while not children and time.monotonic() < end:
        children = nmap_children(scan.pid)
        time.sleep(0.1)
    assert children, "nmap never started"
    scan.send_signal(signal.SIGTERM)
    out, err = scan.communicate(timeout=30)
    assert scan.returncode == 130, out + err
    assert "interrupted" in out
    assert query(db, "select status, finished_at is not null from runs") == [("interrupted", 1)]
    end = time.monotonic() + 30  # the kernel reaps them asynchronously; a loaded machine is slow
    while any(Path(f"/proc/{pid}").exists() for pid in children) and time.monotonic() < end:
        time.sleep(0.05)
    assert not any(Path(f"/proc/{pid}").exists() for pid in children), "nmap left running"
