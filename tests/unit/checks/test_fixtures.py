"""Every check against its passing and failing fixture; every registered check has both."""

from __future__ import annotations

import pytest

from socaudit.checks import REGISTRY
from socaudit.evaluation.model import Outcome
from socaudit.i18n import both

from .fixtures import FIXTURES, NEVER_FAIL, Fixture


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f"{f.check}[{f.name}]")
def test_fixture(fixture: Fixture) -> None:
    spec = REGISTRY[fixture.check]
    result = spec.run(fixture.ctx(), spec.parse_params(fixture.params))
    assert result.outcome is fixture.expected, result.reason
    text = both(result.reason.key, result.reason.args)  # every reason renders in vi and en
    assert text.vi and text.en and text.vi != text.en
    if spec.source == "observed" and result.outcome in (Outcome.PASS, Outcome.FAIL):
        assert result.evidence, "an observed verdict names its evidence"


def test_every_check_has_a_passing_and_a_failing_fixture() -> None:
    outcomes: dict[str, set[Outcome]] = {}
    for fixture in FIXTURES:
        outcomes.setdefault(fixture.check, set()).add(fixture.expected)
    for name in REGISTRY:
        worst = NEVER_FAIL.get(name, Outcome.FAIL)
        assert {Outcome.PASS, worst} <= outcomes.get(name, set()), name
