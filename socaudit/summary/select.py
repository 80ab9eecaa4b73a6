"""Which stored assessments a summary or ``due`` needs to unpack (a pure plan).

Each system needs its latest judgement (highest run, then assessment id) and its latest
assessment day not after as-of. An assessment can only judge systems of its run, so walking
the assessments newest first and unpacking one only while a system of its run still lacks an
answer usually unpacks a single evaluation, however long the store's history is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from socaudit.summary.stored import SystemJudgement


@dataclass(frozen=True, slots=True)
class Header:
    """A stored assessment without its results."""

    id: int
    run_id: int


def needed_judgements(
    headers: Iterable[Header],
    run_dates: Mapping[int, dt.date],
    run_systems: Mapping[int, Collection[str]],
    systems: Collection[str],
    as_of: dt.date,
    unpack: Callable[[int], list[SystemJudgement]],
    up_to_run: int | None = None,
) -> list[SystemJudgement]:
    """The judgements that decide ``systems``' verdicts and last-assessed days."""
    usable = [h for h in headers if up_to_run is None or h.run_id <= up_to_run]
    cache: dict[int, list[SystemJudgement]] = {}

    def judged(header: Header) -> list[SystemJudgement]:
        if header.id not in cache:
            cache[header.id] = unpack(header.id)
        return cache[header.id]

    _walk(
        sorted(usable, key=lambda h: (h.run_id, h.id), reverse=True), run_systems, systems, judged
    )
    dated = [h for h in usable if run_dates.get(h.run_id, dt.date.max) <= as_of]
    dated.sort(key=lambda h: (run_dates[h.run_id], h.run_id, h.id), reverse=True)
    _walk(dated, run_systems, systems, judged)
    return [j for key in sorted(cache) for j in cache[key]]


def _walk(
    ordered: list[Header],
    run_systems: Mapping[int, Collection[str]],
    systems: Collection[str],
    judged: Callable[[Header], list[SystemJudgement]],
) -> None:
    """Unpack assessments in order until every system has been seen in one."""
    missing = set(systems)
    for header in ordered:
        if not missing:
            return
        if missing.isdisjoint(run_systems.get(header.run_id, ())):
            continue
        missing -= {j.result.id for j in judged(header)}
