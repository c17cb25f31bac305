"""Bad input gets exact German messages with file and line (load, validate, compute)."""

from __future__ import annotations

from pathlib import Path

from aipgen.base.paths import BUILT_IN
from aipgen.build.pipeline import build_programme

from ..helpers import edit, problems, said


def test_broken_yaml(mini: Path) -> None:
    edit(mini / "programm.yaml", "jahr: 2024", "jahr: 2024: x")
    assert problems(mini) == [
        "mini/programm.yaml:2: Ungültiges YAML: Doppelpunkt an unerwarteter Stelle "
        "(Text mit Doppelpunkt in Anführungszeichen setzen)."
    ]


def test_tab_in_yaml(mini: Path) -> None:
    edit(mini / "kennzahlen/bevoelkerung.yaml", "  - wert: 161522", "\t- wert: 161522")
    assert problems(mini) == [
        "mini/kennzahlen/bevoelkerung.yaml:3: Ungültiges YAML: Tabulatorzeichen sind nicht "
        "erlaubt, bitte mit Leerzeichen einrücken."
    ]


def test_unknown_key(mini: Path) -> None:
    edit(mini / "programm.yaml", "titel:", "titl:")
    assert problems(mini) == [
        "mini/programm.yaml:1: Die Angabe „titel“ fehlt."
        " Pflicht sind hier: jobcenter, jahr, titel, impressum, kapitel.",
        "mini/programm.yaml:3: Unbekannter Schlüssel „titl“. Meinten Sie „titel“?",
    ]


def test_duplicate_key(mini: Path) -> None:
    edit(mini / "programm.yaml", "layout: bericht", "layout: bericht\njahr: 2025")
    assert problems(mini) == ["mini/programm.yaml:5: Schlüssel „jahr“ doppelt."]


def test_wrong_type(mini: Path) -> None:
    edit(mini / "programm.yaml", "jahr: 2024", "jahr: zwanzig")
    assert problems(mini) == ["mini/programm.yaml:2: „jahr“ muss eine ganze Zahl sein."]


def test_unknown_layout(mini: Path) -> None:
    edit(mini / "programm.yaml", "layout: bericht", "layout: plakat")
    assert problems(mini) == [
        "mini/programm.yaml:4: Das Layout „plakat“ gibt es nicht "
        "(vorhanden: bericht, broschuere, handout)."
    ]


def test_missing_chapter_file(mini: Path) -> None:
    (mini / "kapitel/02-arbeitsmarkt.md").unlink()
    assert problems(mini)[0] == (
        "mini/programm.yaml:22: Die Kapiteldatei „kapitel/02-arbeitsmarkt.md“ gibt es nicht."
    )


def test_chapter_outside_folder(mini: Path) -> None:
    edit(mini / "programm.yaml", "kapitel/02-arbeitsmarkt.md", "../../etc/passwd")
    assert problems(mini)[0] == (
        "mini/programm.yaml:22: Die Datei „../../etc/passwd“ liegt außerhalb des Programmordners."
    )


def test_unknown_table_in_directive(mini: Path) -> None:
    edit(mini / "kapitel/02-arbeitsmarkt.md", "::tabelle eckwerte", "::tabelle eckwert")
    assert problems(mini) == [
        "mini/kapitel/02-arbeitsmarkt.md:11: „tabelle eckwert“: Die Datei "
        "„tabellen/eckwert.yaml“ gibt es nicht."
    ]


def test_unknown_directive(mini: Path) -> None:
    edit(mini / "kapitel/02-arbeitsmarkt.md", "::tabelle eckwerte", "::grafik eckwerte")
    assert problems(mini) == [
        "mini/kapitel/02-arbeitsmarkt.md:11: Unbekannte Anweisung „::grafik“ (möglich sind "
        "::tabelle, ::diagramm, ::kennzahlen mit einem Namen)."
    ]


def test_chapter_without_heading(mini: Path) -> None:
    edit(mini / "kapitel/01-vorwort.md", "# Vorwort\n", "Vorwort\n")
    assert problems(mini) == [
        "mini/kapitel/01-vorwort.md:1: Das Kapitel muss mit einer Überschrift „# Titel“ beginnen."
    ]


def test_stated_total_differs_from_sum(mini: Path) -> None:
    edit(mini / "tabellen/budget.yaml", "4000000]", "4100000]")
    assert problems(mini) == [
        "mini/tabellen/budget.yaml:12: Tabelle „Übersicht Budgetplanung“, Spalte „Budget“: "
        "angegeben 4.100.000\u202f€, berechnet 3.971.985\u202f€."
    ]


def test_stated_change_differs_from_formula(mini: Path) -> None:
    edit(mini / "tabellen/eckwerte.yaml", "6893, 6887, 6, 0.1", "6893, 6887, 7, 0.1")
    assert problems(mini) == [
        "mini/tabellen/eckwerte.yaml:21: Tabelle „Eckwerte“, Spalte „absolut“: angegeben +7, "
        "berechnet +6."
    ]


def test_row_with_wrong_number_of_values(mini: Path) -> None:
    edit(mini / "tabellen/budget.yaml", "[EGZ, 147, 1048020]", "[EGZ, 147]")
    assert problems(mini)[0] == (
        "mini/tabellen/budget.yaml:9: Die Zeile hat 2 Werte, die Tabelle aber 3 Spalten."
    )


def test_german_number_in_quotes_counts(mini: Path) -> None:
    """As copied from a spreadsheet or a PDF: "2.923.965,00" in a number cell is that number."""
    edit(mini / "tabellen/budget.yaml", "[FbW, 484, 2923965]", '[FbW, "484", "2.923.965,00"]')
    assert problems(mini) == []


def test_unquoted_comma_number_gets_a_hint_and_no_follow_on_errors(mini: Path) -> None:
    edit(mini / "tabellen/budget.yaml", "[FbW, 484, 2923965]", "[FbW, 484, 2.923.965,00]")
    assert problems(mini) == [
        "mini/tabellen/budget.yaml:7: Die Zeile hat 4 Werte, die Tabelle aber 3 Spalten. Steht "
        "dort die Zahl 2.923.965,00? In einer YAML-Liste trennt das Komma die Werte: Zahlen mit "
        'Komma in Anführungszeichen setzen ("2.923.965,00").'
    ]  # no "ist keine Zahl" for the shifted values, no sum error for the total below


def test_text_in_number_column(mini: Path) -> None:
    edit(mini / "tabellen/budget.yaml", "[FbW, 484, 2923965]", "[FbW, viele, 2923965]")
    assert problems(mini) == [
        "mini/tabellen/budget.yaml:7: „viele“ ist keine Zahl (Spalte „Plätze“; erlaubt sind "
        'Zahlen, auch deutsch geschrieben wie "1.234,5", und "x", "-", ".", "*" und "").'
    ]


def test_bad_formula(mini: Path) -> None:
    edit(mini / "tabellen/eckwerte.yaml", "formel: okt - sep", "formel: okt - vormonat")
    assert problems(mini) == [
        "mini/tabellen/eckwerte.yaml:10: Die Formel „okt - vormonat“ nennt die unbekannte "
        "Spalte „vormonat“."
    ]


def test_chart_from_unknown_column(mini: Path) -> None:
    edit(mini / "diagramme/budget.yaml", "reihen: [budget]", "reihen: [kosten]")
    assert problems(mini) == [
        "mini/diagramme/budget.yaml:5: Die Tabelle „budget“ hat keine Spalte „kosten“."
    ]


def test_all_errors_reported_together(mini: Path) -> None:
    edit(mini / "programm.yaml", "jahr: 2024", "jahr: zwanzig")
    edit(mini / "tabellen/budget.yaml", "titel:", "titl:")
    found = problems(mini)
    assert "mini/programm.yaml:2: „jahr“ muss eine ganze Zahl sein." in found
    unknown = "Unbekannter Schlüssel „titl“. Meinten Sie „titel“?"
    assert f"mini/tabellen/budget.yaml:1: {unknown}" in found


def test_not_utf8(mini: Path) -> None:
    (mini / "kapitel/01-vorwort.md").write_bytes("# Vorwort\n\nGrüße\n".encode("latin-1"))
    assert problems(mini) == ["mini/kapitel/01-vorwort.md:3: Die Datei ist nicht UTF-8-kodiert."]


def test_csv_error_names_csv_file_and_line(mini: Path) -> None:
    edit(mini / "tabellen/svb.csv", ";Frauen;24.025;23.739;1,2", ";Frauen;24.025;23.739;1,5")
    assert problems(mini) == [
        "mini/tabellen/svb.csv:5: Tabelle „Sozialversicherungspflichtig Beschäftigte“, "
        "Spalte „in %“: angegeben +1,5, berechnet +1,2."
    ]


def test_csv_unknown_row_kind(mini: Path) -> None:
    edit(mini / "tabellen/svb.csv", "gruppe;Geschlecht", "gruppen;Geschlecht")
    assert problems(mini) == [
        "mini/tabellen/svb.csv:3: Unbekannte Zeilenart „gruppen“ in der Spalte „art“."
    ]


def test_missing_image(mini: Path) -> None:
    edit(mini / "kapitel/01-vorwort.md", "Sehr", "![Foto](bilder/team.jpg)\n\nSehr")
    assert problems(mini) == [
        "mini/kapitel/01-vorwort.md:3: Das Bild „bilder/team.jpg“ gibt es nicht im "
        "Programmordner (Bilder liegen z. B. in bilder/)."
    ]


def test_unknown_chart_type(mini: Path) -> None:
    edit(mini / "diagramme/budget.yaml", "typ: balken", "typ: torte")
    assert problems(mini) == [
        "mini/diagramme/budget.yaml:1: Den Diagrammtyp „torte“ gibt es nicht (möglich: saeulen, "
        "balken, linie, kreis, ring)."
    ]


def test_chart_without_numbers(mini: Path) -> None:
    edit(mini / "diagramme/budget.yaml", "reihen: [budget]", "reihen: [instrument]")
    assert problems(mini) == [
        "mini/diagramme/budget.yaml:2: Das Diagramm „Budget nach Instrument“ hat keine Zahlenwerte."
    ]


def test_a_title_naming_another_year_than_jahr_is_a_warning(mini: Path) -> None:
    assert not [
        w for w in said(build_programme(mini, BUILT_IN, check_only=True).warnings) if "„jahr“" in w
    ]
    edit(mini / "programm.yaml", "jahr: 2024", "jahr: 2032")
    result = build_programme(mini, BUILT_IN, check_only=True)
    assert not result.problems
    assert (
        "mini/programm.yaml:3: „titel“ nennt das Jahr 2024, „jahr“ ist aber 2032 (Zeile 2) – "
        "eines davon anpassen."
    ) in said(result.warnings)


def test_a_programme_without_its_stand_is_a_warning(mini: Path) -> None:
    assert not [
        w for w in said(build_programme(mini, BUILT_IN, check_only=True).warnings) if "Stand" in w
    ]
    edit(mini / "programm.yaml", "stand: 2023-12-01\n", "")
    result = build_programme(mini, BUILT_IN, check_only=True)
    assert not result.problems
    assert (
        "mini/programm.yaml:1: Das Programm nennt keinen Stand (z. B. „stand: 2023-12-15“); ohne "
        "ihn zeigen Titelseite, Impressum und Rückseite kein Datum."
    ) in said(result.warnings)
