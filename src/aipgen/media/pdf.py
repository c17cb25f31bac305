"""Turn a format's HTML into a PDF with WeasyPrint: the screen PDF (tagged, PDF/UA-1), laid out
with the print file's 3 mm bleed and shown trimmed; the print stage (printpdf.py) makes the
PDF/X-4 from the same file, so both show one layout, drawn once.

WeasyPrint only fetches files from the programme folder and the project's own assets, and its
warnings are collected so a strict build can fail on them.

WeasyPrint writes temporary font files while it lays out and writes; they go to a private
folder that stays until the last format of a programme is written (Job.cleanup).

For tools/benchmark.py: when AIPGEN_HTML_DIR names a folder, the final HTML the PDFs are laid
out from is also written there (<programme>_seiten.html, e.g. musterstadt-2027_seiten.html),
with the base_url, the screen PDF's options and the number of layouts in a .json file beside
it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from aipgen.base import interrupt, scratch
from aipgen.base.errors import Problem
from aipgen.base.formats import Files, Job, OutputFormat
from aipgen.base.libraries import import_weasyprint
from aipgen.base.paths import DesignFiles
from aipgen.content.safe.images import VECTOR, published_image
from aipgen.design import hyphendict, makeup, relayout
from aipgen.design.hyphenlimit import install as install_limit
from aipgen.design.hyphenlimit import limited
from aipgen.design.ladders import keep_whole, ladder_breaks
from aipgen.media import pagerefs
from aipgen.media.render import PENDING, PENDING_SCHEME, SVG, PendingCharts, data_uri

# The key in Job.shared of the laid-out pages of an HTML (followed by the HTML)
LAID_OUT = "pdf.pages:"
SCREEN = "pdf.screen"  # the key in Job.shared of the screen PDF
SCRATCH = "pdf.scratch"  # the key in Job.shared of the folder WeasyPrint's temporary files go to
# The name of the final HTML kept with AIPGEN_HTML_DIR: <programme>_seiten.html
PAGES_STEM = "seiten"
# Further layouts at most, when words are kept whole to end hyphenation ladders.
LAYOUT_PASSES = 2
# Further layouts at most for the page make-up (design/makeup.py).
MAKEUP_PASSES = 1
# zlib's level for the PDFs' streams: pydyf's own (see compress_streams)
STREAM_LEVEL = 9
PENDING_URL = re.compile(re.escape(PENDING_SCHEME) + r'[^"]+')  # a chart still being drawn
# A space that ends a run of text just before an inline element ("diese <span>Verteilung</span>");
# not before links, whose underline would start with it.
SPACE_BEFORE_INLINE = re.compile(r" (<(?:abbr|b|em|i|span|strong|sub|sup)\b[^>]*>)")


def preload() -> None:
    """What laying out a PDF loads: WeasyPrint and the German hyphenation patterns."""
    import_weasyprint()
    hyphendict.preload()


def screen_pdf_files(fmt: OutputFormat, job: Job) -> Files:
    """The screen format's one file: its PDF."""
    return {fmt.file(job.doc.name): render_screen_pdf(job)}


def render_screen_pdf(job: Job) -> bytes:
    """PDF/UA-1: tagged, bookmarks, metadata; no output intent (it is not meant for print).
    The pages are those of the print PDF, laid out with its bleed; this file shows them
    trimmed. Drawn once per programme build (job.shared): the print PDF is made from it."""
    if SCREEN not in job.shared:
        job.shared[SCREEN] = write_pdf(job, finisher=show_trimmed, pdf_variant="pdf/ua-1")
    pdf: bytes = job.shared[SCREEN]
    return pdf


def write_pdf(job: Job, finisher: Any = None, **options: Any) -> bytes:
    """The job's pages as PDF; WeasyPrint's warnings go to job.warnings."""
    document = pages(job)

    def finish(document: Any, pdf: Any) -> None:
        if finisher is not None:
            finisher(document, pdf)
        compress_streams(pdf)

    with collected(job.warnings):
        pdf: bytes = document.write_pdf(finisher=finish, uncompressed_pdf=False, **options)
    return pdf


def compress_streams(pdf: Any) -> None:
    """Every stream pydyf would compress, compressed once, here; write_pdf's finisher calls it
    before pydyf writes. pydyf compresses a stream each time it reads its data, and it reads
    every object's data twice: to write it and to make the file identifier, so half its
    compression time was the second read. At pydyf's own level, STREAM_LEVEL, the bytes are
    the same."""
    import pydyf

    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and stream.compress:
            stream.compress = False
            plain = pydyf.Stream(stream.stream).data  # b"<</Length n>>\nstream\n…\nendstream"
            content = plain[plain.index(b"\nstream\n") + len(b"\nstream\n") : -len(b"\nendstream")]
            stream.stream = [zlib.compress(content, STREAM_LEVEL)]
            stream.extra["Filter"] = "/FlateDecode"


def pages(job: Job) -> Any:
    """The job's HTML laid out by WeasyPrint: once per programme build, whichever paged format
    asks first (job.shared), so that the screen and the print PDF are written from the same
    pages and their page and line breaks are the same by construction."""
    page = spaces_into_inline_elements(job.html)
    key = f"{LAID_OUT}{page}"
    if key not in job.shared:
        if SCRATCH not in job.shared:  # WeasyPrint's font files, until the last PDF is written
            job.shared[SCRATCH] = job.cleanup.enter_context(scratch.private_tempdir())
        with collected(job.warnings):
            job.shared[key] = laid_out(job, page)
    return job.shared[key]


@contextmanager
def collected(sink: list[Problem]) -> Iterator[None]:
    """WeasyPrint's warnings during the block go to `sink`."""
    handler = ListHandler(sink)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def show_trimmed(document: Any, pdf: Any) -> None:
    """A WeasyPrint finisher: every page's media box becomes its trim box, so a reader shows
    the page as trimmed, without the bleed the print PDF needs."""
    for page in pdf.objects:
        if isinstance(page, dict) and page.get("Type") == "/Page" and "TrimBox" in page:
            page["MediaBox"] = page.pop("TrimBox")
            page.pop("BleedBox", None)


def laid_out(job: Job, page: str) -> Any:
    """The pages laid out by WeasyPrint, with at most two hyphenated lines in a row. Where
    hyphenlimit.py keeps that rule while WeasyPrint breaks the lines, one layout. Else the
    finished layout is checked: a third hyphenated line in a row has its word kept whole and
    the pages are laid out again (see ladders.py), until none is left or nothing changes.
    Then the page make-up is measured: where a chart did not fit below the text or a chapter
    ends in a stub page, the HTML is marked and the pages laid out once more (makeup.py).
    Each further layout keeps the pages before the first change (relayout.py)."""
    layout = lay_out(job, page)
    layouts = 1
    for _ in range(0 if install_limit() else LAYOUT_PASSES):
        kept = keep_whole(page, ladder_breaks(layout.document))
        if kept == page:
            break
        page = kept
        layout = lay_out(job, page, layout)
        layouts += 1
    for _ in range(MAKEUP_PASSES):
        found = makeup.edits(makeup.measured(layout.document))
        if not found:
            break
        page = makeup.apply(page, found)
        layout = lay_out(job, page, layout)
        layouts += 1
    keep_html(job, page, layouts)
    return layout.document


def keep_html(job: Job, page: str, layouts: int) -> None:
    """With AIPGEN_HTML_DIR (tools/benchmark.py): write the final HTML and how it was laid out,
    with the options of the screen PDF written from it."""
    folder = os.environ.get("AIPGEN_HTML_DIR")
    if not folder:
        return
    options = {"pdf_variant": "pdf/ua-1"}
    stem = f"{job.doc.name}_{PAGES_STEM}"
    (Path(folder) / f"{stem}.html").write_text(charts_inline(job, page), encoding="utf-8")
    about = {"base_url": str(job.doc.root) + "/", "options": options, "layouts": layouts}
    (Path(folder) / f"{stem}.json").write_text(json.dumps(about, default=str), encoding="utf-8")


def charts_inline(job: Job, page: str) -> str:
    """The HTML with the charts that were being drawn as it was made in it (as data URIs)."""
    charts: PendingCharts | None = job.shared.get(PENDING)
    if charts is None:
        return page
    return PENDING_URL.sub(lambda found: data_uri(charts.svg(found.group(0)).encode(), SVG), page)


def lay_out(job: Job, page: str, earlier: relayout.Layout | None = None) -> relayout.Layout:
    """The pages laid out, with at most two hyphenated lines in a row where WeasyPrint lets
    hyphenlimit.py decide that while it breaks the lines; the pages before the first change
    from `earlier`, the layout of an earlier version of the HTML."""
    weasyprint = import_weasyprint()
    hyphendict.preload()
    pagerefs.install()
    with limited(), relayout.recording(earlier) as record:
        document = weasyprint.HTML(
            string=page,
            base_url=str(job.doc.root) + "/",
            url_fetcher=document_fetcher(job.doc.root, job.doc.design, job.shared.get(PENDING)),
        ).render()
    return relayout.Layout(document, record)


def spaces_into_inline_elements(html: str) -> str:
    """Move the space before an inline element into it. WeasyPrint measures a text run with its
    trailing space; when the run just fills a line, it takes the line for too long and sets the
    next word alone on a line of its own, in the middle of a justified paragraph."""
    return SPACE_BEFORE_INLINE.sub(r"\1 ", html)


class ListHandler(logging.Handler):
    """Collects WeasyPrint's warnings so they can be counted (and fail a strict build). Once a
    signal stops the build, none: WeasyPrint swallows the interruption while it draws an SVG
    and logs "Failed to render SVG image", which is no fault of the programme's."""

    def __init__(self, sink: list[Problem]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        if not interrupt.received():
            self.sink.append(Problem.general(f"PDF: {record.getMessage()}"))


def make_fetcher_class() -> type:
    fetcher: Any = import_weasyprint().URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class _SafeFetcher(fetcher):  # type: ignore[misc]
        def __init__(
            self,
            roots: list[Path],
            untrusted: Path | None,
            design: DesignFiles | None,
            charts: PendingCharts | None,
        ) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self.roots = [r.resolve() for r in roots]
            self.untrusted = untrusted.resolve() if untrusted else None
            self.design = design
            self.charts = charts

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(PENDING_SCHEME) and self.charts is not None:
                return URLFetcherResponse(url, self.charts.svg(url), {"Content-Type": SVG})
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(r) for r in self.roots):
                    raise ValueError(f"Zugriff außerhalb des Programmordners verweigert: {url}")
                if not path.exists() and self.design is not None:
                    # a project's style sheet naming a built-in font
                    others = self.design.alternatives(path)
                    path = next((p for p in others if p.exists()), path)
                    url = path.as_uri()
                if self.is_untrusted_image(path):
                    body = published_image(path)  # an SVG of the programme: cleaned
                    return URLFetcherResponse(url, body, {"Content-Type": SVG})
            elif not url.startswith("data:"):
                raise ValueError(f"Zugriff auf das Netz verweigert: {url}")
            return super().fetch(url, headers)

        def is_untrusted_image(self, path: Path) -> bool:
            untrusted = self.untrusted is not None and path.is_relative_to(self.untrusted)
            return untrusted and path.suffix.lower() in VECTOR

    return _SafeFetcher


def document_fetcher(root: Path, design: DesignFiles, charts: PendingCharts | None = None) -> Any:
    """The fetcher of a programme's document: its folder and its design's folders; its SVG
    files cleaned; its charts, where they are still being drawn, once drawn."""
    return SafeFetcher([root, *design.allowed()], root, design, charts)


def SafeFetcher(  # noqa: N802
    roots: list[Path],
    untrusted: Path | None = None,
    design: DesignFiles | None = None,
    charts: PendingCharts | None = None,
) -> Any:
    """A URL fetcher for files below `roots` only; SVG files below `untrusted` come cleaned;
    a file of the `design` that is missing comes from its other roots; the `charts` being
    drawn (by their URLs, PENDING_SCHEME) once drawn."""
    return make_fetcher_class()(roots, untrusted, design, charts)
