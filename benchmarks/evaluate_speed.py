"""Cost of ``socaudit evaluate`` beyond reading the store: judging N systems of a stored run.

Takes the latest run of a real store (e.g. the one ``make demo`` writes) and its inventory,
copies the systems and their records until there are N systems, and times ``evaluate_run``
against the bundled pack (no network, no database inside the timing). Memory: the peak that
the evaluation itself allocates while results stream out one system at a time
(``iter_systems``), for growing N — it stays flat.

    .venv/bin/python benchmarks/evaluate_speed.py --db sqlite:///demo-output/socaudit.db
    .venv/bin/python benchmarks/evaluate_speed.py --controls 45   # ≈45 controls per system
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

from socaudit.evaluation.evaluate import evaluate_run, iter_systems
from socaudit.evaluation.model import PackRef
from socaudit.evidence.records import EvidenceRecord
from socaudit.inventory.loader import load_inventory
from socaudit.inventory.models import Inventory, System
from socaudit.policy.loader import load_pack
from socaudit.policy.resolved import ResolvedControl
from socaudit.store.repository import Store
from socaudit.store.snapshot import load_snapshot


def widen(
    inventory: Inventory, records: list[EvidenceRecord], size: int
) -> tuple[Inventory, list[EvidenceRecord]]:
    """``size`` systems: copies of the run's systems (``<id>-<n>``) with their records."""
    systems: list[System] = []
    out: list[EvidenceRecord] = []
    n = 0
    while len(systems) < size:
        for system in inventory.systems:
            if len(systems) == size:
                break
            new_id = f"{system.id}-{n}"
            systems.append(system.model_copy(update={"id": new_id}))
            for record in records:
                if record.target.system_id == system.id:
                    target = record.target.model_copy(update={"system_id": new_id})
                    out.append(record.model_copy(update={"target": target}))
        n += 1
    return inventory.model_copy(update={"systems": tuple(systems)}), out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite:///demo-output/socaudit.db")
    parser.add_argument("--systems", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--controls", type=int, default=0, help="N controls of each level, spread over the pack."
    )
    args = parser.parse_args(argv)

    store = Store(args.db)
    runs = store.runs()
    if not runs:
        raise SystemExit(f"no run in {args.db}: run `make demo` first")
    run = max(runs, key=lambda r: r.id)
    files = store.snapshot(run.id)
    records = list(store.records(run.id))
    store.close()
    try:
        base = load_snapshot(files)
    except ValueError:
        base = load_inventory(Path(run.inventory_path))
    pack = load_pack("tcvn11930")
    controls = _limited(pack.controls_for_level, args.controls)
    ref = PackRef(id=pack.info.id, version=pack.info.version)
    inventory, wide = widen(base, records, args.systems)
    per_system = statistics.mean(len(controls(s.level)) for s in inventory.systems)

    times = []
    for _ in range(args.repeat):
        start = time.process_time()
        result = evaluate_run(run.id, inventory, controls, wide, run.as_of, ref)
        times.append(time.process_time() - start)
    judged = sum(len(s.controls) for s in result.systems)
    best = min(times)
    print(
        f"evaluate: {len(result.systems)} systems, {per_system:.0f} controls each on average "
        f"({judged} judgements, {len(wide)} evidence records)"
    )
    print(f"  CPU time: best {best:.3f} s, median {statistics.median(times):.3f} s "
          f"({best / judged * 1e6:.0f} µs per control)")  # fmt: skip
    for size in (args.systems // 4, args.systems // 2, args.systems):
        print(f"  peak memory while streaming {size} systems: {_peak(base, records, size):.2f} MiB")


def _limited(
    source: Callable[[int], tuple[ResolvedControl, ...]], limit: int
) -> Callable[[int], tuple[ResolvedControl, ...]]:
    @functools.cache
    def controls(level: int) -> tuple[ResolvedControl, ...]:
        found = source(level)
        if not limit or limit >= len(found):
            return found
        step = len(found) / limit
        return tuple(found[int(i * step)] for i in range(limit))

    return controls


def _peak(base: Inventory, records: list[EvidenceRecord], size: int) -> float:
    inventory, wide = widen(base, records, size)
    pack = load_pack("tcvn11930")
    controls = functools.cache(pack.controls_for_level)

    def by_system() -> dict[str, list[EvidenceRecord]]:
        grouped: dict[str, list[EvidenceRecord]] = {}
        for record in wide:
            grouped.setdefault(record.target.system_id, []).append(record)
        return grouped

    grouped = by_system()
    day = dt.date(2026, 12, 1)
    tracemalloc.start()
    for _result in iter_systems(inventory, inventory.systems, controls, grouped, day, {}):
        pass  # each system's result is dropped, as a streaming writer would
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


if __name__ == "__main__":
    main()
