"""The printed summary: A4 portrait with the Mẫu 08 table on landscape pages, Vietnamese text
and every target in the PDF's text (poppler's pdfinfo/pdftotext read the real file)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from socaudit.summary.model import build_summary
from socaudit.summary.render import summary_pdf

from .fixtures import AS_OF, province

PORTRAIT, LANDSCAPE = (595, 841), (841, 595)


def test_pdf_pages_and_text(tmp_path: Path) -> None:
    inventory = province()
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(summary_pdf(build_summary(inventory, AS_OF), inventory, "vi"))
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = [
        (int(float(w)), int(float(h)))
        for w, h in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+)", info)
    ]
    assert sizes[0] == PORTRAIT and sizes[-1] == PORTRAIT
    assert LANDSCAPE in sizes
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Đã gửi thẩm định" in text and "Đang dự thảo" in text  # Mẫu 08 strings
    assert "133/140 (95 %)" in text  # endpoints_protected, counted by hand in test_kpis
    assert "60/70 (85,7 %)" in text  # staff_informed
    assert "Kế hoạch của tỉnh" in text


def test_docx_has_the_header_a_landscape_table_and_the_targets() -> None:
    import io

    from docx import Document
    from docx.enum.section import WD_ORIENT

    from socaudit.summary.docx_out import summary_docx

    inventory = province()
    data = summary_docx(build_summary(inventory, AS_OF), inventory, "vi")
    doc = Document(io.BytesIO(data))
    orientations = [s.orientation for s in doc.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any(c.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for c in cells)
    assert "Đã gửi thẩm định" in cells and "Trước khi đưa vào sử dụng; Định kỳ" in cells
    assert "133/140 (95 %)" in cells
