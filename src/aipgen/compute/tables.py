"""Turn a table file into a computed table: filled formulas, sums, trends, checks, headers.

Row kinds (zeile, gruppe, summe, gesamt) and column types (text, zahl, liste, trend) are
looked up in registries, so a new kind is one function, not another branch.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from aipgen.base.errors import Collector
from aipgen.base.numbering import group_label
from aipgen.base.numbers import NumberError, format_number, parse_number, round_half_up
from aipgen.compute.cellcontent import Part, content_parts, content_problems
from aipgen.compute.formula import ROW_FUNCTIONS, Formula, FormulaError, parse_formula
from aipgen.content.load import YamlDoc
from aipgen.content.model import Column, Row, TableFile

# the signs of the statistics in number cells, as shown; they count in no sum
MARKERS = {"x": "x", "-": "–", ".": ".", "*": "*"}
# what each means (the legend line `aipgen import` writes under a table, see statimport.py)
MARKER_MEANINGS = {
    "*": "anonymisiert",
    "-": "nichts vorhanden",
    "x": "Aussage nicht sinnvoll",
    ".": "Zahlenwert unbekannt",
}
# tables kept on one page (ComputedTable.short): rows, or rows of at most so many characters
SHORT_ROWS, SHORT_ROWS_OF_LITTLE_TEXT, LITTLE_TEXT = 3, 12, 1500
CELL_KEYS = ("wert", "geschaetzt", "nachkommastellen", "ca", "einheit")
TEXT_CELL_KEYS = {"text"}  # {text: "…"}: words in a number column, counted in no sum
ESTIMATE, ESTIMATE_BESIDE_ANONYMISED = "*", "s"  # the mark of an estimated value
APPROXIMATE = "ca.\u00a0"  # before an approximate value ("ca. 400"), tied to it
TREND_LABELS = {"up": "steigend", "flat": "gleichbleibend", "down": "fallend"}
# a table of prose (ComputedTable.reflows): a column after the first holds lists or content
# cells, or texts of at least so many characters on average
PROSE_TYPES, PROSE_CHARACTERS = ("liste", "inhalt"), 60


@dataclass(frozen=True)
class ListItem:
    """A point of a list cell, with the points of its own nested list."""

    text: str
    items: tuple[ListItem, ...] = ()

    @property
    def length(self) -> int:
        return len(self.text) + sum(item.length for item in self.items)


@dataclass(frozen=True)
class Cell:
    text: str = ""
    value: float | None = None
    items: tuple[ListItem, ...] = ()
    estimated: bool = False
    trend: str = ""
    numeric: bool = False
    mark: str = ""  # a mark column's symbol: what it means (legend, screen readers)
    rowspan: int = 1  # rows this cell spans; 0: continued by the cell above (not rendered)
    approximate: bool = False  # "ca. 400": an approximate value (it still counts in sums)
    parts: tuple[Part, ...] = ()  # typ inhalt: paragraphs, lists and small tables
    own_unit: str = ""  # a unit other than the column's: not a figure of the column
    # set invisibly so that the decimal commas of a column align (numberalign.py): the
    # decimals the cell lacks, inserted at pad_at, and the unit it lacks, after the cell
    pad: str = ""
    pad_at: int = 0
    pad_end: str = ""

    @property
    def head(self) -> str:
        """The text before the invisible decimals (all of it without them)."""
        return self.text[: self.pad_at] if self.pad else self.text

    @property
    def tail(self) -> str:
        """The text after the invisible decimals: the unit, a closing parenthesis."""
        return self.text[self.pad_at :] if self.pad else ""

    @property
    def empty(self) -> bool:
        """Nothing to show: no text, no list, no content."""
        return not (self.text or self.items or self.parts)


@dataclass(frozen=True)
class TableRow:
    kind: str
    cells: tuple[Cell, ...]
    label: str = ""
    id: str = ""
    below: bool = False
    emphasis: bool = False
    number: str = ""  # shown before the label ("1.", "1.4"): numbered groups and their rows


@dataclass(frozen=True)
class HeaderCell:
    text: str
    id: str
    colspan: int = 1
    rowspan: int = 1
    scope: str = "col"
    numeric: bool = False


@dataclass
class ComputedTable:
    name: str
    title: str
    source: str
    notes: list[str]
    columns: list[Column]
    header: list[list[HeaderCell]]
    headers_of: list[str]  # per column: the ids of its header cells, for <td headers>
    rows: list[TableRow]
    corridor: float | None = None
    estimated: bool = False
    marks: dict[str, str] = field(default_factory=dict)  # symbol → meaning, for the legend
    number: int = 0
    values: list[dict[str, float | None]] = field(default_factory=list)
    # per row: the values of the reference row (bezug) its shares are computed over, if any
    references: list[dict[str, float | None] | None] = field(default_factory=list)
    # stated figures printed although they differ from the computed ones, acknowledged by the
    # editor (abweichung_bestaetigt): "file:line: …", German, for the editor's change report
    differences: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The HTML id of the placed table (target of links and page references)."""
        return f"tabelle-{self.name}"

    @property
    def data_file(self) -> str:
        """Its data as CSV, in the data folder of a format that publishes one."""
        return f"tabelle-{self.name}.csv"

    @functools.cached_property
    def estimate_sign(self) -> str:
        """The mark of an estimated value: "*", or "s" (as the statistical offices write it)
        where "*" already stands in the table for an anonymised figure."""
        anonymised = any(c.text == "*" and c.numeric for row in self.rows for c in row.cells)
        return ESTIMATE_BESIDE_ANONYMISED if anonymised else ESTIMATE

    @property
    def text_length(self) -> int:
        """Characters in the body cells: few rows of long texts still make a tall table."""
        return sum(
            len(cell.text) + sum(item.length for item in cell.items)
            for row in self.rows
            for cell in row.cells
        )

    @property
    def reflows(self) -> bool:
        """Whether a phone shows the table as one block per row (each cell under its column's
        name) instead of letting it scroll: a column after the first holds prose."""
        return any(self.prose_column(j) for j in range(1, len(self.columns)))

    @property
    def wide(self) -> bool:
        """More than two columns: on a phone it may scroll beside its first column, which
        therefore stays narrow there."""
        return len(self.columns) > 2 and not self.reflows

    def prose_column(self, j: int) -> bool:
        if self.columns[j].type in PROSE_TYPES:
            return True
        if self.columns[j].type != "text":
            return False
        texts = [row.cells[j].text for row in self.rows if row.kind != "gruppe"]
        texts = [text for text in texts if text]
        return bool(texts) and sum(map(len, texts)) >= PROSE_CHARACTERS * len(texts)

    @functools.cached_property
    def column_labels(self) -> list[str]:
        """Per column, the names of its header cells ("Eintritte – 2016"), shown before each
        cell where the table reflows."""
        names = {h.id: h.text for row in self.header for h in row}
        return [" – ".join(names[i] for i in ids.split()) for ids in self.headers_of]

    @property
    def short(self) -> bool:
        """Whether the PDFs keep the table on one page: up to 3 rows (it could not split with
        three rows a page anyway), or up to 12 rows of little text."""
        rows = len(self.rows)
        return rows <= SHORT_ROWS or (
            rows <= SHORT_ROWS_OF_LITTLE_TEXT and self.text_length <= LITTLE_TEXT
        )


@dataclass
class Parsed:
    """One row while it is being computed."""

    row: Row
    index: int
    stated: list[Any]
    values: dict[str, float | None] = field(default_factory=dict)
    label: str = ""  # the group number in front of a group row's text ("I.")
    estimated: set[str] = field(default_factory=set)
    decimals: dict[str, int] = field(default_factory=dict)  # per-cell overrides
    approximate: set[str] = field(default_factory=set)  # columns with a "ca." value
    broken: set[str] = field(default_factory=set)  # columns whose cell was reported wrong
    # cells with a unit of their own ("30,4 %" in a € column): shown, counted in no sum
    own_units: dict[str, tuple[float, str]] = field(default_factory=dict)


@dataclass
class Context:
    name: str
    table: TableFile
    doc: YamlDoc
    errors: Collector
    formulas: dict[str, Formula]
    reported: set[str] = field(default_factory=set)
    differences: list[str] = field(default_factory=list)

    def error(self, path: tuple[str | int, ...], message: str) -> None:
        self.errors.add(*self.doc.where(path), message)

    def acknowledged(self, path: tuple[str | int, ...], message: str) -> None:
        """A difference the editor acknowledged: for the editor's report, not an error."""
        file, line = self.doc.where(path)
        self.differences.append(f"{file}:{line}: {message}")

    def error_once(self, key: str, path: tuple[str | int, ...], message: str) -> None:
        """Report a problem the first time it shows (formulas run several passes)."""
        if key not in self.reported:
            self.reported.add(key)
            self.error(path, message)


def compute_table(name: str, table: TableFile, doc: YamlDoc, errors: Collector) -> ComputedTable:
    ctx = Context(name, table, doc, errors, parse_formulas(table, doc, errors))
    parsed = [parse_row(ctx, i, row) for i, row in enumerate(table.rows)]
    number_groups(table, parsed)
    check_acknowledgements(ctx, parsed)
    for item in parsed:  # sums first: a reference row (bezug) may be a sum below its rows
        SUMS[item.row.kind](ctx, item, parsed)
    for item in parsed:
        apply_formulas(ctx, item, reference_for(item, parsed))
    apply_row_formulas(ctx, parsed)
    check_row_numbers(ctx, parsed)
    header, headers_of = build_header(name, table.columns)
    rows = merge_cells(ctx, parsed, [build_row(ctx, item) for item in parsed])
    trends = [c.corridor for c in table.columns if c.type == "trend"]
    return ComputedTable(
        name=name,
        title=table.title,
        source=table.source,
        notes=table.notes,
        columns=table.columns,
        header=header,
        headers_of=headers_of,
        rows=rows,
        corridor=trends[0] if trends else None,
        estimated=any(item.estimated for item in parsed),
        marks=table.marks if any(c.type == "marke" for c in table.columns) else {},
        values=[item.values for item in parsed],
        references=[reference_for(item, parsed) for item in parsed],
        differences=ctx.differences,
    )


def row_label(row: TableRow, index: int) -> str:
    """The row's text; a row without one (its first cell merged with the row above) by its
    position."""
    first = row.cells[0].text if row.cells else ""
    return row.label or first or f"Zeile {index + 1}"


def row_keys(rows: list[TableRow]) -> list[str]:
    """Each row's key: its id, else its text, else its text after its group's; a key that
    still repeats is numbered from its second time on."""
    group = ""
    plain: list[tuple[str, str]] = []
    for i, row in enumerate(rows):
        if row.kind == "gruppe":
            group = row.label
        plain.append((group, row_label(row, i)))
    counts = Counter(label for _, label in plain)
    keys = [
        row.id or (label if counts[label] == 1 else f"{group} › {label}")
        for row, (group, label) in zip(rows, plain, strict=True)
    ]
    seen: Counter[str] = Counter()
    numbered = []
    for key in keys:
        seen[key] += 1
        numbered.append(key if seen[key] == 1 else f"{key} ({seen[key]})")
    return numbered


GROUP_KINDS = ("gruppe", "gruppensumme")


def check_acknowledgements(ctx: Context, parsed: list[Parsed]) -> None:
    """`abweichung_bestaetigt` names number columns of the table."""
    numbers = {c.id for c in ctx.table.columns if c.type == "zahl"}
    for item in parsed:
        for k, column_id in enumerate(item.row.acknowledged):
            if column_id not in numbers:
                ctx.error(
                    ("zeilen", item.index, "abweichung_bestaetigt", k),
                    f"„abweichung_bestaetigt“ nennt „{column_id}“, aber das ist keine "
                    "Zahlenspalte der Tabelle.",
                )


def number_groups(table: TableFile, parsed: list[Parsed]) -> None:
    """Group rows numbered in the table's style (gruppen_nummern): "I.", "II." …"""
    if table.group_numbers is None:
        return
    groups = [item for item in parsed if item.row.kind in GROUP_KINDS]
    for n, item in enumerate(groups, start=1):
        item.label = group_label(table.group_numbers, n)


def parse_formulas(table: TableFile, doc: YamlDoc, errors: Collector) -> dict[str, Formula]:
    ids = {c.id for c in table.columns}
    formulas = {}
    for i, column in enumerate(table.columns):
        where = doc.line(("spalten", i, "formel"))
        if column.type == "trend" and column.basis not in ids:
            errors.add(
                doc.file,
                doc.line(("spalten", i, "basis")),
                f"Die Trendspalte nennt die unbekannte Spalte „{column.basis}“.",
            )
        if column.formula is None:
            continue
        try:
            formulas[column.id] = parse_formula(column.formula, ids - {column.id})
        except FormulaError as exc:
            errors.add(doc.file, where, f"{exc}.")
    return formulas


def parse_row(ctx: Context, index: int, row: Row) -> Parsed:
    columns = ctx.table.columns
    stated = list(row.values) if row.values is not None else [None] * len(columns)
    if len(stated) != len(columns):
        ctx.error(
            ("zeilen", index, "werte"),
            f"Die Zeile hat {len(stated)} Werte, die Tabelle aber {len(columns)} Spalten."
            + comma_hint(stated),
        )
        item = Parsed(row, index, [None] * len(columns))
        item.broken = {column.id for column in columns}  # shifted values say nothing more
        item.values = dict.fromkeys(item.broken)
        return item
    item = Parsed(row, index, stated)
    for j, (column, raw) in enumerate(zip(columns, stated, strict=True)):
        item.values[column.id] = parse_cell(ctx, item, j, column, raw)
    return item


WHOLE_PART = re.compile(r"-?\d{1,3}(\.\d{3})*")
FRACTION = re.compile(r"\d{1,3}")


def comma_hint(values: list[Any]) -> str:
    """A German number written without quotes (8.683.739,00) falls apart at its comma in a YAML
    list; name the number and the fix."""
    for whole, fraction in zip(values, values[1:], strict=False):
        if WHOLE_PART.fullmatch(str(whole)) and FRACTION.fullmatch(str(fraction)):
            shown = "00" if fraction == 0 else fraction  # YAML reads ",00" as the number 0
            number = f"{whole},{shown}"
            return (
                f" Steht dort die Zahl {number}? In einer YAML-Liste trennt das Komma die Werte: "
                f'Zahlen mit Komma in Anführungszeichen setzen ("{number}").'
            )
    return ""


def parse_cell(ctx: Context, item: Parsed, j: int, column: Column, raw: Any) -> float | None:
    """The cell's number (None for none), its problems reported; the column's type says how
    to read it (CELL_PARSERS), after the details of a cell written {wert: …, …}."""
    if has_details(raw, column):
        return parse_details(ctx, item, j, column, raw)
    return CELL_PARSERS[column.type](ctx, item, j, column, raw)


def has_details(raw: Any, column: Column) -> bool:
    """A cell written {wert: …, geschaetzt: …}: not a content cell, not {text: …}."""
    if not isinstance(raw, dict) or column.type == "inhalt":
        return False
    return not (column.type == "zahl" and set(raw) == TEXT_CELL_KEYS)


def parse_details(
    ctx: Context, item: Parsed, j: int, column: Column, raw: dict[Any, Any]
) -> float | None:
    """A cell with details: the flags recorded, the value read as the column reads it."""
    problem = cell_keys_problem(raw)
    if problem:
        ctx.error(("zeilen", item.index, "werte", j), problem)
        item.broken.add(column.id)
        return None
    if raw.get("geschaetzt"):
        item.estimated.add(column.id)
    if raw.get("ca"):
        item.approximate.add(column.id)
    if isinstance(raw.get("nachkommastellen"), int):
        item.decimals[column.id] = raw["nachkommastellen"]
    value = item.stated[j] = raw["wert"]
    if raw.get("einheit") is not None:
        return own_unit(ctx, item, j, column, (value, raw["einheit"]))
    return CELL_PARSERS[column.type](ctx, item, j, column, value)


def shown_title(column: Column) -> str:
    return column.title or column.id


def parse_text(ctx: Context, item: Parsed, j: int, column: Column, raw: Any) -> float | None:
    if raw is not None and not isinstance(raw, str | int | float):
        ctx.error(
            ("zeilen", item.index, "werte", j), f"In der Spalte „{shown_title(column)}“ steht Text."
        )
    return None


def parse_content(ctx: Context, item: Parsed, j: int, column: Column, raw: Any) -> float | None:
    for problem_path, problem in content_problems(raw, ("zeilen", item.index, "werte", j)):
        ctx.error(problem_path, f"Spalte „{shown_title(column)}“: {problem}")
    return None


def parse_mark(ctx: Context, item: Parsed, j: int, column: Column, raw: Any) -> float | None:
    if raw not in (None, "") and raw not in ctx.table.marks:
        known = ", ".join(f"„{m}“" for m in ctx.table.marks)
        ctx.error(
            ("zeilen", item.index, "werte", j),
            f"„{raw}“ ist keines der Zeichen unter „marken“ "
            f"(Spalte „{shown_title(column)}“; möglich sind {known} oder eine leere Zelle).",
        )
    return None


MAX_LIST_LEVELS = 3  # a list in a cell, a list in it, and one more


def parse_list(ctx: Context, item: Parsed, j: int, column: Column, raw: Any) -> float | None:
    """A list cell: texts, and after a text a list of its own sub-items (nested lists)."""
    path: tuple[str | int, ...] = ("zeilen", item.index, "werte", j)
    if raw is None:
        return None
    for where, problem in list_problems(raw, path, 1):
        ctx.error(where, f"Spalte „{shown_title(column)}“: {problem}")
    return None


def list_problems(
    raw: Any, path: tuple[str | int, ...], level: int
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """What is wrong with a (nested) list of a list cell, where."""
    if not isinstance(raw, list) or not raw:
        yield path, LIST_FORM
        return
    for k, entry in enumerate(raw):
        if isinstance(entry, list):
            if k == 0 or isinstance(raw[k - 1], list):
                yield (*path, k), "Eine eingerückte Liste steht unter einem Punkt: " + LIST_FORM
            elif level >= MAX_LIST_LEVELS:
                yield (*path, k), f"Listen sind höchstens {MAX_LIST_LEVELS} Ebenen tief."
            else:
                yield from list_problems(entry, (*path, k), level + 1)
        elif isinstance(entry, bool) or not isinstance(entry, str | int | float):
            yield (*path, k), LIST_FORM


LIST_FORM = (
    "Eine Zelle vom Typ „liste“ ist eine Liste von Texten; die Unterpunkte eines Punktes "
    "stehen als eigene Liste direkt nach ihm, z. B. [erster Punkt, [Unterpunkt, Unterpunkt], "
    "zweiter Punkt]."
)


def parse_number_cell(ctx: Context, item: Parsed, j: int, column: Column, raw: Any) -> float | None:
    path = ("zeilen", item.index, "werte", j)
    if isinstance(raw, dict) and set(raw) == TEXT_CELL_KEYS:  # words, counted in no sum
        if not isinstance(raw["text"], str):
            ctx.error(path, "Bei {text: …} steht hinter „text“ ein Text.")
        return None
    if isinstance(raw, bool) or not (raw is None or isinstance(raw, int | float | str)):
        ctx.error(path, f"In der Zahlenspalte „{shown_title(column)}“ steht keine Zahl.")
        item.broken.add(column.id)  # its sums would only repeat this
        return None
    if isinstance(raw, str) and raw not in MARKERS and raw not in ctx.table.markers and raw != "":
        return german_number(ctx, item, j, column, raw)
    return float(raw) if isinstance(raw, int | float) else None


CELL_PARSERS: dict[str, Callable[[Context, Parsed, int, Column, Any], float | None]] = {
    "text": parse_text,
    "trend": parse_text,
    "marke": parse_mark,
    "liste": parse_list,
    "inhalt": parse_content,
    "zahl": parse_number_cell,
}


CELL_FORM = (
    "Ein Zellwert mit Angaben hat die Form {wert: 123, geschaetzt: true, nachkommastellen: 0, "
    'ca: true, einheit: "%"} (in Zahlenspalten auch {text: "Text statt einer Zahl"})'
)


def cell_keys_problem(raw: dict[Any, Any]) -> str:
    """Why a cell with details cannot be read: an unknown key (named), or no value."""
    unknown = [str(key) for key in raw if key not in CELL_KEYS]
    if unknown:
        known = ", ".join(CELL_KEYS)
        return f"Unbekannte Angabe „{unknown[0]}“ im Zellwert (möglich sind {known}). {CELL_FORM}."
    if "wert" not in raw:
        return f"Im Zellwert fehlt „wert“. {CELL_FORM}."
    return ""


def own_unit(
    ctx: Context, item: Parsed, j: int, column: Column, cell: tuple[Any, Any]
) -> float | None:
    """A cell with a unit of its own ({wert: 30.4, einheit: "%"} in a € column): shown with
    it, but no figure of the column – it counts in no sum and no formula."""
    value, unit = cell
    path = ("zeilen", item.index, "werte", j)
    if not isinstance(unit, str) or column.type != "zahl":
        ctx.error(path, 'Hinter „einheit“ steht ein Text (z. B. "%"), nur in Zahlenspalten.')
        return None
    number = parse_cell(ctx, item, j, column, value)
    if number is not None:
        item.own_units[column.id] = (number, unit)
    item.stated[j] = ""  # the column's computations see an empty cell
    return None


def german_number(ctx: Context, item: Parsed, j: int, column: Column, raw: str) -> float | None:
    """A number cell given as German text in quotes ("8.683.739,00", as copied from a
    spreadsheet or a PDF) counts as that number."""
    path = ("zeilen", item.index, "werte", j)
    try:
        number = parse_number(raw.strip())
    except NumberError as exc:
        ctx.error(path, f"{exc} (Spalte „{column.title or column.id}“)")
        item.broken.add(column.id)
        return None
    if number is not None:
        item.stated[j] = number
        return float(number)
    item.broken.add(column.id)
    ctx.error(
        path,
        f"„{raw}“ ist keine Zahl (Spalte „{column.title or column.id}“; "
        'erlaubt sind Zahlen, auch deutsch geschrieben wie "1.234,5", und "x", "-", ".", '
        '"*" und "").',
    )
    return None


SECTION_ENDS = ("gruppe", "gruppensumme", "summe", "gesamt")  # where a group's rows end


def group_rows(item: Parsed, parsed: list[Parsed]) -> list[Parsed]:
    """The data rows a subtotal (summe) adds up: those of its group above it, up to the group
    row or the sum before; with none there (a total on top, as BA tables place it), those
    below it, up to the next group row or sum."""
    above = section(reversed(parsed[: item.index]))
    return above or section(iter(parsed[item.index + 1 :]))


def section(rows: Iterator[Parsed]) -> list[Parsed]:
    """The counted data rows in this order, up to the first group row or sum."""
    found = []
    for other in rows:
        if other.row.kind in SECTION_ENDS:
            break
        if counted(other):
            found.append(other)
    return found


def table_rows(item: Parsed, parsed: list[Parsed]) -> list[Parsed]:
    """The data rows a grand total (gesamt) adds up: all of the table's above it; with none
    there (a total on top), all below it. Rows below a bottom total stay outside it."""
    above = [other for other in parsed[: item.index] if counted(other)]
    return above or [other for other in parsed[item.index + 1 :] if counted(other)]


def counted(item: Parsed) -> bool:
    """A data row that sums count: not a "darunter" row, not one given for information."""
    row = item.row
    return row.kind == "zeile" and not row.below and not row.informational and row.formula is None


def following_rows(item: Parsed, parsed: list[Parsed]) -> list[Parsed]:
    """The data rows a group-total row adds up: those below it, up to the next one."""
    rows = []
    for other in parsed[item.index + 1 :]:
        if other.row.kind in ("gruppensumme", "gesamt"):
            break
        if counted(other):
            rows.append(other)
    return rows


def sum_group(ctx: Context, item: Parsed, parsed: list[Parsed]) -> None:
    """A subtotal (summe): the data rows of its group, above it or else below it."""
    add_up(ctx, item, group_rows(item, parsed))


def sum_table(ctx: Context, item: Parsed, parsed: list[Parsed]) -> None:
    """A grand total (gesamt), at the bottom or on top: the table's data rows."""
    add_up(ctx, item, table_rows(item, parsed))


def sum_following(ctx: Context, item: Parsed, parsed: list[Parsed]) -> None:
    """A group row with its sum (gruppensumme): the data rows below it, up to the next one."""
    add_up(ctx, item, following_rows(item, parsed))


def add_up(ctx: Context, item: Parsed, rows: list[Parsed]) -> None:
    """Fill (or check against the stated values) the sums of the rows in each number column.
    A stated sum is printed as stated; over anonymised cells ("*") it is at least the sum of
    the others."""
    for j, column in enumerate(ctx.table.columns):
        if column.type != "zahl" or column.id in ctx.formulas or item.stated[j] == "":
            continue
        if any(column.id in r.broken for r in rows):
            continue  # a cell below was reported already; its sum would only repeat that
        parts = [r.values[column.id] for r in rows]
        total = (
            sum(v for v in parts if v is not None) if any(v is not None for v in parts) else None
        )
        if total is not None and not math.isfinite(total):
            ctx.error(("zeilen", item.index, "werte", j), too_large(ctx, column))
            total = None
        if any(r.stated[j] == ANONYMISED for r in rows):
            at_least(ctx, item, j, column, total)
            continue
        check(ctx, item, j, column, total)
        if item.stated[j] is None:
            item.values[column.id] = total
        if any(column.id in r.approximate for r in rows if r.values[column.id] is not None):
            item.approximate.add(column.id)  # a sum over an approximate value is approximate


ANONYMISED = "*"


def at_least(ctx: Context, item: Parsed, j: int, column: Column, known: float | None) -> None:
    """A sum over anonymised cells: the stated figure is at least the sum of the known ones;
    without a stated figure there is none to print."""
    stated = item.stated[j]
    path = ("zeilen", item.index, "werte", j)
    where = f"Tabelle „{ctx.table.title}“, Spalte „{column.title or column.id}“"
    if not isinstance(stated, int | float) or isinstance(stated, bool):
        if stated is None:
            ctx.error(
                path,
                f"{where}: Die Summe lässt sich nicht berechnen, weil Zellen darüber oder "
                "darunter anonymisiert sind („*“). Die Summe aus der Quelle hier eintragen.",
            )
        return
    places = decimals(item.row, column)
    if known is None or round_half_up(stated, places) >= round_half_up(known, places):
        return
    ctx.error(
        path,
        f"{where}: angegeben {fmt(column, stated, places)}, aber schon die Zellen ohne die "
        f"anonymisierten („*“) ergeben {fmt(column, known, places)}; die Summe muss mindestens "
        f"{fmt(column, known, places)} sein.",
    )


def too_large(ctx: Context, column: Column) -> str:
    return (
        f"Tabelle „{ctx.table.title}“, Spalte „{column.title or column.id}“: "
        "Die Summe ist zu groß, um sie darzustellen."
    )


def no_sum(ctx: Context, item: Parsed, parsed: list[Parsed]) -> None:
    return None


SUMS: dict[str, Callable[[Context, Parsed, list[Parsed]], None]] = {
    "zeile": no_sum,
    "gruppe": no_sum,
    "summe": sum_group,
    "gesamt": sum_table,
    "gruppensumme": sum_following,
}


def reference_for(item: Parsed, parsed: list[Parsed]) -> dict[str, float | None] | None:
    """The values of the row a share is computed over (bezug): the reference row of the row's
    own group, above or below it; else the nearest above, else the nearest below."""
    bases = [other for other in parsed if other.row.reference]
    group = group_of(item, parsed)
    own = [other for other in bases if group_of(other, parsed) == group]
    base = nearest(item, own) or nearest(item, bases)
    return base.values if base else None


def nearest(item: Parsed, rows: list[Parsed]) -> Parsed | None:
    """The last of the rows at or above the row, else the first below it."""
    above = [other for other in rows if other.index <= item.index]
    return above[-1] if above else (rows[0] if rows else None)


def group_of(item: Parsed, parsed: list[Parsed]) -> int:
    """The index of the group row a row stands under (-1: before the first group row)."""
    return next(
        (o.index for o in reversed(parsed[: item.index + 1]) if o.row.kind in GROUP_KINDS), -1
    )


def apply_formulas(ctx: Context, item: Parsed, reference: dict[str, float | None] | None) -> None:
    if item.row.kind == "gruppe":
        return
    for _ in range(len(ctx.formulas)):  # later columns may feed earlier ones
        for j, column in enumerate(ctx.table.columns):
            formula = ctx.formulas.get(column.id)
            stated = item.stated[j]
            if formula is None or (isinstance(stated, str) and not isinstance(stated, bool)):
                continue
            computed = evaluate(ctx, item, j, formula, reference)
            if computed is not None and stated is None:  # a stated figure is printed as stated
                item.values[column.id] = computed
    for j, column in enumerate(ctx.table.columns):
        formula = ctx.formulas.get(column.id)
        if formula is not None and isinstance(item.stated[j], int | float):
            check(ctx, item, j, column, evaluate(ctx, item, j, formula, reference))


def evaluate(
    ctx: Context,
    item: Parsed,
    j: int,
    formula: Formula,
    reference: dict[str, float | None] | None,
) -> float | None:
    """The formula's value for one row; reports (once) a missing reference row or an overflow."""
    column = ctx.table.columns[j]
    if formula.needs_reference and reference is None:
        ctx.error_once(
            f"bezug:{column.id}",
            ("zeilen", item.index),
            f"Tabelle „{ctx.table.title}“, Spalte „{column.title or column.id}“: Die Formel "
            f"„{formula.text}“ braucht eine Bezugszeile (bezug: true) in der Tabelle.",
        )
        return None
    try:
        return formula.evaluate(item.values, reference)
    except FormulaError as exc:
        ctx.error_once(
            f"{item.index}:{j}",
            ("zeilen", item.index, "werte", j),
            f"Tabelle „{ctx.table.title}“: {exc}.",
        )
        return None


def check(ctx: Context, item: Parsed, j: int, column: Column, computed: float | None) -> None:
    """A stated value must equal the computed one at the column's precision (or within the
    row's tolerance); the table prints it as stated. A difference the row acknowledges
    (abweichung_bestaetigt) goes to the editor's report instead of failing."""
    stated = item.stated[j]
    if computed is None or not isinstance(stated, int | float) or isinstance(stated, bool):
        return
    tolerance = item.row.tolerance.get(column.id)
    places = decimals(item.row, column)
    if tolerance is not None and abs(stated - computed) <= tolerance:
        return
    if round_half_up(stated, places) == round_half_up(computed, places):
        stale_acknowledgement(ctx, item, column)
        return
    message = (
        f"Tabelle „{ctx.table.title}“, Spalte „{column.title or column.id}“: angegeben "
        f"{fmt(column, stated, places)}, berechnet {fmt(column, computed, places)}."
    )
    path = ("zeilen", item.index, "werte", j)
    if column.id in item.row.acknowledged:
        ctx.acknowledged(path, f"{message} Gedruckt wird die angegebene Zahl (bestätigt).")
    else:
        ctx.error(path, message)


def stale_acknowledgement(ctx: Context, item: Parsed, column: Column) -> None:
    """An acknowledged difference that is gone: the entry would let a later one pass unseen."""
    if column.id not in item.row.acknowledged:
        return
    k = item.row.acknowledged.index(column.id)
    ctx.error(
        ("zeilen", item.index, "abweichung_bestaetigt", k),
        f"„abweichung_bestaetigt“ nennt „{column.id}“, aber angegebene und berechnete Zahl "
        "stimmen überein; den Eintrag entfernen.",
    )


def decimals(row: Row, column: Column) -> int:
    """A row may ask for other decimals (quotas in a table of counts) in its base columns."""
    if row.decimals is not None and column.formula is None:
        return row.decimals
    return column.decimals


def fmt(column: Column, value: float, places: int | None = None) -> str:
    places = column.decimals if places is None else places
    return format_number(value, places, column.unit, column.signed)


def build_row(ctx: Context, item: Parsed) -> TableRow:
    row = item.row
    label = row.group or row.subtotal or row.total or row.group_total or ""
    label = f"{item.label} {label}" if item.label else label
    number = row.number or ""
    if row.kind == "gruppe":
        return TableRow("gruppe", (), label, row.id or "", emphasis=row.emphasis, number=number)
    cells = tuple(
        CELLS[c.type](ctx, item, j, row_column(row, c)) for j, c in enumerate(ctx.table.columns)
    )
    if row.kind in ("summe", "gesamt", "gruppensumme") and not cells[0].text:
        cells = (Cell(text=label),) + cells[1:]
    emphasis = row.emphasis or row.kind in ("summe", "gesamt", "gruppensumme")
    return TableRow(row.kind, cells, label, row.id or "", row.below, emphasis, number)


def row_column(row: Row, column: Column) -> Column:
    """The column as this row shows it: a row may have its own unit and sign (a row of changes
    in % in a table of amounts)."""
    if column.type != "zahl" or (row.unit is None and row.signed is None):
        return column
    unit = column.unit if row.unit is None else row.unit
    signed = column.signed if row.signed is None else row.signed
    return column.model_copy(update={"unit": unit, "signed": signed})


def apply_row_formulas(ctx: Context, parsed: list[Parsed]) -> None:
    """Rows computed across the table: names are row ids, evaluated in each number column
    without a formula of its own; `vorspalte(id)` is that row's value in the number column
    before. A stated value is checked (within the row's tolerance) and shown as stated."""
    ids = {item.row.id: item for item in parsed if item.row.id}
    columns = [
        (j, c)
        for j, c in enumerate(ctx.table.columns)
        if c.type == "zahl" and c.id not in ctx.formulas
    ]
    for item in parsed:
        text = item.row.formula
        if text is None:
            continue
        try:
            formula = parse_formula(text, set(ids) - {item.row.id}, ROW_FUNCTIONS, "Zeile")
        except FormulaError as exc:
            ctx.error(("zeilen", item.index, "formel"), f"{exc}.")
            continue
        previous: dict[str, float | None] | None = None
        for j, column in columns:
            current = {name: other.values.get(column.id) for name, other in ids.items()}
            stated = item.stated[j]
            if not (isinstance(stated, str) and stated):  # "" and markers stay as they are
                computed = evaluate_row(ctx, item, j, formula, current, previous)
                if stated is None:
                    item.values[column.id] = computed
                elif stated != "":
                    check(ctx, item, j, row_column(item.row, column), computed)
            previous = current


def evaluate_row(
    ctx: Context,
    item: Parsed,
    j: int,
    formula: Formula,
    current: dict[str, float | None],
    previous: dict[str, float | None] | None,
) -> float | None:
    try:
        return formula.evaluate(current, previous)
    except FormulaError as exc:
        ctx.error(("zeilen", item.index, "werte", j), f"Tabelle „{ctx.table.title}“: {exc}.")
        return None


def check_row_numbers(ctx: Context, parsed: list[Parsed]) -> None:
    """Row numbers are unique, and a row's number extends the number of its group
    ("1.4" under "1."); a number without a dot inside ("4.") stands for itself."""
    seen: dict[str, int] = {}
    group = ""
    for item in parsed:
        number = item.row.number
        if number is None:
            if item.row.kind == "gruppe":
                group = ""
            continue
        key = number.rstrip(".")
        where = ("zeilen", item.index, "nummer")
        if key in seen:
            ctx.error(where, f"Die Nummer „{number}“ steht schon in Zeile {seen[key]}.")
        seen.setdefault(key, ctx.doc.where(where)[1])
        if item.row.kind == "gruppe" or "." not in key:
            group = key
        elif group and not key.startswith(group + "."):
            ctx.error(
                where,
                f"Die Nummer „{number}“ passt nicht zur Gruppe „{group}.“ darüber; "
                f"erwartet ist eine Nummer, die mit „{group}.“ beginnt.",
            )


def merge_cells(ctx: Context, parsed: list[Parsed], rows: list[TableRow]) -> list[TableRow]:
    """Cells a row continues (zeilen_verbinden) join the cell above: it spans, they vanish."""
    spans = [[1] * len(row.cells) for row in rows]
    ids = [c.id for c in ctx.table.columns]
    for item in parsed:
        for k, column_id in enumerate(item.row.merge_up):
            problem = merge_problem(ctx, item, parsed, column_id)
            if problem:
                ctx.error(("zeilen", item.index, "zeilen_verbinden", k), problem)
                continue
            j = ids.index(column_id)
            owner = next(i for i in range(item.index - 1, -1, -1) if spans[i][j])
            spans[owner][j] += 1
            spans[item.index][j] = 0
    return [
        replace(
            row, cells=tuple(replace(c, rowspan=n) for c, n in zip(row.cells, span, strict=True))
        )
        for row, span in zip(rows, spans, strict=True)
    ]


def merge_problem(ctx: Context, item: Parsed, parsed: list[Parsed], column_id: str) -> str | None:
    """Why a row cannot continue the cell above in this column, or None."""
    columns = {c.id: (j, c) for j, c in enumerate(ctx.table.columns)}
    if column_id not in columns:
        return f"„zeilen_verbinden“ nennt die unbekannte Spalte „{column_id}“."
    j, column = columns[column_id]
    above = parsed[item.index - 1] if item.index else None
    if above is None or above.row.kind == "gruppe":
        return (
            f"Die Zelle in Spalte „{column.title or column.id}“ soll die Zelle darüber "
            "fortsetzen, aber über dieser Zeile steht keine Zeile mit Werten."
        )
    if item.stated[j] not in (None, ""):
        return (
            f"Die Zelle in Spalte „{column.title or column.id}“ setzt die Zelle darüber fort "
            f"und bleibt leer; der Wert „{item.stated[j]}“ gehört in die Zeile darüber."
        )
    return None


def text_cell(ctx: Context, item: Parsed, j: int, column: Column) -> Cell:
    raw = item.stated[j]
    return Cell(text="" if raw is None else str(raw))


def list_cell(ctx: Context, item: Parsed, j: int, column: Column) -> Cell:
    raw = item.stated[j]
    if not isinstance(raw, list) or any(list_problems(raw, (), 1)):
        return Cell()
    return Cell(items=list_items(raw))


def list_items(raw: list[Any]) -> tuple[ListItem, ...]:
    """A checked list: each text a point, a list after it that point's own points."""
    items: list[ListItem] = []
    for entry in raw:
        if isinstance(entry, list):
            items[-1] = replace(items[-1], items=list_items(entry))
        else:
            items.append(ListItem(str(entry)))
    return tuple(items)


def number_cell(ctx: Context, item: Parsed, j: int, column: Column) -> Cell:
    raw = item.stated[j]
    if isinstance(raw, str) and raw in MARKERS:
        return Cell(text=MARKERS[raw], numeric=True)
    if isinstance(raw, dict) and set(raw) == TEXT_CELL_KEYS:
        return Cell(text=str(raw["text"]))
    if isinstance(raw, str) and raw in ctx.table.markers:
        return Cell(text=raw, numeric=True)
    if column.id in item.own_units:
        return own_unit_cell(item, column)
    value = item.values.get(column.id)
    if raw == "" or value is None:
        return Cell(numeric=True)
    text = fmt(column, value, item.decimals.get(column.id, decimals(item.row, column)))
    text = f"({text})" if item.row.informational else text
    approximate = column.id in item.approximate
    return Cell(
        APPROXIMATE + text if approximate else text,
        value,
        estimated=column.id in item.estimated,
        numeric=True,
        approximate=approximate,
    )


def own_unit_cell(item: Parsed, column: Column) -> Cell:
    number, unit = item.own_units[column.id]
    shown = column.model_copy(update={"unit": unit})
    places = item.decimals.get(column.id, decimals(item.row, column))
    return Cell(fmt(shown, number, places), number, numeric=True, own_unit=unit)


def trend_cell(ctx: Context, item: Parsed, j: int, column: Column) -> Cell:
    basis = next((c for c in ctx.table.columns if c.id == column.basis), None)
    value = item.values.get(column.basis or "")
    if basis is None or value is None or item.stated[j] == "":
        return Cell()
    rounded = float(round_half_up(value, basis.decimals))
    direction = (
        "up" if rounded >= column.corridor else "down" if rounded < -column.corridor else "flat"
    )
    return Cell(text=TREND_LABELS[direction], trend=direction)


def mark_cell(ctx: Context, item: Parsed, j: int, column: Column) -> Cell:
    raw = item.stated[j]
    if not isinstance(raw, str) or raw not in ctx.table.marks:
        return Cell()
    return Cell(text=raw, mark=ctx.table.marks[raw])


def content_cell(ctx: Context, item: Parsed, j: int, column: Column) -> Cell:
    raw = item.stated[j]
    if content_problems(raw, ()):
        return Cell()
    return Cell(parts=content_parts(raw))


CELLS: dict[str, Callable[[Context, Parsed, int, Column], Cell]] = {
    "text": text_cell,
    "marke": mark_cell,
    "liste": list_cell,
    "inhalt": content_cell,
    "zahl": number_cell,
    "trend": trend_cell,
}


def build_header(name: str, columns: list[Column]) -> tuple[list[list[HeaderCell]], list[str]]:
    """Header rows from the column groups: shared group cells span, leaf cells fill down."""
    depth = max(len(c.groups) for c in columns) + 1
    rows: list[list[HeaderCell]] = [[] for _ in range(depth)]
    headers_of: list[list[str]] = [[] for _ in columns]
    for level in range(depth):
        j = 0
        while j < len(columns):
            column = columns[j]
            numeric = column.type not in ("text", "inhalt")
            if level < len(column.groups):
                prefix = column.groups[: level + 1]
                span = 1
                while j + span < len(columns) and columns[j + span].groups[: level + 1] == prefix:
                    span += 1
                cell_id = f"{name}-h{level}-{j}"
                rows[level].append(HeaderCell(prefix[-1], cell_id, colspan=span, scope="colgroup"))
                for k in range(j, j + span):
                    headers_of[k].append(cell_id)
                j += span
                continue
            if level == len(column.groups):
                cell_id = f"{name}-h{level}-{j}"
                rows[level].append(
                    HeaderCell(column.title, cell_id, rowspan=depth - level, numeric=numeric)
                )
                if column.title:  # a column without a name has no header cell (an empty <td>)
                    headers_of[j].append(cell_id)
            j += 1
    return rows, [" ".join(ids) for ids in headers_of]
