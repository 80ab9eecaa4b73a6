"""The DOCX building blocks: A4 page setup, paragraphs, ruled tables, the NĐ 30/2020 header
table and the signature block; every string goes in as a text run (never interpreted)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any, cast

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from socaudit.report.layout import DocumentHeader
from socaudit.report.render import environment

FONT = "Times New Roman"


class Writer:
    def __init__(self, lang: str) -> None:
        env = environment(lang)
        text = Callable[..., str]
        self.t = cast(text, env.globals["t"])
        self.loc = cast(text, env.globals["loc"])
        self.outcome = cast(text, env.globals["outcome"])
        self.date = cast(text, env.globals["date"])
        self.place_date = cast(text, env.globals["place_date"])
        self.doc: DocxDocument = Document()
        _page_setup(self.doc)

    def para(
        self,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        centre: bool = False,
        size: float = 13,
        indent: bool = False,
    ) -> None:
        p = self.doc.add_paragraph()
        if centre:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            p.paragraph_format.first_line_indent = Mm(10)
        p.paragraph_format.space_after = Pt(6)
        _run(p, text, bold=bold, italic=italic, size=size)

    def heading(self, text: str, *, italic: bool = False) -> None:
        self.para(text, bold=True, italic=italic)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        if not rows:
            self.para(self.t("report.word.none"))
            return
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            _cell(cell, text, bold=True)
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                _cell(cell, text)
        self.doc.add_paragraph()

    def header(self, h: DocumentHeader, symbol: str) -> None:
        placeholder = self.t("report.header.placeholder")
        table = self.doc.add_table(rows=2, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        left, right = table.rows[0].cells
        if h.superior:
            _cell(left, h.superior.upper(), centre=True, size=12.5)
        _cell(
            left,
            (h.issuer or placeholder).upper(),
            bold=True,
            centre=True,
            size=12.5,
            new=bool(h.superior),
        )
        _cell(left, "――――――", centre=True, new=True)
        _cell(right, self.t("report.header.national_title"), bold=True, centre=True, size=12.5)
        _cell(right, self.t("report.header.motto"), bold=True, centre=True, size=13.5, new=True)
        _cell(right, "――――――――――――――", centre=True, new=True)
        number = h.number or self.t("report.header.number_placeholder", symbol=symbol)
        number_cell, date_cell = table.rows[1].cells
        _cell(number_cell, f"{self.t('report.header.number_label')} {number}", centre=True)
        _cell(date_cell, self.place_date(h), italic=True, centre=True)
        self.doc.add_paragraph()

    def signature(self, h: DocumentHeader) -> None:
        placeholder = self.t("report.header.placeholder")
        table = self.doc.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        _cell(left, self.t("report.header.recipients"), bold=True, italic=True, size=12)
        recipients = h.recipients or (placeholder,)
        for i, r in enumerate(recipients):
            end = "." if i == len(recipients) - 1 else ";"
            _cell(left, f"- {r}{end}", size=11, new=True)
        for i, line in enumerate(h.signer_capacity or (placeholder,)):
            _cell(right, line.upper(), bold=True, centre=True, new=i > 0)
        for _ in range(4):
            _cell(right, "", new=True)
        _cell(right, h.signer_name or placeholder, bold=True, centre=True, new=True)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _page_setup(doc: DocxDocument) -> None:
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(p)


def _page_field(paragraph: Any) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _cell(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    centre: bool = False,
    size: float = 11,
    new: bool = False,
) -> None:
    p = cell.add_paragraph() if new else cell.paragraphs[0]
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, text, bold=bold, italic=italic, size=size)


def _run(paragraph: Any, text: str, *, bold: bool, italic: bool, size: float) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
