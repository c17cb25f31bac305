"""Structures of long reports: mark columns with a legend, numbered group rows with their
sums, rows given for information, text in number columns, appendix chapters, and chart
sources as footnotes on the caption."""

from __future__ import annotations

from pathlib import Path

import pytest

from aipgen.base.errors import Collector
from aipgen.base.numbering import letters, roman

from ..helpers import checked, compute, document, edit, html, texts

MATRIX = """
titel: Portfolio
marken: {"●": "Schwerpunkt", "○": "auch möglich"}
spalten:
  - {id: massnahme, titel: Maßnahme, typ: text}
  - {id: integration, titel: Integration, typ: marke}
  - {id: aktivierung, titel: Aktivierung, typ: marke}
zeilen:
  - werte: [EGZ, "●", ""]
  - werte: [Aktivcenter, "○", "●"]
"""

GROUPS = """
titel: Kennzahlen
gruppen_nummern: roemisch
spalten:
  - {id: zweck, titel: Zweckbestimmung, typ: text}
  - {id: eintritte, titel: Eintritte}
zeilen:
  - gruppensumme: Aktivierung
    werte: [null, 30]
  - werte: [Gutscheine, 10]
  - werte: ["Aktivierung:", ""]
  - werte: [a) Vergabe, 20]
  - gruppensumme: Weiterbildung
    werte: [null, null]
  - werte: [Fortbildung, 5]
  - werte: [Reha (in Fortbildung enthalten), 2]
    nachrichtlich: true
  - werte: [Umschulung, {text: "nach Bedarf"}]
  - gesamt: Summe gesamt
    werte: [null, 35]
"""


def test_roman_and_letters() -> None:
    assert [roman(n) for n in (1, 4, 7, 9, 14, 40)] == ["I", "IV", "VII", "IX", "XIV", "XL"]
    assert [letters(n) for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]


def test_mark_cells_carry_their_meaning_and_the_legend() -> None:
    table, problems = compute(MATRIX)
    assert problems == []
    assert [(c.text, c.mark) for c in table.rows[1].cells[1:]] == [
        ("○", "auch möglich"),
        ("●", "Schwerpunkt"),
    ]
    assert table.rows[0].cells[2].text == ""
    assert table.marks == {"●": "Schwerpunkt", "○": "auch möglich"}


def test_unknown_mark_is_an_error_with_line() -> None:
    _, problems = compute(MATRIX.replace('[EGZ, "●", ""]', '[EGZ, "x", ""]'))
    assert problems == [
        "t.yaml:9: „x“ ist keines der Zeichen unter „marken“ (Spalte „Integration“; "
        "möglich sind „●“, „○“ oder eine leere Zelle)."
    ]


def test_mark_column_needs_marks() -> None:
    errors = Collector()
    from aipgen.content.load import parse_yaml
    from aipgen.content.model import TableFile
    from aipgen.content.validate import check_model

    doc = parse_yaml(
        MATRIX.replace('marken: {"●": "Schwerpunkt", "○": "auch möglich"}\n', ""), "t.yaml", errors
    )
    assert doc is not None
    assert check_model(doc, TableFile, errors) is None
    assert [p.message for p in errors.problems] == [
        "Eine Spalte mit „typ: marke“ braucht unter „marken“ die Zeichen und ihre Bedeutung, "
        'z. B. marken: {"●": "Schwerpunkt"}.'
    ]


def test_group_rows_numbered_with_their_sums() -> None:
    table, problems = compute(GROUPS)
    assert problems == []
    assert texts(table, 0) == ["I. Aktivierung", "30"]
    assert texts(table, 4) == ["II. Weiterbildung", "5"]
    assert texts(table, 6) == ["Reha (in Fortbildung enthalten)", "(2)"]
    assert texts(table, 7) == ["Umschulung", "nach Bedarf"]
    assert texts(table, 8) == ["Summe gesamt", "35"]
    assert table.rows[0].kind == "gruppensumme" and table.rows[0].emphasis


def test_group_sum_that_disagrees_is_reported() -> None:
    _, problems = compute(GROUPS.replace("werte: [null, 30]", "werte: [null, 31]"))
    assert problems == [
        "t.yaml:9: Tabelle „Kennzahlen“, Spalte „Eintritte“: angegeben 31, berechnet 30."
    ]


def test_informational_row_counts_in_no_sum() -> None:
    _, problems = compute(GROUPS.replace("werte: [null, 35]", "werte: [null, 37]"))
    assert problems == [
        "t.yaml:20: Tabelle „Kennzahlen“, Spalte „Eintritte“: angegeben 37, berechnet 35."
    ]


def test_plain_group_rows_numbered_too() -> None:
    text = GROUPS.replace("gruppen_nummern: roemisch", "gruppen_nummern: buchstaben")
    text = text.replace('  - werte: ["Aktivierung:", ""]', "  - gruppe: Vergabe")
    table, problems = compute(text)
    assert problems == []
    assert [r.label or r.cells[0].text for r in table.rows if r.kind != "zeile"][:3] == [
        "a) Aktivierung",
        "b) Vergabe",
        "c) Weiterbildung",
    ]


def test_text_cell_in_a_number_column_only() -> None:
    _, problems = compute(GROUPS.replace("[Gutscheine, 10]", "[{text: 10}, 10]"))
    assert problems and "Ein Zellwert mit Angaben hat die Form" in problems[0]


def test_rendered_marks_and_legend(mini: Path) -> None:
    (mini / "tabellen/matrix.yaml").write_text(MATRIX, encoding="utf-8")
    edit(mini / "kapitel/02-arbeitsmarkt.md", "::tabelle svb", "::tabelle svb\n\n::tabelle matrix")
    page = html(mini)
    assert (
        '<td headers="matrix-h0-1" class="mark-cell"><span class="mark" role="img" '
        'aria-label="Schwerpunkt">●</span></td>' in page
    )
    assert '<li><span class="mark" aria-hidden="true">○</span> auch möglich</li>' in page


def appendix(mini: Path) -> None:
    (mini / "kapitel/03-anhang.md").write_text(
        "# Flucht & Asyl\n\n## Integration Point\n\nText.\n", encoding="utf-8"
    )
    edit(
        mini / "programm.yaml",
        "  - datei: kapitel/02-arbeitsmarkt.md\n",
        "  - datei: kapitel/02-arbeitsmarkt.md\n"
        "  - datei: kapitel/03-anhang.md\n    anhang: true\n",
    )


def test_appendix_has_its_own_numbering(mini: Path) -> None:
    appendix(mini)
    toc = document(mini).toc
    assert [(e.number, e.title, e.anchor) for e in toc[-2:]] == [
        ("Anhang I", "Flucht & Asyl", "anhang-1"),
        ("I.1", "Integration Point", "anhang-1-1"),
    ]
    assert toc[1].number == "2"


def test_appendix_label_and_numbers_from_the_programme(mini: Path) -> None:
    appendix(mini)
    edit(
        mini / "programm.yaml",
        "kapitel:\n",
        "anhang: {bezeichnung: Anlage, nummern: arabisch}\nkapitel:\n",
    )
    toc = document(mini).toc
    assert [(e.number, e.title) for e in toc[-2:]] == [
        ("Anlage 1", "Flucht & Asyl"),
        ("1.1", "Integration Point"),
    ]


def test_appendix_heading_in_page(mini: Path) -> None:
    appendix(mini)
    page = html(mini)
    assert '<h2 id="anhang-1" class="numbered"><span class="num">Anhang I</span> Flucht' in page


def source_footnote(mini: Path) -> None:
    edit(
        mini / "diagramme/budget.yaml",
        "quelle: eigene Planung",
        "quelle: eigene Planung\nquelle_als_fussnote: true",
    )


def test_chart_source_becomes_a_footnote_in_reading_order(mini: Path) -> None:
    source_footnote(mini)
    edit(mini / "kapitel/02-arbeitsmarkt.md", "Text.\n", "Text.[^spaet]\n")
    path = mini / "kapitel/02-arbeitsmarkt.md"
    path.write_text(path.read_text() + "[^spaet]: Später.\n", encoding="utf-8")
    doc = document(mini)
    assert doc.charts["budget"].footnote == 2
    assert sorted(doc.chapters[1].footnotes.values()) == [1, 3]


@pytest.mark.parametrize("medium", ["web", "pdf"])
def test_chart_source_footnote_rendered(mini: Path, medium: str) -> None:
    source_footnote(mini)
    page = html(mini, medium)
    assert "Quelle: eigene Planung</p>" not in page
    if medium == "pdf":
        assert '<span class="footnote">Quelle: eigene Planung</span></figcaption>' in page
    else:
        assert 'aria-label="Fußnote 2">2</a></sup></figcaption>' in page
        assert '<li id="fn-2" value="2">Quelle: eigene Planung <a href="#fnref-2"' in page


def test_source_footnote_needs_a_source(mini: Path) -> None:
    edit(mini / "diagramme/budget.yaml", "quelle: eigene Planung", "quelle_als_fussnote: true")
    assert [str(p) for p in checked(mini)[1]] == [
        "mini/diagramme/budget.yaml:1: „quelle_als_fussnote: true“ braucht eine „quelle“."
    ]


def test_few_rows_of_long_text_may_split_across_pages(mini: Path) -> None:
    long = "Ein langer Text über ein Angebot. " * 30
    (mini / "tabellen/lang.yaml").write_text(
        "titel: Lang\nspalten:\n  - {id: a, titel: A, typ: text}\nzeilen:\n"
        + f'  - werte: ["{long}"]\n' * 4,
        encoding="utf-8",
    )
    edit(mini / "kapitel/02-arbeitsmarkt.md", "::tabelle svb", "::tabelle svb\n\n::tabelle lang")
    page = html(mini, "pdf")
    assert '<figure class="table-figure" id="tabelle-lang">' in page
    assert '<figure class="table-figure short" id="tabelle-eckwerte">' in page
