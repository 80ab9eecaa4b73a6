"""The subcommittee summary as one pure model: Mẫu 08 rows and totals, verdicts, KPIs, gaps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from socaudit.inventory.models import Inventory
from socaudit.summary.due import DueEntry, due_entries
from socaudit.summary.gaps import Gap, systemic_gaps
from socaudit.summary.kpis import Kpi, measure, province_targets
from socaudit.summary.mau08 import Mau08Row, Mau08Totals, mau08_rows, mau08_totals, report_period
from socaudit.summary.stored import SystemJudgement, last_assessed_dates, latest_by_system


@dataclass(frozen=True, slots=True)
class Verdict:
    """A system's outcome in its latest stored assessment."""

    outcome: str
    counts: dict[str, int]
    assessment_id: int
    run_id: int
    assessed_on: dt.date
    pack: str


@dataclass(frozen=True, slots=True)
class SummaryRow:
    mau08: Mau08Row
    due: DueEntry
    verdict: Verdict | None


@dataclass(frozen=True, slots=True)
class Summary:
    organization: str
    security_unit: str | None
    province: str | None
    as_of: dt.date
    period: tuple[dt.date, dt.date]
    run_id: int | None
    rows: tuple[SummaryRow, ...]
    totals: Mau08Totals
    kpis: dict[str, Kpi]
    gaps: tuple[Gap, ...]
    plan: str | None = None
    """The province's plan the targets come from, when the inventory names it."""

    @property
    def overdue(self) -> tuple[SummaryRow, ...]:
        return tuple(r for r in self.rows if r.due.overdue)

    @property
    def verdict_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            key = row.verdict.outcome if row.verdict else "not_assessed"
            counts[key] = counts.get(key, 0) + 1
        return counts


def build_summary(
    inventory: Inventory,
    as_of: dt.date,
    stored: Iterable[SystemJudgement] = (),
    run_id: int | None = None,
    targets: Mapping[str, Fraction] | None = None,
) -> Summary:
    """The summary of ``inventory`` at ``as_of``; ``stored`` gives verdicts and assessment dates.

    ``targets`` default to the inventory's ``targets`` over the built-in ones. With
    ``run_id``, only judgements of runs up to it count (a summary of an older run never
    sees later results).
    """
    found = [j for j in stored if run_id is None or j.run_id <= run_id]
    due = due_entries(inventory, last_assessed_dates(found, as_of), as_of)
    rows = mau08_rows(inventory, due, as_of)
    latest = latest_by_system(found)
    ids = {s.id for s in inventory.systems}
    org = inventory.organization
    return Summary(
        organization=org.name,
        security_unit=org.security_unit,
        province=org.province,
        as_of=as_of,
        period=report_period(inventory, as_of),
        run_id=run_id,
        rows=tuple(
            SummaryRow(row, entry, _verdict(latest.get(row.id)))
            for row, entry in zip(rows, due, strict=True)
        ),
        totals=mau08_totals(rows),
        kpis=measure(inventory, due, as_of, targets or province_targets(inventory)),
        plan=inventory.targets.plan if inventory.targets else None,
        gaps=systemic_gaps(j.result for sid, j in sorted(latest.items()) if sid in ids),
    )


def _verdict(judgement: SystemJudgement | None) -> Verdict | None:
    if judgement is None:
        return None
    result = judgement.result
    return Verdict(
        outcome=result.outcome.value,
        counts=dict(result.counts),
        assessment_id=judgement.assessment_id,
        run_id=judgement.run_id,
        assessed_on=judgement.assessed_on,
        pack=judgement.pack,
    )
