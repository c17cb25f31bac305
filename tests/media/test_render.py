"""HTML rendering: escaping, structure, accessibility hooks; PDF fetcher boundaries."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import pytest

from aipgen.base.formats import FORMATS
from aipgen.base.paths import BUILT_IN
from aipgen.media.pdf import SafeFetcher
from aipgen.media.render import jinja_env, render_changes, render_html

from ..helpers import DATA, SVG, calls, document, edit, html


def test_raw_html_in_markdown_is_escaped(mini: Path) -> None:
    page = html(mini)
    assert "&lt;b&gt;HTML&lt;/b&gt;" in page
    assert "<b>HTML</b>" not in page


def test_yaml_text_is_escaped(mini: Path) -> None:
    edit(mini / "tabellen/budget.yaml", "[FbW,", '["<script>alert(1)</script>",')
    page = html(mini)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_javascript_links_are_not_rendered(mini: Path) -> None:
    edit(mini / "kapitel/01-vorwort.md", "Sehr", "[klick](javascript:alert(1)) Sehr")
    assert 'href="javascript' not in html(mini)


def test_headings_numbered_with_anchors(mini: Path) -> None:
    page = html(mini)
    assert '<h2 id="kap-1" class="numbered"><span class="num">1</span> Vorwort</h2>' in page
    assert '<h4 id="kap-2-2-1" class="numbered"><span class="num">2.2.1</span> Budget</h4>' in page
    assert '<h5 id="abschnitt-1">Hinweise</h5>' in page
    assert '<a href="#kap-2-2-1">' in page


def test_table_has_caption_scoped_headers_and_source(mini: Path) -> None:
    page = html(mini)
    assert (
        '<figcaption class="table-title" id="tabelle-eckwerte-titel">Tabelle 1: Eckwerte'
        "</figcaption>" in page
    )
    assert '<table class="data" aria-labelledby="tabelle-eckwerte-titel">' in page
    assert "<caption>Tabelle 1: Eckwerte</caption>" in html(mini, "pdf")  # the table's Caption
    assert "<caption>Tabelle 3: Übersicht Budgetplanung</caption>" in html(mini, "druck")
    assert '<th id="eckwerte-h0-3" scope="colgroup" colspan="2" class="num">' in page
    assert '<p class="source">Quelle: Statistik der Bundesagentur für Arbeit</p>' in page
    assert "Der Wert liegt um mindestens +1,0 Prozent über dem Vorjahr." in page


def test_chart_figure_with_alt_text_and_data_table(mini: Path) -> None:
    page = html(mini)
    assert "<figcaption>Abb. 1 – Budget nach Instrument</figcaption>" in page
    assert 'role="img" aria-label="Balken: A 1"' in page
    assert "<summary>Daten zu Abb. 1 als Tabelle</summary>" in page
    assert '<td class="num">2.923.965\u202f€</td>' in page


def test_footnotes_web_list_and_pdf_inline(mini: Path) -> None:
    web, pdf = html(mini, "web"), html(mini, "pdf")
    assert '<a href="#fn-1" id="fnref-1" aria-label="Fußnote 1">1</a>' in web
    assert '<li id="fn-1" value="1">Stand 04/2022.' in web
    assert '<span class="footnote">Stand 04/2022.</span>' in pdf


def test_footnote_cited_twice_has_distinct_ids(mini: Path) -> None:
    edit(mini / "kapitel/02-arbeitsmarkt.md", "\n\nText.", "\n\nText.[^ew]")
    web = html(mini, "web")
    assert '<a href="#fn-1" id="fnref-1" aria-label="Fußnote 1">1</a>' in web
    assert '<a href="#fn-1" id="fnref-1-2" aria-label="Fußnote 1">1</a>' in web
    assert web.count('id="fnref-1"') == 1
    assert '<a href="#fnref-1" class="fn-back"' in web


def test_signature_and_imprint(mini: Path) -> None:
    page = html(mini)
    assert "<li>Erika Mustermann</li>" in page and "<li>Max Mustermann</li>" in page
    assert "Hauptstraße 1<br>" in page
    assert '<html lang="de">' in page


def test_strict_undefined() -> None:
    env = jinja_env("bericht", BUILT_IN)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ nicht_da }}").render()


def test_fetcher_refuses_files_outside_allowed_roots(tmp_path: Path) -> None:
    allowed = tmp_path / "prog"
    allowed.mkdir()
    (allowed / "a.css").write_text("p{}")
    (tmp_path / "geheim.txt").write_text("x")
    fetcher = SafeFetcher([allowed])
    assert fetcher.fetch((allowed / "a.css").as_uri()) is not None
    with pytest.raises(ValueError, match="außerhalb"):
        fetcher.fetch((tmp_path / "geheim.txt").as_uri())
    with pytest.raises(ValueError, match="Netz"):
        fetcher.fetch("https://example.org/x.png")


def test_logo_and_theme_colour(mini: Path) -> None:
    web, pdf = html(mini, "web"), html(mini, "pdf")
    assert '<img class="logo" src="assets/bilder/logo.svg" alt="Logo Jobcenter Musterstadt">' in web
    assert 'src="bilder/logo.svg"' in pdf
    assert "--primary: #004b87;" in web
    assert '<p class="cover-jobcenter">Jobcenter Musterstadt</p>' in web  # beside the logo


@pytest.mark.parametrize("medium", ["web", "pdf"])
def test_without_a_logo_the_name_is_the_word_mark(mini: Path, medium: str) -> None:
    edit(mini / "programm.yaml", "  logo: bilder/logo.svg\n", "")
    page = html(mini, medium)
    assert 'class="logo"' not in page
    assert '<p class="cover-jobcenter wordmark">Jobcenter Musterstadt</p>' in page


@pytest.mark.parametrize("name", ["herne-2023", "bochum-2024", "herford-2022", "duisburg-2016"])
def test_sample_programmes_carry_no_invented_logo(name: str) -> None:
    """None of the references' logos may be redrawn; the samples show the word mark."""
    assert not list((DATA / name).glob("bilder/logo*"))
    assert "logo:" not in (DATA / name / "programm.yaml").read_text(encoding="utf-8")


def test_markdown_image_paths(mini: Path) -> None:
    edit(mini / "kapitel/01-vorwort.md", "Sehr", "![Unser Team](bilder/logo.svg)\n\nSehr")
    assert '<img src="assets/bilder/logo.svg" alt="Unser Team">' in html(mini, "web")
    assert '<img src="bilder/logo.svg" alt="Unser Team">' in html(mini, "pdf")


def test_prose_is_typeset(mini: Path) -> None:
    edit(
        mini / "kapitel/01-vorwort.md",
        "Sehr",
        "Mit ALLEGRO stieg die Quote um 2,7 % nach § 16 SGB II, siehe [Arbeitsmarkt](#kap-2) "
        "und neue Formate.\n\nSehr",
    )
    page = html(mini, "pdf")
    assert (
        '<p>Mit <span class="keep">ALLEGRO</span> stieg die Quote um 2,7\u202f% nach §\u00a016 '
        'SGB\u00a0II, siehe <a href="#kap-2">Arbeitsmarkt</a> und neue '
        '<span class="keep">Formate.</span></p>' in page
    )


def test_link_text_stays_one_plain_run(mini: Path) -> None:
    """No markup inside a link, in the text or in a footnote (the PDF's link tags stay valid)."""
    edit(
        mini / "kapitel/01-vorwort.md",
        "Sehr",
        "Siehe [mit ALLEGRO](#kap-2) und JobSpeed.[^a]\n\n"
        "[^a]: Auch [bei ALLEGRO](#kap-2).\n\nSehr",
    )
    page = html(mini, "pdf")
    assert '<a href="#kap-2">mit ALLEGRO</a> und <span class="keep">JobSpeed.</span>' in page
    assert '<a href="#kap-2">bei ALLEGRO</a>' in page


def test_rendering_work_grows_in_proportion_to_the_text(mini: Path) -> None:
    """Twice the marked-up words, about twice the work: each text is asked once whether it
    stands inside a link (counting the links before every text was quadratic: 126 s for a
    paragraph of 20.000 nested emphasis marks)."""

    def work(words: int) -> int:
        chapter = "# Vorwort\n\n" + "*Quote* [Stand](#kap-2) " * words + "\n"
        (mini / "kapitel/01-vorwort.md").write_text(chapter, encoding="utf-8")
        doc = document(mini)
        return calls(render_html, doc, {name: SVG for name in doc.charts}, FORMATS["web"])

    base = min(work(0), work(0))  # the first compiles the templates
    once, twice = work(1000) - base, work(2000) - base
    assert twice < 2.2 * once


def test_listed_compounds_break_at_seams_in_prose_not_in_headings(mini: Path) -> None:
    """A heading is not hyphenated and names the PDF bookmark: no soft hyphen goes into it."""
    edit(
        mini / "kapitel/01-vorwort.md",
        "Sehr",
        "## Lohnkostenzuschuss\n\nDer Lohnkostenzuschuss wirkt lange.\n\nSehr",
    )
    page = html(mini, "pdf")
    assert '<span class="keep">Lohnkosten\u00adzuschuss</span> wirkt' in page
    assert re.search(r"<h3[^>]*>(<span[^>]*>[\d.]+</span> )?Lohnkostenzuschuss</h3>", page)


def test_lists_of_tables_and_figures_follow_the_contents(mini: Path) -> None:
    edit(mini / "programm.yaml", "layout: bericht\n", "layout: bericht\nverzeichnis_ab: 1\n")
    for medium in FORMATS:
        page = html(mini, medium)
        assert page.index('id="toc-title"') < page.index('id="verzeichnis-tabellen"')
        assert (
            '<nav class="toc lot" aria-labelledby="verzeichnis-tabellen">\n'
            '<h2 id="verzeichnis-tabellen" class="toc-title">Tabellenverzeichnis</h2>' in page
        )
        assert (
            '<li><span class="num">Tabelle 3</span> '
            '<a href="#tabelle-budget">Übersicht Budgetplanung</a></li>' in page
        )
        assert (
            '<li><span class="num">Abb. 1</span> <a href="#abb-1">Budget nach Instrument</a></li>'
            in page
        )


def test_layout_without_lists_shows_none() -> None:
    from aipgen.content.layouts import LayoutSettings

    assert LayoutSettings().lists == []
    assert LayoutSettings.model_validate({"verzeichnisse": ["abbildungen"]}).lists == [
        "abbildungen"
    ]


def test_references_link_the_number_in_every_format(mini: Path) -> None:
    edit(mini / "kapitel/01-vorwort.md", "Sehr", "Siehe [](#tabelle:budget).[^n]\n\nSehr")
    (mini / "kapitel/01-vorwort.md").write_text(
        (mini / "kapitel/01-vorwort.md").read_text() + "\n[^n]: Dazu [](#abb:budget).\n"
    )
    for medium in FORMATS:
        page = html(mini, medium)
        assert '<p>Siehe <a class="xref" href="#tabelle-budget">Tabelle 3</a>.' in page
        assert 'Dazu <a class="xref" href="#abb-1">Abb. 1</a>.' in page


def test_merged_cells_render_with_rowspan(mini: Path) -> None:
    edit(
        mini / "tabellen/budget.yaml",
        "    id: egz\n",
        '    id: egz\n  - werte: ["", 3, ""]\n    zeilen_verbinden: [instrument, budget]\n',
    )
    page = html(mini)
    row_header = '<th scope="row" headers="budget-h0-0" rowspan="2">'
    assert row_header + '<div class="row-label">EGZ</div></th>' in page
    assert '<td headers="budget-h0-2" rowspan="2" class="num">1.048.020\u202f€</td>' in page
    assert '<tr class="zeile">\n<td headers="budget-h0-1" class="num">3</td>\n</tr>' in page


def chapter_pages(pdf: bytes) -> list[int]:
    """The page (from 1) on which each chapter's bookmark points, in order."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    chapters = [i for i in reader.outline if not isinstance(i, list) and i.title[:1].isdigit()]
    return [reader.get_destination_page_number(item) + 1 for item in chapters]


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("neue_seite", lambda a, b: b == a + 1),
        ("fortlaufend", lambda a, b: b == a),
        ("automatisch", lambda a, b: b == a),  # the mini programme is short: make-up lets it follow
    ],
)
def test_programme_sets_where_chapters_begin(mini: Path, start: str, expected: Any) -> None:
    from aipgen.build.pipeline import build_programme

    edit(mini / "programm.yaml", "layout: bericht\n", f"layout: bericht\nkapitelanfang: {start}\n")
    pages = chapter_pages(build_programme(mini, BUILT_IN, ("pdf",)).files["mini.pdf"])
    assert len(pages) == 2 and expected(*pages), pages


def test_chapters_begin_on_right_hand_pages(mini: Path) -> None:
    from aipgen.build.pipeline import build_programme

    edit(
        mini / "programm.yaml",
        "layout: bericht\n",
        "layout: bericht\nkapitelanfang: rechte_seite\n",
    )
    pages = chapter_pages(build_programme(mini, BUILT_IN, ("pdf",)).files["mini.pdf"])
    assert all(page % 2 == 1 for page in pages) and pages[1] == pages[0] + 2, pages


def back_cover(page: str) -> str:
    return page[page.index('<section class="back-cover"') :]


def test_back_cover_names_the_jobcenter_once_above_its_address(mini: Path) -> None:
    cover = back_cover(html(mini, "pdf"))
    assert cover.count("Jobcenter Musterstadt") == 1
    assert "Hauptstraße 1<br>\n12345 Musterstadt<br>" in cover
    assert "Erika Mustermann" not in cover


def test_back_cover_address_without_the_jobcenter_line(mini: Path) -> None:
    edit(mini / "programm.yaml", "    Jobcenter Musterstadt\n", "")
    cover = back_cover(html(mini, "pdf"))
    assert "Hauptstraße 1<br>" in cover and "Erika Mustermann" not in cover


def test_the_change_report_lists_acknowledged_differences() -> None:
    """Duisburg prints the stated 353 (its rows add up to 359): the editor reads it in the
    draft's change report, the reader nowhere."""
    doc = document(DATA / "duisburg-2016")
    report = render_changes(doc, None)
    assert (
        "duisburg-2016/tabellen/kennzahlen.yaml:32: Tabelle „Fördermöglichkeiten nach Produkten "
        "2016“, Spalte „Eintritte / Förderfälle 2016 ca.“: angegeben 353, berechnet 359. "
        "Gedruckt wird die angegebene Zahl (bestätigt)."
    ) in report
    assert "berechnet 359" not in render_html(doc, {n: SVG for n in doc.charts}, FORMATS["pdf"])
