"""Build inventories and evidence records for check fixtures (recorded-style data; TLS and SSH
findings come from the real engine rules, never written by hand)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socaudit.checks.context import CheckContext
from socaudit.evidence.base import AttemptStatus, ErrorReason, EvidenceKind
from socaudit.evidence.http import HttpResult
from socaudit.evidence.network import DiscoveryResult, PortObservation, PortScanResult
from socaudit.evidence.records import EvidenceRecord, TargetRef
from socaudit.evidence.ssh import SshResult, SshWeakness
from socaudit.evidence.tls import (
    CertificateFacts,
    HstsFacts,
    Revocation,
    TlsEndpointResult,
    Vulnerabilities,
)
from socaudit.inventory.models import Inventory, System
from socaudit.tls.findings import findings_for, findings_for_ssh

AS_OF = dt.date(2026, 11, 1)
WHEN = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
GOOD_SUITES: dict[str, tuple[str, ...]] = {
    "TLSv1.2": ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",),
    "TLSv1.3": ("TLS_AES_128_GCM_SHA256",),
}


def system_data(**overrides: Any) -> dict[str, Any]:
    """A level-3 system with one web asset (127.0.10.10: https 8443, http 8080) and an admin
    asset (127.0.10.41: ssh 2222)."""
    data: dict[str, Any] = {
        "id": "sys",
        "name": "Hệ thống thử nghiệm",
        "level": 3,
        "level_approval": {"status": "approved", "decision": "QĐ 1/QĐ-UBND"},
        "assets": [
            {
                "id": "web",
                "address": "127.0.10.10",
                "hostname": "web.example.test",
                "role": "web",
                "zone": "dmz",
                "services": [
                    {"port": 8443, "name": "https", "exposure": "public"},
                    {"port": 8080, "name": "http", "exposure": "public"},
                ],
                "urls": ["https://web.example.test:8443/", "http://web.example.test:8080/"],
            },
            {
                "id": "admin",
                "address": "127.0.10.41",
                "role": "server",
                "zone": "management",
                "services": [{"port": 2222, "name": "ssh", "exposure": "admin"}],
            },
        ],
    }
    data.update(overrides)
    return data


def inventory(*systems: dict[str, Any]) -> Inventory:
    return Inventory.model_validate(
        {
            "schema_version": 1,
            "organization": {"name": "UBND tỉnh"},
            "authorization": {
                "reference": "QĐ 9/QĐ-UBND",
                "approved_by": "Chủ tịch UBND tỉnh",
                "window": {"from": "2026-10-01", "to": "2026-12-31"},
                "scope": ["127.0.10.0/24"],
            },
            "systems": list(systems) or [system_data()],
        }
    )


def context(
    records: list[EvidenceRecord] = (),  # type: ignore[assignment]
    as_of: dt.date = AS_OF,
    control: str = "QL.1.1",
    last_assessed: dt.date | None = None,
    **system: Any,
) -> CheckContext:
    inv = inventory(system_data(**system))
    ctx = CheckContext.build(inv.systems[0], inv, as_of, records, last_assessed)
    return ctx.for_control(control)


def record(
    kind: EvidenceKind,
    payload: Any,
    asset: str,
    address: str,
    port: int | None = None,
    *,
    key: str | None = None,
) -> EvidenceRecord:
    return EvidenceRecord(
        kind=kind,
        probe_key=key or f"{kind.value}:{address}:{port}",
        collector=kind.value,
        target=TargetRef(system_id="sys", asset_id=asset, address=address, port=port),
        started_at=WHEN,
        finished_at=WHEN,
        status=AttemptStatus.COMPLETED,
        payload=payload,
    )


def errored(
    kind: EvidenceKind, asset: str, address: str, port: int | None = None
) -> EvidenceRecord:
    return EvidenceRecord(
        kind=kind,
        probe_key=f"{kind.value}:{address}:{port}",
        collector=kind.value,
        target=TargetRef(system_id="sys", asset_id=asset, address=address, port=port),
        started_at=WHEN,
        finished_at=WHEN,
        status=AttemptStatus.ERROR,
        error_reason=ErrorReason.TIMEOUT,
        detail="timed out",
    )


def ports(
    asset: str, address: str, *open_ports: tuple[int, str] | tuple[int, str, str]
) -> EvidenceRecord:
    observed = tuple(
        PortObservation(port=p[0], state="open", service=p[1], tunnel=p[2] if len(p) > 2 else None)
        for p in open_ports
    )
    scan = PortScanResult(profile="default", ports_requested="declared", ports=observed)
    return record(EvidenceKind.PORTS, scan, asset, address)


def good_ports() -> list[EvidenceRecord]:
    return [
        ports("web", "127.0.10.10", (8443, "http", "ssl"), (8080, "http")),
        ports("admin", "127.0.10.41", (2222, "ssh")),
    ]


def discovery(asset: str, address: str) -> EvidenceRecord:
    payload = DiscoveryResult(method="tcp_connect", host_up=True)
    return record(EvidenceKind.DISCOVERY, payload, asset, address)


def cert(**overrides: Any) -> CertificateFacts:
    data: dict[str, Any] = {
        "subject": "CN=web.example.test",
        "issuer": "CN=Lab Intermediate CA",
        "not_before": "2026-09-01T00:00:00Z",
        "not_after": "2027-08-01T00:00:00Z",
        "days_remaining": 273,
        "expired": False,
        "not_yet_valid": False,
        "key_type": "RSA",
        "key_size": 2048,
        "signature_hash": "sha256",
        "self_signed": False,
        "hostname_match": True,
        "chain_trusted": True,
        "chain_complete": True,
        "lifespan_days": 334,
        "san": ("web.example.test",),
        "chain_length": 2,
        "trust_anchor": "extra",
    }
    data.update(overrides)
    return CertificateFacts.model_validate(data)


def tls(
    protocols: tuple[str, ...] = ("TLSv1.2", "TLSv1.3"),
    suites: dict[str, tuple[str, ...]] | None = None,
    certificate: CertificateFacts | None = None,
    hsts: HstsFacts | None = None,
    vulnerabilities: dict[str, Any] | None = None,
    address: str = "127.0.10.10",
    revocation: dict[str, Any] | None = None,
) -> EvidenceRecord:
    draft = TlsEndpointResult(
        target=f"{address}:8443",
        status=AttemptStatus.COMPLETED,
        address=address,
        protocols=protocols,  # type: ignore[arg-type]
        cipher_suites=GOOD_SUITES if suites is None else suites,
        certificate=certificate or cert(),
        hsts=hsts,
        vulnerabilities=Vulnerabilities.model_validate(vulnerabilities or {}),
        revocation=Revocation.model_validate(revocation or {}),
    )
    result = draft.model_copy(update={"findings": findings_for(draft, as_of=WHEN)})
    return record(EvidenceKind.TLS, result, "web", address, 8443)


def http(
    url: str, *, redirects: bool | None = None, hsts: HstsFacts | None = None
) -> EvidenceRecord:
    port = 8443 if url.startswith("https") else 8080
    payload = HttpResult(url=url, status_code=200, redirects_to_https=redirects, hsts=hsts)
    return record(EvidenceKind.HTTP, payload, "web", "127.0.10.10", port, key=f"http:{url}")


def ssh(
    auth: tuple[str, ...] | None = ("publickey",),
    weaknesses: tuple[SshWeakness, ...] = (),
    *,
    judged: bool = True,
) -> EvidenceRecord:
    """An SSH record; ``judged=False`` is one stored by a socaudit that kept no findings."""
    draft = SshResult(
        banner="SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
        protocol_version="2.0",
        kex=("curve25519-sha256",),
        auth_methods=auth,
        weaknesses=weaknesses,
    )
    result = draft.model_copy(update={"findings": findings_for_ssh(draft) if judged else None})
    return record(EvidenceKind.SSH, result, "admin", "127.0.10.41", 2222)


def system_only(**overrides: Any) -> System:
    return inventory(system_data(**overrides)).systems[0]
