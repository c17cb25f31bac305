"""Numbering of chapters, tables and figures; footnotes; charts fed from tables."""

from __future__ import annotations

from pathlib import Path

from aipgen.base.errors import Problem

from ..helpers import compute_problems, document, edit, said


def test_headings_are_numbered_across_chapters(mini: Path) -> None:
    doc = document(mini)
    assert [(e.number, e.title) for e in doc.toc] == [
        ("1", "Vorwort"),
        ("2", "Lokale Rahmenbedingungen"),
        ("2.1", "Bevölkerung"),
        ("2.2", "Arbeitsmarkt"),
        ("2.2.1", "Budget"),
    ]
    assert [e.anchor for e in doc.toc][-1] == "kap-2-2-1"


def test_unnumbered_heading_keeps_out_of_toc(mini: Path) -> None:
    edit(mini / "kapitel/02-arbeitsmarkt.md", "## Arbeitsmarkt", "## Arbeitsmarkt {.unnummeriert}")
    doc = document(mini)
    assert [e.number for e in doc.toc] == ["1", "2", "2.1", "2.1.1"]


def test_footnotes_numbered_through_document(mini: Path) -> None:
    edit(mini / "kapitel/01-vorwort.md", "Herren,", "Herren,[^a]")
    (mini / "kapitel/01-vorwort.md").write_text(
        (mini / "kapitel/01-vorwort.md").read_text() + "\n[^a]: Erste.\n"
    )
    doc = document(mini)
    assert [list(c.footnotes.values()) for c in doc.chapters] == [[1], [2]]


def test_tables_and_figures_numbered_in_order_of_placement(mini: Path) -> None:
    doc = document(mini)
    assert doc.tables["eckwerte"].number == 1
    assert doc.tables["svb"].number == 2
    assert doc.tables["budget"].number == 3
    assert doc.charts["budget"].number == 1


def test_chart_data_comes_from_table(mini: Path) -> None:
    data = document(mini).charts["budget"].data
    assert data.categories == ("FbW", "EGZ")
    assert data.series[0].name == "Budget"
    assert data.series[0].values == (2923965.0, 1048020.0)


def test_unused_table_is_a_warning(mini: Path) -> None:
    edit(mini / "kapitel/02-arbeitsmarkt.md", "::tabelle budget\n", "")
    doc = document(mini)
    assert doc.warnings == [
        Problem("mini/tabellen/budget.yaml", 0, "wird in keinem Kapitel verwendet.")
    ]
    assert said(doc.warnings) == ["mini/tabellen/budget.yaml: wird in keinem Kapitel verwendet."]


def test_key_figures_formatted(mini: Path) -> None:
    box = document(mini).keyfigures["bevoelkerung"]
    assert [(i.value, i.text) for i in box.items] == [
        ("161.522", "Einwohner*innen"),
        ("64,4\u202f%", "im erwerbsfähigen Alter"),
    ]


def test_csv_table_rows(mini: Path) -> None:
    table = document(mini).tables["svb"]
    assert [r.kind for r in table.rows] == ["zeile", "gruppe", "zeile", "zeile"]
    assert [c.text for c in table.rows[2].cells] == ["Männer", "25.693", "25.994", "\u22121,2"]
    assert table.rows[0].emphasis


def test_heading_level_jump_is_a_warning(mini: Path) -> None:
    edit(mini / "kapitel/02-arbeitsmarkt.md", "## Bevölkerung", "### Bevölkerung")
    doc = document(mini)
    assert doc.warnings == [
        Problem(
            "mini/kapitel/02-arbeitsmarkt.md",
            3,
            "Die Überschrift „Bevölkerung“ (Ebene 3) steht ohne Überschrift der Ebene 2 davor.",
        )
    ]


def test_layout_lists_tables_and_figures_in_order(mini: Path) -> None:
    edit(mini / "programm.yaml", "layout: bericht\n", "layout: bericht\nverzeichnis_ab: 1\n")
    doc = document(mini)  # layout "bericht": verzeichnisse: [tabellen, abbildungen]
    assert [listing.kind for listing in doc.listings] == ["tabellen", "abbildungen"]
    tables, figures = doc.listings
    assert [(t.number, t.title, t.anchor) for t in tables.entries] == [
        ("1", "Eckwerte", "tabelle-eckwerte"),
        ("2", "Sozialversicherungspflichtig Beschäftigte", "tabelle-svb"),
        ("3", "Übersicht Budgetplanung", "tabelle-budget"),
    ]
    assert [(f.kind, f.number, f.anchor) for f in figures.entries] == [("abb", "1", "abb-1")]


def test_lists_leave_out_lists_of_fewer_than_three_entries(mini: Path) -> None:
    # the layout's default: three tables are listed, a single figure is not
    assert [listing.kind for listing in document(mini).listings] == ["tabellen"]
    edit(mini / "programm.yaml", "layout: bericht\n", "layout: bericht\nverzeichnis_ab: 4\n")
    assert document(mini).listings == []


def test_lists_leave_out_unplaced_items_and_empty_lists(mini: Path) -> None:
    edit(mini / "programm.yaml", "layout: bericht\n", "layout: bericht\nverzeichnis_ab: 1\n")
    edit(mini / "kapitel/02-arbeitsmarkt.md", "::diagramm budget\n", "")
    edit(mini / "kapitel/02-arbeitsmarkt.md", "::tabelle svb\n", "")
    doc = document(mini)
    assert [listing.kind for listing in doc.listings] == ["tabellen"]
    assert [t.number for t in doc.listings[0].entries] == ["1", "2"]


def test_references_resolve_to_numbered_targets(mini: Path) -> None:
    edit(
        mini / "kapitel/01-vorwort.md",
        "Sehr",
        "Siehe [](#tabelle:budget) und [](#abb:budget).\n\nSehr",
    )
    doc = document(mini)
    assert doc.targets["tabelle"]["budget"].number == "3"
    assert doc.targets["abb"]["budget"].anchor == "abb-1"


def test_unknown_reference_targets_are_errors_with_file_and_line(mini: Path) -> None:
    edit(
        mini / "kapitel/02-arbeitsmarkt.md",
        "Text.",
        "Text mit [](#tabelle:fehlt),\n[](#abb:eckwerte), [](#bild:logo)\n"
        "und [siehe](#tabelle:svb).",
    )
    edit(mini / "kapitel/02-arbeitsmarkt.md", "::tabelle budget\n", "")
    edit(
        mini / "kapitel/02-arbeitsmarkt.md",
        "Einwohner\\*innen.",
        "Einwohner\\*innen ([](#tabelle:budget)).",
    )
    assert compute_problems(mini) == [
        "mini/kapitel/02-arbeitsmarkt.md:5: Der Verweis „#tabelle:budget“ zeigt ins Leere: "
        "Keine Tabelle „budget“ steht mit „::tabelle budget“ im Text.",
        "mini/kapitel/02-arbeitsmarkt.md:22: Der Verweis „#tabelle:fehlt“ zeigt ins Leere: "
        "Keine Tabelle „fehlt“ steht mit „::tabelle fehlt“ im Text.",
        "mini/kapitel/02-arbeitsmarkt.md:23: Der Verweis „#abb:eckwerte“ zeigt ins Leere: "
        "Keine Abbildung „eckwerte“ steht mit „::diagramm eckwerte“ im Text.",
        "mini/kapitel/02-arbeitsmarkt.md:23: Unbekanntes Verweisziel „#bild:logo“ (möglich sind "
        "„[](#tabelle:name)“, „[](#abb:name)“, „[](#wert:tabelle/zeile/spalte)“ und "
        "„[](#kennzahl:kasten/nr)“).",
        "mini/kapitel/02-arbeitsmarkt.md:24: Ein Verweis auf „#tabelle:svb“ bekommt seinen Text "
        "von selbst; bitte „[](#tabelle:svb)“ mit leeren eckigen Klammern schreiben.",
    ]


PROGNOSIS = """titel: Prognose
spalten:
  - {id: merkmal, titel: Prognose, typ: text}
  - {id: elb, titel: ELB}
  - {id: anteil, titel: Anteil in %, formel: anteil(elb), nachkommastellen: 1}
zeilen:
  - werte: [Insgesamt, 100, ""]
    bezug: true
  - gruppe: "darunter:"
  - werte: [marktnah, 30, 30]
    id: nah
  - werte: [nicht marktnah, 60, 60]
    id: fern
  - werte: [integriert, 10, 10]
    id: integriert
"""


def add_ring(mini: Path, rows: str) -> None:
    (mini / "tabellen" / "prognose.yaml").write_text(PROGNOSIS, encoding="utf-8")
    (mini / "diagramme" / "prognose.yaml").write_text(
        "typ: ring\ntitel: Prognose\naus_tabelle:\n  tabelle: prognose\n  kategorien: merkmal\n"
        f"  reihen: [elb]\n  zeilen: [{rows}]\n",
        encoding="utf-8",
    )
    edit(
        mini / "kapitel/02-arbeitsmarkt.md",
        "Text.",
        "Text.\n\n::tabelle prognose\n\n::diagramm prognose",
    )


def test_a_ring_shows_the_whole_its_table_states(mini: Path) -> None:
    add_ring(mini, "nah, fern, integriert")
    data = document(mini).charts["prognose"].data
    assert (data.series[0].values, data.total) == ((30.0, 60.0, 10.0), 100.0)


def test_a_ring_short_of_its_tables_whole_is_drawn_as_bars_with_a_warning(mini: Path) -> None:
    """No rest is drawn that the table does not show: the ring becomes bars of its rows (an
    earlier version's folder still builds) and a warning asks for the rows or bars."""
    add_ring(mini, "nah, fern")
    doc = document(mini)
    data = doc.charts["prognose"].data
    assert (data.kind, data.series[0].values) == ("balken", (30.0, 60.0))
    assert said(doc.warnings) == [
        "mini/diagramme/prognose.yaml:3: Das Ringdiagramm „Prognose“ zeigt Teile eines Ganzen, "
        "aber seine Zeilen ergeben 90, die Tabelle nennt als Ganzes 100; es wird als "
        "Balkendiagramm seiner Zeilen gezeichnet (ein Rest, den die Tabelle nicht zeigt, wird "
        "nicht erfunden). Nehmen Sie die fehlenden Zeilen auf oder schreiben Sie „typ: balken“."
    ]
