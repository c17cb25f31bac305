"""Decimal commas aligned: each number cell carries, invisibly, what it lacks against its
column's most decimals and longest unit, so that right-aligned commas stand under each other
in the website and both PDFs (CSS `text-align: ","` works in neither browsers nor WeasyPrint).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aipgen.compute.numberalign import aligned_rows

from ..helpers import HERNE, PROJECT, compute, document, html, parsed_pdf

TABLE = """
titel: Test
spalten:
  - {id: merkmal, titel: Merkmal, typ: text}
  - {id: a, titel: Wert}
zeilen:
  - werte: [Bestand, 6893]
  - werte: [Quote, 8.6]
    nachkommastellen: 1
  - werte: [Anteil, {wert: 12.25, einheit: "%", nachkommastellen: 2}]
  - werte: [geschätzt, {wert: 12, geschaetzt: true}]
  - werte: [anonymisiert, "*"]
  - werte: [nachrichtlich, 22]
    nachrichtlich: true
"""


def pads(text: str) -> list[tuple[str, str, str, str]]:
    table, found = compute(text)
    assert found == []
    rows = aligned_rows(table.rows, table.estimate_sign)
    return [(r.cells[1].head, r.cells[1].pad, r.cells[1].tail, r.cells[1].pad_end) for r in rows]


def test_each_cell_lacks_what_the_widest_has() -> None:
    """The most decimals are two ("12,25 %"), the longest tail the unit "%"; the estimate
    sign "s" (beside an anonymised "*") and the parenthesis are shorter or other tails."""
    assert pads(TABLE) == [
        ("6.893", ",00", "", "\u202f%"),
        ("8,6", "0", "", "\u202f%"),
        ("12,25\u202f%", "", "", ""),
        ("12", ",00", "", ""),  # its tail is the estimate sign "s", no prefix of " %"
        ("*", ",00", "", "\u202f%"),  # a sign stands where the digits end
        ("(22", ",00", ")", ""),  # ")" is no prefix of "%"
    ]


def test_a_column_of_whole_numbers_is_left_alone() -> None:
    text = TABLE.split("  - werte: [Quote")[0]
    assert pads(text) == [("6.893", "", "", "")]


def test_herne_eckwerte_in_the_website() -> None:
    """Counts beside quotas in one column: "1.870" lacks ",0", set invisibly after it."""
    page = html(HERNE)
    cell = '<td headers="eckwerte-h0-2" class="num">1.870<span class="pad" aria-hidden="true">'
    assert cell + ",0</span></td>" in page
    for layout in ("bericht", "broschuere", "handout"):
        css = (PROJECT / "templates" / layout / "style.css").read_text(encoding="utf-8")
        assert "table.data .num .pad { visibility: hidden; }" in css


def test_herne_keeps_its_figures_as_they_are() -> None:
    """The texts of cells (figures in sentences, open data) do not carry the padding."""
    table = document(HERNE).tables["eckwerte"]
    cell = next(r for r in table.rows if r.cells and r.cells[0].text == "50 Jahre und älter").cells[
        2
    ]
    assert (cell.text, cell.head, cell.pad) == ("1.870", "1.870", ",0")


def comma_and_units(pdf_path: Path) -> tuple[float, float, str]:
    """In Herne's Eckwerte, column Okt 2022: the right edge of "1.870" (50 Jahre und älter)
    and the left edge of the comma of "8,6" (alle zivilen Erwerbspersonen), and the line."""
    for page in parsed_pdf(pdf_path).pages:
        words = page.extract_words(keep_blank_chars=False)
        count = [w for w in words if w["text"] == "1.870"]
        quota = [w for w in words if w["text"] == "8,6"]
        if count and quota:
            line = next(t for t in page.extract_text().splitlines() if "50 Jahre und älter" in t)
            word = quota[0]
            comma = next(
                c["x0"]
                for c in page.chars
                if c["text"] == ","
                and word["x0"] <= c["x0"] <= word["x1"]
                and abs(c["top"] - word["top"]) < 1
            )
            return count[0]["x1"], comma, line
    raise AssertionError(f"{pdf_path}: Eckwerte nicht gefunden")


@pytest.mark.parametrize("pdf", ["herne-2023.pdf", "herne-2023-druck.pdf"])
def test_commas_align_in_both_pdfs(built: Path, pdf: str) -> None:
    units, comma, line = comma_and_units(built / "herne-2023" / pdf)
    assert abs(units - comma) < 1.0  # points: "8,6"'s comma stands where "1.870" ends
    assert "1.870 1.850 1.822" in line  # the padding is not printed
