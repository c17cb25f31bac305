"""Turn laid-out PDF pages into the words that end hyphenation ladders, and mark those words in
the HTML so the next layout keeps them whole.

German typesetting allows at most two hyphenated lines in a row; WeasyPrint has no
`hyphenate-limit-lines`. hyphenlimit.py keeps the rule while WeasyPrint breaks the lines; this
module checks the finished layout: where a third hyphenated line in a row is left (a WeasyPrint
whose internals hyphenlimit.py does not know), the PDF stage wraps the word broken there in
`<span class="keep">` (no hyphenation) and lays the pages out again.
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
SOFT_HYPHEN = "\u00ad"
HYPHENATED = ("auto", "manual")  # manual: a kept run that breaks only at its soft hyphens
GAP = r"(?:\s|<[^>]+>)+"  # between two words of the context in the HTML: space and tags


@dataclass(frozen=True)
class Break:
    """A word hyphenated at a line end, with the text before it on its line."""

    before: str
    word: str
    part: str = ""  # the word's part on the hyphenated line


def ladder_breaks(document: Any) -> list[Break]:
    """The word at the end of every hyphenated line beyond the second in a row."""
    found = []
    for lines in paragraphs(document):
        run, previous = 0, None
        for line, following in zip(lines, lines[1:], strict=False):
            hyphenated = whole_word(auto_break(line, following), previous)
            run = run + 1 if hyphenated else 0
            if hyphenated and run > MAX_HYPHENATED_LINES:
                found.append(hyphenated)
                run = 0
            previous = hyphenated
    return found


def whole_word(broken: Break | None, previous: Break | None) -> Break | None:
    """A word broken on a line that holds nothing else began on the line before
    ("Langzeit-" / "leistungs-" / "beziehende"): it is named whole, with that line's context."""
    if broken is None or broken.before or previous is None:
        return broken
    if not previous.word.endswith(broken.part):
        return broken
    start = previous.word[: len(previous.word) - len(broken.part)]
    return Break(previous.before, start + broken.word, start + broken.part)


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
    the hyphenate character after a letter and the next line goes on in lower case. A break at a
    soft hyphen (a listed compound, see typography.py) counts as one."""
    line = [box for box in line if box.text]
    if not line or not following:
        return None
    last = line[-1]
    mark = last.style["hyphenate_character"]
    text = "".join(box.text for box in line).replace(SOFT_HYPHEN, "")
    rest = following[0].text.replace(SOFT_HYPHEN, "")
    if last.style["hyphens"] not in HYPHENATED or not text.endswith(mark):
        return None
    if not rest[:1].islower():
        return None
    head = text[: -len(mark)]
    start, end = WORD_START.search(head[::-1] + " "), WORD_START.match(rest)
    if start is None or end is None or start.start() != 0:
        return None
    first_part = head[len(head) - start.end() :]
    before = head[: len(head) - len(first_part)][-CONTEXT:]
    return Break(before, first_part + end.group(), first_part)


def keep_whole(page: str, breaks: list[Break]) -> str:
    """The HTML with each broken word wrapped in a span that is never hyphenated, where the
    text before it finds exactly one place. Tags may stand between the words, and soft hyphens
    inside the word go: it is kept whole."""
    for item in breaks:
        before = GAP.join(loose(html.escape(part, quote=False)) for part in item.before.split(" "))
        pattern = re.compile(f"({before}(?:<[^>]+>)*)({loose(item.word)})(?!\\w)")
        if len(pattern.findall(page)) == 1:
            page = pattern.sub(rf'\g<1><span class="keep">{item.word}</span>', page)
    return page


def loose(text: str) -> str:
    """A pattern of the text as it stands in the HTML, where a soft hyphen may follow any
    character."""
    return f"{SOFT_HYPHEN}?".join(re.escape(character) for character in text)
