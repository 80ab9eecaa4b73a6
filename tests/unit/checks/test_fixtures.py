"""Every check against its passing and failing fixture; every registered check has both."""

from __future__ import annotations

import pytest

from socaudit.checks import REGISTRY
from socaudit.evaluation.model import Outcome
from socaudit.i18n import both

from .builders import context
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


@pytest.mark.parametrize(
    ("plan", "expected_vi"),
    [
        ({"status": "partially_deployed", "expected_full_deployment": "2027-06-30"}, "2027-06-30"),
        ({"status": "partially_deployed"}, "chưa khai báo thời hạn"),
    ],
)
def test_a_partly_deployed_plan_names_its_date_or_says_none_is_declared(
    plan: dict[str, str], expected_vi: str
) -> None:
    spec = REGISTRY["inventory.security_plan_deployed"]
    result = spec.run(context(security_plan=plan), spec.parse_params({}))
    assert result.outcome is Outcome.PARTIAL
    text = both(result.reason.key, result.reason.args)
    assert expected_vi in text.vi and "—" not in text.vi + text.en
