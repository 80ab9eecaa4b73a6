"""Ingest an nmap XML file an office already produced, host by host, through the scope guard.

A host is stored only when it is the address of an authorised target (mapped to its system
by address). Hosts outside the authorised scope are refused: their ports are not stored, and
they are cut from the raw XML kept as evidence. Every other host that is not imported (no IP
address, down during the scan, no asset with that address) is listed in ``skipped`` with its
reason, for the command to report.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

from socaudit.collect.base import completed, utcnow
from socaudit.collect.nmap_xml import NmapHost, NmapRun, SkippedHost, keep_hosts
from socaudit.evidence.base import AttemptStatus, ErrorReason, EvidenceKind
from socaudit.evidence.network import NmapXml, PortScanResult
from socaudit.evidence.network import Refusal as RefusalPayload
from socaudit.evidence.records import EvidenceRecord, TargetRef
from socaudit.inventory.models import Authorization
from socaudit.planning import Probe, probe_key
from socaudit.scope import AuthorizationResult, AuthorizedTarget

NAME = "nmap-import"
NO_SYSTEM = "-"


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What an import stores, and the hosts it leaves out (besides refusals) with reasons."""

    records: tuple[EvidenceRecord, ...]
    skipped: tuple[SkippedHost, ...]

    @property
    def observations(self) -> int:
        """Port observations stored (0: the file gave nothing usable)."""
        return sum(r.kind is EvidenceKind.PORTS for r in self.records)


def import_records(
    run: NmapRun, xml: str, authorized: AuthorizationResult, auth: Authorization
) -> ImportOutcome:
    """Observations for targets, refusals for hosts outside the scope, the rest skipped."""
    by_address: dict[ipaddress.IPv4Address | ipaddress.IPv6Address, list[AuthorizedTarget]] = {}
    for target in authorized.targets:
        by_address.setdefault(target.address, []).append(target)
    refused = {r.address: r for r in authorized.refusals if r.address is not None}
    kept: set[ipaddress.IPv4Address | ipaddress.IPv6Address] = set()
    records: list[EvidenceRecord] = []
    skipped = list(run.skipped)
    for host in run.hosts:
        targets = by_address.get(host.address, [])
        if not targets and host.address in refused:
            why = refused[host.address]
            reason = f"its asset {why.system_id}/{why.asset_id} is refused: {why.reason}"
            skipped.append(SkippedHost(host.line, str(host.address), reason))
        elif not targets and not auth.covers_address(host.address):
            records.append(_refused_host(host))
        elif host.state == "down":
            reason = "down during the scan: nmap scanned none of its ports"
            skipped.append(SkippedHost(host.line, str(host.address), reason))
        elif not host.ports_scanned:
            reason = "nmap scanned none of its ports (a host discovery scan, -sn?)"
            skipped.append(SkippedHost(host.line, str(host.address), reason))
        elif not targets:
            reason = "in the authorised scope, but no inventory asset has this address"
            skipped.append(SkippedHost(host.line, str(host.address), reason))
        else:
            kept.add(host.address)
            records.extend(_observation(run, host, target) for target in targets)
    if kept:
        first = next(t for t in authorized.targets if t.address in kept)
        records.append(_raw(first, keep_hosts(xml, kept)))
    return ImportOutcome(tuple(records), tuple(sorted(skipped, key=lambda h: h.line or 0)))


def _observation(run: NmapRun, host: NmapHost, target: AuthorizedTarget) -> EvidenceRecord:
    now = utcnow()
    probe = Probe(EvidenceKind.PORTS, probe_key(EvidenceKind.PORTS, target), target)
    payload = PortScanResult(
        scanner="nmap-import",
        scanner_version=run.version,
        profile="import",
        ports_requested=",".join(str(p.port) for p in host.ports),
        ports=host.ports,
    )
    return completed(probe, now, payload, collector=NAME)


def _raw(target: AuthorizedTarget, xml: str) -> EvidenceRecord:
    now = utcnow()
    probe = Probe(EvidenceKind.NMAP_XML, f"nmap_xml:import:{target.system_id}", target)
    return completed(probe, now, NmapXml(xml=xml), collector=NAME)


def _refused_host(host: NmapHost) -> EvidenceRecord:
    now = dt.datetime.now(dt.UTC)
    reason = f"{host.address} in the imported nmap file is outside the authorised scope"
    return EvidenceRecord(
        kind=EvidenceKind.REFUSAL,
        probe_key=f"refusal:import:{host.address}",
        collector=NAME,
        target=TargetRef(system_id=NO_SYSTEM, address=str(host.address)),
        started_at=now,
        finished_at=now,
        status=AttemptStatus.REFUSED,
        error_reason=ErrorReason.OUT_OF_SCOPE,
        detail=reason,
        payload=RefusalPayload(reason=reason, rule="outside_scope"),
    )
