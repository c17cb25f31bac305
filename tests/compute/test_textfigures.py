"""Figures put into the text by reference (`[](#wert:…)`, `[](#kennzahl:…)`): the cell or key
figure as its table or box prints it, everywhere the text goes; a reference that names nothing
is an error with file, line and the nearest name."""

from __future__ import annotations

from pathlib import Path

from ..helpers import compute_problems, document, edit, html, problems

CHAPTER = "kapitel/02-arbeitsmarkt.md"
SENTENCE = "Musterstadt hat 161.522 Einwohner\\*innen."


def say(mini: Path, text: str) -> None:
    edit(mini / CHAPTER, SENTENCE, text)


def test_a_cell_a_formula_and_a_key_figure_are_put_in_as_the_table_prints_them(
    mini: Path,
) -> None:
    say(
        mini,
        "Frauen: [](#wert:eckwerte/frauen/okt), Anteil [](#wert:eckwerte/frauen/anteil), "
        "Veränderung [](#wert:eckwerte/Langzeitarbeitslose/abs), "
        "[](#kennzahl:bevoelkerung/2) im erwerbsfähigen Alter.",
    )
    doc = document(mini)
    table = doc.tables["eckwerte"]
    cells = {row.id or row.label: row.cells for row in table.rows}
    page = html(mini)
    expected = (
        f"Frauen: {cells['frauen'][1].text}, Anteil {cells['frauen'][5].text}, "
        f"Veränderung {table.rows[4].cells[3].text}, 64,4\u202f% im erwerbsfähigen"
    )
    assert "Frauen: 3.228, Anteil 46,8\u202f%, Veränderung −83, 64,4\u202f%" in expected
    assert expected in page
    assert expected in html(mini, "pdf")


def test_a_sum_row_is_named_by_its_text_and_a_key_figure_by_its_id(mini: Path) -> None:
    edit(mini / "kennzahlen/bevoelkerung.yaml", "- wert: 161522\n", "- wert: 161522\n    id: ew\n")
    budget = (mini / "tabellen/budget.yaml").read_text(encoding="utf-8")
    total = next(line for line in budget.splitlines() if "gesamt:" in line).split(":", 1)[1]
    say(mini, f"[](#kennzahl:bevoelkerung/ew) Menschen, [](<#wert:budget/{total.strip()}/budget>).")
    assert "161.522 Menschen, 4.000.000\u202f€." in html(mini)  # the sum as the table states it


def test_a_figure_in_an_image_description_is_in_its_alt_text(mini: Path) -> None:
    say(mini, "![Logo, [](#wert:eckwerte/frauen/okt) Frauen](bilder/logo.svg)")
    assert 'alt="Logo, 3.228 Frauen"' in html(mini)


def test_a_reference_that_names_nothing_is_an_error_with_line_and_suggestion(mini: Path) -> None:
    say(
        mini,
        "[](#wert:eckwert/frauen/okt)\n[](#wert:eckwerte/frauenx/okt) "
        "[](#wert:eckwerte/frauen/okx)\n[](#kennzahl:bevoelkerung/3) [](#wert:eckwerte/frauen) "
        "[3.228](#wert:eckwerte/frauen/okt)",
    )
    where = f"mini/{CHAPTER}"
    gone = "zeigt ins Leere:"
    assert compute_problems(mini) == [
        f"{where}:5: Der Verweis „#wert:eckwert/frauen/okt“ {gone} Die Tabelle „eckwert“ gibt "
        "es nicht – meinten Sie „eckwerte“?",
        f"{where}:6: Der Verweis „#wert:eckwerte/frauenx/okt“ {gone} Die Tabelle „eckwerte“ "
        "hat keine Zeile „frauenx“ – meinten Sie „frauen“?",
        f"{where}:6: Der Verweis „#wert:eckwerte/frauen/okx“ {gone} Die Tabelle „eckwerte“ "
        "hat keine Spalte „okx“ – meinten Sie „okt“?",
        f"{where}:7: Der Verweis „#kennzahl:bevoelkerung/3“ {gone} Der Kasten „bevoelkerung“ "
        "hat keine Kennzahl „3“ (möglich: 1, 2).",
        f"{where}:7: Der Verweis „#wert:eckwerte/frauen“ {gone} Ein Verweis auf eine Zahl hat "
        "die Form „[](#wert:tabelle/zeile/spalte)“.",
        f"{where}:7: Ein Verweis auf eine Zahl bekommt seinen Text von selbst; bitte "
        "„[](#wert:eckwerte/frauen/okt)“ mit leeren eckigen Klammern schreiben.",
    ]


def test_a_reference_into_a_table_with_errors_is_not_reported_again(mini: Path) -> None:
    say(mini, "[](#wert:eckwerte/frauen/okt)")
    edit(mini / "tabellen/eckwerte.yaml", "titel: Eckwerte", "titl: Eckwerte")
    found = problems(mini)
    assert found and not [p for p in found if "Verweis" in p]
