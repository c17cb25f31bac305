"""Stated figures printed as stated; totals and reference rows wherever they stand; sums over
anonymised cells; differences the editor acknowledges (abweichung_bestaetigt)."""

from __future__ import annotations

from ..helpers import compute, texts

# As the Statistik der BA exports its tables: the total on top, each group's total first,
# anonymised cells ("*") where a figure would identify a person.
BA_EXPORT = """
titel: Arbeitslose nach Rechtskreisen
quelle: Statistik der Bundesagentur für Arbeit
spalten:
  - {id: merkmal, titel: Merkmal, typ: text}
  - {id: bestand, titel: Bestand}
  - {id: anteil, titel: Anteil in %, formel: anteil(bestand), nachkommastellen: 1}
zeilen:
  - gesamt: Insgesamt
    werte: [null, 1180, null]
    bezug: true
  - gruppe: Rechtskreis SGB III
  - summe: zusammen
    werte: [null, 400, null]
  - werte: [Männer, 220, null]
  - werte: [Frauen, 180, null]
  - gruppe: Rechtskreis SGB II
  - summe: zusammen
    werte: [null, 780, null]
  - werte: [Männer, 400, null]
  - werte: [Frauen, 377, null]
  - werte: [ohne Angabe, "*", "*"]
"""
WHERE = "Tabelle „Arbeitslose nach Rechtskreisen“, Spalte „Bestand“"


def test_a_ba_export_with_its_totals_on_top_is_computed_and_checked() -> None:
    table, problems = compute(BA_EXPORT)
    assert problems == []
    assert texts(table, 0) == ["Insgesamt", "1.180", "100,0"]
    assert texts(table, 2) == ["zusammen", "400", "33,9"]
    assert texts(table, 3) == ["Männer", "220", "18,6"]  # the base is the total above
    assert texts(table, 9) == ["ohne Angabe", "*", "*"]


def test_a_wrong_total_on_top_of_its_group_names_its_line_and_both_figures() -> None:
    _, problems = compute(BA_EXPORT.replace("[null, 400, null]", "[null, 401, null]"))
    assert problems == [f"t.yaml:14: {WHERE}: angegeben 401, berechnet 400."]


def test_anonymised_cells_make_a_sum_a_lower_bound() -> None:
    # 1.180 and 780 hold the anonymised "ohne Angabe": at least 1.177 and 777
    assert compute(BA_EXPORT.replace("[null, 780, null]", "[null, 790, null]"))[1] == []
    _, problems = compute(BA_EXPORT.replace("[null, 1180, null]", "[null, 1170, null]"))
    assert problems == [
        f"t.yaml:10: {WHERE}: angegeben 1.170, aber schon die Zellen ohne die anonymisierten "
        "(„*“) ergeben 1.177; die Summe muss mindestens 1.177 sein."
    ]
    _, problems = compute(BA_EXPORT.replace("[null, 780, null]", "[null, null, null]"))
    assert problems == [
        f"t.yaml:19: {WHERE}: Die Summe lässt sich nicht berechnen, weil Zellen darüber oder "
        "darunter anonymisiert sind („*“). Die Summe aus der Quelle hier eintragen."
    ]


BASE_BELOW = """
titel: Kund*innen
spalten:
  - {id: merkmal, titel: Merkmal, typ: text}
  - {id: n, titel: Anzahl}
  - {id: s, titel: Anteil, formel: anteil(n), nachkommastellen: 1}
zeilen:
  - gruppe: Frauen
  - werte: [jung, 30, null]
  - werte: [alt, 70, null]
  - summe: zusammen
    werte: [null, null, null]
    bezug: true
  - gruppe: Männer
  - werte: [jung, 10, null]
  - werte: [alt, 40, null]
  - summe: zusammen
    werte: [null, null, null]
    bezug: true
"""


def test_a_share_finds_its_base_below_in_its_own_group() -> None:
    table, problems = compute(BASE_BELOW)
    assert problems == []
    assert texts(table, 1) == ["jung", "30", "30,0"]
    assert texts(table, 3) == ["zusammen", "100", "100,0"]
    assert texts(table, 5) == ["jung", "10", "20,0"]  # over the 50 of its group, not the 100
    assert texts(table, 7) == ["zusammen", "50", "100,0"]


STATED = """
titel: Fördermöglichkeiten
spalten:
  - {id: zweck, titel: Zweckbestimmung, typ: text}
  - {id: e, titel: Eintritte}
  - {id: d, titel: Veränderung, formel: e - v}
  - {id: v, titel: Vorjahr}
zeilen:
  - werte: [BaE, 66, null, 60]
  - werte: [BvB, 180, null, 170]
  - gesamt: Summe
    werte: [null, 240, 15, null]
    abweichung_bestaetigt: [e, d]
"""


def test_an_acknowledged_difference_prints_the_stated_figure_and_tells_the_editor() -> None:
    table, problems = compute(STATED)
    assert problems == []
    assert texts(table, 2) == ["Summe", "240", "15", "230"]
    assert table.values[2]["e"] == 240  # what charts and shares see is what is printed
    assert table.differences == [
        "t.yaml:12: Tabelle „Fördermöglichkeiten“, Spalte „Eintritte“: angegeben 240, "
        "berechnet 246. Gedruckt wird die angegebene Zahl (bestätigt).",
        "t.yaml:12: Tabelle „Fördermöglichkeiten“, Spalte „Veränderung“: angegeben 15, "
        "berechnet 10. Gedruckt wird die angegebene Zahl (bestätigt).",
    ]


def test_an_unacknowledged_difference_is_an_error() -> None:
    _, problems = compute(
        STATED.replace("abweichung_bestaetigt: [e, d]", "abweichung_bestaetigt: [d]")
    )
    assert problems == [
        "t.yaml:12: Tabelle „Fördermöglichkeiten“, Spalte „Eintritte“: angegeben 240, "
        "berechnet 246."
    ]
    _, problems = compute(STATED.replace("[e, d]", "[e, d, zweck]"))
    assert problems == [
        "t.yaml:13: „abweichung_bestaetigt“ nennt „zweck“, aber das ist keine Zahlenspalte "
        "der Tabelle."
    ]


def test_a_difference_within_the_tolerance_prints_the_stated_figure_silently() -> None:
    table, problems = compute(
        STATED.replace("abweichung_bestaetigt: [e, d]", "toleranz: {e: 6, d: 5}")
    )
    assert problems == [] and table.differences == []
    assert texts(table, 2) == ["Summe", "240", "15", "230"]


def test_an_acknowledgement_without_a_difference_is_reported() -> None:
    """Once the figures agree, the entry would let a later difference pass unseen."""
    _, problems = compute(STATED.replace("[null, 240, 15, null]", "[null, 246, 15, null]"))
    assert problems == [
        "t.yaml:13: „abweichung_bestaetigt“ nennt „e“, aber angegebene und berechnete Zahl "
        "stimmen überein; den Eintrag entfernen."
    ]
