"""The change report's text and column titles against last year's programme: each chapter's
paragraphs, headings and list items compared as the editor wrote them (Markdown), word by word
where a block changed; the figures typed into last year's text that a figure reference
(`[](#wert:…)`) now takes from the data; and the tables' column titles that read otherwise now."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from aipgen.content.chapters import Chapter

WORDS = re.compile(r"(\s+)")
REFERENCE = re.compile(r"\[\]\(#((?:wert|kennzahl):[^)\s]+)\)")
# a figure as prose writes it: digits with thousands points and a decimal comma
FIGURE = re.compile(r"[+\u2212-]?\d[\d.]*(?:,\d+)?")
ALIKE = 0.5  # two blocks whose words are this much the same are one block changed
# How a block changed, as the report names it
ADDED, CHANGED, REMOVED = "neu", "geändert", "entfallen"


@dataclass(frozen=True)
class Block:
    text: str
    line: int  # in its chapter file, from 1


@dataclass(frozen=True)
class TextChange:
    """A block of a chapter that is new, changed or gone; its words marked "ins" (added),
    "del" (removed) or "" (kept)."""

    file: str  # the chapter file, relative to its programme folder
    line: int  # this year's line; last year's for a block that is gone
    kind: str
    segments: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MovedFigure:
    """A figure typed into last year's text that a reference to the data took the place of."""

    file: str
    line: int
    before: str  # as last year's text wrote it
    reference: str  # "wert:tabelle/zeile/spalte" or "kennzahl:kasten/nr"
    now: str = ""  # what the reference prints this year


@dataclass(frozen=True)
class ColumnChange:
    table_title: str
    before: str
    now: str
    where: str  # file:line of the table


def text_changes(
    before: Sequence[Chapter], now: Sequence[Chapter], names: tuple[str, str]
) -> list[TextChange]:
    """The blocks that differ, chapter by chapter (matched by their file in the folder;
    `names`: last year's and this year's programme folder)."""
    old = {relative(c.file, names[0]): c for c in before}
    found: list[TextChange] = []
    for chapter in now:
        file = relative(chapter.file, names[1])
        previous = old.get(file)
        found += changed_blocks(file, blocks(previous) if previous else [], blocks(chapter))
    return found


def relative(file: str, programme: str) -> str:
    return file.removeprefix(f"{programme}/")


def blocks(chapter: Chapter) -> list[Block]:
    """The chapter's paragraphs, headings and list items as written, with their lines."""
    return [
        Block(token.content, (parent.map[0] + 1) if parent.map else 0)
        for parent, token in zip(chapter.tokens, chapter.tokens[1:], strict=False)
        if token.type == "inline" and token.content.strip()
    ]


def changed_blocks(file: str, before: list[Block], now: list[Block]) -> list[TextChange]:
    matcher = difflib.SequenceMatcher(None, [b.text for b in before], [b.text for b in now])
    found: list[TextChange] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            found += list(differing(file, before[i1:i2], now[j1:j2]))
    return found


def differing(file: str, before: list[Block], now: list[Block]) -> Iterator[TextChange]:
    """In a stretch that differs, each block is paired with the first later block of last
    year that reads much alike (compared word by word); the others are new or gone."""
    pairs = paired(before, now)
    matched = set(pairs.values())
    for n, new in enumerate(now):
        old = pairs.get(n)
        if old is None:
            yield TextChange(file, new.line, ADDED, (("ins", new.text),))
        else:
            yield TextChange(file, new.line, CHANGED, words(before[old].text, new.text))
    for n, old_block in enumerate(before):
        if n not in matched:
            yield TextChange(file, old_block.line, REMOVED, (("del", old_block.text),))


def paired(before: list[Block], now: list[Block]) -> dict[int, int]:
    """This year's blocks (by index) and last year's they are a changed version of, in order."""
    pairs: dict[int, int] = {}
    start = 0
    for n, new in enumerate(now):
        for m in range(start, len(before)):
            if alike(before[m].text, new.text):
                pairs[n], start = m, m + 1
                break
    return pairs


def alike(before: str, now: str) -> bool:
    return difflib.SequenceMatcher(None, before.split(), now.split()).ratio() >= ALIKE


def words(before: str, now: str) -> tuple[tuple[str, str], ...]:
    old, new = WORDS.split(before), WORDS.split(now)
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if op == "equal":
            segments.append(("", "".join(new[j1:j2])))
            continue
        if i2 > i1:
            segments.append(("del", "".join(old[i1:i2])))
        if j2 > j1:
            segments.append(("ins", "".join(new[j1:j2])))
    return tuple(segments)


def moved_figures(changes: Sequence[TextChange]) -> list[MovedFigure]:
    """Where a changed block replaced typed figures by figure references, each pair in order."""
    moved: list[MovedFigure] = []
    for change in changes:
        segments = change.segments
        for (mark, removed), (next_mark, added) in zip(segments, segments[1:], strict=False):
            if (mark, next_mark) != ("del", "ins"):
                continue
            figures, references = FIGURE.findall(removed), REFERENCE.findall(added)
            moved += [
                MovedFigure(change.file, change.line, figure, reference)
                for figure, reference in zip(figures, references, strict=False)
            ]
    return moved
