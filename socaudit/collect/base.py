"""What every collector shares: its context, its failure type, and record construction."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from socaudit.collect.memo import Memo
from socaudit.evidence.base import AttemptStatus, ErrorReason, EvidenceKind
from socaudit.evidence.records import EvidenceRecord, Payload, TargetRef
from socaudit.planning import Probe, ScanOptions
from socaudit.probes.errors import ProbeError
from socaudit.progress import NullObserver, ProgressObserver


class ProbeFailure(Exception):
    """A probe could not produce evidence, for a known reason (not a bug)."""

    def __init__(self, reason: ErrorReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class CollectContext:
    """What collectors may use besides their probe."""

    options: ScanOptions
    ca_files: tuple[Path, ...] = ()
    stop: threading.Event = field(default_factory=threading.Event)
    observer: ProgressObserver = field(default_factory=NullObserver)
    memo: Memo = field(default_factory=Memo)
    """Results of identical probes, shared within the run."""
    scope_hosts: Mapping[str, str] = field(default_factory=dict)
    """Authorised host names and addresses → address (``planning.scope_hosts``)."""
    scope_networks: tuple[str, ...] = ()
    """The written authorisation's networks (CIDR text)."""


Collector = Callable[[Probe, CollectContext], list[EvidenceRecord]]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def target_ref(probe: Probe, port: int | None = None) -> TargetRef:
    t = probe.target
    return TargetRef(
        system_id=t.system_id,
        asset_id=t.asset_id,
        address=str(t.address),
        port=port if port is not None else probe.port,
        hostname=t.hostname,
    )


def completed(
    probe: Probe,
    started: dt.datetime,
    payload: Payload,
    *,
    kind: EvidenceKind | None = None,
    key: str | None = None,
    collector: str,
) -> EvidenceRecord:
    """A completed record for ``probe`` (or a sibling ``kind``/``key``, e.g. raw nmap XML)."""
    return EvidenceRecord(
        kind=kind or probe.kind,
        probe_key=key or probe.key,
        collector=collector,
        target=target_ref(probe),
        started_at=started,
        finished_at=utcnow(),
        status=AttemptStatus.COMPLETED,
        payload=payload,
    )


def errored(
    probe: Probe, started: dt.datetime, reason: ErrorReason, detail: str, *, collector: str
) -> EvidenceRecord:
    """An errored record: the probe ran (or tried) and produced no usable evidence."""
    return EvidenceRecord(
        kind=probe.kind,
        probe_key=probe.key,
        collector=collector,
        target=target_ref(probe),
        started_at=started,
        finished_at=utcnow(),
        status=AttemptStatus.ERROR,
        error_reason=reason,
        detail=detail[:2000],
    )


def skipped(probe: Probe, detail: str, *, collector: str) -> EvidenceRecord:
    """A probe that had nothing to do (e.g. no port to scan)."""
    now = utcnow()
    return EvidenceRecord(
        kind=probe.kind,
        probe_key=probe.key,
        collector=collector,
        target=target_ref(probe),
        started_at=now,
        finished_at=now,
        status=AttemptStatus.SKIPPED,
        detail=detail,
    )


def classify(exc: BaseException) -> tuple[ErrorReason, str]:
    """Map an exception escaping a probe to an error reason (unknown ones are bugs)."""
    if isinstance(exc, ProbeFailure | ProbeError):
        return exc.reason, exc.detail
    if isinstance(exc, ImportError):
        return ErrorReason.TOOL_MISSING, f"collector unavailable: {exc}"
    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, TimeoutError):
        return ErrorReason.TIMEOUT, text
    if isinstance(exc, ConnectionError | OSError):
        return ErrorReason.CONNECTIVITY, text
    return ErrorReason.BUG, text
