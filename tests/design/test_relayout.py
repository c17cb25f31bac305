"""A further layout keeps the pages before the first change of the HTML (relayout.py): the PDF
is the same, byte for byte, as that of a full layout of the changed HTML."""

from __future__ import annotations

import gc
from dataclasses import dataclass

import pytest

from aipgen.base.formats import Job
from aipgen.base.paths import BUILT_IN
from aipgen.build.charting import render_charts
from aipgen.design import makeup, relayout
from aipgen.media.pdf import lay_out, spaces_into_inline_elements

from ..helpers import DATA, FORMATS, document, render_html

WORDS = (
    "Das Jobcenter begleitet Menschen auf dem Weg in Arbeit und stimmt jede Maßnahme mit "
    "den Partnern am Arbeitsmarkt ab, damit Förderung dort ankommt, wo sie gebraucht wird. "
)
SECTIONS = 8
# The sections with a cross-reference "(S. …)" and the section each refers to: before the
# change (6), to one that stays where it is, and to one that moves.
REFERENCES = {1: 6, 2: 1, 3: 7, 6: 1}


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
        target = REFERENCES.get(n)
        ref = f'<a class="ref" href="#s{target}">Abschnitt {target}</a>' if target else ""
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


def lay_out_sample(page: str, earlier: relayout.Layout | None = None) -> relayout.Layout:
    """The sample laid out as a programme's HTML is (its folder is Herne's; it needs none)."""
    return lay_out(Job(document(DATA / "herne-2023"), "", []), page, earlier)


def pdf(layout: relayout.Layout) -> bytes:
    """The screen PDF, dated from SOURCE_DATE_EPOCH, so the same pages give the same bytes."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "0")
        return bytes(layout.document.write_pdf(pdf_variant="pdf/ua-1"))


@dataclass
class Relaid:
    kept: relayout.Layout  # the changed sample, laid out after the unchanged one
    full: relayout.Layout  # the changed sample laid out on its own
    referring: dict[str, set[int]]  # by target: the unchanged sample's pages with "(S. …)"
    contents: set[int]  # the pages of its contents
    pages_before: int  # how many pages the unchanged sample has


@pytest.fixture(scope="module")
def relaid() -> Relaid:
    earlier = lay_out_sample(sample())
    pages = [page._page_box for page in earlier.document.pages]
    referring: dict[str, set[int]] = {}
    for number, page in enumerate(pages):
        for box in page.descendants():
            if getattr(box, "missing_link", None) and box.element.get("class") == "ref":
                referring.setdefault(box.element.get("href"), set()).add(number)
    contents = {
        n for n, page in enumerate(pages) if any(b.element_tag == "nav" for b in page.descendants())
    }
    before = len(pages)
    kept = lay_out_sample(sample(changed=6), earlier)
    del earlier, pages  # the kept pages' font files must stay without it
    gc.collect()
    return Relaid(kept, lay_out_sample(sample(changed=6)), referring, contents, before)


def test_kept_pages_give_the_same_pdf_as_a_full_layout(relaid: Relaid) -> None:
    record = relaid.kept.record
    kept = [number for number, page in enumerate(record.seed) if page is not None]
    assert len(kept) == relaid.kept.kept >= 8, record.seed
    referring = set().union(*relaid.referring.values(), relaid.contents)
    assert not record.laid_out & (set(kept) - referring)  # WeasyPrint laid none out again
    assert pdf(relaid.kept) == pdf(relaid.full)


def test_the_pages_after_the_change_move(relaid: Relaid) -> None:
    """The change shortens its section: the contents' numbers after it change, so a page that
    only kept its boxes would show the wrong ones (the PDFs above would differ)."""
    assert len(relaid.full.document.pages) < relaid.pages_before


def test_kept_boxes_stand_for_elements_of_the_new_tree(relaid: Relaid) -> None:
    """makeup.py and ladders.py find a page's paragraphs by the elements of the HTML laid out."""
    tree = {id(element) for element in relaid.kept.document._html.etree_element.iter()}
    outside = [
        box.element.tag
        for page in relaid.kept.document.pages
        for box in page._page_box.descendants()
        if hasattr(getattr(box, "element", None), "tag") and id(box.element) not in tree
    ]
    assert outside == []


def test_a_page_is_laid_out_again_when_a_page_it_refers_to_moves(relaid: Relaid) -> None:
    """The contents and the "(S. …)" after section 7 show other numbers: laid out again; the
    pages before the change that refer to sections 1 and 6, which stay, keep their boxes."""
    laid_out = relaid.kept.record.laid_out
    moved = relaid.referring["#s7"]
    stayed = {n for n in relaid.referring["#s1"] | relaid.referring["#s6"] if n < 15}
    assert moved and moved <= laid_out, (moved, laid_out)
    assert stayed and not stayed & laid_out, (stayed, laid_out)
    seed = relaid.kept.record.seed
    assert all(seed[number] is not None for number in stayed | moved if number < len(seed))


def test_a_change_on_the_first_page_keeps_nothing() -> None:
    earlier = lay_out_sample(sample())
    assert lay_out_sample(sample(first_changed=True), earlier).kept == 0


def test_a_programmes_make_up_keeps_pages_and_gives_the_same_pdf() -> None:
    """Herford's make-up sets a table smaller, late in the programme."""
    doc = document(DATA / "herford-2022")
    html = render_html(doc, render_charts(doc, "screen"), FORMATS["pdf"])
    page = spaces_into_inline_elements(html)
    job = Job(doc, page, [])
    earlier = lay_out(job, page)
    changed = makeup.apply(page, makeup.edits(makeup.measured(earlier.document)))
    kept = lay_out(job, changed, earlier)
    assert kept.kept >= 10
    assert pdf(kept) == pdf(lay_out(job, changed))
