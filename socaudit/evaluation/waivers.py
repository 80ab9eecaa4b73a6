"""Waivers (accepted risks): applied after folding, only while valid at ``as_of``.

A waiver turns a ``fail`` or ``partial`` into ``waived`` and keeps what it would have been in
``waived_outcome``; it never hides missing evidence, errors or a pass. An expired waiver stops
applying by itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from socaudit.evaluation.model import Outcome, WaiverRef
from socaudit.inventory.models import Waiver

WAIVABLE = frozenset({Outcome.FAIL, Outcome.PARTIAL})


def active_waiver(waivers: Iterable[Waiver], control_id: str, as_of: dt.date) -> Waiver | None:
    """The control's waiver valid at ``as_of`` (the one lasting longest), if any."""
    valid = [w for w in waivers if w.control == control_id and w.active(as_of)]
    return max(valid, key=lambda w: w.expires) if valid else None


def apply_waiver(
    outcome: Outcome, waiver: Waiver | None
) -> tuple[Outcome, Outcome | None, WaiverRef | None]:
    """(outcome, waived_outcome, waiver reference) after an optional waiver."""
    if waiver is None or outcome not in WAIVABLE:
        return outcome, None, None
    ref = WaiverRef(reason=waiver.reason, approved_by=waiver.approved_by, expires=waiver.expires)
    return Outcome.WAIVED, outcome, ref
