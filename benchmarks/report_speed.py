"""Report rendering speed: HTML system reports per second, seconds per PDF, memory over many.

Takes the latest assessment of a real store (e.g. the one ``make demo`` writes), copies its
systems N times under new ids (records too) to imitate a large province, then renders every
copy's HTML report, and samples the process's memory as the copies go by (the reports are
written and dropped, as ``socaudit report`` does). Then it renders each real system's PDF in
this process, and times ``socaudit report --format pdf`` on the store as a whole process (its
worker processes, start-up and signing included). No network.

    .venv/bin/python benchmarks/report_speed.py --db sqlite:///demo-output/socaudit.db \\
        --systems 200

Goals (issue 10): >= 50 HTML reports/s and <= 1.5 s per PDF on 2 cores; memory flat.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from socaudit.cli.report_cmd import pack_texts
from socaudit.cli.stored_support import run_inventory
from socaudit.evaluation.model import AssessmentResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.inventory.models import Inventory
from socaudit.report.model import build_system_report
from socaudit.report.produce import render_one
from socaudit.store.repository import Store


def widen(
    result: AssessmentResult, inventory: Inventory, records: list[EvidenceRecord], count: int
) -> tuple[AssessmentResult, Inventory, list[EvidenceRecord], list[str]]:
    """``count`` systems, cycling through the real ones under ``<id>-<n>`` ids."""
    base = list(result.systems)
    systems, inv_systems, ids = [], [], []
    for n in range(count):
        judged = base[n % len(base)]
        sid = f"{judged.id}-{n}"
        ids.append(sid)
        systems.append(judged.model_copy(update={"id": sid}))
        inv_systems.append(inventory.system(judged.id).model_copy(update={"id": sid}))
    by_system: dict[str, list[EvidenceRecord]] = {}
    for record in records:
        by_system.setdefault(record.target.system_id, []).append(record)
    wide: list[EvidenceRecord] = []
    for sid, judged in zip(ids, systems, strict=True):
        original = sid.rsplit("-", 1)[0]
        for record in by_system.get(original, []):
            target = record.target.model_copy(update={"system_id": sid})
            wide.append(record.model_copy(update={"target": target}))
        del judged
    return (
        result.model_copy(update={"systems": tuple(systems)}),
        inventory.model_copy(update={"systems": tuple(inv_systems)}),
        wide,
        ids,
    )


def rss_mb() -> float:
    pages = int(Path(f"/proc/{os.getpid()}/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def page_count(pdf: bytes) -> int:
    """Pages of ``pdf``, by poppler's ``pdfinfo`` (installed by ``make setup``)."""
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    return int(next(line.split()[1] for line in info.decode().splitlines() if "Pages:" in line))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of a store with an assessment")
    parser.add_argument("--systems", type=int, default=200)
    parser.add_argument(
        "--pdfs", type=int, default=1000, help="at most this many real systems' PDFs"
    )
    parser.add_argument("--lang", default="vi", choices=["vi", "en"])
    args = parser.parse_args()
    store = Store(args.db)
    try:
        run = store.runs()[-1]
        stored = store.latest_assessment(run.id)
        if stored is None:
            raise SystemExit(f"run {run.id} has no assessment (run socaudit evaluate first)")
        result = AssessmentResult.model_validate(stored.results)
        inventory = run_inventory(store, run)
        records = list(store.records(run.id))
    finally:
        store.close()
    remediation, titles = pack_texts(stored.pack_id, result)
    result, inventory, records, ids = widen(result, inventory, records, args.systems)
    by_system: dict[str, list[EvidenceRecord]] = {}
    for record in records:
        by_system.setdefault(record.target.system_id, []).append(record)

    def html(sid: str) -> int:
        report = build_system_report(
            result, sid, inventory, by_system.get(sid, []), remediation, "completed", titles
        )
        return len(render_one(report, "html", args.lang, "bench"))

    html(ids[0])  # templates compiled once, as in a real run
    samples: list[tuple[int, float]] = []
    size = 0
    start = time.perf_counter()
    for n, sid in enumerate(ids, start=1):
        size += html(sid)
        if n % max(1, len(ids) // 4) == 0 or n == len(ids):
            samples.append((n, rss_mb()))
    elapsed = time.perf_counter() - start
    rate = len(ids) / elapsed
    print(
        f"systems: {len(ids)} (copies of {len(stored.results['systems'])} real ones), "
        f"controls per system: {len(result.systems[0].controls)}, lang {args.lang}"
    )
    print(
        f"HTML: {rate:.1f} reports/s ({elapsed:.2f} s, {size / len(ids) / 1024:.0f} KiB each)"
        f" — goal >= 50/s: {rate / 50:.2f}x"
    )
    print(
        "memory (process RSS) after N reports: "
        + ", ".join(f"{n}: {m:.1f} MiB" for n, m in samples)
    )
    t0 = time.perf_counter()
    import weasyprint  # noqa: F401 - the lazy import socaudit report pays once

    print(f"WeasyPrint import: {time.perf_counter() - t0:.2f} s (once per process)")
    real = ids[: min(args.pdfs, len(stored.results["systems"]))]
    times, cpu, pages = [], [], []
    for sid in real:  # each real system once: 11 to 24 pages in the demo
        report = build_system_report(
            result, sid, inventory, by_system.get(sid, []), remediation, "completed", titles
        )
        t0, c0 = time.perf_counter(), time.process_time()
        pdf = render_one(report, "pdf", args.lang, "bench")
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        pages.append(page_count(pdf))
    mean = sum(times) / len(times)
    print(
        f"PDF, one process: {mean:.2f} s each (min {min(times):.2f}, max {max(times):.2f}, "
        f"{len(times)} systems of {min(pages)}-{max(pages)} pages; CPU "
        f"{sum(cpu) / len(cpu):.2f} s each) — goal <= 1.5 s: {1.5 / mean:.2f}x"
    )
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "socaudit", "--db", args.db, "report", "latest"]
        command += ["--format", "pdf", "--lang", args.lang, "--out", out]
        t0 = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        wall = time.perf_counter() - t0
        made = len(list(Path(out, "reports").glob("*.pdf")))
    print(
        f"PDF, `socaudit report --format pdf` as a whole process ({made} systems, worker "
        f"processes, start-up and signing included): {wall / made:.2f} s each wall — "
        f"goal <= 1.5 s: {1.5 / (wall / made):.2f}x"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak RSS: {peak:.0f} MiB; load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
