"""The summary as DOCX, on the report's DOCX writer; the Mẫu 08 table on a landscape page."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.shared import Mm

from socaudit.inventory.models import Inventory
from socaudit.report.docx_writer import Writer
from socaudit.report.layout import document_header
from socaudit.summary.model import Summary
from socaudit.summary.render import percent_formatter
from socaudit.summary.table_out import COLUMNS, row_cells

_TOTALS = (
    "in_scope",
    "classified",
    "with_dossier",
    "appraised",
    "approved",
    "periodically_assessed",
    "pre_operation_assessed",
    "with_regulation",
)


def summary_docx(summary: Summary, inventory: Inventory, lang: str) -> bytes:
    w = Writer(lang)
    header = document_header(inventory, summary.as_of)
    w.header(header, "BC")
    _intro(w, summary)
    _landscape(w, True)
    w.heading(w.t("summary.section.table"))
    heads = [w.t(f"summary.col.{c}") for c in COLUMNS]
    w.table(heads, [row_cells(r, lang) for r in summary.rows])
    _landscape(w, False)
    _kpis(w, summary, lang)
    _gaps_overdue(w, summary, lang)
    w.signature(header)
    return w.bytes()


def _intro(w: Writer, summary: Summary) -> None:
    t = w.t
    w.para(t("summary.kind"), bold=True, centre=True, size=14)
    w.para(t("summary.subject"), bold=True, centre=True)
    start, end = summary.period
    args = {"organization": summary.organization, "count": len(summary.rows)}
    dates = {"as_of": w.date(summary.as_of), "start": w.date(start), "end": w.date(end)}
    w.para(t("summary.intro", **args, **dates), indent=True)
    w.heading(t("summary.section.totals"))
    totals = summary.totals
    rows = [
        [t("summary.totals.owner"), summary.organization],
        [t("summary.totals.security_unit"), summary.security_unit or "—"],
    ]
    rows += [[t(f"summary.totals.{k}"), str(getattr(totals, k))] for k in _TOTALS]
    done = totals.expected_completion
    rows.append([t("summary.totals.expected_completion"), w.date(done) if done else "—"])
    w.table([t("summary.col.kpi"), t("summary.col.value")], rows)


def _kpis(w: Writer, summary: Summary, lang: str) -> None:
    t, pct = w.t, percent_formatter(lang)
    w.heading(t("summary.section.kpis"))
    rows = []
    for name, k in summary.kpis.items():
        value = f"{k.numerator}/{k.denominator} ({pct(k.value)})"
        met = "word.unknown" if k.met is None else ("word.met" if k.met else "word.not_met")
        short = ", ".join(k.systems_short) or "—"
        target = t("summary.target", percent=pct(float(k.target)))
        rows.append([t(f"summary.kpi.{name}.title"), value, target, t(f"summary.{met}"), short])
    heads = ("kpi", "result", "target", "met", "short")
    w.table([t(f"summary.col.{c}") for c in heads], rows)
    note = t("summary.plan_note")
    if summary.plan:
        note = f"{t('summary.plan_ref', plan=summary.plan)} {note}"
    w.para(note, italic=True, size=11)
    w.heading(t("summary.section.definitions"))
    parts = ("title", "definition", "source")
    w.table(
        [t(f"summary.col.{c}") for c in ("kpi", "definition", "source")],
        [[t(f"summary.kpi.{n}.{p}") for p in parts] for n in summary.kpis],
    )


def _gaps_overdue(w: Writer, summary: Summary, lang: str) -> None:
    t = w.t
    w.heading(t("summary.section.gaps"))
    w.table(
        [t("summary.col.control"), t("summary.col.failing"), t("summary.col.systems")],
        [[g.control, f"{len(g.failing)}/{g.judged}", ", ".join(g.failing)] for g in summary.gaps],
    )
    w.heading(t("summary.section.overdue"))
    w.para(t("summary.overdue_intro"), indent=True)
    heads = [t(f"summary.col.{c}") for c in ("name", "level", "last", "due")]
    rows = []
    for r in summary.overdue:
        cells = row_cells(r, lang)
        rows.append([cells[1], str(r.due.level), cells[12], cells[13]])
    w.table(heads, rows)


def _landscape(w: Writer, on: bool) -> None:
    section = w.doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if on else WD_ORIENT.PORTRAIT
    long, short = Mm(297), Mm(210)
    section.page_width, section.page_height = (long, short) if on else (short, long)
    section.left_margin = Mm(20) if on else Mm(30)
    section.right_margin = Mm(15)
