"""Stored judgements exploded per system: what the summary, ``due`` and ``history`` read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from socaudit.evaluation.model import LocalText, Outcome
from socaudit.store.repository import StoredAssessment


@dataclass(frozen=True, slots=True)
class StoredControl:
    id: str
    group: str
    title: LocalText | None
    outcome: Outcome


class StoredSystem:
    """One system of a stored evaluation JSON, read lazily (a province's results run to many
    megabytes; only the latest judgement of each system needs its controls)."""

    __slots__ = ("_raw",)

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self._raw = raw

    @property
    def id(self) -> str:
        return str(self._raw["id"])

    @property
    def level(self) -> int:
        return int(self._raw["level"])

    @property
    def outcome(self) -> Outcome:
        return Outcome(self._raw["outcome"])

    @property
    def counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self._raw.get("counts", {}).items()}

    @property
    def controls(self) -> tuple[StoredControl, ...]:
        return tuple(_control(c) for c in self._raw.get("controls", ()))


def _control(raw: Mapping[str, Any]) -> StoredControl:
    title = raw.get("title")
    return StoredControl(
        id=str(raw["id"]),
        group=str(raw.get("group", "")),
        title=LocalText(vi=title["vi"], en=title["en"]) if title else None,
        outcome=Outcome(raw["outcome"]),
    )


@dataclass(frozen=True, slots=True)
class SystemJudgement:
    """One system's result in one stored assessment."""

    assessment_id: int
    run_id: int
    assessed_on: dt.date
    """The day the run collected its evidence (the run's date), i.e. when it was assessed."""
    as_of: dt.date
    """The day the judgement was made for (waivers, freshness)."""
    pack: str
    """``id@version`` of the policy pack."""
    result: StoredSystem


def judgements(
    assessments: Iterable[StoredAssessment], run_dates: Mapping[int, dt.date]
) -> list[SystemJudgement]:
    """Every system result of every stored assessment, oldest assessment first."""
    found: list[SystemJudgement] = []
    for stored in sorted(assessments, key=lambda a: a.id):
        assessed_on = run_dates.get(stored.run_id, stored.as_of)
        pack = f"{stored.pack_id}@{stored.pack_version}"
        found += [
            SystemJudgement(stored.id, stored.run_id, assessed_on, stored.as_of, pack, system)
            for system in _systems(stored.results)
        ]
    return found


def _systems(results: Mapping[str, Any]) -> list[StoredSystem]:
    """The systems of a stored result; entries without an id, level or known outcome are
    skipped (a stored row is input too)."""
    systems = results.get("systems")
    return [StoredSystem(s) for s in systems if _usable(s)] if isinstance(systems, list) else []


def _usable(raw: object) -> bool:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return False
    return isinstance(raw.get("level"), int) and raw.get("outcome") in set(Outcome)


def latest_by_system(
    found: Iterable[SystemJudgement], up_to_run: int | None = None
) -> dict[str, SystemJudgement]:
    """Each system's most recent stored judgement (of runs up to ``up_to_run`` when given)."""
    latest: dict[str, SystemJudgement] = {}
    for judgement in found:
        if up_to_run is not None and judgement.run_id > up_to_run:
            continue
        current = latest.get(judgement.result.id)
        if current is None or _order(judgement) >= _order(current):
            latest[judgement.result.id] = judgement
    return latest


def last_assessed_dates(found: Iterable[SystemJudgement], as_of: dt.date) -> dict[str, dt.date]:
    """Per system, the latest day a stored assessment says it was assessed, not after ``as_of``."""
    dates: dict[str, dt.date] = {}
    for judgement in found:
        day = judgement.assessed_on
        if day <= as_of and day > dates.get(judgement.result.id, dt.date.min):
            dates[judgement.result.id] = day
    return dates


def _order(judgement: SystemJudgement) -> tuple[int, int]:
    return judgement.run_id, judgement.assessment_id
