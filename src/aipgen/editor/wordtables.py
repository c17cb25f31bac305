"""A table of a Word file (Pandoc's tree) as a table file of the programme, in the form
`aipgen import` writes: header rows as column titles with their groups, German numbers parsed
into numbers with their decimals and unit (text columns kept as text), group rows, "darunter"
rows, cells over several rows (`zeilen_verbinden`), and a last "Summe"/"Insgesamt" row as a
`gesamt` row whose sums the build checks; a stated sum that differs from the rows' is printed as
stated (`abweichung_bestaetigt`). The file is loaded and computed as the build does before it
is taken; a table that does not compute is taken with its figures as text, and says why.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aipgen.base.numbers import round_half_up
from aipgen.editor.baexport import (
    CODES,
    ExportColumn,
    Figure,
    Source,
    StatImportError,
    deduplicated,
    figure_of,
)
from aipgen.editor.exportshape import BELOW
from aipgen.editor.statimport import (
    LABEL_ID,
    RESERVED_IDS,
    check_result,
    column_id,
    inline_cell,
    q,
    slug,
)

Node = dict[str, Any]
CAPTION = re.compile(r"^\s*(?:Tabelle|Tab\.)\s*\d+\s*[:.–-]?\s*(?P<title>\S.*)$", re.DOTALL)
SOURCE_LINE = re.compile(r"^\s*Quelle\s*:\s*(?P<source>\S.*)$", re.DOTALL)
TOTAL = re.compile(r"^(?:summe|insgesamt|gesamt)", re.IGNORECASE)
# a figure as a table prints it: sign, German number, unit ("+1.234,5 %", "2.923.965 €")
NUMBER_CELL = re.compile(
    r"(?P<plus>\+)?(?P<number>[−-]?\d[\d.]*(?:,\d+)?)\s*(?P<unit>%|€|T€|Tsd\. €|Mio\. €|EUR)?"
)
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u00ad": None})


class WordTableError(Exception):
    """The table cannot become a table file; the message (German) says why."""


@dataclass(frozen=True)
class TableFiles:
    name: str
    files: dict[str, bytes]
    notes: list[str] = field(default_factory=list)  # what the report says about it


@dataclass
class Grid:
    """The table's cells as text, spans filled: a header cell over several columns or rows
    stands in each; a body cell over several rows stands in its first (`continued`)."""

    header: list[list[str]]
    rows: list[list[str]]
    continued: list[set[int]]  # per body row: the columns whose cell continues the one above
    spanning: list[bool]  # per body row: one cell across the whole width


@dataclass(frozen=True)
class NumberColumn:
    places: int
    unit: str
    signed: bool


def plain_text(node: Any) -> str:
    """The text of a part of Pandoc's tree (footnotes left out)."""
    if isinstance(node, list):
        return "".join(plain_text(item) for item in node)
    if isinstance(node, dict):
        kind = node.get("t")
        if kind == "Str":
            return str(node["c"])
        if kind in ("Space", "SoftBreak", "LineBreak"):
            return " "
        if kind == "Note":
            return ""
        if kind in ("Para", "Plain") and isinstance(node.get("c"), list):
            return plain_text(node["c"]) + " "
        return plain_text(node.get("c", []))
    return ""


def cell_text(cell: list[Any]) -> str:
    return " ".join(plain_text(cell[4]).translate(SPACES).split())


def table_files(
    table: Node, caption: str, source: str, word_file: str, taken: set[str]
) -> TableFiles:
    """The table file for `table` (caption and source line as found around it) under a name
    not in `taken`; checked as the build loads and computes it."""
    grid = table_grid(table)
    if not grid.header or not grid.rows:
        raise WordTableError("Tabelle ohne Kopf- und Datenzeilen (zu klein für eine Tabelle)")
    title = table_title(table, caption) or f"Tabelle {len(taken) + 1}"
    name = unique(file_name(title), taken)
    found = SOURCE_LINE.match(source)
    head = [
        f"# Übernommen aus „{word_file}“ (aipgen import-word). Titel, Spaltenköpfe, Spalten-ids",
        "# und Summen bitte prüfen.",
        f"titel: {q(title)}",
        *([f"quelle: {q(found['source'].strip())}"] if found else []),
    ]
    rel = f"tabellen/{name}.yaml"
    text = "\n".join([*head, *table_body(grid, numbers=True), ""])
    try:
        check_result(Path(name), rel, {Path(rel): text.encode("utf-8")})
        return TableFiles(name, {rel: text.encode("utf-8")})
    except StatImportError as exc:
        why = str(exc).splitlines()[-1]
    text = "\n".join([*head, *table_body(grid, numbers=False), ""])
    note = f"Tabelle „{title}“: Zahlen als Text übernommen, denn: {why}"
    return TableFiles(name, {rel: text.encode("utf-8")}, [note])


def table_title(table: Node, caption: str) -> str:
    own = " ".join(plain_text(table["c"][1][1]).split())
    for text in (own, " ".join(caption.split())):
        found = CAPTION.match(text)
        if found or text:
            return found["title"].strip() if found else text
    return ""


def file_name(title: str) -> str:
    words = [w for w in slug(title).split("_") if w][:3]
    return "-".join(words) or "tabelle"


def unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}-{n}", n + 1
    return candidate


# --- the grid -----------------------------------------------------------------------------


def table_grid(table: Node) -> Grid:
    _, _, specs, head, bodies, foot = table["c"]
    width = len(specs)
    header = [texts for texts, _, _ in expand(head[1], width, fill_down=True)]
    body_rows = [row for body in bodies for row in (*body[2], *body[3])] + list(foot[1])
    expanded = expand(body_rows, width, fill_down=False)
    rows = [texts for texts, _, _ in expanded]
    continued = [cont for _, cont, _ in expanded]
    spanning = [span for _, _, span in expanded]
    if not header and rows:  # no row marked as header: the first row is
        header, rows, continued, spanning = [rows[0]], rows[1:], continued[1:], spanning[1:]
    kept = [i for i, row in enumerate(rows) if any(row)]
    return Grid(
        header,
        [rows[i] for i in kept],
        [continued[i] for i in kept],
        [spanning[i] for i in kept],
    )


def expand(rows: list[Any], width: int, fill_down: bool) -> list[tuple[list[str], set[int], bool]]:
    """Each row's texts by column, the columns continued from a cell above, and whether one
    cell spans the row."""
    pending: dict[int, tuple[str, int]] = {}  # column → text, rows it still covers
    out = []
    for row in rows:
        texts, continued = [""] * width, set()
        cells = iter(row[1])
        j = 0
        single = len(row[1]) == 1 and row[1][0][3] >= width
        while j < width:
            if j in pending:
                text, left = pending.pop(j)
                texts[j] = text if fill_down else ""
                continued.add(j)
                if left > 1:
                    pending[j] = (text, left - 1)
                j += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text, rowspan, colspan = cell_text(cell), cell[2], max(cell[3], 1)
            for k in range(j, min(j + colspan, width)):
                texts[k] = text if (fill_down or k == j) else ""
                if rowspan > 1:
                    pending[k] = (text, rowspan - 1)
            j += colspan
        out.append((texts, continued, single))
    return out


# --- the table file -----------------------------------------------------------------------


def parsed(text: str) -> tuple[Figure, str, bool] | None:
    """A cell as a figure, its unit and whether it has a plus sign; None for text."""
    if not text:
        return Figure(), "", False
    if text in CODES:
        return Figure(code=CODES[text]), "", False
    found = NUMBER_CELL.fullmatch(text)
    figure = figure_of(Source(text=found["number"])) if found else None
    if found is None or figure is None:
        return None
    return figure, found["unit"] or "", bool(found["plus"])


def number_column(cells: list[str]) -> NumberColumn | None:
    """The column's decimals, unit and sign when all its cells are figures (one at least)."""
    found = [parsed(text) for text in cells]
    if any(f is None for f in found):
        return None
    figures = [f for f in found if f is not None and f[0].number is not None]
    units = {unit for _, unit, _ in figures if unit}
    if not figures or len(units) > 1:
        return None
    places = Counter(figure.places for figure, _, _ in figures)
    common = max(places, key=lambda p: (places[p], -p))
    return NumberColumn(common, units.pop() if units else "", any(plus for *_, plus in figures))


def table_body(grid: Grid, numbers: bool) -> list[str]:
    """spalten and zeilen of the table file."""
    width = len(grid.header[0])
    data = [i for i, spans in enumerate(grid.spanning) if not spans]
    kinds: list[NumberColumn | None] = [None]  # the first column holds the rows' labels
    kinds += [
        number_column([grid.rows[i][j] for i in data]) if numbers else None for j in range(1, width)
    ]
    ids = column_ids(grid)
    lines = ["spalten:", *column_lines(grid, ids, kinds), "zeilen:"]
    total = total_row(grid, kinds)
    for i, row in enumerate(grid.rows):
        if grid.spanning[i] or (any(kinds) and not any(row[1:]) and row[0]):
            lines.append(f"  - gruppe: {q(row[0])}")
        elif i == total:
            lines += total_lines(grid, i, kinds, ids)
        else:
            lines += data_lines(grid, i, kinds, ids)
    return lines


def column_ids(grid: Grid) -> list[str]:
    taken = set(RESERVED_IDS)
    ids = [LABEL_ID]
    for j in range(1, len(grid.header[0])):
        path = deduplicated(row[j] for row in grid.header)
        column = ExportColumn(j, path[-1] if path else "", tuple(path[:-1]))
        new = column_id(column, taken, j - 1)
        taken.add(new)
        ids.append(new)
    return ids


def column_lines(grid: Grid, ids: list[str], kinds: list[NumberColumn | None]) -> list[str]:
    label = " ".join(deduplicated(row[0] for row in grid.header))
    lines = [f"  - {{id: {LABEL_ID}, titel: {q(label)}, typ: text}}"]
    for j in range(1, len(ids)):
        path = deduplicated(row[j] for row in grid.header)
        parts = [f"id: {ids[j]}", f"titel: {q(path[-1] if path else '')}"]
        if len(path) > 1:
            parts.append(f"gruppe: [{', '.join(q(g) for g in path[:-1])}]")
        kind = kinds[j]
        if kind is None:
            parts.append("typ: text")
        else:
            parts += [f"nachkommastellen: {kind.places}"] if kind.places else []
            parts += [f"einheit: {q(kind.unit)}"] if kind.unit else []
            parts += ["vorzeichen: true"] if kind.signed else []
        lines.append(f"  - {{{', '.join(parts)}}}")
    return lines


def value(text: str, kind: NumberColumn | None) -> str:
    if kind is None:
        return q(text)
    found = parsed(text)
    figure = found[0] if found else Figure()
    if figure.number is None:
        return q(figure.code)
    return inline_cell(figure, kind.places)


def data_lines(grid: Grid, i: int, kinds: list[NumberColumn | None], ids: list[str]) -> list[str]:
    row = grid.rows[i]
    cells = [value(text, kinds[j]) for j, text in enumerate(row)]
    lines = [f"  - werte: [{', '.join(cells)}]"]
    if BELOW.match(row[0]):
        lines.append("    darunter: true")
    joined = [ids[j] for j in sorted(grid.continued[i]) if not row[j]]
    if joined and i > 0 and not grid.spanning[i - 1]:
        lines.append(f"    zeilen_verbinden: [{', '.join(joined)}]")
    return lines


def total_row(grid: Grid, kinds: list[NumberColumn | None]) -> int | None:
    """The last row, when it is a sum ("Summe", "Insgesamt") of a table with figures."""
    last = len(grid.rows) - 1
    if last < 1 or not any(kinds) or grid.spanning[last]:
        return None
    return last if TOTAL.match(grid.rows[last][0]) else None


def total_lines(grid: Grid, i: int, kinds: list[NumberColumn | None], ids: list[str]) -> list[str]:
    """The sum row: stated figures as stated; those that differ from the rows' sum printed
    so (abweichung_bestaetigt), the difference left to the editor's report."""
    row = grid.rows[i]
    cells = ["null", *(value(text, kinds[j]) for j, text in enumerate(row) if j)]
    lines = [f"  - gesamt: {q(row[0])}", f"    werte: [{', '.join(cells)}]"]
    differing = [ids[j] for j in range(1, len(row)) if differs(grid, i, j, kinds[j])]
    if differing:
        lines.append(f"    abweichung_bestaetigt: [{', '.join(differing)}]")
    return lines


def differs(grid: Grid, total: int, j: int, kind: NumberColumn | None) -> bool:
    """Whether the stated sum in column j differs from the sum of the data rows above it at
    the column's decimals (as the build compares them)."""
    found = parsed(grid.rows[total][j]) if kind else None
    if kind is None or found is None or found[0].number is None:
        return False
    parts = [
        parsed(grid.rows[i][j])
        for i in range(total)
        if not grid.spanning[i] and not BELOW.match(grid.rows[i][0]) and any(grid.rows[i][1:])
    ]
    numbers = [p[0].number for p in parts if p is not None and p[0].number is not None]
    if not numbers:
        return False
    stated = found[0].number
    return round_half_up(stated, kind.places) != round_half_up(sum(numbers), kind.places)
