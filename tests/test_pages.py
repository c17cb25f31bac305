"""The PDFs' pages as a typesetter checks them: no text outside the text area, every footnote
at the foot of the page that calls it, set across the full text width."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pdfplumber
import pytest

from .conftest import PROGRAMMES

MM = 72 / 25.4
# Text area of the layouts' facing pages (inner, outer margin), as in templates/*/seiten.css.
MARGINS = {"bericht": (25 * MM, 20 * MM)}
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


@pytest.mark.parametrize("name", PROGRAMMES)
def test_text_stays_inside_the_text_area(built: Path, name: str) -> None:
    inner, outer = MARGINS["bericht"]
    for pdf in (f"{name}.pdf", f"{name}-druck.pdf"):
        assert outside(built / name / pdf, inner, outer) == []


FOOTNOTE_ITEM = re.compile(r'<li id="fn-(\d+)" value="\d+">(.*?) <a href="#fnref-', re.S)
TAG = re.compile(r"<[^>]+>")


def footnote_texts(web_page: Path) -> dict[int, str]:
    """Every footnote of a programme by number, as its web page lists them (plain text)."""
    found = FOOTNOTE_ITEM.findall(web_page.read_text(encoding="utf-8"))
    return {int(number): html.unescape(TAG.sub("", body)) for number, body in found}


def squeezed(text: str) -> str:
    """Text without white space and without the hyphens of line-end breaks, for comparing."""
    return re.sub(r"\s+", "", re.sub(r"-\n", "", text))


def footnote_calls(page: pdfplumber.page.Page) -> list[int]:
    """The footnote calls on a page: runs of digits set smaller than, and raised above, the text
    they follow."""
    calls, chars = [], page.chars
    for i, char in enumerate(chars):
        if not char["text"].isdigit() or i == 0 or chars[i - 1]["text"].isdigit():
            continue
        before = chars[i - 1]
        raised = char["bottom"] < before["bottom"] - 0.5 and char["size"] < 0.85 * before["size"]
        if raised:
            digits = ""
            for follower in chars[i:]:
                if not follower["text"].isdigit() or follower["size"] != char["size"]:
                    break
                digits += follower["text"]
            calls.append(int(digits))
    return calls


def footnote_placement(pdf_path: Path, notes: dict[int, str]) -> list[str]:
    """Each footnote that is not called and printed on the same page, or is called twice."""
    called: dict[int, list[int]] = {}
    printed: dict[int, list[int]] = {}
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            text = squeezed(page.extract_text() or "")
            for note in footnote_calls(page):
                called.setdefault(note, []).append(number)
            for note, body in notes.items():
                if f"{note}{squeezed(body)[:40]}" in text:
                    printed.setdefault(note, []).append(number)
    problems = []
    for note in notes:
        if not called.get(note) or called.get(note) != printed.get(note):
            problems.append(
                f"Fußnote {note}: aufgerufen auf S. {called.get(note)}, "
                f"gedruckt auf S. {printed.get(note)}"
            )
    return problems


@pytest.mark.parametrize("name", PROGRAMMES)
def test_footnotes_stand_on_the_page_that_calls_them(built: Path, name: str) -> None:
    notes = footnote_texts(built / name / "index.html")
    for pdf in (f"{name}.pdf", f"{name}-druck.pdf"):
        assert footnote_placement(built / name / pdf, notes) == []


def footnote_lines(pdf_path: Path, notes: dict[int, str]) -> list[tuple[float, float, bool]]:
    """Every line of a footnote's text: its left and right edge and whether it ends the note."""
    texts = [squeezed(f"{number}{body}") for number, body in notes.items()]
    lines = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for line in page.extract_text_lines():
                text = squeezed(line["text"])
                for note in texts:
                    if len(text) > 10 and text in note:
                        lines.append((line["x0"], line["x1"], note.endswith(text)))
    return lines


@pytest.mark.parametrize("name", PROGRAMMES)
def test_footnotes_fill_the_text_width(built: Path, name: str) -> None:
    """A footnote line that does not end its note reaches at least 80 % of the text width."""
    inner, outer = MARGINS["bericht"]
    notes = footnote_texts(built / name / "index.html")
    lines = footnote_lines(built / name / f"{name}.pdf", notes)
    width = 595.28 - inner - outer
    short = [(x0, x1) for x0, x1, end in lines if not end and x1 - x0 < 0.8 * width]
    assert short == []
