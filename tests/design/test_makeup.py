"""Page make-up (design/makeup.py): what it marks in the HTML, and what it did to the sample
programmes' pages (the page-fill measure itself is in test_pages.py)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from aipgen.design.makeup import Edits, Move, Smaller, apply, unit_heights

PAGE = (
    '<section class="chapter start-automatisch"><h2>Eins</h2><p>a</p><p class="lead">b</p>'
    '<figure class="chart" id="abb-1"><figcaption>Abb. 1</figcaption>'
    '<img class="chart-img" src="x.svg" alt="x"></figure></section>'
    '<section class="chapter start-automatisch"><h2>Zwei</h2><pre>c</pre><p>d</p></section>'
    '<section class="chapter start-neue_seite"><h2>Drei</h2></section>'
)


def test_the_marks_go_to_the_chosen_elements() -> None:
    marked = apply(PAGE, Edits(tighten={1, 2}, follow={1, 2}))
    assert '<img class="chart-img" src="x.svg"' in marked  # a chart keeps its size
    assert '<p>a</p><p class="lead eng">b</p>' in marked  # paragraphs counted from 0
    assert '<pre>c</pre><p class="eng">d</p>' in marked  # <pre> is no paragraph
    assert marked.count("start-automatisch") == 1
    assert '<section class="chapter start-fortlaufend"><h2>Zwei</h2>' in marked
    assert '<section class="chapter start-neue_seite"><h2>Drei</h2>' in marked  # as asked


def test_a_table_is_set_in_smaller_type() -> None:
    page = '<figure class="table-figure" id="tab-1">\n<table class="data"><tr><td>1</td></tr>'
    marked = apply(page, Edits(smaller=[Smaller("tab-1", 15.8)]))
    assert marked == page.replace('class="data"', 'class="data" style="font-size: 15.8px"')


def test_no_edits_leave_the_page_as_it_is() -> None:
    assert apply(PAGE, Edits()) == PAGE
    assert not Edits()


def test_the_samples_were_made_up(built: Path) -> None:
    """What make-up changed in the samples, measured on their first layout."""
    html = built.parent / "html"
    # Herne: chapter 5 ended in three lines on a page of their own; no chart is made smaller
    # (each keeps the document's one width and type scale)
    herne = (html / "herne-2023_seiten.html").read_text(encoding="utf-8")
    assert herne.count(' eng"') + herne.count('class="eng"') >= 2
    for name in ("herne-2023", "bochum-2024", "duisburg-2016", "herford-2022"):
        assert "max-height" not in (html / f"{name}_seiten.html").read_text(encoding="utf-8")
    # Duisburg: p. 29 ended half empty before Tabelle 28, which the run-in headings and their
    # paragraphs after it now fill
    duisburg = (html / "duisburg-2016_seiten.html").read_text(encoding="utf-8")
    moved = duisburg.index('id="tabelle-st-jugend"')
    assert duisburg.index("Passgenaue Vermittlung in Ausbildung oder Arbeit</h5>") < moved
    # Herford: "Lokale Ziele" is a heading and a table that did not fit below it (slide 20 held
    # the heading alone); the table is set in smaller type, the other tables as they were
    herford = (html / "herford-2022_seiten.html").read_text(encoding="utf-8")
    figure = herford[herford.index('id="tabelle-lokale-ziele"') :]
    table = figure[figure.index("<table") : figure.index(">", figure.index("<table"))]
    assert re.fullmatch(r'<table class="data" style="font-size: \d+(\.\d)?px"', table)
    assert herford.count('<table class="data" style=') == 1


def test_a_figure_moves_past_the_blocks_that_follow_it() -> None:
    page = (
        '<section><figure class="table-figure" id="tab-1"><table class="data"></table></figure>\n'
        "<p>eins</p>\n<ul><li>a<ul><li>b</li></ul></li></ul>\n<h3>Weiter</h3></section>"
    )
    moved = apply(page, Edits(move=[Move("tab-1", 2)]))
    assert moved == (
        "<section><p>eins</p>\n<ul><li>a<ul><li>b</li></ul></li></ul>\n"
        '<figure class="table-figure" id="tab-1"><table class="data"></table></figure>\n'
        "<h3>Weiter</h3></section>"
    )
    assert apply(page, Edits(move=[Move("tab-1", 3)])) == page  # never past a heading


def test_a_figure_moves_past_a_run_in_heading_with_its_text() -> None:
    page = (
        '<section><figure class="table-figure" id="tab-1"><table class="data"></table></figure>\n'
        "<h5>Klein</h5>\n<p>eins</p>\n<h4>Abschnitt</h4></section>"
    )
    assert apply(page, Edits(move=[Move("tab-1", 1)])) == (
        "<section><h5>Klein</h5>\n<p>eins</p>\n"
        '<figure class="table-figure" id="tab-1"><table class="data"></table></figure>\n'
        "<h4>Abschnitt</h4></section>"
    )
    assert apply(page, Edits(move=[Move("tab-1", 2)])) == page  # never past a numbered heading


def test_a_run_in_heading_is_measured_with_the_block_after_it() -> None:
    def box(tag: str, height: float) -> SimpleNamespace:
        return SimpleNamespace(element_tag=tag, margin_height=lambda: height)

    after = [box("p", 30), box("h5", 12), box("p", 40), box("h6", 10), box("h4", 20), box("p", 5)]
    # the figure may stop after the first paragraph or after the h5 and its paragraph, never
    # between a heading and its text, and never past the h4
    assert list(unit_heights(after)) == [30, 52]


def test_a_heading_left_alone_at_a_page_foot_starts_the_next_page() -> None:
    """A chapter title and a section title kept together above a figure too tall to follow
    them: WeasyPrint can break only after both, leaving the section title alone at the foot.
    Make-up measures that and lets the section title start the page its figure opens."""
    import weasyprint

    from aipgen.base.paths import BUILT_IN
    from aipgen.design.makeup import edits, measured

    common = BUILT_IN.find("templates", "common", "seiten.css").as_uri()
    page = f"""<html lang="de"><head><link rel="stylesheet" href="{common}">
<style>@page {{ size: 100mm 148mm; margin: 10mm }} body {{ margin: 0 }}
h2, h3 {{ break-after: avoid; margin: 0; font-size: 12pt }} figure {{ margin: 0 }}</style></head>
<body><header style="break-after: page">Titel</header>
<section class="chapter start-neue_seite"><h2>Kapitel</h2><h3>Abschnitt</h3>
<figure class="chart" id="abb-1"><div style="height: 120mm"></div></figure>
<p>Mehr.</p></section></body></html>"""

    def heading_pages(html: str) -> list[list[str]]:
        pages = weasyprint.HTML(string=html).render().pages
        return [
            [b.element_tag for b in p._page_box.descendants() if b.element_tag in ("h2", "h3")]
            for p in pages
        ]

    assert heading_pages(page)[1][-1] == "h3"  # the section title ends page 2
    found = edits(measured(weasyprint.HTML(string=page).render()))
    assert found.break_before == {1}  # the second heading of the page (h2 is the first)
    assert '<h3 class="umbruch">Abschnitt</h3>' in apply(page, found)
    after = heading_pages(apply(page, found))
    assert "h3" not in after[1] and "h3" in after[2]
