"""Systemic gaps across systems' latest judgements; history order."""

from __future__ import annotations

import datetime as dt

from socaudit.evaluation.model import Outcome
from socaudit.summary.gaps import systemic_gaps
from socaudit.summary.history import history, history_json
from socaudit.summary.model import build_summary

from .fixtures import AS_OF, control, judgement, province, system_result, waived

F, P, NA = Outcome.FAIL, Outcome.PASS, Outcome.NOT_APPLICABLE


def test_gaps_rank_controls_by_how_many_systems_fail_them() -> None:
    results = [
        system_result("a", 3, control("KT.1", F), control("KT.2", F), control("QL.1", P)),
        system_result("b", 3, control("KT.1", F), control("KT.2", NA), control("QL.1", P)),
        system_result("d", 4, control("KT.1", Outcome.PARTIAL), control("KT.2", P)),
        system_result("e", 5, control("KT.1", P), waived("KT.2", F, dt.date(2027, 1, 1))),
    ]
    gaps = systemic_gaps(results)
    assert [(g.control, g.failing, g.judged) for g in gaps] == [
        ("KT.1", ("a", "b", "d"), 4),
        ("KT.2", ("a",), 3),
    ]
    assert gaps[0].share == 0.75


def test_the_summary_uses_each_systems_latest_judgement() -> None:
    stored = [
        judgement(system_result("a", 3, control("KT.1", F)), dt.date(2026, 3, 1), 1, 1),
        judgement(system_result("a", 3, control("KT.1", P)), dt.date(2026, 9, 1), 2, 2),
        judgement(system_result("b", 3, control("KT.1", F)), dt.date(2026, 3, 1), 1, 1),
        judgement(system_result("zz", 3, control("KT.1", F)), dt.date(2026, 3, 1), 1, 1),
    ]
    summary = build_summary(province(), AS_OF, stored)
    assert [(g.control, g.failing) for g in summary.gaps] == [("KT.1", ("b",))]
    rows = {r.mau08.id: r for r in summary.rows}
    assert rows["a"].verdict is not None and rows["a"].verdict.run_id == 2


def test_history_is_oldest_first_and_filters_by_system() -> None:
    stored = [
        judgement(system_result("a", 3, control("KT.1", P)), dt.date(2026, 9, 1), 2, 2),
        judgement(system_result("a", 3, control("KT.1", F)), dt.date(2026, 3, 1), 1, 1),
        judgement(system_result("b", 3, control("KT.1", F)), dt.date(2026, 3, 1), 1, 1),
    ]
    rows = history(stored, "a")
    data = history_json(rows)["assessments"]
    assert [(r["assessed_on"], r["outcome"], r["counts"]["fail"]) for r in data] == [
        ("2026-03-01", "fail", 1),
        ("2026-09-01", "pass", 0),
    ]
    assert data[0]["pack"] == "tcvn11930@1" and len(history(stored)) == 3


def test_stored_rows_without_usable_systems_are_skipped() -> None:
    import dataclasses

    from socaudit.store.repository import StoredAssessment
    from socaudit.summary.stored import judgements

    good = system_result("a", 3, control("KT.1", F)).model_dump(mode="json")
    row = StoredAssessment(
        id=1,
        run_id=1,
        created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        as_of=dt.date(2026, 3, 1),
        pack_id="tcvn11930",
        pack_version="1",
        inventory_sha256="0" * 64,
        inventory_source="run",
        tool_version="0",
        results={"systems": [good, {"id": "b"}, {"id": "c", "level": 3, "outcome": "weird"}, 7]},
    )
    found = judgements(
        [row, dataclasses.replace(row, id=2, results={"systems": "x"})], {1: dt.date(2026, 3, 2)}
    )
    assert [(j.result.id, j.assessed_on) for j in found] == [("a", dt.date(2026, 3, 2))]
