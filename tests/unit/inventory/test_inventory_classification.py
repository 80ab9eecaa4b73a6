"""NĐ 85/2016 Art. 7–11: the minimum level and the article cited, one case per criterion."""

from __future__ import annotations

from typing import Any

import pytest

from socaudit.inventory.classification import CRITERIA, USER_THRESHOLD, minimum_level
from socaudit.inventory.models import Classification


def classify(**fields: Any) -> Classification:
    return Classification.model_validate({"information": ["public"], **fields})


ONLINE = {"function": "public_service"}
INFRA = {"function": "infrastructure"}
ICS = {"function": "industrial_control"}
PERSONAL = {"information": ["public", "personal"]}

CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("7 internal public info", {"function": "internal"}, 1, "7"),
    ("8.1 internal private", {"function": "internal", "information": ["private"]}, 2, "8.1"),
    ("8.1 internal personal", {"function": "internal", **PERSONAL}, 2, "8.1"),
    ("8.2.a level-2 service", {**ONLINE, "public_service_level": 2}, 2, "8.2.a"),
    ("8.2.b online service", ONLINE, 2, "8.2.b"),
    ("8.2.c few users", {**ONLINE, **PERSONAL, "users": USER_THRESHOLD - 1}, 2, "8.2.c"),
    ("8.2.c users unknown", {**ONLINE, **PERSONAL}, 2, "8.2.c"),
    ("8.3 one organisation", {"function": "infrastructure"}, 2, "8.3"),
    ("9.1 state secrets", {"function": "internal", "information": ["state_secret"]}, 3, "9.1"),
    ("9.1 security harm", {"function": "other", "security_impact": "harm"}, 3, "9.1"),
    ("9.2.a level-3 service", {**ONLINE, "public_service_level": 3}, 3, "9.2.a"),
    ("9.2.a level-4 service", {**ONLINE, "public_service_level": 4}, 3, "9.2.a"),
    ("9.2.b conditional", {**ONLINE, "conditional_business": True}, 3, "9.2.b"),
    ("9.2.c many users", {**ONLINE, **PERSONAL, "users": USER_THRESHOLD}, 3, "9.2.c"),
    ("9.3 province", {**INFRA, "reach": "province"}, 3, "9.3"),
    ("9.3 sector", {**INFRA, "reach": "sector"}, 3, "9.3"),
    ("9.3 provinces", {**INFRA, "reach": "multi_province"}, 3, "9.3"),
    ("9.4 grade II", {**ICS, "construction_grade": "II"}, 3, "9.4"),
    ("9.4 grade IV", {**ICS, "construction_grade": "IV"}, 3, "9.4"),
    ("10.1 serious", {"function": "internal", "security_impact": "serious"}, 4, "10.1"),
    (
        "10.2 national e-gov 24/7",
        {**ONLINE, "reach": "national", "continuous_operation": True},
        4,
        "10.2",
    ),
    (
        "10.3 national infra 24/7",
        {**INFRA, "reach": "national", "continuous_operation": True},
        4,
        "10.3",
    ),
    ("10.4 grade I", {**ICS, "construction_grade": "I"}, 4, "10.4"),
    (
        "11.1 especially serious",
        {"function": "internal", "security_impact": "especially_serious"},
        5,
        "11.1",
    ),
    ("11.2 national data", {**INFRA, "national_critical": "national_data"}, 5, "11.2"),
    ("11.3 gateway", {**INFRA, "national_critical": "international_gateway"}, 5, "11.3"),
    ("11.4 special grade", {**ICS, "construction_grade": "special"}, 5, "11.4"),
    (
        "11.4 security works",
        {**ICS, "construction_grade": "national_security"},
        5,
        "11.4",
    ),
    ("11.5 PM list", {"function": "other", "national_critical": "prime_minister_list"}, 5, "11.5"),
]


@pytest.mark.parametrize(
    ("fields", "level", "article"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_minimum_level_and_article(fields: dict[str, Any], level: int, article: str) -> None:
    rule = minimum_level(classify(**fields))

    assert (rule.level, rule.article) == (level, article)


def test_every_criterion_has_a_case() -> None:
    assert {rule.article for rule in CRITERIA} <= {case[3] for case in CASES}


def test_the_highest_criterion_wins() -> None:
    rule = minimum_level(
        classify(**ONLINE, **PERSONAL, users=300_000, public_service_level=2, reach="national")
    )

    assert (rule.level, rule.article) == (3, "9.2.c")


def test_national_reach_without_24_7_is_still_shared_infrastructure() -> None:
    rule = minimum_level(classify(function="infrastructure", reach="national"))

    assert (rule.level, rule.article) == (3, "9.3")


def test_ics_without_grade_is_only_level_1() -> None:
    assert minimum_level(classify(function="industrial_control")).level == 1


def test_citation_names_decree_article_and_reason() -> None:
    rule = minimum_level(classify(**ONLINE, public_service_level=3))

    assert rule.cite() == "NĐ 85/2016 Art. 9.2.a: online public services of mức độ 3 or higher"
