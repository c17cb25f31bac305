"""Align the decimal commas of a table's number columns: for each number cell, the characters
it lacks against the column's most decimals and longest unit ("6.893" beside "8,6 %" lacks
",0 %"), which the templates set invisibly. Right-aligned with tabular digits, the commas
then stand under each other in the website and both PDFs alike (CSS cannot align on a
character in browsers or WeasyPrint).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from aipgen.compute.tables import Cell, TableRow

# head: up to the last digit before the decimals; decimals: ",5"; tail: unit, ")", no digits
NUMBER = re.compile(r"(?P<head>.*?\d(?:[\d.]*\d)?)(?P<decimals>,\d+)?(?P<tail>\D*)", re.DOTALL)


@dataclass(frozen=True)
class Shape:
    """A number cell's text taken apart: where its decimals end, how many, what follows."""

    at: int  # the position after the decimals (where missing decimals go)
    decimals: int
    tail: str  # after the number: the unit, a closing parenthesis, the estimate sign


def shape_of(cell: Cell, estimate: str) -> Shape | None:
    if not cell.numeric or not cell.text:
        return None
    sign = estimate if cell.estimated else ""
    found = NUMBER.fullmatch(cell.text)
    if found is None:  # a sign of the statistics ("x", "–"): it stands where the digits end
        return Shape(len(cell.text), 0, sign)
    places = len(found["decimals"] or ",") - 1
    return Shape(
        found.end("decimals") if found["decimals"] else found.end("head"),
        places,
        found["tail"] + sign,
    )


def aligned_rows(rows: list[TableRow], estimate: str) -> list[TableRow]:
    """The rows with each number cell padded to its column's decimals and unit."""
    width = max((len(row.cells) for row in rows), default=0)
    shapes = [[shape_of(c, estimate) for c in row.cells] for row in rows]
    pads: dict[tuple[int, int], Cell] = {}
    for j in range(width):
        column = [(i, s[j]) for i, s in enumerate(shapes) if j < len(s) and s[j] is not None]
        most = max((s.decimals for _, s in column if s is not None), default=0)
        longest = max((s.tail for _, s in column if s is not None), key=len, default="")
        for i, shape in column:
            if shape is not None:
                pads[i, j] = padded(rows[i].cells[j], shape, most, longest)
    return [
        dataclasses.replace(row, cells=tuple(pads.get((i, j), c) for j, c in enumerate(row.cells)))
        for i, row in enumerate(rows)
    ]


def padded(cell: Cell, shape: Shape, most: int, longest: str) -> Cell:
    missing = most - shape.decimals
    pad = ("," if shape.decimals == 0 and missing else "") + "0" * missing
    end = longest[len(shape.tail) :] if longest.startswith(shape.tail) else ""
    if not pad and not end:
        return cell
    return dataclasses.replace(cell, pad=pad, pad_at=shape.at, pad_end=end)
