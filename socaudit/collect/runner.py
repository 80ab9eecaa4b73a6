"""Run a scan plan with bounded concurrency, streaming EvidenceRecords as probes finish.

A scheduler in the caller's thread hands probes to a worker pool, at most ``concurrency`` at a
time and at most ``per_host`` per address. An exception escaping a probe becomes an errored
record; the other results are never lost. Follow-up probes (TLS/HTTP/SSH) are scheduled once
the target's port scan is known.
"""

from __future__ import annotations

import collections
import datetime as dt
import inspect
import logging
from collections.abc import Callable, Generator, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from socaudit.collect.base import CollectContext, Collector, classify, errored, utcnow
from socaudit.evidence.base import EvidenceKind
from socaudit.evidence.network import PortScanResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.inventory.models import IpAddress
from socaudit.planning import Probe, ScanPlan, declared_followups, followups

log = logging.getLogger(__name__)

PortsLookup = Callable[[Probe], PortScanResult | None]
"""Port scan already stored for a target's ports probe (used by --resume)."""

TASK = "probes"


class Runner:
    """Executes probes; ``run()`` is a generator and must be consumed by one thread."""

    def __init__(
        self,
        collectors: Mapping[EvidenceKind, Collector],
        ctx: CollectContext,
        *,
        skip: frozenset[str] = frozenset(),
        stored_ports: PortsLookup = lambda _probe: None,
    ) -> None:
        self._collectors = collectors
        self._ctx = ctx
        self._skip = skip
        self._stored_ports = stored_ports
        self._queue: collections.deque[Probe] = collections.deque()
        self._busy: collections.Counter[IpAddress] = collections.Counter()
        self._running: dict[Future[list[EvidenceRecord]], tuple[Probe, dt.datetime]] = {}

    def run(self, plan: ScanPlan) -> Generator[EvidenceRecord, None, None]:
        """Yield every record of every probe in ``plan`` (skipping completed keys)."""
        for target_plan in plan.targets:
            for probe in target_plan.probes:
                self._enqueue(probe)
        self._ctx.observer.started(TASK, len(self._queue) + _followup_estimate(plan))
        pool = ThreadPoolExecutor(self._ctx.options.concurrency, thread_name_prefix="probe")
        try:
            yield from self._loop(pool)
        finally:
            self._ctx.stop.set()
            pool.shutdown(wait=False, cancel_futures=True)
            self._ctx.observer.finished(TASK)

    def _loop(self, pool: ThreadPoolExecutor) -> Iterator[EvidenceRecord]:
        while self._queue or self._running:
            self._submit_ready(pool)
            done, _ = wait(tuple(self._running), timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                probe, started = self._running.pop(future)
                self._busy[probe.target.address] -= 1
                records = self._records(probe, started, future)
                self._ctx.observer.advanced(TASK, probe.key)
                yield from records
                self._after(probe, records)

    def _enqueue(self, probe: Probe) -> None:
        if probe.kind not in self._collectors:
            log.debug("no collector for %s, skipping %s", probe.kind, probe.key)
        elif probe.key in self._skip:
            self._after(probe, [])
        else:
            self._queue.append(probe)

    def _submit_ready(self, pool: ThreadPoolExecutor) -> None:
        """Start queued probes while the overall and per-host limits allow."""
        waiting: collections.deque[Probe] = collections.deque()
        while self._queue and len(self._running) < self._ctx.options.concurrency:
            probe = self._queue.popleft()
            if self._busy[probe.target.address] >= self._ctx.options.per_host:
                waiting.append(probe)
                continue
            self._busy[probe.target.address] += 1
            collector = self._collectors[probe.kind]
            self._running[pool.submit(collector, probe, self._ctx)] = (probe, utcnow())
        self._queue.extendleft(reversed(waiting))

    def _records(
        self, probe: Probe, started: dt.datetime, future: Future[list[EvidenceRecord]]
    ) -> list[EvidenceRecord]:
        try:
            return future.result()
        except Exception as exc:  # one broken probe never loses the other results
            reason, detail = classify(exc)
            log.info("probe %s failed: %s", probe.key, detail)
            return [
                errored(
                    probe, started, reason, detail, collector=_name(self._collectors[probe.kind])
                )
            ]

    def _after(self, probe: Probe, records: list[EvidenceRecord]) -> None:
        """Once a port scan is known (now or from a resumed run), queue the follow-ups."""
        if probe.kind is not EvidenceKind.PORTS:
            return
        scan = next((r.payload for r in records if isinstance(r.payload, PortScanResult)), None)
        if scan is None and not records:
            scan = self._stored_ports(probe)
        extra = declared_followups(probe.target) if scan is None else followups(probe.target, scan)
        for follow in extra:
            self._enqueue(follow)


def _name(collector: Collector) -> str:
    """The collector's ``NAME`` (as in its completed records)."""
    return str(getattr(inspect.getmodule(collector), "NAME", collector.__name__))


def _followup_estimate(plan: ScanPlan) -> int:
    return sum(len(t.expected_followups) for t in plan.targets)
