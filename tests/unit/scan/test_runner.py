"""The runner: bounded concurrency, exceptions become errored records, follow-ups, skips."""

from __future__ import annotations

import datetime as dt
import threading

from socaudit.collect.base import CollectContext, ProbeFailure, completed, utcnow
from socaudit.collect.runner import Runner
from socaudit.evidence.base import AttemptStatus, ErrorReason, EvidenceKind
from socaudit.evidence.network import DiscoveryResult, PortObservation, PortScanResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.planning import Probe, ScanOptions, ScanPlan, plan_scan
from socaudit.scope import authorize

from .factory import asset, inventory

TODAY = dt.datetime.now(dt.UTC).date()


def make_plan(systems: int = 1, **options: object) -> ScanPlan:
    services = [{"port": 8443, "name": "https"}, {"port": 22, "name": "ssh"}]
    inv = inventory([asset("web", "127.0.30.5", services=services)], systems=systems)
    return plan_scan(authorize(inv, as_of=TODAY), ScanOptions(**options))  # type: ignore[arg-type]


def discovery_ok(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
    result = DiscoveryResult(method="tcp_connect", host_up=True)
    return [completed(probe, utcnow(), result, collector="fake")]


def ports_tls_only(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
    open_tls = PortObservation(port=8443, state="open", service="http", tunnel="ssl")
    closed_ssh = PortObservation(port=22, state="closed", service="ssh")
    result = PortScanResult(
        profile="declared", ports_requested="22,8443", ports=(open_tls, closed_ssh)
    )
    return [completed(probe, utcnow(), result, collector="fake")]


def exploding(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
    raise ZeroDivisionError("collector bug")


def timing_out(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
    raise TimeoutError("read timed out")


def test_exception_becomes_errored_record_and_others_survive() -> None:
    collectors = {
        EvidenceKind.DISCOVERY: discovery_ok,
        EvidenceKind.PORTS: ports_tls_only,
        EvidenceKind.TLS: exploding,
        EvidenceKind.HTTP: timing_out,
    }
    records = list(Runner(collectors, CollectContext(ScanOptions())).run(make_plan()))
    by_kind = {r.kind: r for r in records}
    assert by_kind[EvidenceKind.DISCOVERY].status is AttemptStatus.COMPLETED
    assert by_kind[EvidenceKind.PORTS].status is AttemptStatus.COMPLETED
    tls = by_kind[EvidenceKind.TLS]
    assert (tls.status, tls.error_reason) == (AttemptStatus.ERROR, ErrorReason.BUG)
    assert "ZeroDivisionError" in (tls.detail or "")
    http = by_kind[EvidenceKind.HTTP]
    assert (http.status, http.error_reason) == (AttemptStatus.ERROR, ErrorReason.TIMEOUT)
    assert EvidenceKind.SSH not in by_kind  # port 22 was closed: no SSH follow-up


def test_failed_port_scan_falls_back_to_declared_services() -> None:
    def nmap_missing(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
        raise ProbeFailure(ErrorReason.TOOL_MISSING, "nmap program was not found in path")

    seen: list[str] = []

    def record_probe(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
        seen.append(probe.kind.value)
        return discovery_ok(Probe(EvidenceKind.DISCOVERY, probe.key, probe.target), ctx)

    collectors = {
        EvidenceKind.PORTS: nmap_missing,
        EvidenceKind.TLS: record_probe,
        EvidenceKind.SSH: record_probe,
    }
    records = list(Runner(collectors, CollectContext(ScanOptions())).run(make_plan()))
    ports = next(r for r in records if r.kind is EvidenceKind.PORTS)
    assert ports.error_reason is ErrorReason.TOOL_MISSING
    assert sorted(seen) == ["ssh", "tls"]


def test_completed_keys_are_skipped_and_stored_ports_drive_followups() -> None:
    plan = make_plan()
    ports_key = plan.targets[0].probes[1].key
    calls: list[str] = []

    def count(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
        calls.append(probe.key)
        return discovery_ok(Probe(EvidenceKind.DISCOVERY, probe.key, probe.target), ctx)

    stored = ports_tls_only(plan.targets[0].probes[1], CollectContext(ScanOptions()))[0].payload
    assert isinstance(stored, PortScanResult)
    runner = Runner(
        {EvidenceKind.DISCOVERY: count, EvidenceKind.PORTS: count, EvidenceKind.TLS: count},
        CollectContext(ScanOptions()),
        skip=frozenset({ports_key}),
        stored_ports=lambda probe: stored if probe.key == ports_key else None,
    )
    list(runner.run(plan))
    assert ports_key not in calls
    assert sorted(k.split(":")[0] for k in calls) == ["discovery", "tls"]


def test_per_host_and_overall_limits() -> None:
    lock = threading.Lock()
    active: dict[str, int] = {}
    peak: dict[str, int] = {}
    overall = [0, 0]
    pair = threading.Barrier(2, timeout=30)  # each probe waits for a second one: limits are hit

    def slow(probe: Probe, ctx: CollectContext) -> list[EvidenceRecord]:
        host = str(probe.target.address)
        with lock:
            active[host] = active.get(host, 0) + 1
            peak[host] = max(peak.get(host, 0), active[host])
            overall[0] += 1
            overall[1] = max(overall[1], overall[0])
        pair.wait()
        with lock:
            active[host] -= 1
            overall[0] -= 1
        return discovery_ok(Probe(EvidenceKind.DISCOVERY, probe.key, probe.target), ctx)

    plan = make_plan(systems=6, concurrency=4, per_host=2)
    runner = Runner({EvidenceKind.DISCOVERY: slow}, CollectContext(plan.options))
    records = list(runner.run(plan))
    assert len(records) == 6
    assert peak["127.0.30.5"] == 2  # all six targets share one address
    assert overall[1] <= 4
