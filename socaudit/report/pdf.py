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
import signal
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
    """The PDFs of ``htmls``, in order (see ``PdfRenderer``)."""
    with PdfRenderer(len(htmls), workers) as renderer:
        return renderer.render(htmls)


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask, e.g. under ``taskset`` or a container
    limit), not all the machine's."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - platforms without sched_getaffinity
        return os.cpu_count() or 1


def _warm_up() -> None:
    """Each worker, as it starts: import WeasyPrint (about 1 s) while the caller builds the
    reports. Ctrl-C is the caller's to handle (it stops the pool), not each worker's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import weasyprint  # noqa: F401


def _ready() -> None:
    """A no-op job: submitting one per worker spawns them all now, not on first use."""


class PdfRenderer:
    """Renders PDFs in up to one worker process per CPU (WeasyPrint is single-threaded; a
    province's reports are independent). Enter it before the reports are built: the workers
    import WeasyPrint meanwhile. Workers are spawned fresh: they inherit no open store,
    socket or thread. One document still gets a worker (its import overlaps the caller's
    work); on a single CPU, it renders in-process."""

    def __init__(self, documents: int, workers: int | None = None) -> None:
        self._count = min(documents, workers or usable_cpus(), MAX_WORKERS)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PdfRenderer:
        if self._count >= 1 and usable_cpus() > 1:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self._count, mp_context=context, initializer=_warm_up)
            for _ in range(self._count):
                self._pool.submit(_ready)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def render(self, htmls: Sequence[str]) -> list[bytes]:
        """The PDFs of ``htmls``, in their order; the longest documents are started first so
        that no worker is left with a long one at the end."""
        if self._pool is None:
            return [html_to_pdf(h) for h in htmls]
        longest_first = sorted(range(len(htmls)), key=lambda i: -len(htmls[i]))
        futures = {i: self._pool.submit(html_to_pdf, htmls[i]) for i in longest_first}
        return [futures[i].result() for i in range(len(htmls))]
