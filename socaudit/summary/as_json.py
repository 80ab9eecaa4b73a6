"""``socaudit summary --format json`` (schema_version 1).

Contract: ``"kpis": {NAME: {"numerator", "denominator", "value", "target", "met",
"systems_short": [ids]}}`` with ``value`` (and ``met``) null when the denominator is 0.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from socaudit.summary.kpis import Kpi
from socaudit.summary.model import Summary, SummaryRow


def summary_json(summary: Summary) -> dict[str, Any]:
    totals = dataclasses.asdict(summary.totals)
    totals["by_level"] = {str(k): v for k, v in summary.totals.by_level.items()}
    data: dict[str, Any] = _dates(
        {
            "schema_version": 1,
            "as_of": summary.as_of,
            "run": summary.run_id,
            "organization": {
                "name": summary.organization,
                "security_unit": summary.security_unit,
                "province": summary.province,
            },
            "period": {"from": summary.period[0], "to": summary.period[1]},
            "systems": [_row(r) for r in summary.rows],
            "totals": totals,
            "verdicts": summary.verdict_counts,
            "kpis": {name: kpi_json(k) for name, k in summary.kpis.items()},
            "targets_plan": summary.plan,
            "kpi_not_declared": {
                name: list(k.not_declared) for name, k in summary.kpis.items() if k.not_declared
            },
            "gaps": [
                {
                    "control": g.control,
                    "group": g.group,
                    "title": g.title.model_dump() if g.title else None,
                    "failing": list(g.failing),
                    "judged": g.judged,
                }
                for g in summary.gaps
            ],
            "overdue": [r.mau08.id for r in summary.overdue],
        }
    )
    return data


def kpi_json(kpi: Kpi) -> dict[str, Any]:
    return {
        "numerator": kpi.numerator,
        "denominator": kpi.denominator,
        "value": kpi.value,
        "target": float(kpi.target),
        "met": kpi.met,
        "systems_short": list(kpi.systems_short),
    }


def _row(row: SummaryRow) -> dict[str, Any]:
    m, due, verdict = row.mau08, row.due, row.verdict
    return {
        "no": m.no,
        "id": m.id,
        "name": m.name,
        "owner": m.owner,
        "operator": m.operator,
        "level": m.level,
        "shared_datacenter": m.shared_datacenter,
        "approval": {
            "status": m.approval.value,
            "decision": m.approval_decision,
            "date": m.approval_date,
            "issuer": m.approval_issuer,
            "expected_date": m.expected_approval,
        },
        "regulation": {"decision": m.regulation_decision, "date": m.regulation_date},
        "plan": {
            "status": m.plan.value if m.plan else None,
            "expected_full_deployment": m.expected_full_deployment,
        },
        "assessment_status": m.assessment.code,
        "last_assessed": due.last_assessed,
        "last_assessed_source": due.source,
        "interval_months": due.interval_months,
        "due": due.due,
        "overdue": due.overdue,
        "verdict": dataclasses.asdict(verdict) if verdict else None,
    }


def _dates(value: Any) -> Any:
    """Dates as ISO text, recursively."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _dates(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_dates(v) for v in value]
    return value
