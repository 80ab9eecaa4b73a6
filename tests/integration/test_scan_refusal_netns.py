"""A scope change after validation (window expired, via --as-of): scan refuses, and a capture in
a fresh network namespace proves no packet reached the target. A positive control scan in the
same namespace proves the capture would have seen it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from scan_support import REPO, query, socaudit_cmd

pytestmark = [pytest.mark.integration, pytest.mark.netns]

TARGET = "127.0.30.77"
SENTINEL = ("127.0.0.1", 9999)
"""A UDP datagram sent there after the scan: once the capture file holds it, tcpdump has
written everything before it (an explicit signal instead of a sleep before stopping it)."""
WINDOW_END = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=5)


@pytest.fixture
def netns() -> Iterator[str]:
    """A network namespace with only loopback, deleted afterwards."""
    if os.geteuid() != 0 or shutil.which("ip") is None or shutil.which("tcpdump") is None:
        pytest.fail("this test needs root, iproute2 and tcpdump (make setup installs them)")
    name = f"sa-test-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "delete", name], check=False)


def write_inventory(path: Path) -> Path:
    data = {
        "schema_version": 1,
        "organization": {"name": "Sở Thông tin và Truyền thông"},
        "authorization": {
            "reference": "Quyết định số 5/QĐ-UBND",
            "approved_by": "Chủ tịch UBND tỉnh",
            "window": {"from": WINDOW_END - dt.timedelta(days=30), "to": WINDOW_END},
            "scope": ["127.0.30.0/24"],
        },
        "systems": [
            {
                "id": "cong-thong-tin",
                "name": "Cổng thông tin điện tử",
                "level": 2,
                "level_approval": {"status": "approved"},
                "assets": [
                    {"id": "web", "address": TARGET, "services": [{"port": 8443, "name": "https"}]}
                ],
            }
        ],
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def captured(
    ns: str, pcap: Path, command: list[str]
) -> tuple[int, subprocess.CompletedProcess[str]]:
    """Packets to/from TARGET on the namespace's loopback while ``command`` ran inside it."""
    dump = subprocess.Popen(
        [
            "ip",
            "netns",
            "exec",
            ns,
            "tcpdump",
            "-i",
            "lo",
            "-n",
            "-U",
            "-w",
            str(pcap),
            f"host {TARGET} or (udp and dst port {SENTINEL[1]})",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert dump.stderr is not None
        seen: list[str] = []
        while len(seen) < 5 and not any("listening on" in line for line in seen):
            seen.append(dump.stderr.readline())  # warnings may come first; "" at EOF
        assert "listening on" in seen[-1], seen
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        result = subprocess.run(
            ["ip", "netns", "exec", ns, *command],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=REPO,
            env=env,
            check=False,
        )
        _flushed(ns, pcap)
    finally:
        dump.terminate()
        dump.communicate(timeout=10)
    return len(_read(pcap, f"host {TARGET}")), result


def _read(pcap: Path, expression: str) -> list[str]:
    read = subprocess.run(
        ["tcpdump", "-r", str(pcap), "-n", expression], capture_output=True, text=True, check=True
    )
    return read.stdout.splitlines()


def _flushed(ns: str, pcap: Path) -> None:
    """Send the sentinel inside the namespace and wait until the capture file holds it."""
    send = (
        f"import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', {SENTINEL})"
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c", send], check=True)
        if _read(pcap, f"udp and dst port {SENTINEL[1]}"):
            return
        time.sleep(0.1)
    raise AssertionError("tcpdump never wrote the sentinel packet")


def test_expired_window_sends_nothing(netns: str, tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inv.yaml")
    db = tmp_path / "socaudit.db"
    scan = socaudit_cmd(
        db,
        "scan",
        "-i",
        str(inventory),
        "--top-ports",
        "0",
        "--host-timeout",
        "10",
        "--timeout",
        "2",
    )

    later = (WINDOW_END + dt.timedelta(days=1)).isoformat()
    packets, refused = captured(netns, tmp_path / "refused.pcap", [*scan, "--as-of", later])
    assert refused.returncode == 4, refused.stdout + refused.stderr
    assert "not assessed (out of scope): 1 target(s)" in refused.stdout
    assert f"cong-thong-tin/web {TARGET}: {later} is outside the window" in refused.stdout
    assert packets == 0
    rows = query(db, "select kind, status, error_reason, detail from evidence where run_id = 1")
    assert rows == [
        (
            "refusal",
            "refused",
            "out_of_scope",
            f"{later} is outside the window {WINDOW_END - dt.timedelta(days=30)}..{WINDOW_END}",
        )
    ]

    packets, allowed = captured(netns, tmp_path / "allowed.pcap", scan)
    assert allowed.returncode in (0, 4), allowed.stdout + allowed.stderr
    assert packets > 0, "the control scan must be visible in the capture"
    assert query(db, "select count(*) from evidence where run_id = 2 and kind = 'ports'") == [(1,)]
