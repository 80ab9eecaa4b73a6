"""Jinja2 rendering of reports: HTML (autoescape on) and Markdown (every value escaped).

Templates live in ``reports/templates`` (``socaudit.resources.templates_dir``). One cached
environment per language and format; ``StrictUndefined`` turns a missing value into an error.
Template helpers (all reader text comes from the catalogues, ``socaudit/i18n``):

- ``t(key, **args)`` — catalogue message of the document's language;
- ``loc(LocalText)`` — the text in the document's language; ``outcome(word)``;
- ``date(d)``, ``place_date(header)`` — NĐ 30/2020 date line, leading zeros as required;
- ``font_css`` — ``@font-face`` rules (file URLs for PDF, system names for HTML).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from socaudit.evaluation.model import LocalText
from socaudit.i18n import message
from socaudit.report.layout import DocumentHeader
from socaudit.report.mdescape import md_escape, md_finalize
from socaudit.resources import templates_dir

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)
_FACES = (
    ("Regular", "normal", "normal"),
    ("Bold", "bold", "normal"),
    ("Italic", "normal", "italic"),
    ("BoldItalic", "bold", "italic"),
)


@functools.cache
def environment(lang: str, fmt: str = "html") -> Environment:
    """The environment for ``lang`` (vi|en) and ``fmt`` (html|md)."""
    markdown = fmt == "md"
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        # Markdown: no HTML autoescape, but md_finalize escapes every printed value.
        autoescape=not markdown,  # noqa: S701
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=md_finalize if markdown else None,
    )
    env.globals.update(
        lang=lang,
        t=functools.partial(_t, lang),
        loc=functools.partial(_loc, lang),
        outcome=lambda word: message(lang, f"common.outcome.{word}"),
        date=functools.partial(_date, lang),
        place_date=functools.partial(_place_date, lang),
    )
    # Filters are called directly by the compiled template (globals go through the context's
    # call machinery): the hot per-row helpers exist as filters too.
    env.filters["loc"] = env.globals["loc"]
    env.filters["outcome"] = env.globals["outcome"]
    env.globals["W"] = {
        w: message(lang, f"report.word.{w}") for w in ("yes", "no", "unknown", "none")
    }
    env.filters["md"] = md_escape
    env.filters["raw"] = Markup
    return env


def render(template: str, lang: str, fmt: str = "html", **context: Any) -> str:
    """Render ``template`` with ``context``."""
    return environment(lang, fmt).get_template(template).render(**context)


def font_css(embed_files: bool) -> Markup:
    """``@font-face`` rules for the report serif (Liberation Serif, metric-compatible with
    Times New Roman): local file URLs when rendering a PDF (WeasyPrint embeds the glyphs used),
    system font names only for stand-alone HTML (no fetch of anything)."""
    folder = next((d for d in FONT_DIRS if (d / "LiberationSerif-Regular.ttf").is_file()), None)
    rules = []
    for style, weight, slant in _FACES:
        sources = ['local("Times New Roman")', f'local("Liberation Serif {style}")']
        if embed_files and folder is not None:
            sources.insert(0, f'url("{(folder / f"LiberationSerif-{style}.ttf").as_uri()}")')
        rules.append(
            '@font-face { font-family: "Report Serif"; '
            f"font-weight: {weight}; font-style: {slant}; src: {', '.join(sources)}; }}"
        )
    return Markup("\n".join(rules))  # noqa: S704 - built from fixed strings and file paths


def _t(lang: str, key: str, **args: Any) -> str:
    return message(lang, key, args)


def _loc(lang: str, text: LocalText | None) -> str:
    if text is None:
        return ""
    return text.vi if lang == "vi" else text.en


def _date(lang: str, day: dt.date | None) -> str:
    if day is None:
        return message(lang, "report.header.placeholder")
    return message(lang, "report.date.short", _parts(lang, day))


def _place_date(lang: str, header: DocumentHeader) -> str:
    place = header.place or message(lang, "report.header.placeholder")
    return message(lang, "report.date.place_date", {"place": place, **_parts(lang, header.date)})


def _parts(lang: str, day: dt.date) -> dict[str, str]:
    """Day below 10 with a leading 0; the month's written form comes from the catalogue
    (Vietnamese: 01 and 02 with a leading 0, 3–12 without — NĐ 30/2020)."""
    return {
        "day": f"{day.day:02d}",
        "month": message(lang, f"report.month.m{day.month}"),
        "month_number": f"{day.month:02d}",
        "year": str(day.year),
    }


def document(
    template: str,
    lang: str,
    header: DocumentHeader,
    *,
    for_pdf: bool = False,
    symbol: str = "BC",
    **context: Any,
) -> str:
    """A printable HTML document built on ``base.html.j2``: ``header`` fills the NĐ 30/2020
    header and signature block, ``symbol`` the placeholder ``Số: …/<symbol>-…``."""
    return render(
        template, lang, header=header, font_css=font_css(for_pdf), symbol=symbol, **context
    )
