"""Page references as WeasyPrint resolves them once media/pagerefs.py has mended it: the right
numbers, with one repagination of the pages that refer, not two."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pypdf
import pytest
import weasyprint

from aipgen.media import pagerefs

STYLE = """
@page { size: A6; margin: 10mm; }
h2 { break-before: page; }
.toc a::after { content: " … " target-counter(attr(href), page); }
a.xref::after { content: " (S. " target-counter(attr(href), page) ")"; }
"""
# The contents refer forward, the last chapter back to the first and forward to the second.
HTML = f"""<!DOCTYPE html><html lang="de"><head><style>{STYLE}</style></head><body>
<nav class="toc"><p><a href="#eins">Eins</a></p><p><a href="#zwei">Zwei</a></p>
<p><a href="#drei">Drei</a></p></nav>
<h2 id="eins">Eins</h2><p>Text.</p>
<h2 id="drei">Drei</h2><p>Siehe <a class="xref" href="#eins">Eins</a> und
<a class="xref" href="#zwei">Zwei</a>.</p>
<h2 id="zwei">Zwei</h2><p>Text.</p>
</body></html>"""


@pytest.fixture
def page_layouts() -> Iterator[list[str]]:
    """WeasyPrint's progress messages of the pages it lays out (not those it keeps)."""
    laid_out: list[str] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if "Creating layout - Page" in message and "up-to-date" not in message:
                laid_out.append(message)

    logger = logging.getLogger("weasyprint.progress")
    handler, level = Handler(logging.INFO), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield laid_out
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def page_texts(document: weasyprint.Document) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(document.write_pdf()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_page_references_are_right_after_one_repagination(page_layouts: list[str]) -> None:
    assert pagerefs.install()
    document = weasyprint.HTML(string=HTML).render()
    texts = page_texts(document)
    assert len(texts) == 4
    assert "Eins … 2" in texts[0] and "Zwei … 4" in texts[0] and "Drei … 3" in texts[0]
    assert "Eins (S. 2)" in texts[2] and "Zwei (S. 4)" in texts[2]
    # every page once, then the contents (forward) and the page with the cross-references
    # (one back, one forward) once more; unmended WeasyPrint lays both out twice more
    assert len(page_layouts) == 4 + 2
