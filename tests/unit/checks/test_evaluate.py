"""Evaluation of a system from fixture evidence: declared, stale, waivers, conditions, -i."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from socaudit.cli.evaluate_text import exit_code
from socaudit.errors import InputError
from socaudit.evaluation.declarations import with_declarations
from socaudit.evaluation.model import LayerStatus, Outcome
from socaudit.evidence.base import EvidenceKind

from .builders import errored, good_ports, inventory, ports, system_data, tls
from .support import CONTROLS, by_id, evaluate

LATER = dt.date(2027, 11, 1)
DECLARED = {
    "evidence": [
        {"control": "QL.1.1", "status": "implemented", "document": "QĐ 12", "date": "2026-02-01"}
    ],
    "four_layer": {
        "monitoring": {"provider": "VNPT", "contract": "HĐ 15", "valid_until": "2027-06-30",
                       "log_retention_days": 90},
        "independent_inspection": {"organization": "Công ty X", "last_date": "2026-03-10",
                                   "report": "BC 22"},
    },
    "endpoints": {"total": 100, "protected": 95},
}  # fmt: skip
TELNET = [ports("admin", "127.0.10.41", (2222, "ssh"), (2323, "telnet"))]
WAIVER = {
    "control": "KT.1.6",
    "reason": "Thay thiết bị trong quý I/2027",
    "approved_by": "Giám đốc Sở",
    "expires": "2027-03-31",
}


def test_a_system_with_no_declared_evidence_has_no_fail_on_a_declared_control() -> None:
    bare = inventory(system_data(level_approval={"status": "approved"}))
    result = evaluate(bare, good_ports())
    declared = [c for c in result.systems[0].controls if c.kind == "declared"]
    assert declared and all(c.outcome is not Outcome.FAIL for c in declared)
    assert {c.outcome for c in declared} == {
        Outcome.INSUFFICIENT_EVIDENCE,
        Outcome.NOT_APPLICABLE,
    }


def test_missing_evidence_is_insufficient_and_an_errored_probe_is_an_error() -> None:
    inv = inventory(system_data(**DECLARED))
    nothing = by_id(evaluate(inv))
    assert nothing["KT.3.4"].outcome is Outcome.INSUFFICIENT_EVIDENCE
    assert nothing["KT.1.6"].outcome is Outcome.INSUFFICIENT_EVIDENCE
    broken = by_id(evaluate(inv, [errored(EvidenceKind.TLS, "web", "127.0.10.10", 8443)]))
    assert broken["KT.3.4"].outcome is Outcome.ERROR


def test_fresh_declarations_pass_and_turn_stale_a_year_later() -> None:
    inv = inventory(system_data(**DECLARED))
    now = evaluate(inv, good_ports())
    later = evaluate(inv, good_ports(), as_of=LATER)
    assert by_id(now)["QL.1.1"].outcome is Outcome.PASS
    assert by_id(later)["QL.1.1"].outcome is Outcome.INSUFFICIENT_EVIDENCE  # stale, not fail
    assert by_id(now)["BL.3"].outcome is Outcome.PASS
    assert by_id(later)["BL.3"].outcome is Outcome.FAIL  # the yearly inspection is overdue
    assert now.systems[0].four_layer["independent_inspection"].status is LayerStatus.PRESENT
    assert later.systems[0].four_layer["independent_inspection"].status is LayerStatus.STALE
    assert later.systems[0].four_layer["monitoring"].status is LayerStatus.STALE
    # observed evidence is judged the same on both dates
    assert by_id(now)["KT.1.6"].outcome is by_id(later)["KT.1.6"].outcome is Outcome.PASS


def test_an_active_waiver_keeps_the_failure_visible_and_expires_by_itself() -> None:
    inv = inventory(system_data(waivers=[WAIVER]))
    waived = by_id(evaluate(inv, TELNET))["KT.1.6"]
    assert waived.outcome is Outcome.WAIVED and waived.waived_outcome is Outcome.FAIL
    assert waived.waiver is not None and waived.waiver.expires == dt.date(2027, 3, 31)
    assert "2323" in waived.reason.vi
    expired = by_id(evaluate(inv, TELNET, as_of=LATER))["KT.1.6"]
    assert expired.outcome is Outcome.FAIL and expired.waiver is None
    assert expired.waived_outcome is None


def test_a_waiver_never_hides_missing_evidence_or_a_pass() -> None:
    inv = inventory(system_data(waivers=[WAIVER]))
    assert by_id(evaluate(inv))["KT.1.6"].outcome is Outcome.INSUFFICIENT_EVIDENCE
    assert by_id(evaluate(inv, good_ports()))["KT.1.6"].outcome is Outcome.PASS


def test_a_false_condition_is_not_applicable_with_its_reason() -> None:
    plain = by_id(evaluate(inventory(system_data())))["TK.b.xvi"]
    assert plain.outcome is Outcome.NOT_APPLICABLE
    assert "không dây" in plain.reason.vi and "wireless" in plain.reason.en
    wifi = system_data()
    wifi["assets"].append({"id": "ap", "zone": "wireless"})
    assert by_id(evaluate(inventory(wifi)))["TK.b.xvi"].outcome is Outcome.INSUFFICIENT_EVIDENCE


def test_hybrid_controls_say_which_part_is_observed_and_which_declared() -> None:
    result = evaluate(inventory(system_data(**DECLARED)), good_ports())
    hybrid = by_id(result)["KT.1.1"]
    assert hybrid.observed == ("ports.only_declared_services",)
    assert hybrid.declared == ("declared.document",)
    assert [(c.check, c.source, c.outcome) for c in hybrid.checks] == [
        ("ports.only_declared_services", "observed", Outcome.PASS),
        ("declared.document", "declared", Outcome.INSUFFICIENT_EVIDENCE),
    ]
    assert hybrid.outcome is Outcome.INSUFFICIENT_EVIDENCE
    system = result.systems[0]
    assert set(system.counts) == {o.value for o in Outcome}
    assert sum(system.counts.values()) == len(CONTROLS)
    assert system.outcome is Outcome.INSUFFICIENT_EVIDENCE


def test_layer_three_by_the_monitoring_provider_is_not_independent() -> None:
    same = dict(DECLARED)
    same["four_layer"] = {
        "monitoring": DECLARED["four_layer"]["monitoring"],  # type: ignore[index]
        "independent_inspection": {"organization": "VNPT", "last_date": "2026-03-10",
                                   "report": "BC 1"},
    }  # fmt: skip
    result = evaluate(inventory(system_data(**same)), good_ports())
    assert result.systems[0].four_layer["independent_inspection"].status is LayerStatus.PARTIAL
    assert by_id(result)["BL.3"].outcome is Outcome.PARTIAL


def test_a_newer_inventory_changes_declared_outcomes_only() -> None:
    base = inventory(system_data())
    newer_system = system_data(**DECLARED)
    newer_system["assets"] = []  # a changed allowlist must not change observed judgements
    newer = inventory(newer_system)
    merged = with_declarations(base, newer, Path("newer.yaml"), ["sys"])
    records = [*good_ports(), tls(address="127.0.10.10")]
    before, after = by_id(evaluate(base, records)), by_id(evaluate(merged, records))
    for cid in ("KT.1.6", "KT.3.4"):
        assert before[cid] == after[cid]
    assert before["KT.1.1"].checks[0] == after["KT.1.1"].checks[0]
    assert before["QL.1.1"].outcome is Outcome.INSUFFICIENT_EVIDENCE
    assert after["QL.1.1"].outcome is Outcome.PASS
    assert after["QL.5.5"].checks[1].outcome is Outcome.PASS  # endpoints from the newer file


def test_exit_codes_follow_the_outcomes() -> None:
    inv = inventory(system_data(**DECLARED))
    passing = [c for c in CONTROLS if c.id in ("KT.1.6", "HS.1", "BL.2", "TK.b.xvi")]
    assert exit_code(evaluate(inv, good_ports(), controls=passing)) == 0
    assert exit_code(evaluate(inv, TELNET, controls=passing)) == 1
    assert exit_code(evaluate(inv, controls=passing)) == 4  # no port scan: insufficient
    waived = inventory(system_data(**DECLARED, waivers=[WAIVER]))
    result = evaluate(waived, TELNET, controls=passing)
    assert exit_code(result) == 0 and result.systems[0].outcome is Outcome.WAIVED


def test_a_newer_inventory_must_describe_the_runs_systems() -> None:
    base = inventory(system_data())
    other = inventory(system_data(id="khac"))
    with pytest.raises(InputError) as raised:
        with_declarations(base, other, Path("newer.yaml"), ["sys"])
    (problem,) = raised.value.problems
    assert "sys" in problem.message and problem.hint and "same systems" in problem.hint
