"""``socaudit summary`` for a 200-system province: whole-process time of HTML + JSON (< 3 s).

Builds a province of N systems from the demo's (renamed, with awareness and drill records),
stores one run with its inventory snapshot, judges it with the real ``socaudit evaluate``
(every control of the pack for every system; setup, not timed), then times the real
``socaudit summary latest --format html,json`` process several times. Also prints the
in-process split: loading the stored assessment, building the model, rendering. No network.

    .venv/bin/python benchmarks/summary_speed.py --systems 200
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from socaudit.store.repository import NewRun, Store
from socaudit.store.schema import RunStatus
from socaudit.store.snapshot import inventory_sha256, take_snapshot

REPO = Path(__file__).resolve().parents[1]
BUDGET_S = 3.0


def province(folder: Path, count: int) -> Path:
    """The demo's systems repeated as ``<id>-<n>`` until there are ``count``."""
    demo = yaml.safe_load((REPO / "inventories" / "demo.yaml").read_text(encoding="utf-8"))
    base = demo["systems"]
    systems = []
    for n in range(count):
        system = json.loads(json.dumps(base[n % len(base)], default=str))
        system["id"] = f"{system['id']}-{n}"
        system["name"] = f"{system['name']} — đơn vị {n}"
        for asset in system.get("assets", []):
            asset["id"] = f"{asset['id']}-{n}"
        system["awareness"] = {"staff": 40 + n % 7, "informed": 35 + n % 5}
        system["drills"] = [{"date": f"2026-0{1 + n % 9}-15", "kind": "live_fire"}] if n % 3 else []
        systems.append(system)
    demo["systems"] = systems
    demo["evidence_files"] = []
    demo["trust"] = {"ca_bundles": []}
    path = folder / "province.yaml"
    path.write_text(yaml.safe_dump(demo, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def store_run(db: str, inventory: Path, systems: list[dict[str, Any]]) -> None:
    files = take_snapshot(inventory)
    store = Store(db)
    try:
        run = store.start_run(
            NewRun(
                inventory_path=str(inventory),
                inventory_sha256=inventory_sha256(files),
                as_of=dt.date(2026, 12, 1),
                options={},
                systems=tuple((s["id"], s["name"], s["level"]) for s in systems),
                snapshot=files,
            )
        )
        store.finish_run(run, RunStatus.COMPLETED)
    finally:
        store.close()


CPU: list[float] = []
"""CPU seconds (user + system) of each ``socaudit`` child, in call order."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def socaudit(db: str, *args: str) -> float:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "socaudit", "--db", db, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - started
    CPU.append(_children_cpu() - cpu)
    if done.returncode not in (0, 1, 4):
        raise SystemExit(f"socaudit {' '.join(args)} failed: {done.stderr}")
    return elapsed


def in_process(db: str, out: Path) -> dict[str, float]:
    from socaudit.cli.stored_support import find_run, run_inventory, stored_judgements
    from socaudit.summary.as_json import summary_json
    from socaudit.summary.model import build_summary
    from socaudit.summary.render import summary_html

    times: dict[str, float] = {}
    started = time.perf_counter()
    store = Store(db)
    try:
        run = find_run(store, "latest")
        inventory = run_inventory(store, run)
        found = stored_judgements(store)
    finally:
        store.close()
    times["load (store, snapshot, assessment)"] = time.perf_counter() - started
    started = time.perf_counter()
    summary = build_summary(inventory, dt.date(2026, 12, 1), found, run.id)
    times["build model"] = time.perf_counter() - started
    started = time.perf_counter()
    (out / "s.json").write_text(json.dumps(summary_json(summary), ensure_ascii=False))
    times["json"] = time.perf_counter() - started
    started = time.perf_counter()
    (out / "s.html").write_text(summary_html(summary, inventory, "vi"))
    times["html"] = time.perf_counter() - started
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="socaudit-summary-bench-") as tmp:
        folder = Path(tmp)
        db = f"sqlite:///{folder / 'store.db'}"
        inventory = province(folder, args.systems)
        systems = yaml.safe_load(inventory.read_text(encoding="utf-8"))["systems"]
        store_run(db, inventory, systems)
        evaluate_s = socaudit(db, "evaluate", "latest", "--format", "json")
        out = folder / "out"
        first = len(CPU)
        samples = [
            socaudit(
                db,
                "summary",
                "latest",
                "--as-of",
                "2026-12-01",
                "--format",
                "html,json",
                "--out",
                str(out),
            )
            for _ in range(args.runs)
        ]
        cpu = CPU[first:]
        version = socaudit(db, "--version")
        split = in_process(db, folder)
        html_kb = (out / "summary.html").stat().st_size / 1024
    median = statistics.median(samples)
    print(f"province: {args.systems} systems; evaluate (setup) {evaluate_s:.2f} s")
    print(
        f"socaudit summary --format html,json: median {median:.2f} s over {args.runs} runs "
        f"(min {min(samples):.2f}, max {max(samples):.2f}); HTML {html_kb:.0f} KiB"
    )
    print(
        f"budget {BUDGET_S:.1f} s: ratio {median / BUDGET_S:.2f} of the budget "
        f"({'within' if median < BUDGET_S else 'OVER'})"
    )
    print(
        f"CPU (user+system) of the summary process: median {statistics.median(cpu):.2f} s "
        f"(ratio {statistics.median(cpu) / BUDGET_S:.2f} of the budget; wall time also waits "
        f"for a busy CPU, load average {os.getloadavg()[0]:.1f})"
    )
    print(f"process start-up alone (socaudit --version): {version:.2f} s")
    for name, seconds in split.items():
        print(f"  in-process {name:<36} {seconds * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
