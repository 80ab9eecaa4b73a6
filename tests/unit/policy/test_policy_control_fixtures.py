"""Every scanned check of every automated or hybrid control, with the parameters the pack gives
it at each level, passes on one recorded fixture and fails on another (the check fixtures of
``tests/unit/checks/fixtures.py``): the pack's numbers can tell good evidence from bad."""

from __future__ import annotations

import pytest
from checks.fixtures import FIXTURES, NEVER_FAIL

from socaudit.checks import REGISTRY
from socaudit.evaluation.model import Outcome
from socaudit.policy.loader import load_pack

PACK = load_pack("tcvn11930")
CASES = sorted(
    {
        (entry.control.id, level, check.name)
        for entry in PACK.controls
        if entry.control.kind.value in {"automated", "hybrid"}
        for level in PACK.levels
        if entry.applies(level)
        for check in PACK.resolve(entry, level).checks
        if REGISTRY[check.name].source == "observed"
    }
)


def test_every_automated_and_hybrid_control_has_a_scanned_check() -> None:
    controls = {cid for cid, _level, _check in CASES}
    expected = {e.control.id for e in PACK.controls if e.control.kind.value != "declared"}

    assert controls == expected
    assert {"KT.1.1", "KT.1.6", "KT.2.1", "KT.3.1", "KT.3.4", "TC.1"} <= controls


@pytest.mark.parametrize(("control_id", "level", "check"), CASES, ids=lambda v: str(v))
def test_pack_parameters_pass_good_and_fail_bad_evidence(
    control_id: str, level: int, check: str
) -> None:
    entry = PACK.control(control_id)
    resolved = next(c for c in PACK.resolve(entry, level).checks if c.name == check)
    spec = REGISTRY[check]
    params = spec.parse_params(resolved.params)
    outcomes = {spec.run(f.ctx(), params).outcome for f in FIXTURES if f.check == check}

    assert Outcome.PASS in outcomes
    assert NEVER_FAIL.get(check, Outcome.FAIL) in outcomes
