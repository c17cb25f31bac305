"""Computed tables: headers, formulas, sums, shares, trends, markers, number formats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aipgen.base.paths import BUILT_IN
from aipgen.build.pipeline import build_programme

from ..helpers import compute, edit, texts

TABLE = """
titel: Test
spalten:
  - {id: label, titel: Merkmal, typ: text}
  - {id: a, titel: "2022", gruppe: [Bestand]}
  - {id: b, titel: "2021", gruppe: [Bestand]}
  - {id: d, titel: absolut, gruppe: [Veränderung], formel: a - b, vorzeichen: true}
  - {id: p, titel: in %, gruppe: [Veränderung], formel: (a - b) / b * 100,
     nachkommastellen: 1, einheit: "%", vorzeichen: true}
  - {id: s, titel: Anteil, formel: anteil(a), nachkommastellen: 1}
  - {id: t, titel: Trend, typ: trend, basis: p}
zeilen:
  - werte: [Insgesamt, 1000, 1000, null, null, "", null]
    bezug: true
  - gruppe: Geschlecht
  - werte: [Männer, 520, 500, null, null, null, null]
  - werte: [Frauen, 480, 500, -20, -4.0, 48.0, null]
  - werte: [dar. jung, 100, 99, null, null, null, null]
    darunter: true
  - summe: Summe Geschlecht
    werte: [null, 1000, null, null, null, null, null]
  - werte: [Quote, "x", ".", "-", "", "", ""]
"""


def test_formulas_fill_and_format() -> None:
    table, problems = compute(TABLE)
    assert problems == []
    assert texts(table, 0) == [
        "Insgesamt",
        "1.000",
        "1.000",
        "0",
        "0,0\u202f%",
        "",
        "gleichbleibend",
    ]
    assert texts(table, 2) == ["Männer", "520", "500", "+20", "+4,0\u202f%", "52,0", "steigend"]
    assert texts(table, 3) == [
        "Frauen",
        "480",
        "500",
        "\u221220",
        "\u22124,0\u202f%",
        "48,0",
        "fallend",
    ]


def test_subtotal_skips_darunter_rows_and_is_computed() -> None:
    table, _ = compute(TABLE)
    row = table.rows[5]
    assert row.kind == "summe" and row.emphasis
    assert texts(table, 5)[:3] == ["Summe Geschlecht", "1.000", "1.000"]


def test_markers_are_shown() -> None:
    table, _ = compute(TABLE)
    assert texts(table, 6) == ["Quote", "x", ".", "–", "", "", ""]


def test_group_row() -> None:
    table, _ = compute(TABLE)
    assert table.rows[1].kind == "gruppe" and table.rows[1].label == "Geschlecht"


def test_two_level_header() -> None:
    table, _ = compute(TABLE)
    top, leaf = table.header
    assert [(h.text, h.colspan, h.rowspan) for h in top] == [
        ("Merkmal", 1, 2),
        ("Bestand", 2, 1),
        ("Veränderung", 2, 1),
        ("Anteil", 1, 2),
        ("Trend", 1, 2),
    ]
    assert [h.text for h in leaf] == ["2022", "2021", "absolut", "in %"]
    assert table.headers_of[4] == "t-h0-3 t-h1-4"


def test_column_labels_name_each_column_by_its_header_cells() -> None:
    table, _ = compute(TABLE)
    assert table.column_labels[:5] == [
        "Merkmal",
        "Bestand – 2022",
        "Bestand – 2021",
        "Veränderung – absolut",
        "Veränderung – in %",
    ]


def test_a_column_without_title_has_no_header_cell() -> None:
    table, _ = compute(TABLE.replace("titel: Merkmal, typ: text", 'titel: "", typ: text'))
    assert table.header[0][0].text == ""  # rendered as an empty <td>
    assert table.headers_of[0] == "" and table.column_labels[0] == ""
    assert table.headers_of[1] == "t-h0-1 t-h1-1"


PROSE = """
titel: Strategie
spalten:
  - {id: ziel, titel: Ziel, typ: text}
  - {id: text, titel: Inhalt, typ: text}
  - {id: zahl, titel: Plätze}
zeilen:
  - werte: [Eins, "Ein Satz, der mit seinen sechzig Zeichen so lang wie eine Zeile ist.", 4]
  - werte: [Zwei, "", 5]
"""


def test_a_table_of_prose_reflows_a_table_of_figures_stays_wide() -> None:
    table, problems = compute(PROSE)
    assert problems == [] and table.reflows and not table.wide
    shorter = compute(PROSE.replace("so lang wie eine Zeile ist", "kurz"))[0]
    assert not shorter.reflows and shorter.wide  # 40 characters on average: a label
    listed = PROSE.replace("Inhalt, typ: text", "Inhalt, typ: liste")
    listed = listed.replace(
        '"Ein Satz, der mit seinen sechzig Zeichen so lang wie eine Zeile ist."', "[a, b]"
    )
    table, problems = compute(listed.replace('Zwei, ""', "Zwei, [c]"))
    assert problems == [] and table.reflows  # a list is prose, however short
    number, _ = compute(TABLE)
    assert not number.reflows and number.wide


def test_trend_corridor_is_inclusive_up() -> None:
    table, _ = compute(TABLE.replace("520, 500", "505, 500"))
    assert table.rows[2].cells[6].trend == "up"  # +1,0 % counts as rising
    assert table.corridor == 1.0


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("-20, -4.0", "-21, -4.0", "angegeben \u221221, berechnet \u221220"),
        ("-4.0, 48.0", "-4.1, 48.0", "angegeben \u22124,1\u202f%, berechnet \u22124,0\u202f%"),
        ("-4.0, 48.0", "-4.0, 47.9", "angegeben 47,9, berechnet 48,0"),
        ("[null, 1000, null", "[null, 999, null", "angegeben 999, berechnet 1.000"),
    ],
)
def test_stated_values_are_checked(old: str, new: str, message: str) -> None:
    _, problems = compute(TABLE.replace(old, new))
    assert len(problems) == 1 and message in problems[0]


def test_rounding_is_half_up_for_checks() -> None:
    # 1/8 = 12.5 % → shown as 13 with no decimals; 12 must be reported
    text = """
titel: R
spalten:
  - {id: n, titel: N}
  - {id: s, titel: S, formel: anteil(n)}
zeilen:
  - werte: [8, ""]
    bezug: true
  - werte: [1, 13]
  - werte: [1, 12]
"""
    _, problems = compute(text)
    assert problems == ["t.yaml:10: Tabelle „R“, Spalte „S“: angegeben 12, berechnet 13."]


def test_tolerance_for_rounded_totals() -> None:
    text = """
titel: B
spalten:
  - {id: i, titel: Instrument, typ: text}
  - {id: e, titel: Euro, einheit: "€"}
zeilen:
  - werte: [A, 9960000]
  - werte: [B, 9900000]
  - gesamt: Summe
    werte: [null, 19800000]
    toleranz: {e: 70000}
"""
    table, problems = compute(text)
    assert problems == []
    assert texts(table, 2) == ["Summe", "19.800.000\u202f€"]  # printed as stated
    _, problems = compute(text.replace("70000", "50000"))
    assert problems == [
        "t.yaml:10: Tabelle „B“, Spalte „Euro“: angegeben 19.800.000\u202f€, "
        "berechnet 19.860.000\u202f€."
    ]


def test_list_cells_and_estimates() -> None:
    text = """
titel: L
spalten:
  - {id: z, titel: Ziel, typ: text}
  - {id: m, titel: Maßnahmen, typ: liste}
  - {id: w, titel: Wert}
zeilen:
  - werte: [Integration, [Coaching, Weiterbildung], {wert: 12, geschaetzt: true}]
"""
    table, problems = compute(text)
    cells: Any = table.rows[0].cells
    assert problems == []
    assert [item.text for item in cells[1].items] == ["Coaching", "Weiterbildung"]
    assert cells[2].text == "12" and cells[2].estimated and table.estimated


def test_row_decimals_for_quotas() -> None:
    text = TABLE.replace(
        '[Quote, "x", ".", "-", "", "", ""]', '[Quote, 8.6, 8.55, null, "", "", ""]'
    )
    text += "    nachkommastellen: 1\n"
    table, problems = compute(text)
    assert problems == []
    assert texts(table, 6)[:4] == ["Quote", "8,6", "8,6", "0"]


MERGED = """
titel: Budget
spalten:
  - {id: instrument, titel: Instrument, typ: text}
  - {id: plaetze, titel: Plätze}
  - {id: budget, titel: Budget, einheit: "€"}
  - {id: info, titel: Erläuterungen, typ: text}
zeilen:
  - werte: [§ 45 SGB III, 924, 4000, MAT]
  - werte: ["", 357, "", MAG]
    zeilen_verbinden: [instrument, budget]
  - werte: [null, 50, null, MPAV]
    zeilen_verbinden: [instrument, budget]
  - werte: [EGZ, 147, 1000, ""]
  - gesamt: Summe
    werte: [null, null, 5000, ""]
"""


def test_merged_cells_span_the_rows_that_continue_them() -> None:
    table, problems = compute(MERGED)
    assert problems == []
    spans = [[c.rowspan for c in row.cells] for row in table.rows]
    assert spans == [[3, 1, 3, 1], [0, 1, 0, 1], [0, 1, 0, 1], [1, 1, 1, 1], [1, 1, 1, 1]]
    assert table.rows[0].cells[2].text == "4.000\u202f€"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "[instrument, budget]\n  - werte: [null",
            "[instrument, betrag]\n  - werte: [null",
            "t.yaml:11: „zeilen_verbinden“ nennt die unbekannte Spalte „betrag“.",
        ),
        (
            '["", 357, "", MAG]',
            '["", 357, 300, MAG]',
            "t.yaml:11: Die Zelle in Spalte „Budget“ setzt die Zelle darüber fort und bleibt "
            "leer; der Wert „300“ gehört in die Zeile darüber.",
        ),
        (
            "  - werte: [§ 45 SGB III, 924, 4000, MAT]\n",
            "  - gruppe: Maßnahmen\n",
            "t.yaml:11: Die Zelle in Spalte „Instrument“ soll die Zelle darüber fortsetzen, "
            "aber über dieser Zeile steht keine Zeile mit Werten.",
        ),
    ],
)
def test_merged_cells_checked(old: str, new: str, message: str) -> None:
    assert old in MERGED
    _, problems = compute(MERGED.replace(old, new, 1))
    assert message in problems


OWN_UNIT = """
titel: Budget
spalten:
  - {id: label, titel: Posten, typ: text}
  - {id: eur, titel: Betrag, einheit: "€"}
zeilen:
  - werte: [Eingliederungstitel, 8683739]
  - werte: [Verwaltungskosten, 2640000]
  - werte: [Umschichtungsanteil, {wert: "30,4", einheit: "%", nachkommastellen: 1}]
  - gesamt: Summe
    werte: [null, 11323739]
"""


def test_a_cell_with_its_own_unit_is_shown_with_it_and_counts_in_no_sum() -> None:
    table, problems = compute(OWN_UNIT)
    assert problems == []  # the stated sum leaves the 30.4 out
    assert texts(table, 2) == ["Umschichtungsanteil", "30,4\u202f%"]
    assert table.rows[2].cells[1].own_unit == "%"
    assert texts(table, 3) == ["Summe", "11.323.739\u202f€"]


def test_a_sum_with_the_own_unit_cell_counted_fails() -> None:
    _, problems = compute(OWN_UNIT.replace("11323739", "11323769.4"))
    assert problems == [
        "t.yaml:11: Tabelle „Budget“, Spalte „Betrag“: angegeben 11.323.769\u202f€, "
        "berechnet 11.323.739\u202f€."
    ]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            '{wert: 30.4, unit: "%"}',
            "t.yaml:9: Unbekannte Angabe „unit“ im Zellwert (möglich sind wert, geschaetzt, "
            "nachkommastellen, ca, einheit).",
        ),
        ('{einheit: "%"}', "t.yaml:9: Im Zellwert fehlt „wert“."),
        ("{wert: 30.4, einheit: 5}", 't.yaml:9: Hinter „einheit“ steht ein Text (z. B. "%")'),
    ],
)
def test_a_wrong_cell_names_the_wrong_key(cell: str, message: str) -> None:
    text = OWN_UNIT.replace('{wert: "30,4", einheit: "%", nachkommastellen: 1}', cell)
    _, problems = compute(text)
    assert len(problems) == 1 and problems[0].startswith(message), problems


def test_estimates_are_marked_s_where_an_asterisk_means_anonymised(mini: Path) -> None:
    table = mini / "tabellen/budget.yaml"
    edit(table, "[FbW, 484, 2923965]", "[FbW, {wert: 484, geschaetzt: true}, 2923965]")
    page = build_programme(mini, BUILT_IN, only=("web",)).files["index.html"].decode()
    assert '<span class="estimate" title="geschätzt">*</span>' in page
    assert '<p class="note">* geschätzter Wert</p>' in page
    edit(table, "[EGZ, 147, 1048020]", '[EGZ, "*", 1048020]')
    page = build_programme(mini, BUILT_IN, only=("web",)).files["index.html"].decode()
    assert '<span class="estimate" title="geschätzt">s</span>' in page
    assert '<p class="note">s geschätzter Wert</p>' in page
    # the anonymised cell, with the width of the estimate sign set invisibly (digits align)
    pad = '<span class="pad" aria-hidden="true">s</span>'
    assert f'<td headers="budget-h0-1" class="num">*{pad}</td>' in page
