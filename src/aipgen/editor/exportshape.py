"""Turn the parts of a BA export into the table an editor would have typed: the "Insgesamt"
row as a checked total (gesamt), change columns as formulas over the columns they follow
from, and the footnotes under the export as the table's notes. statimport.py writes the
table from these findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aipgen.base.numbers import round_half_up
from aipgen.editor.baexport import Export, ExportColumn, ExportRow, Figure

# a row that is the total of the others: "Insgesamt", "Summe", "Gesamt" (with a mark "1)")
TOTAL = re.compile(r"(insgesamt|summe|gesamt|zusammen)\b", re.IGNORECASE)
BELOW = re.compile(r"(dar\.|darunter\b)", re.IGNORECASE)
# a column of changes: its title or a title above it says so
CHANGE = re.compile(r"ver[äa]nderung|differenz|zu-?\s*/\s*abnahme", re.IGNORECASE)
PERCENT = re.compile(r"%|prozent", re.IGNORECASE)
# a line under the export that explains something in the table: "1) …", "*) …", "Hinweis: …"
NOTE = re.compile(r"((\d+|\*)\s*\))\s*\S|(Hinweis|Anmerkung|Fußnote)\b", re.IGNORECASE)
MARK = re.compile(r"(\d+)\)")
MIN_FITTING_ROWS = 2  # a formula is only taken from at least this many rows it explains


@dataclass(frozen=True)
class Total:
    """The export's total row (index in Export.rows) and whether it checks as gesamt."""

    index: int
    checks: bool
    why: str = ""  # German: why it is no gesamt row (a column whose rows do not add up)


def counted(row: ExportRow) -> bool:
    return not row.heading and not BELOW.match(row.label)


def total_row(export: Export, plain: list[int]) -> Total | None:
    """The first or last data row named like a total, and whether it is the sum of the other
    data rows in every plain column (anonymised cells: at least their sum)."""
    data = [k for k, row in enumerate(export.rows) if not row.heading]
    for at, others in ((data[0], data[1:]), (data[-1], data[:-1])):
        if len(data) > 1 and TOTAL.search(export.rows[at].label):
            rows = [export.rows[k] for k in others if counted(export.rows[k])]
            bad = [c for c in plain if not adds_up(export.rows[at].figures[c], rows, c)]
            why = ", ".join(f"„{export.columns[c].shown}“" for c in bad)
            return Total(at, not bad, why)
    return None


def adds_up(total: Figure, rows: list[ExportRow], c: int) -> bool:
    """As the build checks a stated sum: equal at the total's decimals, or at least the sum
    of the known cells where some are anonymised."""
    if total.number is None:
        return True
    parts = [r.figures[c] for r in rows]
    known = sum(f.number for f in parts if f.number is not None)
    stated = round_half_up(total.number, total.places)
    if any(f.code == "*" for f in parts):
        return stated >= round_half_up(known, total.places)
    return stated == round_half_up(known, total.places)


def is_change(column: ExportColumn) -> bool:
    return bool(CHANGE.search(column.shown))


def change_formulas(export: Export, ids: list[str]) -> dict[int, str]:
    """Column index → formula, for each change column that follows from two other columns in
    every row where all three are numbers: "sep_2022 - sep_2021" or, for a change in %,
    "(sep_2022 - sep_2021) / sep_2021 * 100"."""
    plain = [k for k, c in enumerate(export.columns) if not is_change(c)]
    found = {}
    for c, column in enumerate(export.columns):
        if not is_change(column):
            continue
        percent = bool(PERCENT.search(column.title))
        pairs = ((a, b) for a in plain for b in plain if a != b)
        fitting = next((p for p in pairs if fits(export.rows, c, p, percent)), None)
        if fitting is not None:
            a, b = ids[fitting[0]], ids[fitting[1]]
            found[c] = f"({a} - {b}) / {b} * 100" if percent else f"{a} - {b}"
    return found


def fits(rows: list[ExportRow], c: int, pair: tuple[int, int], percent: bool) -> bool:
    """Whether the stated change equals the computed one, rounded to its decimals, in every
    row where it and both columns are numbers (and there are enough such rows)."""
    a, b = pair
    n = 0
    for row in rows:
        stated, new, old = row.figures[c], row.figures[a], row.figures[b]
        if stated.number is None or new.number is None or old.number is None:
            continue
        if percent and old.number == 0:
            return False
        change = new.number - old.number
        computed = change / old.number * 100 if percent else change
        if round_half_up(computed, stated.places) != round_half_up(stated.number, stated.places):
            return False
        n += 1
    return n >= MIN_FITTING_ROWS


def table_notes(export: Export) -> list[str]:
    """The lines under the export that explain its marks and signs ("1) …", "*) …",
    "Hinweis: …"), as the table's notes; a numbered one only if a label or column title
    carries its mark."""
    used = marks_of([r.label for r in export.rows] + [c.shown for c in export.columns])
    return [t for t in export.footnotes if NOTE.match(t) and note_mark(t) in used | {""}]


def explains_anonymised(notes: list[str]) -> bool:
    return any(re.match(r"\*\s*\)", n) for n in notes)


def marks_of(texts: list[str]) -> set[str]:
    """The footnote marks ("1)") in labels and column titles."""
    return {m for t in texts for m in MARK.findall(t)}


def note_mark(note: str) -> str:
    found = re.match(r"(\d+)\s*\)", note)
    return found[1] if found else ""
