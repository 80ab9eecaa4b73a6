"""The summary as plain text (terminal) and CSV (the Mẫu 08 table, one row per system).

CSV cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) are prefixed with ``'``: inventory names are input, not code.
"""

from __future__ import annotations

import csv
import io

from socaudit.i18n import message
from socaudit.summary.model import Summary, SummaryRow
from socaudit.summary.render import percent_formatter

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "no",
    "name",
    "owner",
    "operator",
    "level",
    "approval",
    "decision",
    "regulation",
    "expected_approval",
    "plan",
    "expected_deployment",
    "assessment",
    "last",
    "due",
    "verdict",
)


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA) else text


def row_cells(row: SummaryRow, lang: str) -> list[str]:
    """The Mẫu 08 row's cells as text in ``lang`` (dates ISO, blanks empty)."""
    m, due, verdict = row.mau08, row.due, row.verdict
    decision = ", ".join(
        str(x) for x in (m.approval_decision, m.approval_date, m.approval_issuer) if x
    )
    plan = m.plan.value if m.plan else "not_deployed"
    code = m.assessment.code
    return [
        str(m.no),
        m.name,
        m.owner or "",
        m.operator or "",
        str(m.level),
        message(lang, f"summary.mau08.approval.{m.approval.value}"),
        decision,
        ", ".join(str(x) for x in (m.regulation_decision, m.regulation_date) if x),
        str(m.expected_approval or ""),
        message(lang, f"summary.mau08.plan.{plan}"),
        str(m.expected_full_deployment or ""),
        message(lang, f"summary.mau08.assessment.{code}") if code != "none" else "",
        str(due.last_assessed or ""),
        str(due.due or "") + (f" ({message(lang, 'summary.word.overdue')})" if due.overdue else ""),
        message(lang, f"common.outcome.{verdict.outcome}") if verdict else "",
    ]


def summary_csv(summary: Summary, lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([message(lang, f"summary.col.{c}") for c in COLUMNS])
    for row in summary.rows:
        writer.writerow([csv_cell(c) for c in row_cells(row, lang)])
    return out.getvalue()


def summary_text(summary: Summary, lang: str) -> str:
    """A terminal view: the rows, the targets, the overdue systems."""
    pct = percent_formatter(lang)

    def t(key: str, **args: object) -> str:
        return message(lang, f"summary.{key}", args)

    lines = [t("text.header", organization=summary.organization, as_of=summary.as_of), ""]
    for row in summary.rows:
        cells = row_cells(row, lang)
        lines.append(f"{cells[0]:>3}. {row.mau08.id:<16} L{cells[4]}  {cells[5]:<22} {cells[9]}")
        lines.append(
            f"      {t('col.last')}: {cells[12] or t('word.never')}; "
            f"{t('col.due')}: {cells[13] or '-'}; {t('col.verdict')}: {cells[14] or '-'}"
        )
    lines += ["", t("section.kpis")]
    for name, kpi in summary.kpis.items():
        value = pct(kpi.value)
        met = t("word.unknown") if kpi.met is None else t("word.met" if kpi.met else "word.not_met")
        short = ", ".join(kpi.systems_short) or "-"
        lines.append(
            f"  {name:<24} {kpi.numerator}/{kpi.denominator} ({value}) "
            f"{t('target', percent=pct(float(kpi.target)))}  {met}  [{short}]"
        )
    lines += ["", t("section.gaps")]
    lines += [
        f"  {g.control:<14} {len(g.failing)}/{g.judged}  {', '.join(g.failing)}"
        for g in summary.gaps
    ]
    lines += ["", t("text.overdue_count", count=len(summary.overdue))]
    lines += [f"  {r.mau08.id}" for r in summary.overdue]
    return "\n".join(lines)
