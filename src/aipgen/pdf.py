"""Turn a format's HTML into a PDF with WeasyPrint: the screen PDF (tagged, PDF/UA-1) and the
raw PDF/X-4 the print stage finishes.

WeasyPrint only fetches files from the programme folder and the project's own assets, and its
warnings are collected so a strict build can fail on them.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import scratch
from .formats import Job
from .images import VECTOR, published_image
from .paths import CHARTS, TEMPLATES

# A space that ends a run of text just before an inline element ("diese <span>Verteilung</span>").
SPACE_BEFORE_INLINE = re.compile(r" (<(?:a|abbr|b|em|i|span|strong|sub|sup)\b[^>]*>)")


def render_screen_pdf(job: Job) -> bytes:
    """PDF/UA-1: tagged, bookmarks, metadata; no output intent (it is not meant for print)."""
    return write_pdf(job, pdf_variant="pdf/ua-1")


def write_pdf(job: Job, **options: Any) -> bytes:
    """The job's HTML as PDF; WeasyPrint's warnings go to job.warnings."""
    import weasyprint

    handler = ListHandler(job.warnings)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        with scratch.private_tempdir():  # WeasyPrint's font files go there, then are removed
            document = weasyprint.HTML(
                string=spaces_into_inline_elements(job.html),
                base_url=str(job.doc.root) + "/",
                url_fetcher=SafeFetcher([job.doc.root, TEMPLATES, CHARTS], job.doc.root),
            )
            pdf: bytes = document.write_pdf(uncompressed_pdf=False, **options)
    finally:
        logger.removeHandler(handler)
    return pdf


def spaces_into_inline_elements(html: str) -> str:
    """Move the space before an inline element into it. WeasyPrint measures a text run with its
    trailing space; when the run just fills a line, it takes the line for too long and sets the
    next word alone on a line of its own, in the middle of a justified paragraph."""
    return SPACE_BEFORE_INLINE.sub(r"\1 ", html)


class ListHandler(logging.Handler):
    """Collects WeasyPrint's warnings so they can be counted (and fail a strict build)."""

    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(f"PDF: {record.getMessage()}")


def make_fetcher_class() -> type:
    import weasyprint
    from weasyprint.urls import URLFetcherResponse

    class _SafeFetcher(weasyprint.URLFetcher):  # type: ignore[misc]
        def __init__(self, roots: list[Path], untrusted: Path | None = None) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self.roots = [r.resolve() for r in roots]
            self.untrusted = untrusted.resolve() if untrusted else None

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(r) for r in self.roots):
                    raise ValueError(f"Zugriff außerhalb des Programmordners verweigert: {url}")
                if self.is_untrusted_image(path):
                    body = published_image(path)  # an SVG of the programme: cleaned
                    return URLFetcherResponse(url, body, {"Content-Type": "image/svg+xml"})
            elif not url.startswith("data:"):
                raise ValueError(f"Zugriff auf das Netz verweigert: {url}")
            return super().fetch(url, headers)

        def is_untrusted_image(self, path: Path) -> bool:
            untrusted = self.untrusted is not None and path.is_relative_to(self.untrusted)
            return untrusted and path.suffix.lower() in VECTOR

    return _SafeFetcher


def SafeFetcher(roots: list[Path], untrusted: Path | None = None) -> Any:  # noqa: N802
    """A URL fetcher for files below `roots` only; SVG files below `untrusted` come cleaned."""
    return make_fetcher_class()(roots, untrusted)
