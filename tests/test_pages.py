"""The PDFs' pages as a typesetter checks them: no text outside the text area."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
import yaml

from .conftest import DATA, PROGRAMMES

MM = 72 / 25.4
# Text area of the layouts' facing pages (inner, outer margin), as in templates/*/seiten.css.
MARGINS = {"bericht": (25 * MM, 20 * MM), "handout": (18 * MM, 18 * MM)}
TOLERANCE = 1.0  # points


def outside(pdf_path: Path, inner: float, outer: float) -> list[str]:
    """Characters beyond the left or right edge of the text area, by page (cover and back
    cover, which run to the edge, excluded)."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        last = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            if number in (1, last):
                continue
            left, right = (inner, outer) if number % 2 else (outer, inner)
            chars = [
                c
                for c in page.chars
                if c["x0"] < left - TOLERANCE or c["x1"] > page.width - right + TOLERANCE
            ]
            if chars:
                text = "".join(c["text"] for c in chars)[:60]
                found.append(f"Seite {number}: „{text}“ steht außerhalb des Satzspiegels")
    return found


def layout_of(name: str) -> str:
    meta = yaml.safe_load((DATA / name / "programm.yaml").read_text(encoding="utf-8"))
    return str(meta.get("layout", "bericht"))


@pytest.mark.parametrize("name", PROGRAMMES)
def test_text_stays_inside_the_text_area(built: Path, name: str) -> None:
    inner, outer = MARGINS[layout_of(name)]
    for pdf in (f"{name}.pdf", f"{name}-druck.pdf"):
        assert outside(built / name / pdf, inner, outer) == []
