"""The one truth table that folds several outcomes into one (docs/evaluation.md).

FAIL > PARTIAL > ERROR > INSUFFICIENT_EVIDENCE > MANUAL > PASS. ``not_applicable`` outcomes are
left out; when every outcome is ``not_applicable`` the fold is ``not_applicable``. Nothing to
fold (a control without checks) is MANUAL: a person has to judge it. ``waived`` is never an input
(waivers apply after folding); a caller folding control outcomes passes their waived outcome
as it wants it counted.
"""

from __future__ import annotations

from collections.abc import Iterable

from socaudit.evaluation.model import Outcome

PRECEDENCE: tuple[Outcome, ...] = (
    Outcome.FAIL,
    Outcome.PARTIAL,
    Outcome.ERROR,
    Outcome.INSUFFICIENT_EVIDENCE,
    Outcome.MANUAL,
    Outcome.PASS,
)
_RANK = {outcome: rank for rank, outcome in enumerate(PRECEDENCE)}


def fold(outcomes: Iterable[Outcome]) -> Outcome:
    """The outcome that wins under the truth table."""
    seen = list(outcomes)
    if not seen:
        return Outcome.MANUAL
    if Outcome.WAIVED in seen:
        raise ValueError("waived is applied after folding, never folded")
    judged = [o for o in seen if o is not Outcome.NOT_APPLICABLE]
    if not judged:
        return Outcome.NOT_APPLICABLE
    return min(judged, key=_RANK.__getitem__)
