"""Port-scan and TLS records of one system, for the diff tests."""

from __future__ import annotations

import datetime as dt

from socaudit.evidence.base import AttemptStatus, EvidenceKind
from socaudit.evidence.network import PortObservation, PortScanResult
from socaudit.evidence.records import EvidenceRecord, Payload, TargetRef
from socaudit.evidence.tls import CertificateFacts, TlsEndpointResult

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)


def _record(
    kind: EvidenceKind, key: str, payload: Payload, address: str, port: int | None
) -> EvidenceRecord:
    target = TargetRef(
        system_id="ioc", asset_id="ioc-web", address=address, port=port, hostname="ioc.test"
    )
    return EvidenceRecord(
        kind=kind,
        probe_key=key,
        collector=kind.value,
        target=target,
        started_at=NOW,
        finished_at=NOW,
        status=AttemptStatus.COMPLETED,
        payload=payload,
    )


def ports(address: str, *open_ports: int) -> EvidenceRecord:
    observed = tuple(PortObservation(port=p, state="open", service="x") for p in open_ports)
    payload = PortScanResult(profile="declared", ports_requested="1-65535", ports=observed)
    return _record(EvidenceKind.PORTS, f"ports:{address}", payload, address, None)


def certificate(not_after: str, key_size: int = 2048) -> CertificateFacts:
    return CertificateFacts(
        subject="CN=ioc.test",
        issuer="CN=Lab CA",
        not_before="2026-01-01T00:00:00+00:00",
        not_after=not_after,
        days_remaining=30,
        expired=False,
        not_yet_valid=False,
        key_type="RSA",
        key_size=key_size,
        signature_hash="sha256",
        self_signed=False,
        hostname_match=True,
        chain_trusted=True,
        chain_complete=True,
        lifespan_days=365,
    )


def tls(address: str, cert: CertificateFacts | None) -> EvidenceRecord:
    payload = TlsEndpointResult(
        target=f"{address}:8443",
        status=AttemptStatus.COMPLETED,
        protocols=("TLSv1.2",),
        certificate=cert,
    )
    return _record(EvidenceKind.TLS, f"tls:{address}:8443", payload, address, 8443)
