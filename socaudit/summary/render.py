"""The summary as HTML, PDF and Markdown, on the report's base template and helpers."""

from __future__ import annotations

import functools
from collections.abc import Callable

from socaudit.i18n import message
from socaudit.inventory.models import Inventory
from socaudit.report.layout import document_header
from socaudit.report.pdf import html_to_pdf
from socaudit.report.render import document, render
from socaudit.summary.charts import charts
from socaudit.summary.model import Summary


def percent_formatter(lang: str) -> Callable[[float | None], str]:
    """``0.8571`` -> ``85,7 %`` (vi) / ``85.7%`` (en); whole numbers without decimals."""
    return functools.partial(_percent, lang)


def _percent(lang: str, value: float | None) -> str:
    if value is None:
        return message(lang, "summary.word.unknown")
    text = f"{value * 100:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return message(lang, "summary.percent", {"value": text.replace(".", _mark(lang))})


def _mark(lang: str) -> str:
    return message(lang, "summary.decimal_mark")


def summary_html(
    summary: Summary, inventory: Inventory, lang: str, *, for_pdf: bool = False
) -> str:
    """The printable HTML summary (for ``for_pdf``, fonts from local files)."""
    return document(
        "summary.html.j2",
        lang,
        document_header(inventory, summary.as_of),
        for_pdf=for_pdf,
        symbol="BC",
        s=summary,
        charts=charts(summary.totals, summary.kpis),
        pct=percent_formatter(lang),
    )


def summary_pdf(summary: Summary, inventory: Inventory, lang: str) -> bytes:
    return html_to_pdf(summary_html(summary, inventory, lang, for_pdf=True))


def summary_md(summary: Summary, inventory: Inventory, lang: str) -> str:
    """Markdown: every value escaped by the environment's finalize."""
    return render(
        "summary.md.j2",
        lang,
        "md",
        s=summary,
        header=document_header(inventory, summary.as_of),
        pct=percent_formatter(lang),
    )
