"""Start, track and stop the lab's background processes (one pid file per service).

A pid file records the pid and the kernel start time of the process, so a recycled pid is
never mistaken for ours. Stopping sends SIGTERM to the process, its process group and every
descendant, then SIGKILL after a timeout; zombies count as gone.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from socaudit.lab.targets import LabError

_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}
"""Processes started by this interpreter, kept so they can be reaped (no zombies, no warnings)."""


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name, or None if there is no such process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    return raw.rpartition(")")[2].split()


def start_time(pid: int) -> int | None:
    """Kernel start time of a live (non-zombie) process, or None."""
    fields = _stat(pid)
    if fields is None or fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def alive(pid: int, started: int | None = None) -> bool:
    """True if ``pid`` runs (not a zombie) and, when given, started at ``started``."""
    now = start_time(pid)
    return now is not None and (started is None or now == started)


def descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (children, grandchildren, ...)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        fields = _stat(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None:
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def group_members(pgid: int) -> list[int]:
    """Live processes in process group ``pgid`` (e.g. workers orphaned by a killed master)."""
    members = []
    for entry in Path("/proc").iterdir():
        fields = _stat(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None and fields[0] not in ("Z", "X") and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def pid_file(run_dir: Path, name: str) -> Path:
    """Where the pid of service ``name`` is recorded."""
    return run_dir / f"{name}.pid.json"


def _record(run_dir: Path, name: str) -> tuple[int, int] | None:
    try:
        record = json.loads(pid_file(run_dir, name).read_text(encoding="utf-8"))
        return int(record["pid"]), int(record["start_time"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def running(run_dir: Path, name: str) -> int | None:
    """The pid of service ``name`` if it is alive and really ours, else None."""
    record = _record(run_dir, name)
    if record is None:
        return None
    if alive(*record):
        return record[0]
    _reap(record[0])  # it died (e.g. killed): collect it if it was our child
    return None


def spawn(
    run_dir: Path, name: str, argv: Sequence[str], log: Path, env: Mapping[str, str] | None = None
) -> int:
    """Start ``argv`` in its own session, output to ``log``; record it as service ``name``."""
    with log.open("ab") as out:
        try:
            proc = subprocess.Popen(  # noqa: S603 - argument list built by the lab, no shell
                list(argv), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True, env=dict(env) if env is not None else None,
            )  # fmt: skip
        except OSError as exc:
            raise LabError(f"cannot start {name}: {exc}") from exc
    _CHILDREN[proc.pid] = proc
    started = start_time(proc.pid) or 0
    record = {"pid": proc.pid, "start_time": started, "argv": list(argv)}
    pid_file(run_dir, name).write_text(json.dumps(record), encoding="utf-8")
    return proc.pid


def _signal_all(pids: Iterable[int], sig: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def _reap(pid: int, wait: float = 0.0) -> None:
    """Collect the exit status of ``pid`` if it is our child and has ended (no zombie left)."""
    proc = _CHILDREN.get(pid)
    if proc is None:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)
        return
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=wait)
        del _CHILDREN[pid]


def terminate(pid: int, timeout: float = 5.0) -> None:
    """SIGTERM ``pid``, its group and descendants; SIGKILL what is left after ``timeout``."""
    family = [pid, *descendants(pid)]
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGTERM)
    _signal_all(family, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(alive(p) for p in family):
        _reap(pid)
        time.sleep(0.05)
    _signal_all((p for p in family if alive(p)), signal.SIGKILL)
    _reap(pid, wait=1.0)


def _kill_orphans(pgid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while (members := group_members(pgid)) and time.monotonic() < deadline:
        _signal_all(members, signal.SIGKILL)
        time.sleep(0.05)


def stop(run_dir: Path, name: str, timeout: float = 5.0) -> None:
    """Stop service ``name`` if it runs, and forget its pid file either way.

    If the recorded leader died abruptly, its orphans still carry its process group id (the
    kernel does not reuse a pid while its group exists), so they are stopped too.
    """
    record = _record(run_dir, name)
    if record is not None and alive(*record):
        terminate(record[0], timeout)
    elif record is not None and start_time(record[0]) is None:
        _reap(record[0])
        _kill_orphans(record[0], timeout)
    pid_file(run_dir, name).unlink(missing_ok=True)


def accepts(address: str, port: int, timeout: float = 0.3) -> bool:
    """True if a TCP connection to ``address:port`` succeeds."""
    try:
        with socket.create_connection((address, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until_accepting(endpoints: Sequence[tuple[str, int]], pids: Sequence[int],
                         timeout: float) -> list[tuple[str, int]]:  # fmt: skip
    """Wait until every endpoint accepts (or a watched process dies); return those that don't."""
    deadline = time.monotonic() + timeout
    pending = list(endpoints)
    while pending and time.monotonic() < deadline:
        pending = [ep for ep in pending if not accepts(*ep)]
        if pending and not all(alive(pid) for pid in pids):
            break
        if pending:
            time.sleep(0.05)
    return pending
