"""build_run_view: grouping, the declared-port comparison, de-duplication, retries."""

from __future__ import annotations

from socaudit.evidence.base import AttemptStatus, ErrorReason, EvidenceKind
from socaudit.evidence.tls import Finding
from socaudit.runview import build_run_view

from .records import INVENTORY, http_without_hsts, ports, record, refusal, tls

HSTS = Finding(id="http.hsts.missing", severity="medium", message="no HSTS")
TLS10 = Finding(id="tls.protocol.tls10", severity="medium", message="TLSv1.0 is accepted")


def test_open_port_not_in_the_allowlist_is_undeclared() -> None:
    view = build_run_view([ports(443, 3306)], INVENTORY)
    (system,) = view.systems
    assert [(p.port, p.declared) for p in system.open_ports] == [(443, True), (3306, False)]
    assert [f.finding.id for f in system.findings] == ["ports.undeclared"]
    assert view.undeclared_ports == 1


def test_without_an_inventory_nothing_is_called_undeclared() -> None:
    view = build_run_view([ports(443, 3306)], None)
    assert [p.declared for p in view.systems[0].open_ports] == [None, None]
    assert view.undeclared_ports == 0
    assert not view.inventory_compared


def test_tls_and_http_findings_are_merged_once_per_endpoint_and_id() -> None:
    view = build_run_view([tls(TLS10, HSTS), http_without_hsts()], INVENTORY)
    ids = [f.finding.id for f in view.systems[0].findings]
    assert ids == ["http.hsts.missing", "tls.protocol.tls10"]
    assert view.severity_counts()["medium"] == 2


def test_a_retried_probe_counts_only_its_latest_attempt() -> None:
    failed = record(
        EvidenceKind.TLS,
        "tls:127.0.30.1:443",
        status=AttemptStatus.ERROR,
        reason=ErrorReason.TIMEOUT,
        detail="no answer in 10 s",
    )
    view = build_run_view([failed, tls(TLS10)], INVENTORY)
    system = view.systems[0]
    assert system.problems == ()
    assert [t.protocols for t in system.tls] == [("TLSv1.0", "TLSv1.2")]


def test_errors_and_refusals_are_problems_not_findings() -> None:
    timeout = record(
        EvidenceKind.SSH,
        "ssh:127.0.30.1:22",
        port=22,
        status=AttemptStatus.ERROR,
        reason=ErrorReason.TIMEOUT,
        detail="banner not received",
    )
    view = build_run_view([timeout, refusal()], INVENTORY)
    problems = view.systems[0].problems
    assert [(p.status, p.reason) for p in problems] == [
        ("error", "timeout"),
        ("refused", "out_of_scope"),
    ]
    assert view.systems[0].findings == ()
    assert view.problems == 2
