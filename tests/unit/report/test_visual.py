"""The printed report as a person sees it: the PDF (WeasyPrint) and the HTML in Chromium.

Real renderers, real fonts: page count, Vietnamese text extractable with its diacritics
(pdftotext), no page number on page 1, hostile strings printed as text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from socaudit.report.model import SystemReport, build_system_report
from socaudit.report.produce import render_one

from . import sample

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


@pytest.fixture(scope="module")
def report() -> SystemReport:
    return build_system_report(
        sample.assessment(), "dvc", sample.INVENTORY, sample.records(), sample.remediation
    )


def _text(pdf: Path, *pages: int) -> str:
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    done = subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])


def test_pdf_pages_vietnamese_text_and_page_numbers(report: SystemReport, tmp_path: Path) -> None:
    pdf = tmp_path / "dvc.pdf"
    pdf.write_bytes(render_one(report, "pdf", "vi", "0.1.0"))
    assert 3 <= _pages(pdf) <= 12
    first = _text(pdf, 1)
    assert QUOC_HIEU in first and "Độc lập - Tự do - Hạnh phúc" in first
    assert "Lạng Sơn, ngày 02 tháng 12 năm 2026" in first and "Số: 15/BC-SKHCN" in first
    assert first.lstrip().startswith("ỦY BAN NHÂN DÂN")  # no page number above the header
    assert _text(pdf, 2).strip().startswith("2")  # page 2 is numbered at the top
    everything = " ".join(_text(pdf).split())
    assert "<script>alert('x')</script>" in everything  # shown as text, not run
    assert 'CN=<img src=x onerror="alert(1)">' in everything  # certificate subject
    assert "KT. GIÁM ĐỐC" in everything and "Nguyễn Văn An" in everything
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "Report-Serif" in fonts.stdout and " yes yes yes " in fonts.stdout  # embedded


def test_english_pdf(report: SystemReport, tmp_path: Path) -> None:
    pdf = tmp_path / "dvc.en.pdf"
    pdf.write_bytes(render_one(report, "pdf", "en", "0.1.0"))
    text = " ".join(_text(pdf).split())
    assert "SOCIALIST REPUBLIC OF VIET NAM" in text and "Lạng Sơn, 02 December 2026" in text


def _chromium(*args: str, user_dir: Path) -> None:
    binary = shutil.which("chromium")
    assert binary, "Debian package chromium is needed (make test installs it)"
    subprocess.run(
        [
            binary, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={user_dir}", *args,
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )  # fmt: skip


def test_html_in_chromium(report: SystemReport, tmp_path: Path) -> None:
    html = tmp_path / "dvc.vi.html"
    html.write_bytes(render_one(report, "html", "vi", "0.1.0"))
    png, pdf = tmp_path / "dvc.png", tmp_path / "chromium.pdf"
    _chromium(
        f"--screenshot={png}", "--window-size=1240,1754", html.as_uri(), user_dir=tmp_path / "u1"
    )
    _chromium(
        f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri(), user_dir=tmp_path / "u2"
    )
    with Image.open(png) as image:
        assert image.size == (1240, 1754)
        histogram = image.convert("L").histogram()
        assert sum(histogram[:64]) > 1000 and sum(histogram[200:]) > 100_000  # text on paper
    text = " ".join(_text(pdf).split())
    assert QUOC_HIEU in text and "<script>alert('x')</script>" in text
    assert _pages(pdf) >= 3


def test_several_pdfs_render_in_worker_processes_in_order(tmp_path: Path) -> None:
    from socaudit.report.pdf import html_to_pdfs

    # lengths differ so the longest-first schedule differs from the input order
    htmls = [
        f"<html><body><p>Hệ thống số {n}</p>{'<p>dòng</p>' * (40 * n % 7)}</body></html>"
        for n in range(4)
    ]
    pdfs = html_to_pdfs(htmls, workers=2)
    for n, data in enumerate(pdfs):
        path = tmp_path / f"{n}.pdf"
        path.write_bytes(data)
        assert f"Hệ thống số {n}" in _text(path)


def test_pdf_fonts_are_subset_by_harfbuzz(
    report: SystemReport, caplog: pytest.LogCaptureFixture
) -> None:
    """``make setup`` installs libharfbuzz-subset0; without it WeasyPrint falls back to
    fontTools, which costs about 15 % of every PDF (docs/report.md, Speed)."""
    with caplog.at_level("WARNING", logger="weasyprint"):
        render_one(report, "pdf", "vi", "0.1.0")
    assert not [r for r in caplog.records if "HarfBuzz" in r.getMessage()]


def test_pdf_workers_follow_the_cpus_this_process_may_use() -> None:
    """Pinned to one CPU (taskset, a container limit), the PDFs render in-process: no worker
    would run beside it. With two CPUs, workers start as soon as the renderer is entered."""
    code = (
        "import multiprocessing as mp, sys\n"
        "from socaudit.report.pdf import PdfRenderer\n"
        "with PdfRenderer(3) as r:\n"
        "    print(len(mp.active_children()))\n"
        "    assert b'%PDF' in r.render(['<p>Một</p>'])[0]\n"
    )

    def run(cpus: set[int]) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            preexec_fn=lambda: os.sched_setaffinity(0, cpus),
        )
        return done.stdout.strip()

    mine = sorted(os.sched_getaffinity(0))
    assert run({mine[0]}) == "0"
    if len(mine) >= 2:  # CI and the development machines have 2
        assert run(set(mine[:2])) == "2"
