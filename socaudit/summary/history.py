"""A system's assessments over time: date, pack, outcome and counts (``socaudit history``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from socaudit.summary.stored import SystemJudgement


def history(found: Iterable[SystemJudgement], system: str | None = None) -> list[SystemJudgement]:
    """Judgements oldest first (by assessment day, then assessment id), of one system if given."""
    rows = [j for j in found if system is None or j.result.id == system]
    return sorted(rows, key=lambda j: (j.assessed_on, j.assessment_id, j.result.id))


def history_json(rows: Iterable[SystemJudgement]) -> dict[str, Any]:
    return {
        "assessments": [
            {
                "system": j.result.id,
                "assessed_on": j.assessed_on.isoformat(),
                "as_of": j.as_of.isoformat(),
                "run": j.run_id,
                "assessment": j.assessment_id,
                "pack": j.pack,
                "outcome": j.result.outcome.value,
                "counts": dict(j.result.counts),
            }
            for j in rows
        ]
    }
