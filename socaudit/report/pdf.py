"""PDF from rendered HTML with WeasyPrint (imported on first use: it costs about 1.5 s).

The HTML must come from ``render.document(..., for_pdf=True)`` so its ``@font-face`` rules
point at the Liberation Serif files: WeasyPrint embeds the glyphs used, Vietnamese included.
"""

from __future__ import annotations

import logging

from socaudit.resources import templates_dir


def html_to_pdf(html: str) -> bytes:
    """The PDF of ``html``; nothing outside the local template folder and font files is read."""
    import weasyprint  # lazy: a heavy import

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    # Fonts come from local files only: a report never makes a network request.
    fetcher = weasyprint.URLFetcher(allowed_protocols={"file", "data"})
    document = weasyprint.HTML(string=html, base_url=str(templates_dir()), url_fetcher=fetcher)
    data = document.write_pdf()
    if data is None:  # pragma: no cover - only when a target is given
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(data)
