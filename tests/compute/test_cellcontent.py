"""Cells of typ inhalt (paragraphs, lists, small tables with bold runs), approximate values
("ca. 400") in sums and formulas, and column widths: computed, rendered, and their errors."""

from __future__ import annotations

from pathlib import Path

from aipgen.compute.cellcontent import Part

from ..helpers import compute, edit, html, problems, texts

GOALS = """
titel: Ziele
spalten:
  - {id: ziel, titel: Ziel, typ: text, breite: 10}
  - {id: werte, titel: Zielwerte, typ: inhalt}
zeilen:
  - werte:
      - "1"
      - - "Untergrößen:"
        - liste: [Nachhaltigkeit, "bedarfsdeckend **neu**"]
  - werte:
      - "2"
      - tabelle:
          - ["IQ gesamt:", "max. **−1,5 %**"]
          - ["IQ Frauen:", "max. −2,0 %"]
  - werte: ["3", "LZB gesamt: **−1,0 %**"]
  - werte: ["4", ""]
"""

APPROXIMATE = """
titel: Eintritte
spalten:
  - {id: instrument, titel: Instrument, typ: text}
  - {id: a, titel: "2022"}
  - {id: b, titel: "2021"}
  - {id: d, titel: Veränderung, formel: a - b, vorzeichen: true}
zeilen:
  - werte: [Kurse, {wert: 400, ca: true}, {wert: 380, ca: true}, 20]
  - werte: [Coaching, 90, 62, 28]
  - gesamt: Gesamt
    werte: [null, 490, 442, 48]
"""


def test_content_cells_hold_paragraphs_lists_and_small_tables() -> None:
    table, found = compute(GOALS)
    assert found == []
    cells = [row.cells[1].parts for row in table.rows]
    assert cells[0] == (
        Part("absatz", runs=(("Untergrößen:", False),)),
        Part(
            "liste",
            items=((("Nachhaltigkeit", False),), (("bedarfsdeckend ", False), ("neu", True))),
        ),
    )
    gesamt = ((("IQ gesamt:", False),), (("max. ", False), ("−1,5 %", True)))
    frauen = ((("IQ Frauen:", False),), (("max. −2,0 %", False),))
    assert cells[1] == (Part("tabelle", rows=(gesamt, frauen)),)
    assert cells[2] == (Part("absatz", runs=(("LZB gesamt: ", False), ("−1,0 %", True))),)
    assert cells[3] == ()
    assert not table.header[0][1].numeric  # a content column is headed like text


def test_content_cells_errors_name_the_line() -> None:
    bad = GOALS.replace('liste: [Nachhaltigkeit, "bedarfsdeckend **neu**"]', "liste: []")
    bad = bad.replace('["IQ Frauen:", "max. −2,0 %"]', '["IQ Frauen:"]')
    bad = bad.replace('"LZB gesamt: **−1,0 %**"', '"LZB gesamt: **−1,0 %"')
    bad = bad.replace('["4", ""]', '["4", {bild: x.png}]')
    _, found = compute(bad)
    assert found == [
        "t.yaml:10: Spalte „Zielwerte“: „liste“ braucht eine Liste von Texten, z. B. "
        "[erster Punkt, zweiter Punkt].",
        "t.yaml:15: Spalte „Zielwerte“: Die Zeile hat 1 Felder, die erste Zeile der Tabelle "
        "aber 2.",
        "t.yaml:16: Spalte „Zielwerte“: Zu „**“ (Beginn von Fettdruck) fehlt das schließende „**“.",
        "t.yaml:17: Spalte „Zielwerte“: Eine Zelle vom Typ „inhalt“ ist ein Text oder eine Liste "
        "aus Texten, {liste: [...]} und {tabelle: [[...], ...]}.",
    ]


def test_approximate_values_show_ca_and_count_in_sums_and_formulas() -> None:
    table, found = compute(APPROXIMATE)
    assert found == []
    assert texts(table, 0) == ["Kurse", "ca.\u00a0400", "ca.\u00a0380", "+20"]
    assert table.rows[0].cells[1].approximate and not table.rows[0].cells[3].approximate
    # the total adds the approximate value and is itself approximate
    assert texts(table, 2) == ["Gesamt", "ca.\u00a0490", "ca.\u00a0442", "+48"]
    assert table.values[2]["a"] == 490


def test_approximate_values_are_checked_like_any_other() -> None:
    _, found = compute(APPROXIMATE.replace("[null, 490, 442, 48]", "[null, 500, 442, 48]"))
    # the stated 500 is what the table prints, so the change beside it is checked against it
    assert found == [
        "t.yaml:12: Tabelle „Eintritte“, Spalte „2022“: angegeben 500, berechnet 490.",
        "t.yaml:12: Tabelle „Eintritte“, Spalte „Veränderung“: angegeben +48, berechnet +58.",
    ]
    _, found = compute(
        APPROXIMATE.replace("{wert: 380, ca: true}, 20]", "{wert: 380, ca: true}, 30]")
    )
    assert found == [
        "t.yaml:9: Tabelle „Eintritte“, Spalte „Veränderung“: angegeben +30, berechnet +20."
    ]


def test_content_cells_and_widths_render_in_every_format(mini: Path) -> None:
    (mini / "tabellen/ziele.yaml").write_text(GOALS, encoding="utf-8")
    edit(mini / "kapitel/02-arbeitsmarkt.md", "### Budget", "::tabelle ziele\n\n### Budget")
    for medium in ("web", "pdf"):
        page = html(mini, medium)
        assert '<colgroup><col style="width: 10%"><col></colgroup>' in page
        assert '<p class="cell-text">Untergrößen:</p>' in page
        assert "<li>bedarfsdeckend <strong>neu</strong></li>" in page
        assert (
            '<table class="cell-table"><tbody><tr><th scope="row">IQ gesamt:</th>'
            "<td>max. <strong>−1,5 %</strong></td></tr>"
        ) in page
    assert "<colgroup>" not in html(mini, "web").split("ziele")[0]  # no widths, no colgroup


def test_column_width_is_checked(mini: Path) -> None:
    edit(
        mini / "tabellen/budget.yaml",
        "{id: plaetze, titel: Plätze}",
        "{id: plaetze, titel: Plätze, breite: 120}",
    )
    assert problems(mini) == ["mini/tabellen/budget.yaml:4: „breite“ darf höchstens 95 sein."]
