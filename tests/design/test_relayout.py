"""A further layout keeps the pages before the first change of the HTML (relayout.py): the PDF
is the same, byte for byte, as that of a full layout of the changed HTML."""

from __future__ import annotations

import gc

import pytest

from aipgen.base.formats import Job
from aipgen.base.paths import BUILT_IN
from aipgen.build.pipeline import render_charts
from aipgen.design import makeup, relayout
from aipgen.media.pdf import lay_out, spaces_into_inline_elements

from ..helpers import DATA, FORMATS, document, render_html

WORDS = (
    "Das Jobcenter begleitet Menschen auf dem Weg in Arbeit und stimmt jede Maßnahme mit "
    "den Partnern am Arbeitsmarkt ab, damit Förderung dort ankommt, wo sie gebraucht wird. "
)
SECTIONS = 8


def sample(changed: int | None = None, first_changed: bool = False) -> str:
    """A small programme: contents with page numbers, eight sections on pages of their own, a
    footnote, a cross-reference with its page; section `changed` set tighter and three
    paragraphs shorter (its pages and all after it move), or the first paragraph changed when
    `first_changed`."""
    css = BUILT_IN.find("templates", "common", "seiten.css").as_uri()
    contents = "".join(
        f'<li><a href="#s{n}">Abschnitt {n}</a></li>' for n in range(1, SECTIONS + 1)
    )
    sections = []
    for n in range(1, SECTIONS + 1):
        paragraphs = 3 if n == changed else 6
        tight = ' class="eng"' if n == changed else ""
        note = '<span class="fn">Eine Fußnote.</span>' if n == 2 else ""
        ref = '<a class="ref" href="#s7">Abschnitt 7</a>' if n == 3 else ""
        body = "".join(
            f"<p{tight}>{WORDS * 3}{note if k == 0 else ''}{ref}</p>" for k in range(paragraphs)
        )
        sections.append(f'<section id="s{n}"><h2>Abschnitt {n}</h2>{body}</section>')
    opening = "Vorwort, neu gefasst." if first_changed else "Vorwort."
    return f"""<html lang="de"><head><title>Probe</title><link rel="stylesheet" href="{css}">
<style>@page {{ size: 105mm 148mm; margin: 12mm }} body {{ font: 10pt/1.3 Carlito }}
section {{ break-before: page }} .fn {{ float: footnote }} .eng {{ letter-spacing: -0.04em }}
nav a::after {{ content: " " target-counter(attr(href), page) }}
a.ref::after {{ content: " (S. " target-counter(attr(href), page) ")" }}</style></head>
<body><p>{opening}</p><nav><ul>{contents}</ul></nav>{"".join(sections)}</body></html>"""


class Sample:
    """lay_out's view of a programme folder, for HTML that needs none."""

    def __init__(self) -> None:
        doc = document(DATA / "herne-2023")
        self.job = Job(doc, "", [])

    def lay_out(self, page: str, earlier: relayout.Layout | None = None) -> relayout.Layout:
        return lay_out(self.job, page, earlier)


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDFs' dates from SOURCE_DATE_EPOCH, so two of the same pages are the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")


@pytest.fixture(scope="module")
def layouts() -> Sample:
    return Sample()


def pdf(layout: relayout.Layout) -> bytes:
    return bytes(layout.document.write_pdf(pdf_variant="pdf/ua-1"))


def test_kept_pages_give_the_same_pdf_as_a_full_layout(layouts: Sample) -> None:
    changed = sample(changed=6)
    earlier = layouts.lay_out(sample())
    kept = layouts.lay_out(changed, earlier)
    full = layouts.lay_out(changed)
    assert len(full.document.pages) < len(earlier.document.pages)  # the contents change
    assert kept.kept >= 8, kept.record.seed
    assert elements_outside(kept) == []  # measured in the new tree (makeup.py, ladders.py)
    del earlier  # its font files must stay while the kept pages are written
    gc.collect()
    assert pdf(kept) == pdf(full)


def test_pages_that_refer_to_a_page_are_laid_out_again(layouts: Sample) -> None:
    earlier = layouts.lay_out(sample())
    pages = earlier.document.pages
    referring = [number for number, page in enumerate(pages) if relayout.refers(page._page_box)]
    kept = layouts.lay_out(sample(changed=7), earlier)
    assert referring  # the contents and the page with "(S. …)"
    assert all(kept.record.seed[number] is None for number in referring)
    assert sum(page is not None for page in kept.record.seed) == kept.kept > 0


def test_a_change_on_the_first_page_keeps_nothing(layouts: Sample) -> None:
    earlier = layouts.lay_out(sample())
    kept = layouts.lay_out(sample(first_changed=True), earlier)
    assert kept.kept == 0
    assert pdf(kept) == pdf(layouts.lay_out(sample(first_changed=True)))


def test_a_programmes_make_up_keeps_pages_and_gives_the_same_pdf() -> None:
    """Herford's make-up sets a table smaller, late in the programme."""
    doc = document(DATA / "herford-2022")
    page = spaces_into_inline_elements(
        render_html(doc, render_charts(doc, "screen"), FORMATS["pdf"])
    )
    job = Job(doc, page, [])
    earlier = lay_out(job, page)
    changed = makeup.apply(page, makeup.edits(makeup.measured(earlier.document)))
    kept = lay_out(job, changed, earlier)
    assert kept.kept >= 10
    assert pdf(kept) == pdf(lay_out(job, changed))


def test_unchanged_html_keeps_every_page_but_those_that_refer(layouts: Sample) -> None:
    earlier = layouts.lay_out(sample())
    again = layouts.lay_out(sample(), earlier)  # the pages of `earlier` are now its own
    assert again.kept >= 8
    assert pdf(again) == pdf(layouts.lay_out(sample()))


def elements_outside(layout: relayout.Layout) -> list[str]:
    """The HTML elements the layout's boxes stand for that are not in its own tree."""
    tree = {id(element) for element in layout.document._html.etree_element.iter()}
    return [
        box.element.tag
        for page in layout.document.pages
        for box in page._page_box.descendants()
        if hasattr(getattr(box, "element", None), "tag") and id(box.element) not in tree
    ]
