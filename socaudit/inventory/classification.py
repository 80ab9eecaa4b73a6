"""Minimum security level from the classification inputs (NĐ 85/2016 Art. 7–11).

A system is of level N if it meets any one criterion of Art. 7+N-1; its minimum level is the
highest level whose criterion it meets. The criteria are those of NĐ 85/2016 as summarised in
the regime reference (§3.2); NĐ 331/2026 thresholds belong in a successor rule set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from socaudit.inventory.basetypes import ConstructionGrade, NationalCritical, SecurityImpact
from socaudit.inventory.models import Classification, InformationType, Reach
from socaudit.inventory.models import SystemFunction as Fn

USER_THRESHOLD = 10_000
"""Art. 8.2.c / 9.2.c: private or personal information of this many users makes level 3."""


@dataclass(frozen=True, slots=True)
class LevelCriterion:
    """One criterion of NĐ 85/2016: the level it implies, its article and a short reason."""

    level: int
    article: str
    reason: str
    applies: Callable[[Classification], bool]

    def cite(self) -> str:
        """``NĐ 85/2016 Art. 9.2.a: online public services of mức độ 3 or higher``."""
        return f"NĐ 85/2016 Art. {self.article}: {self.reason}"


def _personal(c: Classification) -> bool:
    return bool({InformationType.PRIVATE, InformationType.PERSONAL} & set(c.information))


def _secret(c: Classification) -> bool:
    return InformationType.STATE_SECRET in c.information


def _online(c: Classification) -> bool:
    return c.function is Fn.PUBLIC_SERVICE


def _many_users(c: Classification) -> bool:
    return c.users is not None and c.users >= USER_THRESHOLD


def _grade(*grades: ConstructionGrade) -> Callable[[Classification], bool]:
    return lambda c: c.function is Fn.INDUSTRIAL_CONTROL and c.construction_grade in grades


def _impact(impact: SecurityImpact) -> Callable[[Classification], bool]:
    return lambda c: c.security_impact is impact


def _critical(kind: NationalCritical) -> Callable[[Classification], bool]:
    return lambda c: c.national_critical is kind


_SHARED_REACH = {Reach.SECTOR, Reach.PROVINCE, Reach.MULTI_PROVINCE, Reach.NATIONAL}
_G = ConstructionGrade

CRITERIA: tuple[LevelCriterion, ...] = (
    # Within one level the more specific criterion comes first: it is the one cited.
    LevelCriterion(
        5,
        "11.1",
        "compromise would especially seriously harm defence or national security",
        _impact(SecurityImpact.ESPECIALLY_SERIOUS),
    ),
    LevelCriterion(
        5,
        "11.2",
        "centralised store of especially important national data",
        _critical(NationalCritical.NATIONAL_DATA),
    ),
    LevelCriterion(
        5,
        "11.3",
        "national infrastructure interconnecting Việt Nam with the world",
        _critical(NationalCritical.INTERNATIONAL_GATEWAY),
    ),
    LevelCriterion(
        5,
        "11.4",
        "industrial control of special-grade works or works important to national security",
        _grade(_G.SPECIAL, _G.NATIONAL_SECURITY),
    ),
    LevelCriterion(
        5,
        "11.5",
        "on the list of national critical systems decided by the Prime Minister",
        _critical(NationalCritical.PRIME_MINISTER_LIST),
    ),
    LevelCriterion(
        4,
        "10.1",
        "compromise would seriously harm defence or national security",
        _impact(SecurityImpact.SERIOUS),
    ),
    LevelCriterion(
        4,
        "10.3",
        "nationwide shared information infrastructure that must run 24/7",
        lambda c: (
            c.function is Fn.INFRASTRUCTURE and c.reach is Reach.NATIONAL and c.continuous_operation
        ),
    ),
    LevelCriterion(
        4,
        "10.2",
        "national e-government system that must run 24/7 without unplanned downtime",
        lambda c: (
            c.function in {Fn.INTERNAL, Fn.PUBLIC_SERVICE}
            and c.reach is Reach.NATIONAL
            and c.continuous_operation
        ),
    ),
    LevelCriterion(4, "10.4", "industrial control of grade I construction works", _grade(_G.I)),
    LevelCriterion(3, "9.1", "processes state secrets", _secret),
    LevelCriterion(
        3,
        "9.1",
        "compromise would harm defence or national security",
        _impact(SecurityImpact.HARM),
    ),
    LevelCriterion(
        3,
        "9.2.a",
        "online public services of mức độ 3 or higher",
        lambda c: _online(c) and (c.public_service_level or 0) >= 3,
    ),
    LevelCriterion(
        3,
        "9.2.b",
        "online services in a conditional business line",
        lambda c: _online(c) and c.conditional_business,
    ),
    LevelCriterion(
        3,
        "9.2.c",
        f"online services processing private or personal information of ≥ {USER_THRESHOLD:,} users",
        lambda c: _online(c) and _personal(c) and _many_users(c),
    ),
    LevelCriterion(
        3,
        "9.3",
        "information infrastructure shared by a sector, a province or several provinces",
        lambda c: c.function is Fn.INFRASTRUCTURE and c.reach in _SHARED_REACH,
    ),
    LevelCriterion(
        3,
        "9.4",
        "industrial control of grade II–IV construction works",
        _grade(_G.II, _G.III, _G.IV),
    ),
    LevelCriterion(
        2,
        "8.1",
        "internal system processing private or personal information",
        lambda c: c.function is Fn.INTERNAL and _personal(c),
    ),
    LevelCriterion(
        2,
        "8.2.c",
        f"online services processing private or personal information of < {USER_THRESHOLD:,} users",
        lambda c: _online(c) and _personal(c),
    ),
    LevelCriterion(
        2,
        "8.2.a",
        "information and online public services up to mức độ 2",
        lambda c: _online(c) and c.public_service_level is not None,
    ),
    LevelCriterion(
        2,
        "8.2.b",
        "online services for citizens and businesses outside the conditional business lines",
        _online,
    ),
    LevelCriterion(
        2,
        "8.3",
        "information infrastructure serving one organisation",
        lambda c: c.function is Fn.INFRASTRUCTURE,
    ),
)

BASELINE = LevelCriterion(1, "7", "no criterion of a higher level applies", lambda c: True)


def minimum_level(classification: Classification) -> LevelCriterion:
    """The highest-level criterion the system meets (Art. 7 when none of Art. 8–11 does)."""
    return next((rule for rule in CRITERIA if rule.applies(classification)), BASELINE)
