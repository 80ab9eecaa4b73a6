"""From a stored assessment to the files of its bundle: reports in each format, the inventory
snapshot, raw evidence (JSON lines, nmap XML), the results and the tools' versions."""

from __future__ import annotations

import json
import platform
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import PurePosixPath
from typing import Any

from socaudit.evidence.network import NmapXml, PortScanResult
from socaudit.evidence.records import EvidenceRecord
from socaudit.report import jsonout
from socaudit.report.model import SystemReport
from socaudit.report.pdf import PdfRenderer, html_to_pdfs
from socaudit.report.render import document, render
from socaudit.store.repository import SnapshotFile

FORMATS = ("html", "pdf", "md", "json", "docx")
TEMPLATE = "system_report.html.j2"


def report_files(
    reports: Sequence[SystemReport],
    formats: Iterable[str],
    lang: str,
    version: str,
    renderer: PdfRenderer | None = None,
) -> dict[str, bytes]:
    """``reports/<system>.<lang>.<ext>`` for every report and format (JSON: ``<system>.json``);
    PDFs through ``renderer`` when given (workers started early), else a renderer of its own."""
    files: dict[str, bytes] = {}
    chosen = [f for f in FORMATS if f in set(formats)]
    for r in reports:
        base = f"reports/{r.identity.id}"
        for fmt in chosen:
            name = f"{base}.json" if fmt == "json" else f"{base}.{lang}.{fmt}"
            if fmt != "pdf":
                files[name] = render_one(r, fmt, lang, version)
    if "pdf" in chosen:
        files.update(_pdfs(reports, lang, version, renderer))
    return dict(sorted(files.items()))


def _pdfs(
    reports: Sequence[SystemReport], lang: str, version: str, renderer: PdfRenderer | None
) -> dict[str, bytes]:
    htmls = [
        document(TEMPLATE, lang, r.header, for_pdf=True, r=r, version=version) for r in reports
    ]
    names = [f"reports/{r.identity.id}.{lang}.pdf" for r in reports]
    pdfs = renderer.render(htmls) if renderer is not None else html_to_pdfs(htmls)
    return dict(zip(names, pdfs, strict=True))


def render_one(report: SystemReport, fmt: str, lang: str, version: str) -> bytes:
    if fmt == "html":
        return document(TEMPLATE, lang, report.header, r=report, version=version).encode()
    if fmt == "pdf":
        from socaudit.report.pdf import html_to_pdf  # lazy: WeasyPrint is slow to import

        html = document(TEMPLATE, lang, report.header, for_pdf=True, r=report, version=version)
        return html_to_pdf(html)
    if fmt == "md":
        text = render(
            "system_report.md.j2", lang, "md", r=report, header=report.header, version=version
        )
        return text.encode()
    if fmt == "json":
        return jsonout.dumps(report).encode()
    if fmt == "docx":
        from socaudit.report.docx import report_docx  # lazy: python-docx loads lxml

        return report_docx(report, lang, version)
    raise ValueError(f"unknown report format {fmt!r}")


def evidence_files(
    snapshot: Sequence[SnapshotFile], records: Iterable[EvidenceRecord], results: dict[str, Any]
) -> dict[str, bytes]:
    """The inventory snapshot, raw evidence and results of the assessment."""
    files: dict[str, bytes] = {}
    for f in snapshot:
        name = PurePosixPath(f.path).name if f.position == 0 else _plain(f.path)
        files[f"inventory/{name}"] = f.content.encode()
    lines, xml = [], 0
    for record in records:
        lines.append(record.model_dump_json())
        if isinstance(record.payload, NmapXml):
            xml += 1
            files[f"evidence/nmap/{xml:03d}-{_plain(record.target.label())}.xml"] = (
                record.payload.xml.encode()
            )
    files["evidence/records.jsonl"] = ("\n".join(lines) + "\n").encode() if lines else b""
    files["results/assessment.json"] = (
        json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode()
    return files


def tool_versions(records: Iterable[EvidenceRecord], version: str) -> dict[str, str]:
    tools = {"socaudit": version, "python": platform.python_version()}
    for package in ("weasyprint", "python-docx", "cryptography", "jinja2"):
        try:
            tools[package] = metadata.version(package)
        except metadata.PackageNotFoundError:  # pragma: no cover - a broken install
            continue
    nmap = sorted(
        {
            r.payload.scanner_version
            for r in records
            if isinstance(r.payload, PortScanResult) and r.payload.scanner_version
        }
    )
    if nmap:
        tools["nmap"] = ", ".join(nmap)
    return tools


def _plain(path: str) -> str:
    """A file name made of the path's own parts (``..`` and separators replaced)."""
    parts = [p for p in PurePosixPath(path).parts if p not in ("..", ".", "/")]
    text = "_".join(parts) or "file"
    return "".join(ch if ch.isalnum() or ch in "-_.[]" else "_" for ch in text)
