"""DOCX: the administrative layout and hostile strings as plain text runs."""

from __future__ import annotations

import io
import zipfile

import docx

from socaudit.report.docx import report_docx
from socaudit.report.model import build_system_report

from . import sample


def _file(lang: str = "vi") -> bytes:
    report = build_system_report(
        sample.assessment(), "dvc", sample.INVENTORY, sample.records(), sample.remediation
    )
    return report_docx(report, lang, "0.1.0")


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def test_layout_of_the_first_page() -> None:
    data = _file()
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    size = (section.page_width, section.page_height, section.left_margin, section.right_margin)
    assert [round(x.mm) for x in size if x is not None] == [210, 297, 30, 15]
    assert section.different_first_page_header_footer  # no page number on page 1
    header = document.tables[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header.cell(0, 1).text
    assert "Số: 15/BC-SKHCN" in header.cell(1, 0).text
    assert header.cell(1, 1).text == "Lạng Sơn, ngày 02 tháng 12 năm 2026"
    text = _text(data)
    assert "BÁO CÁO" in text and "Nơi nhận:" in text and "NGUYỄN VĂN AN" not in text
    assert "Nguyễn Văn An" in text and "KT. GIÁM ĐỐC" in text


def test_hostile_strings_are_text_not_markup() -> None:
    data = _file()
    text = _text(data)
    assert sample.SCRIPT in text and f"CN={sample.IMG}" in text
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    assert "<script>" not in xml and "&lt;script&gt;" in xml


def test_english_docx() -> None:
    text = _text(_file("en"))
    assert "SOCIALIST REPUBLIC OF VIET NAM" in text and "REPORT" in text
