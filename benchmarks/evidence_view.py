"""Cost of ``socaudit evidence`` beyond reading the store: building the run view and its text.

Takes the latest run of a real store (e.g. the one ``make demo`` writes), copies its records
under N renamed systems to imitate a large province, and times ``build_run_view`` and the text
lines over several repetitions (no network).

    .venv/bin/python benchmarks/evidence_view.py --db sqlite:///demo-output/socaudit.db --copies 50
"""

from __future__ import annotations

import argparse
import statistics
import time

from socaudit.cli.evidence_text import run_text
from socaudit.evidence.records import EvidenceRecord
from socaudit.runview import build_run_view
from socaudit.store.repository import Store


def widen(records: list[EvidenceRecord], copies: int) -> list[EvidenceRecord]:
    """The records repeated under ``<system>-<n>`` system ids."""
    out = []
    for n in range(copies):
        for record in records:
            target = record.target.model_copy(
                update={"system_id": f"{record.target.system_id}-{n}"}
            )
            out.append(record.model_copy(update={"target": target}))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of a store with a run")
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    store = Store(args.db)
    try:
        run = max(store.runs(), key=lambda r: r.id)
        started = time.perf_counter()
        records = list(store.records(run.id))
        read_s = time.perf_counter() - started
    finally:
        store.close()
    wide = widen(records, args.copies)
    build, text = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        view = build_run_view(wide, None)
        build.append(time.perf_counter() - started)
        started = time.perf_counter()
        lines = list(run_text(run, view, None))
        text.append(time.perf_counter() - started)
    print(f"run {run.id}: {len(records)} records read in {read_s * 1000:.0f} ms")
    print(f"x{args.copies}: {len(wide)} records, {len(view.systems)} systems, {len(lines)} lines")
    print(f"build_run_view median {statistics.median(build) * 1000:.0f} ms")
    print(f"text lines     median {statistics.median(text) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
