"""Evidence records and a tiny inventory for the run-view tests (built in memory)."""

from __future__ import annotations

import datetime as dt

from socaudit.collect.http_collector import judged
from socaudit.evidence.base import AttemptStatus, ErrorReason, EvidenceKind
from socaudit.evidence.http import HttpResult
from socaudit.evidence.network import PortObservation, PortScanResult, Refusal
from socaudit.evidence.records import EvidenceRecord, Payload, TargetRef
from socaudit.evidence.tls import Finding, HstsFacts, TlsEndpointResult
from socaudit.inventory.models import Inventory

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
HOSTILE = "\x1b[2J[bold red]pwned[/]"

INVENTORY = Inventory.model_validate(
    {
        "schema_version": 1,
        "organization": {"name": "Ủy ban nhân dân tỉnh Lạng Sơn"},
        "authorization": {
            "reference": "QĐ 1/QĐ-UBND",
            "approved_by": "Chủ tịch",
            "window": {"from": "2026-10-01", "to": "2026-12-14"},
            "scope": ["127.0.30.0/24"],
        },
        "systems": [
            {
                "id": "ioc",
                "name": "Trung tâm giám sát, điều hành (IOC)",
                "level": 3,
                "level_approval": {"status": "approved"},
                "assets": [
                    {
                        "id": "ioc-web",
                        "address": "127.0.30.1",
                        "services": [{"port": 443, "name": "https"}],
                    }
                ],
            }
        ],
    }
)


def record(
    kind: EvidenceKind,
    key: str,
    payload: Payload | None = None,
    *,
    port: int | None = 443,
    status: AttemptStatus = AttemptStatus.COMPLETED,
    reason: ErrorReason | None = None,
    detail: str | None = None,
) -> EvidenceRecord:
    target = TargetRef(system_id="ioc", asset_id="ioc-web", address="127.0.30.1", port=port)
    return EvidenceRecord(
        kind=kind,
        probe_key=key,
        collector=kind.value,
        target=target,
        started_at=NOW,
        finished_at=NOW,
        status=status,
        error_reason=reason,
        detail=detail,
        payload=payload,
    )


def ports(*open_ports: int, product: str = "nginx") -> EvidenceRecord:
    observed = tuple(
        PortObservation(port=p, state="open", service="http", product=product) for p in open_ports
    )
    payload = PortScanResult(profile="declared", ports_requested="443,3306", ports=observed)
    return record(EvidenceKind.PORTS, "ports:127.0.30.1", payload, port=None)


def tls(*findings: Finding) -> EvidenceRecord:
    payload = TlsEndpointResult(
        target="ioc.example.test:443",
        status=AttemptStatus.COMPLETED,
        protocols=("TLSv1.0", "TLSv1.2"),
        findings=findings,
    )
    return record(EvidenceKind.TLS, "tls:127.0.30.1:443", payload)


def http_without_hsts() -> EvidenceRecord:
    payload = HttpResult(
        url="https://ioc.example.test/",
        status_code=200,
        hsts=HstsFacts(present=False),
        headers={
            "content-security-policy": "default-src 'self'",
            "x-frame-options": "DENY",
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
        },
    )
    return record(EvidenceKind.HTTP, "http:127.0.30.1:443", judged(payload))


def refusal() -> EvidenceRecord:
    payload = Refusal(reason="10.0.0.5 is outside the scope", rule="outside_scope")
    return record(
        EvidenceKind.REFUSAL,
        "refusal:ioc-old",
        payload,
        port=None,
        status=AttemptStatus.REFUSED,
        reason=ErrorReason.OUT_OF_SCOPE,
        detail="10.0.0.5 is outside the scope",
    )
