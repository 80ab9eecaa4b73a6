"""The report model: counts, ordering, deadlines, observed vs declared, waivers, layers."""

from __future__ import annotations

import datetime as dt

from socaudit.evaluation.model import LocalText, Outcome
from socaudit.report.findings import DEADLINE_DAYS, deadline
from socaudit.report.model import SystemReport, build_system_report

from . import sample


def _report(
    run_status: str = "completed", group_titles: dict[str, LocalText] | None = None
) -> SystemReport:
    return build_system_report(
        sample.assessment(),
        "dvc",
        sample.INVENTORY,
        sample.records(),
        sample.remediation,
        run_status,
        group_titles,
    )


def test_counts_follow_the_controls_and_the_chart_scales_to_the_largest() -> None:
    report = _report()
    counts = dict(report.counts)
    assert counts == {
        "fail": 2,
        "partial": 1,
        "error": 0,
        "insufficient_evidence": 1,
        "manual": 0,
        "waived": 1,
        "pass": 2,
        "not_applicable": 1,
    }
    assert report.verdict.total == 8
    assert {b.word for b in report.bars} == {w for w, n in counts.items() if n}
    widest = max(report.bars, key=lambda b: b.width)
    assert widest.count == 2 and widest.width == 90.0
    assert [b.y for b in report.bars] == sorted(b.y for b in report.bars)


def test_findings_most_severe_first_with_deadlines_by_the_named_rule() -> None:
    report = _report()
    assert [f.control for f in report.findings] == ["KT.3.1", "KT.1.1", "KT.3.2"]
    assert [f.rank for f in report.findings] == [1, 2, 3]
    first = report.findings[0]
    assert first.severity == "critical"
    assert first.deadline == sample.AS_OF + dt.timedelta(days=7)
    assert first.remediation == LocalText(vi="Khắc phục KT.3.1", en="Fix KT.3.1")
    assert report.verdict.first == ("KT.3.1", "KT.1.1", "KT.3.2")
    assert report.verdict.serious == 2  # critical KT.3.1 and high KT.1.1


def test_the_deadline_rule() -> None:
    day = dt.date(2026, 12, 2)
    assert deadline("critical", day) == (dt.date(2026, 12, 9), 7)
    assert deadline("high", day) == (dt.date(2027, 1, 1), 30)
    assert deadline("medium", day)[1] == 90
    assert deadline("info", day) == (None, None)
    assert DEADLINE_DAYS["low"] == 180


def test_waived_and_unjudged_controls_are_not_findings() -> None:
    report = _report()
    ids = {f.control for f in report.findings}
    assert "KT.2.1" not in ids and "KT.4.1" not in ids
    assert report.gap_lists == (("insufficient_evidence", ("KT.4.1",)),)
    (waiver,) = report.waivers
    assert waiver.control == "KT.2.1" and waiver.applied and waiver.waived_outcome == "fail"
    assert waiver.expires == dt.date(2027, 6, 30) and waiver.approved_by == "Giám đốc Sở"


def test_observed_and_declared_evidence_are_kept_apart() -> None:
    report = _report()
    assert {k.control for k in report.observed} == {
        "KT.1.1",
        "KT.1.2",
        "KT.3.1",
        "KT.3.2",
        "KT.4.1",
        "KT.2.1",
    }
    assert {k.control for k in report.declared_checks} == {"QL.1.1", "QL.2.1"}
    assert [d.control for d in report.declared] == ["QL.1.1"]
    assert report.declared[0].status == "implemented"


def test_groups_keep_the_evaluation_order_and_take_the_pack_titles() -> None:
    title = LocalText(vi="Mạng", en="Network")
    report = _report(group_titles={"network": title})
    assert [g.group for g in report.groups] == ["network", "host", "management"]
    network = report.groups[0]
    assert network.title == title and network.failed == 1 and network.total == 3
    assert report.groups[1].title is None


def test_four_layer_rows_in_the_model_order() -> None:
    report = _report()
    assert [(r.layer, r.status) for r in report.layers] == [
        ("on_site", "present"),
        ("monitoring", "stale"),
    ]


def test_context_and_identity_come_from_the_inventory_and_the_run() -> None:
    report = _report(run_status="interrupted")
    c, i = report.context, report.identity
    assert c.run == 7 and c.assessment == 3 and c.run_status == "interrupted"
    assert c.pack == ("tcvn11930", "2026.1")
    assert ("nmap", "7.93") in c.tools
    assert c.authorization == "Quyết định số 2718/QĐ-UBND" and c.method == "black_box"
    assert c.independent_of_operator is True and c.independent_of_monitoring is None
    assert i.level == 3 and i.approval_status == "approved"


def test_the_appendix_holds_the_raw_evidence_of_this_system() -> None:
    a = _report().appendix
    assert {(p.port, p.declared) for p in a.ports} == {(443, True), (3306, False)}
    (tls,) = a.tls
    assert tls.suites == (("TLSv1.2", ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",)),)
    assert tls.certificate is not None and tls.certificate.subject == f"CN={sample.IMG}"
    (http,) = a.http
    assert ("server", sample.SCRIPT) in http.headers
    (ssh,) = a.ssh
    assert ssh.kex == ("curve25519-sha256",) and ssh.auth_methods == ("publickey",)


def _with_undeclared() -> SystemReport:
    extra = (
        sample._control("QL.3.1", "management", Outcome.INSUFFICIENT_EVIDENCE, "medium"),
        sample._control("QL.3.2", "management", Outcome.INSUFFICIENT_EVIDENCE, "high"),
    )
    # QL.1.1 has an evidence entry in the inventory: insufficient means stale or refused.
    stale = sample._control("QL.1.1", "management", Outcome.INSUFFICIENT_EVIDENCE, "medium")
    controls = (*(c for c in sample.CONTROLS if c.id != "QL.1.1"), stale, *extra)
    return build_system_report(
        sample.assessment(controls), "dvc", sample.INVENTORY, sample.records()
    )


def test_controls_without_any_declaration_are_told_apart_from_the_judged() -> None:
    report = _with_undeclared()
    management = next(g for g in report.groups if g.group == "management")
    assert [r.id for r in management.undeclared] == ["QL.3.1", "QL.3.2"]
    # the stale declaration keeps its own row, as does an observed control left insufficient
    assert [r.id for r in management.judged] == ["QL.2.1", "QL.1.1"]
    host = next(g for g in report.groups if g.group == "host")
    assert "KT.4.1" in [r.id for r in host.judged] and not host.undeclared
    # nothing is dropped: the group's controls and totals still hold every control
    assert len(management.controls) == management.total == 4
