"""Turn laid-out PDF pages into the words that end hyphenation ladders, and mark those words in
the HTML so the next layout keeps them whole.

German typesetting allows at most two hyphenated lines in a row; WeasyPrint has no
`hyphenate-limit-lines`. So the PDF stage lays the pages out, looks for a third hyphenated line
in a row, wraps the word broken there in `<span class="keep">` (no hyphenation) and lays the
pages out again.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MAX_HYPHENATED_LINES = 2
CONTEXT = 30  # characters of the line before the broken word that find it in the HTML
WORD_START = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Break:
    """A word hyphenated at a line end, with the text before it on its line."""

    before: str
    word: str


def ladder_breaks(document: Any) -> list[Break]:
    """The word at the end of every hyphenated line beyond the second in a row."""
    found = []
    for lines in paragraphs(document):
        run = 0
        for line, following in zip(lines, lines[1:], strict=False):
            hyphenated = auto_break(line, following)
            run = run + 1 if hyphenated else 0
            if hyphenated and run > MAX_HYPHENATED_LINES:
                found.append(hyphenated)
                run = 0
    return found


def paragraphs(document: Any) -> Iterator[list[list[Any]]]:
    """Each block's lines on each page, a line given as its text boxes."""
    from weasyprint.formatting_structure import boxes

    for page in document.pages:
        for box in page._page_box.descendants():
            lines = [
                child for child in getattr(box, "children", []) if isinstance(child, boxes.LineBox)
            ]
            if len(lines) > MAX_HYPHENATED_LINES:
                yield [
                    [t for t in line.descendants() if isinstance(t, boxes.TextBox)]
                    for line in lines
                ]


def auto_break(line: list[Any], following: list[Any]) -> Break | None:
    """The word hyphenated at the end of a line, if the layout broke it there: the line ends in
    the hyphenate character after a letter and the next line goes on in lower case."""
    if not line or not following:
        return None
    last = line[-1]
    mark = last.style["hyphenate_character"]
    text, rest = last.text, following[0].text
    if last.style["hyphens"] != "auto" or not text.endswith(mark) or not rest[:1].islower():
        return None
    head = text[: -len(mark)]
    start, end = WORD_START.search(head[::-1] + " "), WORD_START.match(rest)
    if start is None or end is None or start.start() != 0:
        return None
    first_part = head[len(head) - start.end() :]
    before = head[: len(head) - len(first_part)][-CONTEXT:]
    return Break(before, first_part + end.group())


def keep_whole(page: str, breaks: list[Break]) -> str:
    """The HTML with each broken word wrapped in a span that is never hyphenated, where the
    text before it finds exactly one place."""
    for item in breaks:
        spaced = r"\s+".join(
            re.escape(html.escape(part, quote=False)) for part in item.before.split(" ")
        )
        pattern = re.compile(f"({spaced})({re.escape(item.word)})(?!\\w)")
        matches = pattern.findall(page)
        if len(matches) == 1:
            page = pattern.sub(r'\1<span class="keep">\2</span>', page)
    return page
