"""Ingest an nmap XML file an office already produced, host by host, through the scope guard.

A host is stored only when it is the address of an authorised target (mapped to its system
by address). Hosts outside the authorised scope are refused: their ports are not stored, and
they are cut from the raw XML kept as evidence.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
from collections.abc import Iterator

from socaudit.collect.base import completed, utcnow
from socaudit.collect.nmap_xml import NmapHost, NmapRun, keep_hosts
from socaudit.evidence.base import AttemptStatus, ErrorReason, EvidenceKind
from socaudit.evidence.network import NmapXml, PortScanResult
from socaudit.evidence.network import Refusal as RefusalPayload
from socaudit.evidence.records import EvidenceRecord, TargetRef
from socaudit.inventory.models import Authorization
from socaudit.planning import Probe, probe_key
from socaudit.scope import AuthorizationResult, AuthorizedTarget

log = logging.getLogger(__name__)

NAME = "nmap-import"
NO_SYSTEM = "-"


def import_records(
    run: NmapRun, xml: str, authorized: AuthorizationResult, auth: Authorization
) -> Iterator[EvidenceRecord]:
    """Records for each host of ``run``: observations for targets, refusals for the rest."""
    by_address: dict[ipaddress.IPv4Address | ipaddress.IPv6Address, list[AuthorizedTarget]] = {}
    for target in authorized.targets:
        by_address.setdefault(target.address, []).append(target)
    kept: set[ipaddress.IPv4Address | ipaddress.IPv6Address] = set()
    for host in run.hosts:
        targets = by_address.get(host.address, [])
        if not targets and not auth.covers_address(host.address):
            yield _refused_host(host)
        elif not targets:
            log.info("%s is in scope but no authorised asset has it: not imported", host.address)
        for target in targets:
            kept.add(host.address)
            yield _observation(run, host, target)
    if kept:
        first = next(t for t in authorized.targets if t.address in kept)
        yield _raw(first, keep_hosts(xml, kept))


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
