"""Unpacking only the needed stored assessments gives the same summary as unpacking them all."""

from __future__ import annotations

import datetime as dt

import pytest

from socaudit.evaluation.model import Outcome
from socaudit.summary.as_json import summary_json
from socaudit.summary.model import build_summary
from socaudit.summary.select import Header, needed_judgements
from socaudit.summary.stored import SystemJudgement

from .fixtures import AS_OF, control, judgement, province, system_result

IDS = ("a", "b", "c", "d", "e")
RUN_DATES = {
    1: dt.date(2026, 2, 1),
    2: dt.date(2026, 6, 1),
    3: dt.date(2026, 9, 1),
    4: dt.date(2027, 1, 5),
}
RUN_SYSTEMS = {1: IDS, 2: ("a", "b", "c"), 3: IDS, 4: IDS}
# assessment id -> (run, systems judged): run 3's second evaluation judged only "a" (--system).
ASSESSMENTS = {1: (1, IDS), 2: (2, ("a", "b", "c")), 3: (3, IDS), 4: (3, ("a",)), 5: (4, IDS)}


def _judged(aid: int) -> list[SystemJudgement]:
    run, systems = ASSESSMENTS[aid]
    outcome = Outcome.FAIL if aid % 2 else Outcome.PASS
    return [
        judgement(system_result(sid, 3, control("KT.1", outcome)), RUN_DATES[run], run, aid)
        for sid in systems
    ]


@pytest.mark.parametrize(
    ("as_of", "up_to"), [(AS_OF, None), (AS_OF, 2), (dt.date(2026, 3, 1), None)]
)
def test_needed_judgements_give_the_same_summary_as_all(as_of: dt.date, up_to: int | None) -> None:
    unpacked: list[int] = []

    def unpack(aid: int) -> list[SystemJudgement]:
        unpacked.append(aid)
        return _judged(aid)

    headers = [Header(aid, run) for aid, (run, _) in ASSESSMENTS.items()]
    everything = [j for aid in ASSESSMENTS for j in _judged(aid)]
    needed = needed_judgements(headers, RUN_DATES, RUN_SYSTEMS, IDS, as_of, unpack, up_to)
    full = summary_json(build_summary(province(), as_of, everything, up_to))
    assert summary_json(build_summary(province(), as_of, needed, up_to)) == full
    assert len(unpacked) == len(set(unpacked)) < len(ASSESSMENTS)


def test_the_latest_full_evaluation_alone_is_unpacked_when_it_decides_everything() -> None:
    unpacked: list[int] = []

    def unpack(aid: int) -> list[SystemJudgement]:
        unpacked.append(aid)
        return _judged(aid)

    headers = [Header(aid, run) for aid, (run, _) in ASSESSMENTS.items()]
    needed_judgements(headers, RUN_DATES, RUN_SYSTEMS, IDS, dt.date(2027, 2, 1), unpack)
    assert unpacked == [5]
