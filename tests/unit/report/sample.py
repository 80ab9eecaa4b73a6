"""A hand-built assessment of one system, with hostile strings in every attacker-held field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socaudit.evaluation.model import (
    AssessmentResult,
    CheckOutcome,
    ControlResult,
    LayerResult,
    LayerStatus,
    LocalText,
    Outcome,
    PackRef,
    SystemResult,
    WaiverRef,
)
from socaudit.evidence.base import AttemptStatus, EvidenceKind
from socaudit.evidence.http import HttpResult
from socaudit.evidence.network import PortObservation, PortScanResult
from socaudit.evidence.records import EvidenceRecord, Payload, TargetRef
from socaudit.evidence.ssh import SshResult
from socaudit.evidence.tls import CertificateFacts, Finding, TlsEndpointResult
from socaudit.inventory.models import Inventory

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
AS_OF = dt.date(2026, 12, 2)
SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'


def inventory_data(name: str = f"Cổng dịch vụ công {SCRIPT}") -> dict[str, Any]:
    return {
        "schema_version": 1,
        "organization": {
            "name": "Ủy ban nhân dân tỉnh Lạng Sơn",
            "security_unit": "Sở Khoa học và Công nghệ",
            "province": "Lạng Sơn",
        },
        "assessment": {
            "period": {"from": "2025-12-15", "to": "2026-12-14"},
            "assessor": {"organization": "Trung tâm CNTT", "independent_of_operator": True},
            "report": {
                "number": "15/BC-SKHCN",
                "signer": {"capacity": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "name": "Nguyễn Văn An"},
                "recipients": ["Ban Chỉ đạo ATTT tỉnh;", "Lưu: VT, ATTT."],
            },
        },
        "authorization": {
            "reference": "Quyết định số 2718/QĐ-UBND",
            "approved_by": "Chủ tịch UBND tỉnh",
            "window": {"from": "2026-10-01", "to": "2026-12-31"},
            "scope": ["127.0.30.0/24"],
        },
        "systems": [
            {
                "id": "dvc",
                "name": name,
                "owner": f"UBND tỉnh {IMG}",
                "level": 3,
                "level_approval": {"status": "approved", "decision": "QĐ 1456/QĐ-UBND"},
                "assets": [
                    {
                        "id": "dvc-web",
                        "address": "127.0.30.1",
                        "services": [{"port": 443, "name": "https"}],
                    }
                ],
                "evidence": [
                    {
                        "control": "QL.1.1",
                        "status": "implemented",
                        "document": f"Quy chế {SCRIPT}",
                        "date": "2024-02-01",
                    }
                ],
                "waivers": [
                    {
                        "control": "KT.2.1",
                        "reason": f"Thay thế năm 2027 {IMG}",
                        "approved_by": "Giám đốc Sở",
                        "expires": "2027-06-30",
                    }
                ],
            }
        ],
    }


INVENTORY = Inventory.model_validate(inventory_data())


def _record(kind: EvidenceKind, key: str, payload: Payload, port: int | None) -> EvidenceRecord:
    target = TargetRef(system_id="dvc", asset_id="dvc-web", address="127.0.30.1", port=port)
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


def records() -> list[EvidenceRecord]:
    ports = PortScanResult(
        profile="declared",
        scanner_version="7.93",
        ports_requested="443,3306",
        ports=(
            PortObservation(port=443, state="open", service="https", product=f"nginx {SCRIPT}"),
            PortObservation(port=3306, state="open", service="mysql", product="MySQL"),
        ),
    )
    cert = CertificateFacts(
        subject=f"CN={IMG}",
        issuer="CN=Lab Root",
        not_before="2025-01-01",
        not_after="2026-01-01",
        days_remaining=-335,
        expired=True,
        not_yet_valid=False,
        key_type="RSA",
        key_size=2048,
        signature_hash="sha256",
        self_signed=False,
        hostname_match=True,
        chain_trusted=True,
        chain_complete=True,
        lifespan_days=365,
        san=("dvc.example.test",),
    )
    tls = TlsEndpointResult(
        target="dvc.example.test:443",
        status=AttemptStatus.COMPLETED,
        protocols=("TLSv1.0", "TLSv1.2"),
        cipher_suites={"TLSv1.2": ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",)},
        certificate=cert,
        findings=(Finding(id="tls.protocol.tls10", severity="medium", message="TLS 1.0"),),
    )
    http = HttpResult(
        url="https://dvc.example.test/",
        status_code=200,
        headers={"server": SCRIPT, "x-test": IMG},
        server_banner=SCRIPT,
    )
    ssh = SshResult(
        banner=f"SSH-2.0-OpenSSH_9.2 {SCRIPT}",
        protocol_version="2.0",
        kex=("curve25519-sha256",),
        ciphers=("aes128-ctr",),
        macs=("hmac-sha2-256",),
        auth_methods=("publickey",),
    )
    return [
        _record(EvidenceKind.PORTS, "ports:127.0.30.1", ports, None),
        _record(EvidenceKind.TLS, "tls:127.0.30.1:443", tls, 443),
        _record(EvidenceKind.HTTP, "http:127.0.30.1:443", http, 443),
        _record(EvidenceKind.SSH, "ssh:127.0.30.1:22", ssh, 22),
    ]


def _text(vi: str, en: str) -> LocalText:
    return LocalText(vi=vi, en=en)


def _control(cid: str, group: str, outcome: Outcome, severity: str, **kw: Any) -> ControlResult:
    source = "declared" if cid.startswith("QL") else "observed"
    reason = kw.pop("reason", _text(f"Lý do {cid}", f"Reason {cid}"))
    check = CheckOutcome(
        check="declared.document" if source == "declared" else "tls.min_version",
        outcome=kw.get("waived_outcome") or outcome,
        reason=reason,
        source=source,
        evidence=(f"{source}:tls:127.0.30.1:443",),
    )
    return ControlResult(
        id=cid,
        group=group,
        clause=f"7.{cid[-1]}",
        kind="automated" if source == "observed" else "declared",
        outcome=outcome,
        reason=reason,
        severity=severity,
        title=_text(f"Yêu cầu {cid}", f"Requirement {cid}"),
        checks=(check,),
        **kw,
    )


CONTROLS = (
    _control("KT.1.1", "network", Outcome.FAIL, "high", reason=_text(f"cổng {SCRIPT}", IMG)),
    _control("KT.1.2", "network", Outcome.PASS, "medium"),
    _control("KT.3.1", "host", Outcome.FAIL, "critical"),
    _control("KT.3.2", "host", Outcome.PARTIAL, "medium"),
    _control("KT.4.1", "host", Outcome.INSUFFICIENT_EVIDENCE, "medium"),
    _control(
        "KT.2.1",
        "network",
        Outcome.WAIVED,
        "high",
        waived_outcome=Outcome.FAIL,
        waiver=WaiverRef(reason="r", approved_by="Giám đốc Sở", expires=dt.date(2027, 6, 30)),
    ),
    _control("QL.1.1", "management", Outcome.PASS, "medium"),
    _control("QL.2.1", "management", Outcome.NOT_APPLICABLE, "low"),
)


def assessment(controls: tuple[ControlResult, ...] = CONTROLS) -> AssessmentResult:
    counts = {o.value: sum(c.outcome is o for c in controls) for o in Outcome}
    layer = LayerResult(status=LayerStatus.STALE, reason=_text("Hợp đồng hết hạn", "Expired"))
    system = SystemResult(
        id="dvc",
        level=3,
        outcome=Outcome.FAIL,
        counts=counts,
        controls=controls,
        four_layer={
            "on_site": LayerResult(status=LayerStatus.PRESENT, reason=_text("Có", "Yes")),
            "monitoring": layer,
        },
        name=INVENTORY.systems[0].name,
    )
    return AssessmentResult(
        run=7,
        assessment=3,
        pack=PackRef(id="tcvn11930", version="2026.1"),
        as_of=AS_OF,
        systems=(system,),
        tool_version="0.1.0",
    )


def remediation(control: str) -> LocalText | None:
    return _text(f"Khắc phục {control}", f"Fix {control}")
