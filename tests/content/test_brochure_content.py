"""Content features brochures need, usable by every layout: lead paragraphs, chapters without
numbers (layout or programme), cover slogan and photo with credit, charts from table rows,
running text in two columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from aipgen.base.paths import DesignFiles, project_design

from ..helpers import checked, compute_problems, document, edit, html

VORWORT = "kapitel/01-vorwort.md"


def test_lead_paragraph(mini: Path) -> None:
    edit(mini / VORWORT, "Sehr", "Das Jahr im **Überblick**. {.vorspann}\n\nSehr")
    page = html(mini)
    assert '<p class="lead">Das Jahr im <strong>Überblick</strong>.</p>' in page
    assert "{.vorspann}" not in page
    assert page.count('class="lead"') == 1  # only the marked paragraph


def test_marker_inside_a_paragraph_is_text(mini: Path) -> None:
    edit(mini / VORWORT, "Sehr", "Mit {.vorspann} mitten im Satz.\n\nSehr")
    page = html(mini)
    assert 'class="lead"' not in page and "Mit {.vorspann} mitten" in page


def test_programme_turns_chapter_numbers_off(mini: Path) -> None:
    edit(mini / "programm.yaml", "layout: bericht\n", "layout: bericht\nkapitelnummern: false\n")
    doc = document(mini)
    assert [(e.number, e.title, e.anchor) for e in doc.toc][:3] == [
        ("", "Vorwort", "kap-1"),
        ("", "Lokale Rahmenbedingungen", "kap-2"),
        ("", "Bevölkerung", "kap-2-1"),
    ]
    page = html(mini)
    assert '<h3 id="kap-2-1">Bevölkerung' in page
    assert 'class="numbered"' not in page


def layout_yaml(root: Path, text: str) -> DesignFiles:
    """The design files of a project beside the programme whose layout "bericht" has a
    layout.yaml that says `text`."""
    project = root.parent / "projekt"
    (project / "templates" / "bericht").mkdir(parents=True)
    (project / "templates" / "bericht" / "layout.yaml").write_text(text)
    return project_design(project)


def test_layout_turns_chapter_numbers_off_and_programme_wins(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    design = layout_yaml(mini, "kapitelnummern: false\n")
    assert [e.number for e in document(mini, design).toc][:2] == ["", ""]
    edit(mini / "programm.yaml", "layout: bericht\n", "layout: bericht\nkapitelnummern: true\n")
    assert [e.number for e in document(mini, design).toc][:2] == ["1", "2"]


def test_cover_slogan(mini: Path) -> None:
    edit(
        mini / "programm.yaml",
        "layout: bericht\n",
        "layout: bericht\nslogan: |\n  Beraten\n  fördern\n",
    )
    assert '<p class="cover-slogan">Beraten<br>fördern</p>' in html(mini)


def photo(mini: Path) -> None:
    Image.new("RGB", (300, 200), "#336699").save(mini / "bilder" / "titel.png")
    edit(
        mini / "programm.yaml",
        "layout: bericht\n",
        "layout: bericht\ntitelbild:\n  datei: bilder/titel.png\n"
        "  alt: Beratung im Jobcenter\n  nachweis: Foto Erika Beispiel\n",
    )


def test_cover_photo_with_credit(mini: Path) -> None:
    photo(mini)
    page = html(mini)
    assert '<img src="assets/bilder/titel.png" alt="Beratung im Jobcenter">' in page
    assert '<figcaption class="photo-credit">Foto Erika Beispiel</figcaption>' in page
    assert "Titelbild: Foto Erika Beispiel" in page  # in the imprint too
    assert "bilder/titel.png" in document(mini).all_images  # copied to the web assets
    assert '<img src="bilder/titel.png"' in html(mini, "pdf")


def test_cover_photo_must_exist(mini: Path) -> None:
    photo(mini)
    (mini / "bilder" / "titel.png").unlink()
    assert [str(p) for p in checked(mini)[1]] == [
        "mini/programm.yaml:6: Das Titelbild „bilder/titel.png“ gibt es nicht."
    ]


def test_cover_photo_needs_its_credit(mini: Path) -> None:
    photo(mini)
    edit(mini / "programm.yaml", "  nachweis: Foto Erika Beispiel\n", "")
    assert [str(p) for p in checked(mini)[1]] == [
        "mini/programm.yaml:5: Die Angabe „nachweis“ fehlt. "
        "Pflicht sind hier: datei, alt, nachweis."
    ]


TIME_SERIES = """titel: Zeitreihe
spalten:
  - {id: merkmal, titel: Merkmal, typ: text}
  - {id: j2022, titel: "2022"}
  - {id: j2023, titel: "2023"}
zeilen:
  - werte: [Frauen, 10, 12]
    id: frauen
  - werte: [Männer, 20, 18]
    id: maenner
"""


def test_chart_from_table_rows(mini: Path) -> None:
    (mini / "tabellen" / "zeitreihe.yaml").write_text(TIME_SERIES, encoding="utf-8")
    (mini / "diagramme" / "zeitreihe.yaml").write_text(
        "typ: linie\ntitel: Verlauf\naus_tabelle:\n  tabelle: zeitreihe\n"
        "  spalten: [j2022, j2023]\n",
        encoding="utf-8",
    )
    edit(
        mini / "kapitel/02-arbeitsmarkt.md",
        "Text.",
        "Text.\n\n::tabelle zeitreihe\n\n::diagramm zeitreihe",
    )
    data = document(mini).charts["zeitreihe"].data
    assert data.categories == ("2022", "2023")
    assert [(s.name, s.values) for s in data.series] == [
        ("Frauen", (10.0, 12.0)),
        ("Männer", (20.0, 18.0)),
    ]


def test_chart_from_table_rows_names_known_columns(mini: Path) -> None:
    (mini / "tabellen" / "zeitreihe.yaml").write_text(TIME_SERIES, encoding="utf-8")
    (mini / "diagramme" / "zeitreihe.yaml").write_text(
        "typ: linie\ntitel: Verlauf\naus_tabelle:\n  tabelle: zeitreihe\n"
        "  spalten: [j2022, j2024]\n",
        encoding="utf-8",
    )
    edit(
        mini / "kapitel/02-arbeitsmarkt.md",
        "Text.",
        "Text.\n\n::tabelle zeitreihe\n\n::diagramm zeitreihe",
    )
    assert compute_problems(mini) == [
        "mini/diagramme/zeitreihe.yaml:3: Die Tabelle „zeitreihe“ hat keine Spalte „j2024“."
    ]


def test_chart_from_table_one_direction_only(mini: Path) -> None:
    edit(
        mini / "diagramme/budget.yaml",
        "  reihen: [budget]\n",
        "  reihen: [budget]\n  spalten: [budget]\n",
    )
    assert [p.message for p in checked(mini)[1]] == [
        "Entweder „kategorien“ und „reihen“ (je Spalte eine Reihe) oder „spalten“ (die Spalten "
        "sind die Kategorien, je Zeile eine Reihe), nicht beides."
    ]


def test_programme_sets_chapter_start_and_list_minimum_in_place_of_its_layout(mini: Path) -> None:
    from aipgen.content.layouts import programme_layout

    design = layout_yaml(mini, "kapitelanfang: fortlaufend\nverzeichnis_ab: 5\n")
    layout = programme_layout(document(mini, design).meta, design)
    assert (layout.chapter_start, layout.list_minimum) == ("fortlaufend", 5)
    edit(
        mini / "programm.yaml",
        "layout: bericht\n",
        "layout: bericht\nkapitelanfang: rechte_seite\nverzeichnis_ab: 2\n",
    )
    layout = programme_layout(document(mini, design).meta, design)
    assert (layout.chapter_start, layout.list_minimum) == ("rechte_seite", 2)


def test_text_only_chapters_in_two_columns_when_the_layout_asks(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "two-columns" not in html(mini, "pdf")
    design = layout_yaml(mini, "textkapitel_zweispaltig: true\n")
    page = html(mini, "pdf", design)
    # the foreword is text only, the second chapter places tables and a chart
    assert page.count('<section class="chapter start-automatisch two-columns">') == 1
    assert page.count('<section class="chapter start-automatisch">') == 1


def test_running_text_in_two_columns_throughout_when_the_layout_asks(mini: Path) -> None:
    design = layout_yaml(mini, "zweispaltig: true\n")
    page = html(mini, "pdf", design)
    chapter = page[page.index('id="kap-2"') : page.index("</section>", page.index('id="kap-2"'))]
    assert page.count('<section class="chapter start-automatisch two-columns">') == 2
    runs = re.findall(r'<div class="spalten">(.*?)</div>\n', chapter, re.S)
    # each paragraph in a run of columns; section headings, tables, charts and boxes between
    # the runs, across the page, and so is a heading that stands right before a table
    assert [re.findall(r"<(p|h\d)\b", run) for run in runs] == [["p"], ["h5", "p"]]
    assert "Musterstadt hat 161.522" in runs[0] and "Hinweise" in runs[1]
    budget = chapter.index('id="kap-2-2-1"')
    assert chapter.rfind('<div class="spalten">', 0, budget) < chapter.rfind("</div>", 0, budget)
    assert not any("<table" in run or "<figure" in run or "<aside" in run for run in runs)


def test_table_cells_keep_paragraph_and_book_together(mini: Path) -> None:
    edit(mini / "tabellen/budget.yaml", "[FbW,", '["Hilfen nach § 16a SGB II",')
    page = html(mini, "pdf")
    assert "Hilfen nach §\u00a016a SGB\u00a0II" in page
    assert "Hilfen nach § 16a" not in page
