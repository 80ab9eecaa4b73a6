"""Wall time and peak memory of ``socaudit scan``: the demo inventory, and a synthetic province.

Run: ``.venv/bin/python benchmarks/scan_demo.py [--lab-dir DIR] [--systems 200]``.
Uses the running lab (``--lab-dir``, else one started elsewhere, else the lab the test suite shares;
started if needed and stopped by its last user). Each scan runs as a child process with its own
SQLite store in a temporary folder. Peak memory is ``ru_maxrss`` of that scanner process (from
``wait4``; its nmap children are far smaller). Loopback only: every target is in the lab.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import ipaddress
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from socaudit.lab import api
from socaudit.lab.shared import shared_lab
from socaudit.lab.targets import SERVICE_NAMES

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "inventories" / "demo.yaml"


def demo_copy(folder: Path, lab: api.LabInfo) -> Path:
    """The demo inventory with absolute paths (the lab's CA, the demo's evidence files)."""
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    data["trust"]["ca_bundles"] = [str(lab.ca_bundle)]
    data["evidence_files"] = [str(DEMO.parent / f) for f in data.get("evidence_files", [])]
    return _write(folder / "demo.yaml", data)


def synthetic(folder: Path, labs: list[api.LabInfo], systems: int) -> Path:
    """``systems`` systems, one asset each, spread over the endpoints of every lab given."""
    today = dt.datetime.now(dt.UTC).date()
    endpoints = [e for lab in labs for e in lab.endpoints]
    networks = sorted(
        {str(ipaddress.ip_network(f"{e.address}/24", strict=False)) for e in endpoints}
    )
    items = []
    for n in range(systems):
        e = endpoints[n % len(endpoints)]
        asset = {
            "id": f"a{n}",
            "address": e.address,
            "hostname": e.hostname,
            "services": [{"port": e.port, "name": SERVICE_NAMES[e.kind]}],
        }
        items.append(
            {
                "id": f"s{n}",
                "name": f"Hệ thống tổng hợp số {n}",
                "level": 1 + n % 4,
                "level_approval": {"status": "approved"},
                "assets": [asset],
            }
        )
    data = {
        "schema_version": 1,
        "organization": {"name": "Ủy ban nhân dân tỉnh (tổng hợp)"},
        "authorization": {
            "reference": "Quyết định số 1/QĐ-UBND",
            "approved_by": "Chủ tịch",
            "window": {"from": today, "to": today},
            "scope": networks,
        },
        "trust": {"ca_bundles": sorted({str(lab.ca_bundle) for lab in labs})},
        "systems": items,
    }
    return _write(folder / f"synthetic-{systems}.yaml", data)


def lab_network(address: str) -> ipaddress.IPv4Network:
    """The /24 a lab endpoint lives in (each lab uses one /24)."""
    return ipaddress.IPv4Network(f"{address}/24", strict=False)


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def scan(inventory: Path, db: Path, extra: list[str]) -> dict[str, Any]:
    """Run one scan as a child process; wall time, peak RSS, records and exit code."""
    args = [
        sys.executable,
        "-m",
        "socaudit",
        "--db",
        f"sqlite:///{db}",
        "scan",
        "-i",
        str(inventory),
        *extra,
    ]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    begin = time.monotonic()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - begin
    child.returncode = os.waitstatus_to_exitcode(status)
    peak_mib = usage.ru_maxrss / 1024
    with sqlite3.connect(db) as connection:
        (records,) = connection.execute("select count(*) from evidence").fetchone()
        (systems,) = connection.execute("select count(*) from run_systems").fetchone()
        by_status = dict(connection.execute("select status, count(*) from evidence group by 1"))
    return {
        "wall_s": wall,
        "peak_mib": peak_mib,
        "records": records,
        "systems": systems,
        "status": by_status,
        "exit": child.returncode,
    }


def check_loopback(lab: api.LabInfo) -> None:
    for e in lab.endpoints:
        if not ipaddress.ip_address(e.address).is_loopback:
            raise SystemExit(f"refusing to benchmark a non-loopback target: {e.address}")


def report(name: str, result: dict[str, Any]) -> None:
    per = result["wall_s"] / max(1, result["systems"])
    print(
        f"{name:<16} systems={result['systems']:<4} records={result['records']:<5} "
        f"wall={result['wall_s']:7.1f} s  per-system={per:5.2f} s  "
        f"peak-rss={result['peak_mib']:6.1f} MiB  exit={result['exit']}  {result['status']}"
    )


@contextlib.contextmanager
def extra_labs(folder: Path, count: int) -> Iterator[list[api.LabInfo]]:
    """``count`` more labs on 127.0.110.0/24, 127.0.111.0/24, … (loopback), stopped afterwards."""
    started: list[Path] = []
    try:
        labs = []
        for n in range(count):
            directory = folder / f"lab-{n}"
            started.append(directory)
            labs.append(api.start(directory, ipaddress.IPv4Network(f"127.0.{110 + n}.0/24")))
        yield labs
    finally:
        for directory in started:
            api.stop(directory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lab-dir", default=None)
    parser.add_argument("--systems", type=int, default=200)
    parser.add_argument(
        "--labs",
        type=int,
        default=1,
        help="lab copies for the synthetic inventory (N-1 extra labs on 127.0.110+.0/24): "
        "10 labs give 200 distinct endpoints, so no probe is shared between systems",
    )
    parser.add_argument(
        "--scan-arg",
        action="append",
        default=[],
        help="extra argument for socaudit scan (repeatable)",
    )
    ns = parser.parse_args()
    with (
        shared_lab(ns.lab_dir) as lab,
        tempfile.TemporaryDirectory(prefix="socaudit-bench-") as tmp,
    ):
        check_loopback(lab)
        folder = Path(tmp)
        report("demo", scan(demo_copy(folder, lab), folder / "demo.db", ns.scan_arg))
        with extra_labs(folder, ns.labs - 1) as extra:
            labs = [lab, *extra]
            inv = synthetic(folder, labs, ns.systems)
            label = f"synthetic-{ns.systems} on {sum(len(x.endpoints) for x in labs)} endpoints"
            report(label, scan(inv, folder / "synth.db", ns.scan_arg))


if __name__ == "__main__":
    main()
