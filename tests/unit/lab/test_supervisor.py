"""Process tracking: pid files guard against pid reuse; stop leaves no descendant alive."""

from __future__ import annotations

import json
import socket
import sys
import time
from pathlib import Path

import pytest

from socaudit.lab import supervisor
from socaudit.lab.targets import LabError

FAMILY = (
    "import subprocess, time; subprocess.Popen(['sleep', '30']); print('ready', flush=True);"
    "time.sleep(30)"
)
READY_WITHIN = 30.0
"""Seconds a child may take to say it is ready (Python start-up on a loaded 2-core machine)."""


def wait_ready(log: Path) -> None:
    """Wait for the child's explicit ``ready`` line in its log (never a fixed sleep)."""
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if log.exists() and "ready" in log.read_text(encoding="utf-8", errors="replace"):
            return
        time.sleep(0.02)
    raise AssertionError(f"{log.name}: the child never said it was ready")


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return tmp_path


def test_spawned_service_is_running_until_stopped(run_dir: Path) -> None:
    pid = supervisor.spawn(run_dir, "svc", ["sleep", "30"], run_dir / "svc.log")
    assert supervisor.running(run_dir, "svc") == pid
    supervisor.stop(run_dir, "svc")
    assert not supervisor.alive(pid)
    assert supervisor.running(run_dir, "svc") is None
    assert not supervisor.pid_file(run_dir, "svc").exists()


def test_stop_takes_the_children_along(run_dir: Path) -> None:
    pid = supervisor.spawn(run_dir, "fam", [sys.executable, "-c", FAMILY], run_dir / "f.log")
    wait_ready(run_dir / "f.log")  # printed after its child was started
    children = supervisor.descendants(pid)
    assert children
    supervisor.stop(run_dir, "fam", timeout=2)
    assert not any(supervisor.alive(p) for p in [pid, *children])


def test_stubborn_process_is_killed_after_the_timeout(run_dir: Path) -> None:
    code = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
        "print('ready', flush=True); time.sleep(30)"
    )
    pid = supervisor.spawn(run_dir, "stub", [sys.executable, "-c", code], run_dir / "s.log")
    wait_ready(run_dir / "s.log")  # SIGTERM is ignored from now on
    started = time.monotonic()
    supervisor.stop(run_dir, "stub", timeout=0.5)
    assert not supervisor.alive(pid)
    assert time.monotonic() - started >= 0.5  # it survived SIGTERM: SIGKILL ended it


def test_recycled_pid_is_not_ours(run_dir: Path) -> None:
    pid = supervisor.spawn(run_dir, "svc", ["sleep", "30"], run_dir / "svc.log")
    try:
        record = json.loads(supervisor.pid_file(run_dir, "svc").read_text())
        record["start_time"] += 1  # same pid, different process start: not ours
        supervisor.pid_file(run_dir, "svc").write_text(json.dumps(record))
        assert supervisor.running(run_dir, "svc") is None
        supervisor.stop(run_dir, "svc")
        assert supervisor.alive(pid)  # a stranger is never signalled
    finally:
        supervisor.terminate(pid, timeout=1)


@pytest.mark.parametrize("content", ["", "{", '{"pid": "x"}', "[]", '{"pid": 1}'])
def test_garbled_pid_files_mean_not_running(run_dir: Path, content: str) -> None:
    supervisor.pid_file(run_dir, "svc").write_text(content)
    assert supervisor.running(run_dir, "svc") is None
    supervisor.stop(run_dir, "svc")  # and stopping is harmless
    assert not supervisor.pid_file(run_dir, "svc").exists()


def test_stop_with_nothing_recorded_is_fine(run_dir: Path) -> None:
    supervisor.stop(run_dir, "never-started")


def test_missing_binary_is_a_lab_error(run_dir: Path) -> None:
    with pytest.raises(LabError, match="cannot start"):
        supervisor.spawn(run_dir, "x", [str(run_dir / "no-such-binary")], run_dir / "x.log")


def test_wait_gives_up_early_when_the_process_dies(run_dir: Path) -> None:
    pid = supervisor.spawn(run_dir, "dies", ["true"], run_dir / "d.log")
    start = time.monotonic()
    pending = supervisor.wait_until_accepting([("127.0.25.2", 9)], [pid], timeout=20)
    assert pending == [("127.0.25.2", 9)]
    assert time.monotonic() - start < 10
    supervisor.stop(run_dir, "dies")


def test_accepts_sees_a_listener() -> None:
    with socket.create_server(("127.0.25.3", 0)) as server:
        port = server.getsockname()[1]
        assert supervisor.accepts("127.0.25.3", port)
    assert not supervisor.accepts("127.0.25.3", port)
