"""Helpers for the scan integration tests: lab inventories, running the CLI, reading the store."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from socaudit.lab.targets import SERVICE_NAMES

REPO = Path(__file__).parents[2]


def lab_inventory(
    path: Path,
    lab: Any,
    groups: dict[str, list[str]],
    *,
    window: tuple[dt.date, dt.date] | None = None,
    scope: str = "127.0.10.0/24",
) -> Path:
    """One system per key of ``groups``; each lists lab endpoint names, one asset per address."""
    today = dt.datetime.now(dt.UTC).date()
    start, end = window or (today - dt.timedelta(days=10), today + dt.timedelta(days=10))
    systems = [_system(system_id, names, lab) for system_id, names in groups.items()]
    data = {
        "schema_version": 1,
        "organization": {"name": "Sở Khoa học và Công nghệ tỉnh Lạng Sơn"},
        "authorization": {
            "reference": "Quyết định số 77/QĐ-UBND (kiểm thử)",
            "approved_by": "Chủ tịch UBND tỉnh",
            "window": {"from": start, "to": end},
            "scope": [scope],
        },
        "trust": {"ca_bundles": [str(lab.ca_bundle)]},
        "systems": systems,
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _system(system_id: str, names: list[str], lab: Any) -> dict[str, Any]:
    assets: dict[str, dict[str, Any]] = {}
    for name in names:
        endpoint = lab.endpoint(name)
        asset = assets.setdefault(
            endpoint.address,
            {
                "id": f"{system_id}-{len(assets) + 1}",
                "address": endpoint.address,
                "hostname": f"{name}.lab.socaudit.test",
                "services": [],
            },
        )
        asset["services"].append(
            {"port": endpoint.port, "name": SERVICE_NAMES[endpoint.kind], "exposure": "public"}
        )
    return {
        "id": system_id,
        "name": f"Hệ thống {system_id} — thử nghiệm",
        "level": 2,
        "level_approval": {"status": "approved"},
        "assets": list(assets.values()),
    }


def socaudit_cmd(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "socaudit", "--db", f"sqlite:///{db}", *args]


@contextlib.contextmanager
def sigint_deliverable() -> Iterator[None]:
    """Children started in this block act on SIGINT even when the test run itself inherited
    SIGINT *ignored* (a job started with ``&`` by a non-interactive shell, as CI runners and
    nohup do): an ignored signal stays ignored across exec, a handler is reset to the default."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_socaudit(db: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a child process (exit codes as users see them)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        socaudit_cmd(db, *args),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=env,
        check=False,
    )


def query(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db, timeout=10) as connection:
        return list(connection.execute(sql, params))


def demo_copy(folder: Path, lab: Any) -> Path:
    """The bundled demo inventory with the running lab's CA and absolute evidence paths."""
    demo = REPO / "inventories" / "demo.yaml"
    data = yaml.safe_load(demo.read_text(encoding="utf-8"))
    data["trust"]["ca_bundles"] = [str(lab.ca_bundle)]
    data["evidence_files"] = [str(demo.parent / f) for f in data.get("evidence_files", [])]
    path = folder / "demo.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
