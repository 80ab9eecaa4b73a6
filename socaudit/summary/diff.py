"""What changed between two runs, per system: controls (from each run's latest assessment),
open ports and served certificates (from each run's evidence).

Control categories (``open`` = fail or partial, a waived control is not open):
``new`` open now, absent or not judged before (N/A, insufficient evidence, manual, error);
``regressed`` open now, passed before; ``still_open`` open in both; ``fixed`` open before,
passes now; ``waiver_expired`` waived before, not waived now because the waiver's expiry lies
before the second assessment's as-of; ``newly_waived`` waived now, not before.
Ports and certificates are compared only for addresses/endpoints both runs observed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from socaudit.evaluation.model import AssessmentResult, ControlResult, Outcome, SystemResult
from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.network import PortScanResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.evidence.tls import CertificateFacts, TlsEndpointResult
from socaudit.runview import latest_per_probe
from socaudit.summary.gaps import NOT_MET

CATEGORIES = ("new", "fixed", "still_open", "regressed", "waiver_expired", "newly_waived")
WORSE = ("new", "regressed", "waiver_expired")
"""Categories that make ``socaudit diff`` exit 1 (with ports opened)."""


@dataclass(frozen=True, slots=True)
class PortChange:
    asset_id: str | None
    address: str
    port: int
    protocol: str


@dataclass(frozen=True, slots=True)
class CertificateChange:
    target: str
    before: CertificateFacts | None
    after: CertificateFacts | None


@dataclass(slots=True)
class SystemDiff:
    id: str
    controls: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in CATEGORIES})
    ports_opened: list[PortChange] = field(default_factory=list)
    ports_closed: list[PortChange] = field(default_factory=list)
    certificates: list[CertificateChange] = field(default_factory=list)

    @property
    def worse(self) -> bool:
        return bool(self.ports_opened) or any(self.controls[c] for c in WORSE)


def diff_runs(
    before: AssessmentResult | None,
    after: AssessmentResult | None,
    records_before: Iterable[EvidenceRecord],
    records_after: Iterable[EvidenceRecord],
) -> list[SystemDiff]:
    """Per system present in either run (sorted by id)."""
    systems: dict[str, SystemDiff] = {}

    def get(sid: str) -> SystemDiff:
        return systems.setdefault(sid, SystemDiff(sid))

    a = {s.id: s for s in before.systems} if before else {}
    b = {s.id: s for s in after.systems} if after else {}
    as_of = after.as_of if after else dt.date.max
    for sid in sorted(set(a) | set(b)):
        _controls(get(sid), a.get(sid), b.get(sid), as_of)
    old, new = _done(records_before), _done(records_after)
    for record in old + new:
        get(record.target.system_id)
    _ports(old, new, get)
    _certificates(old, new, get)
    return [systems[sid] for sid in sorted(systems)]


def _controls(
    into: SystemDiff, a: SystemResult | None, b: SystemResult | None, as_of: dt.date
) -> None:
    before = {c.id: c for c in a.controls} if a else {}
    for control in b.controls if b else ():
        category = _category(before.get(control.id), control, as_of)
        if category is not None:
            into.controls[category].append(control.id)


def _category(old: ControlResult | None, new: ControlResult, as_of: dt.date) -> str | None:
    was_waived = old is not None and old.outcome is Outcome.WAIVED
    if new.outcome is Outcome.WAIVED:
        return None if was_waived else "newly_waived"
    if was_waived and old is not None and old.waiver is not None and old.waiver.expires < as_of:
        return "waiver_expired"
    was_open = old is not None and old.outcome in NOT_MET
    if new.outcome in NOT_MET:
        if was_open:
            return "still_open"
        return "regressed" if old is not None and old.outcome is Outcome.PASS else "new"
    return "fixed" if was_open and new.outcome is Outcome.PASS else None


def _done(records: Iterable[EvidenceRecord]) -> list[EvidenceRecord]:
    return [r for r in latest_per_probe(records) if r.status is AttemptStatus.COMPLETED]


_PortKey = tuple[str, str]
_Getter = Callable[[str], SystemDiff]


def _open_ports(records: list[EvidenceRecord]) -> dict[_PortKey, dict[tuple[int, str], str | None]]:
    """(system, address) -> {(port, protocol): asset id} of every completed port scan."""
    found: dict[_PortKey, dict[tuple[int, str], str | None]] = {}
    for r in records:
        if isinstance(r.payload, PortScanResult):
            ports = found.setdefault((r.target.system_id, r.target.address or "?"), {})
            ports.update({(p.port, p.protocol): r.target.asset_id for p in r.payload.open_ports})
    return found


def _ports(old: list[EvidenceRecord], new: list[EvidenceRecord], get: _Getter) -> None:
    a, b = _open_ports(old), _open_ports(new)
    for key in sorted(set(a) & set(b)):
        sid, address = key
        for port, protocol in sorted(set(b[key]) - set(a[key])):
            get(sid).ports_opened.append(
                PortChange(b[key][(port, protocol)], address, port, protocol)
            )
        for port, protocol in sorted(set(a[key]) - set(b[key])):
            get(sid).ports_closed.append(
                PortChange(a[key][(port, protocol)], address, port, protocol)
            )


def _certs(records: list[EvidenceRecord]) -> dict[tuple[str, str], CertificateFacts | None]:
    found: dict[tuple[str, str], CertificateFacts | None] = {}
    for r in records:
        if isinstance(r.payload, TlsEndpointResult):
            label = r.target.label()
            target = f"{r.target.hostname} ({label})" if r.target.hostname else label
            found[(r.target.system_id, target)] = r.payload.certificate
    return found


def _identity(cert: CertificateFacts | None) -> tuple[object, ...] | None:
    if cert is None:
        return None
    return (
        cert.subject,
        cert.issuer,
        cert.not_before,
        cert.not_after,
        cert.key_type,
        cert.key_size,
        cert.signature_hash,
        cert.san,
    )


def _certificates(old: list[EvidenceRecord], new: list[EvidenceRecord], get: _Getter) -> None:
    a, b = _certs(old), _certs(new)
    for key in sorted(set(a) & set(b)):
        if _identity(a[key]) != _identity(b[key]):
            get(key[0]).certificates.append(CertificateChange(key[1], a[key], b[key]))
