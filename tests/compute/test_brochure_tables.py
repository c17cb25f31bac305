"""Table features brochures need: numbered groups and rows, rows computed across columns
(changes to the column before), rows with their own unit and sign, a table's own signs."""

from __future__ import annotations

from ..helpers import compute, texts

NUMBERED = """
titel: Mittel
spalten:
  - {id: instrument, titel: Instrument, typ: text}
  - {id: euro, titel: Euro}
zeilen:
  - gruppe: Integration
    nummer: "1."
  - werte: [Weiterbildung, 900]
    nummer: "1.1"
  - werte: [Zuschüsse, 100]
    nummer: "1.3"
  - werte: [Behinderung, 50]
    nummer: "2."
  - gesamt: Etat
    werte: [null, 1050]
"""


def test_numbered_groups_and_rows() -> None:
    table, problems = compute(NUMBERED)
    assert problems == []
    assert [(r.kind, r.number, r.label) for r in table.rows][:2] == [
        ("gruppe", "1.", "Integration"),
        ("zeile", "1.1", ""),
    ]
    assert [r.number for r in table.rows] == ["1.", "1.1", "1.3", "2.", ""]
    assert texts(table, 1) == ["Weiterbildung", "900"]  # the number is not part of the label
    assert texts(table, 4) == ["Etat", "1.050"]


def test_row_number_must_belong_to_its_group() -> None:
    _, problems = compute(NUMBERED.replace('nummer: "1.3"', 'nummer: "2.3"'))
    assert problems == [
        "t.yaml:12: Die Nummer „2.3“ passt nicht zur Gruppe „1.“ darüber; erwartet ist eine "
        "Nummer, die mit „1.“ beginnt."
    ]


def test_row_number_only_once() -> None:
    _, problems = compute(NUMBERED.replace('nummer: "1.3"', 'nummer: "1.1"'))
    assert problems == ["t.yaml:12: Die Nummer „1.1“ steht schon in Zeile 10."]


def test_sum_of_numbered_rows_is_checked() -> None:
    _, problems = compute(NUMBERED.replace("[null, 1050]", "[null, 1000]"))
    assert problems == [
        "t.yaml:16: Tabelle „Mittel“, Spalte „Euro“: angegeben 1.000, berechnet 1.050."
    ]


CHANGES = """
titel: Haushalt
spalten:
  - {id: posten, titel: Posten, typ: text}
  - {id: j1, titel: "2021", nachkommastellen: 1}
  - {id: j2, titel: "2022", nachkommastellen: 1}
  - {id: j3, titel: "2023", nachkommastellen: 1}
zeilen:
  - werte: [Budget, 40.0, 44.0, 33.0]
    id: budget
  - werte: [Veränderung zum Vorjahr, 5.0, null, null]
    formel: (budget - vorspalte(budget)) / vorspalte(budget) * 100
    einheit: "%"
    vorzeichen: true
  - werte: [Anteil, null, null, "-"]
    formel: budget / 80 * 100
    einheit: "%"
"""


def test_row_formula_computes_across_columns() -> None:
    table, problems = compute(CHANGES)
    assert problems == []
    # 2021 has no column before: the stated value stays; 2022 and 2023 are computed
    assert texts(table, 1) == [
        "Veränderung zum Vorjahr",
        "+5,0\u202f%",
        "+10,0\u202f%",
        "−25,0\u202f%",
    ]
    assert texts(table, 2) == ["Anteil", "50,0\u202f%", "55,0\u202f%", "–"]


def test_row_formula_checks_stated_values() -> None:
    _, problems = compute(
        CHANGES.replace(
            "[Veränderung zum Vorjahr, 5.0, null, null]",
            "[Veränderung zum Vorjahr, 5.0, 9.0, null]",
        )
    )
    assert problems == [
        "t.yaml:11: Tabelle „Haushalt“, Spalte „2022“: angegeben +9,0\u202f%, "
        "berechnet +10,0\u202f%."
    ]


def test_row_formula_keeps_a_stated_value_within_tolerance() -> None:
    text = CHANGES.replace(
        "[Veränderung zum Vorjahr, 5.0, null, null]", "[Veränderung zum Vorjahr, 5.0, 9.95, null]"
    )
    text = text.replace(
        "    vorzeichen: true\n", "    vorzeichen: true\n    toleranz: {j2: 0.1}\n", 1
    )
    table, problems = compute(text)
    assert problems == []
    assert texts(table, 1)[2] == "+10,0\u202f%"  # 9.95 shown with one decimal, as stated


def test_row_formula_names_rows() -> None:
    _, problems = compute(CHANGES.replace("budget / 80", "buget / 80"))
    assert problems == [
        "t.yaml:16: Die Formel „buget / 80 * 100“ nennt die unbekannte Zeile „buget“."
    ]


def test_row_formula_rows_stay_out_of_sums() -> None:
    table, problems = compute(CHANGES + "  - gesamt: Summe\n    werte: [null, null, null, null]\n")
    assert problems == []
    assert texts(table, 3)[1:] == ["40,0", "44,0", "33,0"]


def test_table_may_declare_its_own_signs() -> None:
    text = NUMBERED.replace("[Zuschüsse, 100]", '[Zuschüsse, "n.B."]').replace("1050", "950")
    _, problems = compute(text)
    assert problems == [
        "t.yaml:11: „n.B.“ ist keine Zahl (Spalte „Euro“; erlaubt sind Zahlen, "
        'auch deutsch geschrieben wie "1.234,5", und "x", "-", ".", "*" und "").'
    ]
    table, problems = compute(text.replace("titel: Mittel", 'titel: Mittel\nzeichen: ["n.B."]'))
    assert problems == []
    assert texts(table, 2) == ["Zuschüsse", "n.B."]
    assert texts(table, 4) == ["Etat", "950"]
