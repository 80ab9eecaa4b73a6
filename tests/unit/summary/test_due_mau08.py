"""Due dates from the later of a stored assessment and the declared inspection; Mẫu 08 rows."""

from __future__ import annotations

import datetime as dt

from socaudit.evaluation.model import Outcome
from socaudit.summary.as_json import summary_json
from socaudit.summary.due import due_entries, due_json
from socaudit.summary.model import build_summary
from socaudit.summary.stored import SystemJudgement, last_assessed_dates

from .fixtures import AS_OF, control, judgement, province, system_result


def stored_b(day: dt.date, run: int = 1) -> list[SystemJudgement]:
    return [judgement(system_result("b", 3, control("KT.1", Outcome.PASS)), day, run=run)]


def test_due_takes_the_later_of_stored_and_declared_and_never_assessed_is_overdue() -> None:
    stored = last_assessed_dates(stored_b(dt.date(2026, 6, 1)), AS_OF)
    data = due_json(AS_OF, due_entries(province(), stored, AS_OF))
    assert data["as_of"] == "2026-12-01"
    rows = {s["id"]: s for s in data["systems"]}
    assert list(rows["a"]) == ["id", "level", "last_assessed", "interval_months", "due", "overdue"]
    assert rows["a"] | {} == {
        "id": "a",
        "level": 3,
        "last_assessed": "2026-03-01",
        "interval_months": 12,
        "due": "2027-03-01",
        "overdue": False,
    }
    assert (rows["b"]["last_assessed"], rows["b"]["due"]) == ("2026-06-01", "2027-06-01")
    assert (rows["c"]["interval_months"], rows["c"]["due"], rows["c"]["overdue"]) == (
        24,
        None,
        True,
    )
    assert rows["d"]["overdue"] is True and rows["d"]["interval_months"] == 12
    assert (rows["e"]["interval_months"], rows["e"]["due"]) == (6, "2027-01-01")
    assert [s["id"] for s in data["systems"] if s["overdue"]] == ["c", "d"]


def test_without_the_stored_assessment_the_old_inspection_makes_b_overdue() -> None:
    entries = {e.id: e for e in due_entries(province(), {}, AS_OF)}
    assert entries["b"].last_assessed == dt.date(2025, 11, 15)
    assert entries["b"].due == dt.date(2026, 11, 15) and entries["b"].overdue
    assert entries["b"].source == "inspection"


def test_assessments_after_as_of_do_not_count() -> None:
    early = dt.date(2026, 2, 1)
    stored = last_assessed_dates(stored_b(dt.date(2026, 6, 1)), early)
    entries = {e.id: e for e in due_entries(province(), stored, early)}
    assert entries["b"].last_assessed == dt.date(2025, 11, 15)
    assert entries["a"].last_assessed is None  # inspected on 2026-03-01, after 2026-02-01
    assert entries["a"].overdue


def test_due_day_itself_is_not_overdue_the_day_after_is() -> None:
    due_day = dt.date(2027, 3, 1)
    assert not {e.id: e for e in due_entries(province(), {}, due_day)}["a"].overdue
    after = due_day + dt.timedelta(days=1)
    assert {e.id: e for e in due_entries(province(), {}, after)}["a"].overdue


def test_mau08_rows_and_totals_are_counted_from_the_rows() -> None:
    data = summary_json(build_summary(province(), AS_OF, stored_b(dt.date(2026, 6, 1))))
    rows = {r["id"]: r for r in data["systems"]}
    assert [r["no"] for r in data["systems"]] == [1, 2, 3, 4, 5]
    assert rows["b"]["approval"]["status"] == "submitted"
    assert rows["b"]["approval"]["expected_date"] == "2027-02-01"
    assert rows["b"]["plan"] == {
        "status": "partially_deployed",
        "expected_full_deployment": "2027-06-30",
    }
    assert rows["c"]["plan"]["status"] is None
    assert rows["c"]["regulation"]["decision"] == "Quyết định số 5/QĐ-SNV"
    status = {sid: r["assessment_status"] for sid, r in rows.items()}
    assert status == {"a": "periodic", "b": "periodic", "c": "none", "d": "none", "e": "both"}
    assert rows["b"]["last_assessed_source"] == "socaudit"
    assert rows["b"]["verdict"]["outcome"] == "pass" and rows["a"]["verdict"] is None
    totals = data["totals"]
    assert totals["in_scope"] == totals["classified"] == 5
    assert (totals["with_dossier"], totals["appraised"], totals["approved"]) == (4, 3, 3)
    assert (totals["periodically_assessed"], totals["pre_operation_assessed"]) == (3, 1)
    assert totals["with_regulation"] == 1
    assert totals["expected_completion"] == "2027-02-01"
    assert totals["by_level"] == {"1": 0, "2": 1, "3": 2, "4": 1, "5": 1}
    assert totals["by_approval"] == {"drafting": 1, "submitted": 1, "appraised": 0, "approved": 3}
    assert totals["by_plan"] == {"not_deployed": 2, "partially_deployed": 1, "fully_deployed": 2}
    assert data["overdue"] == ["c", "d"]
    assert data["verdicts"] == {"not_assessed": 4, "pass": 1}


def test_a_summary_of_an_older_run_ignores_later_runs() -> None:
    stored = stored_b(dt.date(2026, 6, 1), run=3)
    old = summary_json(build_summary(province(), AS_OF, stored, run_id=2))
    assert {r["id"]: r for r in old["systems"]}["b"]["verdict"] is None
    assert "b" in old["overdue"]
