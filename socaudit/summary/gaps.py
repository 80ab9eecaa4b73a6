"""Systemic gaps: the controls that fail across the most systems (latest judgement of each)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from socaudit.evaluation.model import LocalText, Outcome


class _Control(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def group(self) -> str: ...
    @property
    def title(self) -> LocalText | None: ...
    @property
    def outcome(self) -> Outcome: ...


class _System(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def controls(self) -> Sequence[_Control]: ...


NOT_MET = frozenset({Outcome.FAIL, Outcome.PARTIAL})
"""Outcomes that count as a gap (a waived control is an accepted risk, not counted)."""


@dataclass(frozen=True, slots=True)
class Gap:
    control: str
    group: str
    title: LocalText | None
    failing: tuple[str, ...]
    """Systems where the control fails or is only partly met."""
    judged: int
    """Systems where the control applies (any outcome but not applicable)."""

    @property
    def share(self) -> float:
        return round(len(self.failing) / self.judged, 4) if self.judged else 0.0


def systemic_gaps(results: Iterable[_System], limit: int = 10) -> tuple[Gap, ...]:
    """Up to ``limit`` failing controls, most systems first (then highest share, then id)."""
    failing: dict[str, list[str]] = {}
    judged: dict[str, int] = {}
    about: dict[str, tuple[str, LocalText | None]] = {}
    for system in results:
        for control in system.controls:
            if control.outcome is Outcome.NOT_APPLICABLE:
                continue
            judged[control.id] = judged.get(control.id, 0) + 1
            about.setdefault(control.id, (control.group, control.title))
            if control.outcome in NOT_MET:
                failing.setdefault(control.id, []).append(system.id)
    gaps = [
        Gap(cid, about[cid][0], about[cid][1], tuple(sorted(ids)), judged[cid])
        for cid, ids in failing.items()
    ]
    gaps.sort(key=lambda g: (-len(g.failing), -g.share, g.control))
    return tuple(gaps[:limit])
