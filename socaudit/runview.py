"""What a stored run observed, per system: a pure view model for ``socaudit evidence``.

Observed facts only (open ports against the declared allowlist, TLS/HTTP/SSH findings, errors,
refusals). Findings are those stored with the evidence at scan time, never recomputed here, so
a stored run reads the same whatever rules this socaudit has.
Judging controls of a policy pack is the evaluation stage's job, not this module's.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable
from dataclasses import dataclass

from socaudit.evidence.base import AttemptStatus
from socaudit.evidence.http import HttpResult
from socaudit.evidence.network import PortScanResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.evidence.ssh import SshResult
from socaudit.evidence.tls import Finding, TlsEndpointResult
from socaudit.inventory.models import Inventory, System
from socaudit.runview_details import (
    AssetView,
    CertificateView,
    ClosedPort,
    HttpSummary,
    SshSummary,
    asset_view,
    certificate_view,
    closed_declared,
    hsts_text,
    http_summary,
    ssh_summary,
)

REPORTED_SEVERITIES = ("critical", "high", "medium")
"""Severities that make ``socaudit evidence`` exit 1."""


@dataclass(frozen=True, slots=True)
class OpenPort:
    asset_id: str | None
    address: str
    port: int
    service: str | None
    product: str | None
    tls: bool
    declared: bool | None
    """None when the inventory is unavailable for comparison."""


@dataclass(frozen=True, slots=True)
class EndpointFinding:
    target: str
    finding: Finding


@dataclass(frozen=True, slots=True)
class TlsSummary:
    target: str
    protocols: tuple[str, ...]
    grade: str | None
    grade_if_trust_ignored: str | None
    certificate: str | None
    caps: tuple[str, ...] = ()
    """``cap: reason`` per grade cap."""
    mozilla: tuple[tuple[str, bool | None], ...] = ()
    """Mozilla profile → compliant (None: can't tell)."""
    cert: CertificateView | None = None
    hsts: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """A probe that errored, or a target that was refused."""

    target: str
    status: str
    reason: str | None
    detail: str | None


@dataclass(frozen=True, slots=True)
class SystemView:
    system_id: str
    name: str | None
    level: int | None
    open_ports: tuple[OpenPort, ...]
    tls: tuple[TlsSummary, ...]
    findings: tuple[EndpointFinding, ...]
    problems: tuple[Problem, ...]
    assets: tuple[AssetView, ...] = ()
    closed_ports: tuple[ClosedPort, ...] = ()
    http: tuple[HttpSummary, ...] = ()
    ssh: tuple[SshSummary, ...] = ()
    unjudged: tuple[str, ...] = ()
    """Targets whose HTTP/SSH evidence was stored without findings (a run made before findings
    were stored at scan time): shown as not judged, never re-judged with today's rules."""

    @property
    def undeclared(self) -> tuple[OpenPort, ...]:
        return tuple(p for p in self.open_ports if p.declared is False)


@dataclass(frozen=True, slots=True)
class RunView:
    systems: tuple[SystemView, ...]
    inventory_compared: bool

    def severity_counts(self) -> dict[str, int]:
        counts = collections.Counter(f.finding.severity for s in self.systems for f in s.findings)
        return {sev: counts[sev] for sev in ("critical", "high", "medium", "low", "info")}

    @property
    def undeclared_ports(self) -> int:
        return sum(len(s.undeclared) for s in self.systems)

    @property
    def problems(self) -> int:
        return sum(len(s.problems) for s in self.systems)

    @property
    def refusals(self) -> int:
        return sum(p.status == "refused" for s in self.systems for p in s.problems)

    @property
    def errors(self) -> int:
        return self.problems - self.refusals


def latest_per_probe(records: Iterable[EvidenceRecord]) -> list[EvidenceRecord]:
    """The last record of each probe key and system (a resumed run may have retried a probe)."""
    latest: dict[tuple[str, str], EvidenceRecord] = {}
    for record in records:
        latest[(record.target.system_id, record.probe_key)] = record
    return list(latest.values())


def build_run_view(
    records: Iterable[EvidenceRecord],
    inventory: Inventory | None,
    system_ids: Iterable[str] = (),
) -> RunView:
    """Group the run's records by system and derive what each system exposes.

    ``system_ids`` lists the run's systems, so one without any record still appears.
    """
    by_system: dict[str, list[EvidenceRecord]] = {sid: [] for sid in system_ids}
    for record in latest_per_probe(records):
        by_system.setdefault(record.target.system_id, []).append(record)
    systems = {s.id: s for s in inventory.systems} if inventory else {}
    views = tuple(
        _system_view(sid, by_system[sid], systems.get(sid), inventory is not None)
        for sid in sorted(by_system)
    )
    return RunView(systems=views, inventory_compared=inventory is not None)


def _system_view(
    system_id: str,
    records: list[EvidenceRecord],
    system: System | None,
    compare: bool,
) -> SystemView:
    done = [r for r in records if r.status is AttemptStatus.COMPLETED]
    ports = tuple(p for r in done for p in _open_ports(r, system, compare))
    findings = [EndpointFinding(r.target.label(), f) for r in done for f in _findings(r)]
    findings += [_undeclared_finding(p) for p in ports if p.declared is False]
    # The TLS engine and the HTTP probe both read HSTS: one finding per endpoint and id.
    unique = {(f.target, f.finding.id): f for f in reversed(findings)}
    tls = [_tls_summary(r.payload) for r in done if isinstance(r.payload, TlsEndpointResult)]
    closed = [c for r in done for c in closed_declared(r, system)] if compare else []
    return SystemView(
        system_id=system_id,
        name=system.name if system else None,
        level=system.level if system else None,
        open_ports=ports,
        tls=tuple(tls),
        findings=tuple(sorted(unique.values(), key=_severity_order)),
        problems=tuple(_problem(r) for r in records if r.status is not AttemptStatus.COMPLETED),
        assets=tuple(a for r in done if (a := asset_view(r)) is not None),
        closed_ports=tuple(closed),
        http=tuple(http_summary(r, r.payload) for r in done if isinstance(r.payload, HttpResult)),
        ssh=tuple(ssh_summary(r, r.payload) for r in done if isinstance(r.payload, SshResult)),
        unjudged=tuple(dict.fromkeys(r.target.label() for r in done if _unjudged(r.payload))),
    )


def _open_ports(record: EvidenceRecord, system: System | None, compare: bool) -> list[OpenPort]:
    if not isinstance(record.payload, PortScanResult):
        return []
    allowed = _declared_ports(system, record.target.asset_id)
    return [
        OpenPort(
            asset_id=record.target.asset_id,
            address=record.target.address or "?",
            port=p.port,
            service=p.service,
            product=" ".join(x for x in (p.product, p.version) if x) or None,
            tls=p.tls,
            declared=(p.port in allowed) if compare and system is not None else None,
        )
        for p in record.payload.open_ports
    ]


def _declared_ports(system: System | None, asset_id: str | None) -> set[int]:
    if system is None:
        return set()
    return {s.port for a in system.assets if a.id == asset_id for s in a.services}


def _findings(record: EvidenceRecord) -> tuple[Finding, ...]:
    """The findings stored with the evidence when it was collected (one rule for all kinds)."""
    payload = record.payload
    if isinstance(payload, TlsEndpointResult | HttpResult | SshResult):
        return payload.findings or ()
    return ()


def _unjudged(payload: object) -> bool:
    return isinstance(payload, HttpResult | SshResult) and payload.findings is None


def _undeclared_finding(port: OpenPort) -> EndpointFinding:
    what = " ".join(x for x in (port.service, port.product) if x) or "unknown service"
    message = f"port {port.port} ({what}) is open but not declared for asset {port.asset_id}"
    finding = Finding(id="ports.undeclared", severity="medium", message=message)
    return EndpointFinding(f"{port.address}:{port.port}", finding)


def _tls_summary(result: TlsEndpointResult) -> TlsSummary:
    cert = result.certificate
    certificate = None
    if cert is not None:
        certificate = f"{cert.subject}; until {cert.not_after} ({cert.days_remaining} days)"
    grade = result.grade
    return TlsSummary(
        target=result.target,
        protocols=tuple(result.protocols),
        grade=grade.letter if grade else None,
        grade_if_trust_ignored=grade.letter_if_trust_ignored if grade else None,
        certificate=certificate,
        caps=tuple(f"{c.cap}: {c.reason}" for c in grade.caps) if grade else (),
        mozilla=tuple(sorted(grade.mozilla.items())) if grade else (),
        cert=certificate_view(cert) if cert else None,
        hsts=hsts_text(result.hsts),
    )


def _problem(record: EvidenceRecord) -> Problem:
    return Problem(
        target=record.target.label(),
        status=record.status.value,
        reason=record.error_reason.value if record.error_reason else None,
        detail=record.detail,
    )


def _severity_order(item: EndpointFinding) -> tuple[int, str, str]:
    order = ("critical", "high", "medium", "low", "info")
    return order.index(item.finding.severity), item.finding.id, item.target
