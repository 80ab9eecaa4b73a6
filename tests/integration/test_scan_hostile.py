"""Hostile services (stall, garbage then reset) cost at most their timeouts: the scan finishes,
the probes are errored records with a reason, nothing crashes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from scan_support import REPO, query, run_socaudit, sigint_deliverable, socaudit_cmd

pytestmark = pytest.mark.integration

STALL = "127.0.20.131"
GARBAGE = "127.0.20.132"
Endpoints = list[tuple[str, int]]


ACCEPTED: dict[str, int] = {}
"""Connections each hostile listener has accepted (the test's readiness signal)."""


def serve(address: str, handle: Callable[[socket.socket], None]) -> socket.socket:
    listener = socket.create_server((address, 0), backlog=64)
    listener.settimeout(0.2)
    ACCEPTED[address] = 0

    def loop() -> None:
        held: list[socket.socket] = []
        while listener.fileno() != -1:
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            ACCEPTED[address] += 1
            handle(conn)
            held.append(conn)
        for conn in held:
            conn.close()

    threading.Thread(target=loop, daemon=True).start()
    return listener


def stall(conn: socket.socket) -> None:
    """Accept and never answer (the connection is held open)."""


def garbage_then_reset(conn: socket.socket) -> None:
    try:
        conn.sendall(b"\x16\x03\x03\x00\x05\xff\xfe\x00garbage\r\n\x00\xff" * 3)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    conn.close()


@pytest.fixture
def hostile() -> Iterator[Endpoints]:
    listeners = [serve(STALL, stall), serve(GARBAGE, garbage_then_reset)]
    yield [listener.getsockname()[:2] for listener in listeners]
    for listener in listeners:
        listener.close()


def inventory(path: Path, endpoints: Endpoints) -> Path:
    today = dt.datetime.now(dt.UTC).date()
    assets = [
        {
            "id": f"may-{n}",
            "address": addr,
            "hostname": f"may-{n}.example.vn",
            "services": [{"port": port, "name": "https"}],
        }
        for n, (addr, port) in enumerate(endpoints, start=1)
    ]
    data = {
        "schema_version": 1,
        "organization": {"name": "Sở Tài chính"},
        "authorization": {
            "reference": "Quyết định số 9/QĐ-UBND",
            "approved_by": "Chủ tịch UBND tỉnh",
            "window": {"from": today, "to": today},
            "scope": ["127.0.20.0/24"],
        },
        "systems": [
            {
                "id": "thu-ngan-sach",
                "name": "Hệ thống thu ngân sách",
                "level": 3,
                "level_approval": {"status": "approved"},
                "assets": assets,
            }
        ],
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_hostile_services_become_errored_records(hostile: Endpoints, tmp_path: Path) -> None:
    (stall_port, garbage_port) = (port for _, port in hostile)
    db = tmp_path / "socaudit.db"
    begin = time.monotonic()
    result = run_socaudit(
        db,
        "scan",
        "-i",
        str(inventory(tmp_path / "inv.yaml", hostile)),
        "--top-ports",
        "0",
        "--timeout",
        "1",
        "--host-timeout",
        "6",
        timeout=120,
    )
    elapsed = time.monotonic() - begin
    assert result.returncode == 4, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert query(db, "select status from runs") == [("completed",)]
    rows = query(
        db,
        "select kind, target, status, error_reason from evidence "
        "where kind in ('ports', 'tls', 'http') order by kind, target",
    )
    errors = {(kind, target): reason for kind, target, status, reason in rows if status == "error"}
    assert ("tls", f"{STALL}:{stall_port}") in errors
    assert ("tls", f"{GARBAGE}:{garbage_port}") in errors
    assert set(errors.values()) <= {"timeout", "protocol", "connectivity"}
    assert errors.get(("ports", STALL)) == "timeout"
    assert elapsed < 90, f"hostile services cost {elapsed:.0f} s"


def test_interrupt_does_not_wait_for_a_probe_stuck_on_a_silent_server(
    hostile: Endpoints, tmp_path: Path
) -> None:
    db = tmp_path / "socaudit.db"
    inv = inventory(tmp_path / "inv.yaml", hostile[:1])
    args = [
        "scan",
        "-i",
        str(inv),
        "--top-ports",
        "0",
        "--no-discovery",
        "--timeout",
        "30",
        "--host-timeout",
        "5",
    ]
    with sigint_deliverable():
        scan = subprocess.Popen(
            socaudit_cmd(db, *args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    end = time.monotonic() + 60
    while time.monotonic() < end and not query_safe(db, "select count(*) from evidence"):
        time.sleep(0.2)
    after_ports = ACCEPTED[STALL]  # nmap is done with the port: the next connection is TLS
    while time.monotonic() < end and ACCEPTED[STALL] == after_ports:
        time.sleep(0.05)
    assert ACCEPTED[STALL] > after_ports, "the TLS follow-up never connected"
    # the TLS follow-up is now waiting on the silent server (30 s timeout)
    scan.send_signal(signal.SIGINT)
    begin = time.monotonic()
    out, err = scan.communicate(timeout=60)
    assert scan.returncode == 130, out + err
    # far below the probe's 30 s timeout, with slack for a loaded machine
    assert time.monotonic() - begin < 20, "the interrupt waited for the stuck probe"
    assert query(db, "select status from runs") == [("interrupted",)]
    assert query(db, "select kind, error_reason from evidence") == [("ports", "timeout")]


def query_safe(db: Path, sql: str) -> int:
    try:
        return int(query(db, sql)[0][0])
    except Exception:
        return 0
