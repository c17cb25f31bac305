"""Turn a format's HTML into a PDF with WeasyPrint: the screen PDF (tagged, PDF/UA-1) and the
raw PDF/X-4 the print stage finishes.

WeasyPrint only fetches files from the programme folder and the project's own assets, and its
warnings are collected so a strict build can fail on them.

For tools/benchmark.py: when AIPGEN_HTML_DIR names a folder, the final HTML each PDF is laid
out from is also written there (<programme>_<variant>.html, e.g.
musterstadt-2027_pdf-ua-1.html), with the base_url, the options and the number of layouts in a
.json file beside it.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from aipgen.base import interrupt, scratch
from aipgen.base.formats import Files, Job, OutputFormat
from aipgen.base.paths import design
from aipgen.content.images import VECTOR, published_image
from aipgen.design import hyphendict
from aipgen.design.hyphenlimit import install as install_limit
from aipgen.design.hyphenlimit import limited
from aipgen.design.ladders import keep_whole, ladder_breaks

# Further layouts at most, when words are kept whole to end hyphenation ladders.
LAYOUT_PASSES = 2
# A space that ends a run of text just before an inline element ("diese <span>Verteilung</span>");
# not before links, whose underline would start with it.
SPACE_BEFORE_INLINE = re.compile(r" (<(?:abbr|b|em|i|span|strong|sub|sup)\b[^>]*>)")


def preload() -> None:
    """What laying out a PDF loads: WeasyPrint and the German hyphenation patterns."""
    import weasyprint  # noqa: F401

    hyphendict.preload()


def screen_pdf_files(fmt: OutputFormat, job: Job) -> Files:
    """The screen format's one file: its PDF."""
    return {fmt.file(job.doc.name): render_screen_pdf(job)}


def render_screen_pdf(job: Job) -> bytes:
    """PDF/UA-1: tagged, bookmarks, metadata; no output intent (it is not meant for print)."""
    return write_pdf(job, pdf_variant="pdf/ua-1")


def write_pdf(job: Job, **options: Any) -> bytes:
    """The job's HTML as PDF; WeasyPrint's warnings go to job.warnings."""
    handler = ListHandler(job.warnings)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    options = {"uncompressed_pdf": False, **options}
    try:
        with scratch.private_tempdir():  # WeasyPrint's font files go there, then are removed
            document = laid_out(job, spaces_into_inline_elements(job.html), options)
            pdf: bytes = document.write_pdf(**options)
    finally:
        logger.removeHandler(handler)
    return pdf


def laid_out(job: Job, page: str, options: dict[str, Any]) -> Any:
    """The pages laid out by WeasyPrint, with at most two hyphenated lines in a row. Where
    hyphenlimit.py keeps that rule while WeasyPrint breaks the lines, one layout. Else the
    finished layout is checked: a third hyphenated line in a row has its word kept whole and
    the pages are laid out again (see ladders.py), until none is left or nothing changes."""
    document = lay_out(job, page, options)
    layouts = 1
    for _ in range(0 if install_limit() else LAYOUT_PASSES):
        kept = keep_whole(page, ladder_breaks(document))
        if kept == page:
            break
        page = kept
        document = lay_out(job, page, options)
        layouts += 1
    keep_html(job, page, options, layouts)
    return document


def keep_html(job: Job, page: str, options: dict[str, Any], layouts: int) -> None:
    """With AIPGEN_HTML_DIR (tools/benchmark.py): write the final HTML and how it was laid out."""
    folder = os.environ.get("AIPGEN_HTML_DIR")
    if not folder:
        return
    variant = str(options.get("pdf_variant", "pdf")).replace("/", "-")
    stem = f"{job.doc.name}_{variant}"
    (Path(folder) / f"{stem}.html").write_text(page, encoding="utf-8")
    about = {"base_url": str(job.doc.root) + "/", "options": options, "layouts": layouts}
    (Path(folder) / f"{stem}.json").write_text(json.dumps(about, default=str), encoding="utf-8")


def lay_out(job: Job, page: str, options: dict[str, Any]) -> Any:
    """The pages laid out, with at most two hyphenated lines in a row where WeasyPrint lets
    hyphenlimit.py decide that while it breaks the lines."""
    import weasyprint

    hyphendict.preload()
    with limited():
        return weasyprint.HTML(
            string=page,
            base_url=str(job.doc.root) + "/",
            url_fetcher=SafeFetcher([job.doc.root, *design().allowed()], job.doc.root),
        ).render(**options)


def spaces_into_inline_elements(html: str) -> str:
    """Move the space before an inline element into it. WeasyPrint measures a text run with its
    trailing space; when the run just fills a line, it takes the line for too long and sets the
    next word alone on a line of its own, in the middle of a justified paragraph."""
    return SPACE_BEFORE_INLINE.sub(r"\1 ", html)


class ListHandler(logging.Handler):
    """Collects WeasyPrint's warnings so they can be counted (and fail a strict build). Once a
    signal stops the build, none: WeasyPrint swallows the interruption while it draws an SVG
    and logs "Failed to render SVG image", which is no fault of the programme's."""

    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        if not interrupt.received():
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
                if not path.exists():  # a project's style sheet naming a built-in font
                    path = next((p for p in design().alternatives(path) if p.exists()), path)
                    url = path.as_uri()
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
