"""The fold truth table, row by row (docs/evaluation.md)."""

from __future__ import annotations

import itertools

import pytest

from socaudit.evaluation.fold import PRECEDENCE, fold
from socaudit.evaluation.model import Outcome as O

ROWS = [
    ([O.PASS], O.PASS),
    ([O.PASS, O.PASS], O.PASS),
    ([O.PASS, O.MANUAL], O.MANUAL),
    ([O.MANUAL, O.INSUFFICIENT_EVIDENCE], O.INSUFFICIENT_EVIDENCE),
    ([O.PASS, O.INSUFFICIENT_EVIDENCE], O.INSUFFICIENT_EVIDENCE),
    ([O.INSUFFICIENT_EVIDENCE, O.ERROR], O.ERROR),
    ([O.PASS, O.ERROR, O.MANUAL], O.ERROR),
    ([O.ERROR, O.PARTIAL], O.PARTIAL),
    ([O.PASS, O.PARTIAL], O.PARTIAL),
    ([O.PARTIAL, O.FAIL], O.FAIL),
    ([O.FAIL, O.ERROR, O.INSUFFICIENT_EVIDENCE, O.MANUAL, O.PASS], O.FAIL),
    ([O.NOT_APPLICABLE], O.NOT_APPLICABLE),
    ([O.NOT_APPLICABLE, O.NOT_APPLICABLE], O.NOT_APPLICABLE),
    ([O.NOT_APPLICABLE, O.PASS], O.PASS),
    ([O.NOT_APPLICABLE, O.FAIL], O.FAIL),
    ([O.NOT_APPLICABLE, O.INSUFFICIENT_EVIDENCE], O.INSUFFICIENT_EVIDENCE),
    ([], O.MANUAL),
]


@pytest.mark.parametrize(("outcomes", "expected"), ROWS)
def test_row(outcomes: list[O], expected: O) -> None:
    assert fold(outcomes) is expected
    assert fold(reversed(outcomes)) is expected  # order never matters


def test_precedence_is_the_written_order() -> None:
    assert PRECEDENCE == (
        O.FAIL, O.PARTIAL, O.ERROR, O.INSUFFICIENT_EVIDENCE, O.MANUAL, O.PASS
    )  # fmt: skip
    for stronger, weaker in itertools.pairwise(PRECEDENCE):
        assert fold([weaker, stronger]) is stronger


def test_waived_is_never_folded() -> None:
    with pytest.raises(ValueError, match="after folding"):
        fold([O.PASS, O.WAIVED])
