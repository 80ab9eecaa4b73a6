"""PDF from rendered HTML with WeasyPrint (imported on first use: it costs about 1.5 s).

The HTML must come from ``render.document(..., for_pdf=True)`` so its ``@font-face`` rules
point at the Liberation Serif files: WeasyPrint embeds the glyphs used, Vietnamese included.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from socaudit.resources import templates_dir

MAX_WORKERS = 4


def html_to_pdf(html: str) -> bytes:
    """The PDF of ``html``; nothing outside the local template folder and font files is read."""
    import weasyprint  # lazy: a heavy import

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    # Fonts come from local files only: a report never makes a network request.
    fetcher = weasyprint.URLFetcher(allowed_protocols={"file", "data"})
    document = weasyprint.HTML(string=html, base_url=str(templates_dir()), url_fetcher=fetcher)
    with _collector_paused():
        data = document.write_pdf()
        del document
    if data is None:  # pragma: no cover - only when a target is given
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(data)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while WeasyPrint lays out a report, one collection after.

    A 15-page report makes a few hundred thousand boxes, styles and text layouts, many in
    reference cycles; the collector's ~250 automatic passes over that growing heap cost
    15-25 % of the render. One full collection afterwards frees the document's cycles, so
    memory stays flat from one report to the next."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()


def html_to_pdfs(htmls: Sequence[str], workers: int | None = None) -> list[bytes]:
    """The PDFs of ``htmls``, in order, rendered by up to one process per CPU (WeasyPrint is
    single-threaded; a province's reports are independent). Workers are spawned fresh: they
    inherit no open store, socket or thread."""
    count = min(len(htmls), workers or os.cpu_count() or 1, MAX_WORKERS)
    if count <= 1:
        return [html_to_pdf(h) for h in htmls]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        return list(pool.map(html_to_pdf, htmls))
