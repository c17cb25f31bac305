"""Turn the value of a table cell of `typ: inhalt` into its parts: paragraphs, bullet lists and
small tables inside the cell (a goal's "Zielwerte": a sentence, then a list or a two-column
table), with `**bold**` runs in their texts.

A cell is a text (one paragraph) or a list of parts; a part is a text, `{liste: [...]}` or
`{tabelle: [[...], ...]}`. Problems come back as (path below the cell, German message), so the
table stage reports them with file and line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Path_ = tuple[str | int, ...]
Run = tuple[str, bool]  # a piece of text, bold or not
Runs = tuple[Run, ...]
STRONG = "**"
FORM = (
    "Eine Zelle vom Typ „inhalt“ ist ein Text oder eine Liste aus Texten, "
    "{liste: [...]} und {tabelle: [[...], ...]}."
)


@dataclass(frozen=True)
class Part:
    kind: str  # "absatz", "liste" or "tabelle"
    runs: Runs = ()  # absatz
    items: tuple[Runs, ...] = ()  # liste: one entry per bullet
    rows: tuple[tuple[Runs, ...], ...] = ()  # tabelle: rows of cells


def is_text(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def content_problems(raw: Any, path: Path_) -> list[tuple[Path_, str]]:
    """Everything wrong with a cell's content, each with the path of the offending value."""
    return list(_problems(raw, path))


def _problems(raw: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if raw is None or is_text(raw) or isinstance(raw, dict):  # one paragraph, list or table
        yield from _part_problems(raw, path)
    elif isinstance(raw, list):
        for k, part in enumerate(raw):
            yield from _part_problems(part, (*path, k))
    else:
        yield path, FORM


def _part_problems(part: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if part is None or is_text(part):
        yield from _text_problems(part, path)
    elif isinstance(part, dict) and len(part) == 1 and "liste" in part:
        yield from _list_problems(part["liste"], (*path, "liste"))
    elif isinstance(part, dict) and len(part) == 1 and "tabelle" in part:
        yield from _table_problems(part["tabelle"], (*path, "tabelle"))
    else:
        yield path, FORM


def _text_problems(raw: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(raw, str) and raw.count(STRONG) % 2:
        yield path, f"Zu „{STRONG}“ (Beginn von Fettdruck) fehlt das schließende „{STRONG}“."


def _list_problems(raw: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if not isinstance(raw, list) or not raw or not all(is_text(x) for x in raw):
        yield path, "„liste“ braucht eine Liste von Texten, z. B. [erster Punkt, zweiter Punkt]."
        return
    for n, item in enumerate(raw):
        yield from _text_problems(item, (*path, n))


def _table_problems(raw: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    rows_ok = isinstance(raw, list) and raw and all(isinstance(r, list) and r for r in raw)
    if not rows_ok or not all(is_text(c) for r in raw for c in r):
        yield path, "„tabelle“ braucht Zeilen aus Texten, z. B. [[IQ gesamt:, max. −1,5 %]]."
        return
    width = len(raw[0])
    for n, row in enumerate(raw):
        if len(row) != width:
            yield (
                (*path, n),
                f"Die Zeile hat {len(row)} Felder, die erste Zeile der Tabelle aber {width}.",
            )
        for m, cell in enumerate(row):
            yield from _text_problems(cell, (*path, n, m))


def runs(text: Any) -> Runs:
    """Text with `**bold**` pieces as runs: "max. **1,5 %**" → ("max. ", False), ("1,5 %", True)."""
    pieces = str(text).split(STRONG)
    return tuple((piece, k % 2 == 1) for k, piece in enumerate(pieces) if piece)


def content_parts(raw: Any) -> tuple[Part, ...]:
    """The parts of a valid cell (see content_problems)."""
    if raw is None or raw == "":
        return ()
    parts = raw if isinstance(raw, list) else [raw]  # a text, one list or table, or a list
    found = []
    for part in parts:
        if part is None:
            continue
        if is_text(part):
            found.append(Part("absatz", runs=runs(part)))
        elif "liste" in part:
            found.append(Part("liste", items=tuple(runs(x) for x in part["liste"])))
        else:
            rows = tuple(tuple(runs(c) for c in row) for row in part["tabelle"])
            found.append(Part("tabelle", rows=rows))
    return tuple(found)
