"""``socaudit scan``: authorise, plan, collect and store evidence as it arrives.

Exit codes: 0 complete, 4 some probes errored or targets were refused, 130 interrupted
(SIGINT or SIGTERM; the run is marked ``interrupted`` and everything collected is kept).
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime as dt
import hashlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType

import click

from socaudit.cli.context import AppContext, pass_app
from socaudit.cli.plan import (
    AS_OF_OPTION,
    SYSTEM_OPTION,
    TOP_PORTS_OPTION,
    Prepared,
    as_of_date,
    prepare,
)
from socaudit.cli.progress_bar import observer_for
from socaudit.cli.scan_summary import exit_code, summary
from socaudit.collect.base import CollectContext, Collector
from socaudit.collect.discovery import collect_discovery
from socaudit.collect.http_collector import collect_http
from socaudit.collect.nmap_ports import collect_ports, kill_nmap_children
from socaudit.collect.refusals import refusal_record
from socaudit.collect.runner import PortsLookup, Runner
from socaudit.collect.ssh_collector import collect_ssh
from socaudit.collect.tls_collector import collect_tls
from socaudit.errors import InputError, Problem, UsageError
from socaudit.evidence.base import EvidenceKind
from socaudit.evidence.network import PortScanResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.exitcodes import ExitCode
from socaudit.inventory.loader import resolve_path
from socaudit.planning import Probe, ScanOptions, scope_hosts
from socaudit.store.repository import NewRun, RunSummary, Store
from socaudit.store.schema import RunStatus
from socaudit.store.snapshot import take_snapshot

log = logging.getLogger(__name__)

COLLECTORS: dict[EvidenceKind, Collector] = {
    EvidenceKind.DISCOVERY: collect_discovery,
    EvidenceKind.PORTS: collect_ports,
    EvidenceKind.TLS: collect_tls,
    EvidenceKind.HTTP: collect_http,
    EvidenceKind.SSH: collect_ssh,
}


@click.command("scan")
@click.option(
    "-i",
    "--inventory",
    "inventory_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Inventory file (with --resume: default is the run's own inventory).",
)
@SYSTEM_OPTION
@AS_OF_OPTION
@TOP_PORTS_OPTION
@click.option(
    "--resume", "resume_id", type=int, metavar="RUN_ID", help="Finish an interrupted run."
)
@click.option(
    "--import-nmap",
    "import_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Ingest an existing nmap XML file (scope-checked) instead of scanning.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Probes running at once.",
)
@click.option(
    "--per-host",
    type=click.IntRange(1, 16),
    default=3,
    show_default=True,
    help="Probes (and TLS handshakes) at once against one address.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.5, 120),
    default=10.0,
    show_default=True,
    help="Per-socket timeout of every probe, seconds.",
)
@click.option(
    "--host-timeout",
    type=click.IntRange(5, 3600),
    default=120,
    show_default=True,
    help="nmap --host-timeout per address, seconds (the nmap process gets 30 s more).",
)
@click.option("--no-discovery", is_flag=True, help="Skip host discovery.")
@click.option(
    "--ca",
    "extra_ca",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra trust anchors (PEM) besides the inventory's trust.ca_bundles (repeatable).",
)
@pass_app
def scan(
    app: AppContext,
    inventory_path: Path | None,
    system_ids: tuple[str, ...],
    as_of: dt.datetime | None,
    top_ports: int,
    resume_id: int | None,
    import_path: Path | None,
    concurrency: int,
    per_host: int,
    timeout: float,
    host_timeout: int,
    no_discovery: bool,
    extra_ca: tuple[Path, ...],
) -> int:
    """Discover hosts and services of the inventory's systems, inside the authorisation only."""
    if resume_id is not None and import_path is not None:
        raise UsageError("--resume and --import-nmap cannot be combined")
    if inventory_path is None and resume_id is None:
        raise UsageError("give the inventory with -i/--inventory (or --resume RUN_ID)")
    options = ScanOptions(
        top_ports=top_ports,
        timeout=timeout,
        host_timeout=host_timeout,
        concurrency=concurrency,
        per_host=per_host,
        discovery=not no_discovery,
    )
    store = Store(app.db_url)
    try:
        if import_path is not None and inventory_path is not None:
            from socaudit.cli.scan_import import run_import

            return run_import(store, inventory_path, import_path, system_ids, as_of_date(as_of))
        return _scan(store, inventory_path, system_ids, as_of, options, resume_id, extra_ca)
    finally:
        store.close()


def _scan(
    store: Store,
    inventory_path: Path | None,
    system_ids: tuple[str, ...],
    as_of: dt.datetime | None,
    options: ScanOptions,
    resume_id: int | None,
    extra_ca: tuple[Path, ...],
) -> int:
    day: dt.date | None
    if resume_id is not None:
        run = store.run(resume_id)
        if run is None:
            raise UsageError(f"no run {resume_id} in the store (see `socaudit runs`)")
        system_ids, day = run.systems, run.as_of
        inventory_path = resumed_inventory(inventory_path, run)
    else:
        day = as_of_date(as_of)
    if inventory_path is None:  # pragma: no cover - checked by the command
        raise UsageError("no inventory")
    prepared = prepare(inventory_path, system_ids, day, options)
    trust = ca_files(prepared, inventory_path) + extra_ca
    run_id = (
        resume_id
        if resume_id is not None
        else store.start_run(new_run(inventory_path, prepared, options))
    )
    if resume_id is not None:
        store.reopen_run(resume_id)
    click.echo(f"run {run_id}: {'resumed' if resume_id else 'started'}")
    return execute(store, run_id, prepared, trust)


def resumed_inventory(given: Path | None, run: RunSummary) -> Path:
    """The inventory to resume with: the one given, else the run's own (warn if it changed)."""
    path = given or Path(run.inventory_path)
    if not path.is_file():
        raise UsageError(f"the inventory of run {run.id} is gone ({path}); give it with -i")
    if hashlib.sha256(path.read_bytes()).hexdigest() != run.inventory_sha256:
        click.echo(f"socaudit: warning: {path} changed since run {run.id} started", err=True)
    return path


def new_run(inventory_path: Path, prepared: Prepared, options: ScanOptions) -> NewRun:
    return NewRun(
        inventory_path=str(inventory_path.resolve()),
        inventory_sha256=hashlib.sha256(inventory_path.read_bytes()).hexdigest(),
        as_of=prepared.authorized.as_of,
        options=dataclasses.asdict(options),
        systems=tuple((s.id, s.name, s.level) for s in prepared.systems),
        authorization=prepared.authorized.reference,
        snapshot=take_snapshot(inventory_path),
    )


def execute(store: Store, run_id: int, prepared: Prepared, trust: tuple[Path, ...]) -> int:
    """Collect and store; mark the run completed, interrupted or failed."""
    done = store.completed_keys(run_id) | store.refused_keys(run_id)
    tally: collections.Counter[tuple[str, str]] = collections.Counter()
    ctx = CollectContext(
        options=prepared.plan.options,
        ca_files=trust,
        observer=observer_for(sys.stderr),
        scope_hosts=scope_hosts(prepared.plan),
        scope_networks=tuple(str(n) for n in prepared.inventory.authorization.networks),
    )
    runner = Runner(COLLECTORS, ctx, skip=done, stored_ports=_stored_ports(store, run_id))
    status = RunStatus.FAILED
    try:
        with _sigterm_as_interrupt():
            now = dt.datetime.now(dt.UTC)
            refusals = (refusal_record(r, now) for r in prepared.plan.refusals)
            for record in refusals:
                tally[(record.kind.value, record.status.value)] += 1
                if record.probe_key not in done:
                    store.add(run_id, record)
            records = runner.run(prepared.plan)
            try:
                _store_all(store, run_id, records, tally)
            finally:
                records.close()
        status = RunStatus.COMPLETED
    except KeyboardInterrupt:
        status = RunStatus.INTERRUPTED
        ctx.stop.set()
        kill_nmap_children()
    finally:
        store.finish_run(run_id, status)
    click.echo(summary(store, run_id, status, tally))
    if status is RunStatus.INTERRUPTED:
        _leave_if_probes_hang(store)
    return exit_code(status, tally)


def _leave_if_probes_hang(store: Store, grace_s: float = 2.0) -> None:
    """After an interrupt, give running probes ``grace_s`` to end, then exit without waiting.

    Everything is committed already; a probe blocked on a silent server could otherwise hold
    the process for its whole timeout.
    """
    deadline = time.monotonic() + grace_s
    current = threading.current_thread()
    workers = [t for t in threading.enumerate() if t is not current and not t.daemon]
    for thread in workers:
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(t.is_alive() for t in workers):
        store.close()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(ExitCode.INTERRUPTED)


def _store_all(
    store: Store,
    run_id: int,
    records: Iterable[EvidenceRecord],
    tally: collections.Counter[tuple[str, str]],
) -> None:
    for record in records:
        store.add(run_id, record)
        tally[(record.kind.value, record.status.value)] += 1


def _stored_ports(store: Store, run_id: int) -> PortsLookup:
    """Port scans already in the run, by probe key (read once, on first use)."""
    cache: dict[str, PortScanResult] | None = None

    def lookup(probe: Probe) -> PortScanResult | None:
        nonlocal cache
        if cache is None:
            records = store.records(run_id, EvidenceKind.PORTS.value)
            cache = {
                r.probe_key: r.payload for r in records if isinstance(r.payload, PortScanResult)
            }
        return cache.get(probe.key)

    return lookup


def ca_files(prepared: Prepared, inventory_path: Path) -> tuple[Path, ...]:
    """The inventory's extra trust anchors (relative to the inventory file's folder).

    A missing bundle stops the scan before any packet: without it every chain would be
    reported untrusted.
    """
    paths = tuple(resolve_path(inventory_path, n) for n in prepared.inventory.trust.ca_bundles)
    problems = [
        Problem(
            inventory_path,
            None,
            f"trust.ca_bundles: {path} does not exist",
            "for the demo, start the lab first: socaudit lab up",
        )
        for path in paths
        if not path.is_file()
    ]
    if problems:
        raise InputError(problems)
    return paths


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM behaves like Ctrl-C while scanning (the run is kept, marked interrupted)."""

    def handler(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
