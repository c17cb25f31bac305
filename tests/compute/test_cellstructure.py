"""Cells that keep their structure: figures one under the other (insgesamt / davon …) as a row
and its "davon" rows, and lists nested in list cells, in the table model and the HTML."""

from __future__ import annotations

import re
from pathlib import Path

from aipgen.compute.tables import ListItem

from ..helpers import DATA, compute, document, edit, html, texts

# As Duisburg's Tabelle 11 states Einstiegsgeld: 376, davon 365 sozialversicherungspflichtig
# and 11 selbständig, one under the other in one cell beside one budget.
STACKED = """
titel: Hauptinstrumente
spalten:
  - {id: instrument, titel: Instrument, typ: text}
  - {id: eintritte, titel: Eintritte}
  - {id: mittel, titel: Mittelansatz, typ: text}
zeilen:
  - werte: [Eingliederungszuschüsse (EGZ), 597, "1.360.369,41 €"]
  - werte: [Einstiegsgeld (ESG), 376, "446.739,41 €"]
  - werte: [davon sozialversicherungspflichtig, 365, ""]
    darunter: true
    zeilen_verbinden: [mittel]
  - werte: [davon Selbständige, 11, ""]
    darunter: true
    zeilen_verbinden: [mittel]
  - gesamt: Summe (ca.)
    werte: [null, 973, ""]
"""


def test_stacked_figures_keep_their_own_labels_and_count_once() -> None:
    table, problems = compute(STACKED)
    assert problems == []  # 597 + 376: the "davon" figures count in no sum
    assert [texts(table, k)[:2] for k in (1, 2, 3)] == [
        ["Einstiegsgeld (ESG)", "376"],
        ["davon sozialversicherungspflichtig", "365"],
        ["davon Selbständige", "11"],
    ]
    assert [table.rows[k].cells[2].rowspan for k in (1, 2, 3)] == [3, 0, 0]


def test_stacked_figures_have_their_row_header_in_the_html(mini: Path) -> None:
    (mini / "tabellen/esg.yaml").write_text(STACKED, encoding="utf-8")
    edit(mini / "kapitel/02-arbeitsmarkt.md", "::tabelle svb", "::tabelle svb\n\n::tabelle esg")
    page = html(mini, "pdf")
    row = re.search(r'<tr class="zeile below">((?:(?!</tr>).)*sozialvers.*?)</tr>', page, re.S)
    assert row is not None
    cells = row.group(1)
    assert '<th scope="row" headers="esg-h0-0">davon sozialversicherungspflichtig</th>' in cells
    assert '<td headers="esg-h0-1" class="num">365</td>' in cells
    assert "446.739" not in cells  # the budget spans the three rows from the first
    assert '<td headers="esg-h0-2" rowspan="3">446.739,41\u202f€</td>' in page


NESTED = """
titel: Strategie
spalten:
  - {id: strategie, titel: Strategie, typ: text}
  - {id: massnahmen, titel: Maßnahmen, typ: liste}
zeilen:
  - werte:
      - Absolventenmanagement
      - - Konzept
        - "Intensivierung mit folgenden Maßnahmen:"
        - - Profiling aktualisieren
          - Vermittlungsstrategien anpassen
        - Zusammenarbeit mit dem gAG-S
"""


def test_a_nested_list_keeps_its_level() -> None:
    table, problems = compute(NESTED)
    assert problems == []
    assert table.rows[0].cells[1].items == (
        ListItem("Konzept"),
        ListItem(
            "Intensivierung mit folgenden Maßnahmen:",
            (ListItem("Profiling aktualisieren"), ListItem("Vermittlungsstrategien anpassen")),
        ),
        ListItem("Zusammenarbeit mit dem gAG-S"),
    )


def test_a_nested_list_is_a_list_in_its_point_in_the_html(mini: Path) -> None:
    (mini / "tabellen/strategie.yaml").write_text(NESTED, encoding="utf-8")
    edit(
        mini / "kapitel/02-arbeitsmarkt.md", "::tabelle svb", "::tabelle svb\n\n::tabelle strategie"
    )
    page = html(mini)
    assert (
        "<li>Intensivierung mit folgenden Maßnahmen:<ul><li>Profiling aktualisieren</li>"
        "<li>Vermittlungsstrategien anpassen</li></ul></li>"
    ) in page


def test_a_nested_list_needs_a_point_above_it() -> None:
    _, problems = compute(NESTED.replace("      - - Konzept\n", "      - - [Konzept]\n"))
    assert problems == [
        "t.yaml:9: Spalte „Maßnahmen“: Eine eingerückte Liste steht unter einem Punkt: Eine Zelle "
        "vom Typ „liste“ ist eine Liste von Texten; die Unterpunkte eines Punktes stehen als "
        "eigene Liste direkt nach ihm, z. B. [erster Punkt, [Unterpunkt, Unterpunkt], zweiter "
        "Punkt]."
    ]
    _, problems = compute(NESTED.replace("- Profiling aktualisieren", "- {bild: x}"))
    assert problems == [
        "t.yaml:11: Spalte „Maßnahmen“: Eine Zelle vom Typ „liste“ ist eine Liste von Texten; "
        "die Unterpunkte eines Punktes stehen als eigene Liste direkt nach ihm, z. B. [erster "
        "Punkt, [Unterpunkt, Unterpunkt], zweiter Punkt]."
    ]


def test_duisburg_stacked_cells_and_nested_list_keep_their_structure() -> None:
    doc = document(DATA / "duisburg-2016")
    rows = {
        texts(table, k)[0]: texts(table, k)
        for name in ("instr-integration", "instr-qualifikation", "instr-sb")
        for table in [doc.tables[name]]
        for k in range(len(table.rows))
    }
    assert rows["davon Selbständige"][1:3] == ["11", "11"]
    assert rows["davon kooperativ"][1] == "42"
    assert rows["davon Probebeschäftigung Reha"][1] == "4"
    run_together = re.compile(r"\d+ \d+( \d+)*")  # "376 365 11" in one cell
    assert not [label for label, cells in rows.items() if any(map(run_together.fullmatch, cells))]
    points = doc.tables["st-absolventen"].rows[0].cells[1].items
    assert [len(point.items) for point in points] == [0, 0, 3, 0]


def test_a_value_that_is_no_number_is_named_not_a_crash() -> None:
    _, problems = compute(
        STACKED.replace("[Eingliederungszuschüsse (EGZ), 597,", "[EGZ, {wert: {a: 1}},")
    )
    assert problems == ["t.yaml:8: In der Zahlenspalte „Eintritte“ steht keine Zahl."]
