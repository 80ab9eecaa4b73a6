"""Every provincial target against numbers counted by hand on the fixture province."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from socaudit.evaluation.model import Outcome
from socaudit.inventory.activities import Targets
from socaudit.summary.as_json import summary_json
from socaudit.summary.model import build_summary

from .fixtures import AS_OF, control, judgement, province, system_result

# name: (numerator, denominator, value, target, met, short, not declared)
EXPECTED = {
    "levels_approved": (3, 5, 0.6, 1.0, False, ["b", "d"], []),
    "plans_deployed": (2, 5, 0.4, 1.0, False, ["b", "c", "d"], []),
    # 95 + 8 + 30 + 0 of 100 + 10 + 30 + 0; c declares no endpoints; e has none (0/0).
    "endpoints_protected": (133, 140, 0.95, 0.9, True, ["b"], ["c"]),
    # a inspected 2026-03-01; b's inspection is 16 months old but socaudit assessed it
    # 2026-06-01; d was never assessed.
    "shared_assessed_yearly": (2, 3, 0.6667, 1.0, False, ["d"], []),
    # b's monitoring contract ended the day before; d is not connected.
    "dc_monitored_connected": (1, 3, 0.3333, 1.0, False, ["b", "d"], []),
    "staff_informed": (60, 70, 0.8571, 1.0, False, ["b"], ["c", "d", "e"]),
    # a: 3 of 4 trained; b: trained (2 of 2); c: not trained (0 of 1).
    "security_staff_trained": (5, 7, 0.7143, 1.0, False, ["a", "c"], ["d", "e"]),
    # level >= 3: a (live fire in May), e (live fire on as-of day); b only a tabletop
    # exercise, d's drill is one day older than 12 months.
    "drills_live_fire": (2, 4, 0.5, 1.0, False, ["b", "d"], []),
}


def summary_data() -> dict[str, Any]:
    stored = [judgement(system_result("b", 3, control("KT.1", Outcome.FAIL)), dt.date(2026, 6, 1))]
    return summary_json(build_summary(province(), AS_OF, stored))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_kpi_matches_the_hand_count(name: str) -> None:
    data = summary_data()
    numerator, denominator, value, target, met, short, undeclared = EXPECTED[name]
    kpis = data["kpis"]
    assert isinstance(kpis, dict)
    assert kpis[name] == {
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "target": target,
        "met": met,
        "systems_short": short,
    }
    assert data["kpi_not_declared"].get(name, []) == undeclared


def test_kpi_names_are_exactly_the_contract() -> None:
    assert list(summary_data()["kpis"]) == list(EXPECTED)


def test_a_kpi_with_nothing_to_count_has_null_value_and_met() -> None:
    inventory = province()
    only_c = inventory.model_copy(update={"systems": (inventory.system("c"),)})
    kpis = summary_json(build_summary(only_c, AS_OF))["kpis"]
    assert kpis["shared_assessed_yearly"] == {
        "numerator": 0,
        "denominator": 0,
        "value": None,
        "target": 1.0,
        "met": None,
        "systems_short": [],
    }
    assert kpis["endpoints_protected"]["value"] is None


def test_the_target_is_met_exactly_at_the_threshold() -> None:
    inventory = province()
    systems = tuple(
        s.model_copy(update={"endpoints": s.endpoints.model_copy(update={"protected": 9})})
        if s.id == "b" and s.endpoints
        else s
        for s in inventory.systems
        if s.id == "b"
    )
    kpis = build_summary(inventory.model_copy(update={"systems": systems}), AS_OF).kpis
    kpi = kpis["endpoints_protected"]
    assert (kpi.numerator, kpi.denominator, kpi.met, kpi.systems_short) == (9, 10, True, ())


def test_the_inventory_sets_the_provinces_own_targets() -> None:
    inventory = province()
    targets = {"endpoints_protected": 96, "levels_approved": 50, "plan": "Kế hoạch số 120/KH-UBND"}
    mine = inventory.model_copy(update={"targets": Targets.model_validate(targets)})
    data = summary_json(build_summary(mine, AS_OF))
    endpoints = data["kpis"]["endpoints_protected"]
    assert (endpoints["target"], endpoints["met"], endpoints["systems_short"]) == (
        0.96,
        False,
        ["a", "b"],
    )
    levels = data["kpis"]["levels_approved"]
    assert (levels["target"], levels["met"], levels["systems_short"]) == (0.5, True, ["b", "d"])
    assert data["kpis"]["plans_deployed"]["target"] == 1.0
    assert data["targets_plan"] == "Kế hoạch số 120/KH-UBND"
