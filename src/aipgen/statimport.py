"""`aipgen import`: figures from an export of the Statistik der Bundesagentur für Arbeit (BA),
xlsx or csv, into a table of a programme.

The export becomes a grid of cells; its title rows, header rows (merged group cells over
"absolut" | "in %"), data rows and the footnotes below are told apart, and its source line and
date (Datenstand, Berichtsmonat) are kept. Its rows and columns are matched to the table's by
label (within its group) and column title (with the titles of the groups above it). The table's
CSV file (`daten:`) or its YAML rows are updated in place (ruamel round trip: comments, flow
style and key order stay), or a new table is made. Nothing is written unless the table still
loads and computes; each file is replaced in one rename.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
import re
import tempfile
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from . import yamledit
from .csvdata import attach_csv
from .errors import Collector
from .formula import ROW_FUNCTIONS, Formula, FormulaError, parse_formula
from .limits import MAX_FILE_BYTES, german_size
from .load import YamlDoc, read_yaml
from .model import Column, Row, TableFile
from .numbers import MINUS, NumberError, format_date, format_number, parse_number, round_half_up
from .tables import MARKER_MEANINGS, MARKERS, ComputedTable, compute_table
from .validate import TABLE_CHECKS, check_model
from .write import write_file

XLSX = {".xlsx", ".xlsm"}
CSV_FILES = {".csv", ".txt"}
# the BA's signs for "no number", as the table writes them (an en dash is the BA's "-")
CODES = {"*": "*", "-": "-", "–": "-", "—": "-", "x": "x", "X": "x", ".": "."}
MAX_PLACES = 6
MONTHS = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")
STAND = re.compile(r"(Datenstand|Stand|Berichtsmonat|Stichtag)\b\s*:?\s*(\S.*)", re.IGNORECASE)
STAND_ORDER = ("datenstand", "stand", "berichtsmonat", "stichtag")
SOURCE = re.compile(r"Quelle\s*:\s*(\S.*)", re.IGNORECASE)
COPYRIGHT = re.compile(r"(?:©|\(c\))\s*(\S.*)", re.IGNORECASE)
# lines under (or above) the figures that are no part of the table
FOOTNOTE = re.compile(
    r"(\d+|\*|x|-|\.)\s*\)|(Quelle|Hinweis|Anmerkung|Fußnote|Erstellungsdatum|Datenstand|"
    r"Stand|Berichtsmonat|Stichtag)\b|©|\(c\)",
    re.IGNORECASE,
)
GENERIC_TITLE = re.compile(
    r"Arbeitsmarkt in Zahlen|Statistik der Bundesagentur für Arbeit|Erstellungsdatum\b.*|"
    r"Tabelle\s*\d*|Deckblatt",
    re.IGNORECASE,
)
FOOTNOTE_REF = re.compile(r"(\s*\d\))+$|[¹²³⁴⁵⁶⁷⁸⁹⁰]+$")
BELOW = re.compile(r"(dar\.|darunter\b)", re.IGNORECASE)
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "%": " prozent "})
RESERVED_IDS = {"art", "id", "merkmal"}  # the CSV's own columns and the label column
LABEL_ID = "merkmal"


class StatImportError(Exception):
    """The export cannot be taken over; the German message names the file and, where it
    applies, the row or line. Nothing was written."""


class StatImportCallError(StatImportError):
    """The call itself is wrong (no such file, unknown format, no table path); exit code 2."""


# --- the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CellChange:
    """One cell: its row's label, its column's title, old and new text (German numbers)."""

    row: str
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class Unmatched:
    """A row or column of one side that has none on the other: its label and where it is."""

    label: str
    where: str


@dataclass
class ImportReport:
    """What an import changed (or, with dry_run, would change) and what it left alone."""

    source: Path
    table: Path
    data_file: Path | None = None  # the CSV with the rows, if the table has one
    created: bool = False
    written: bool = False
    changes: list[CellChange] = field(default_factory=list)  # imported cells
    recomputed: list[CellChange] = field(default_factory=list)  # formulas, sums, trends
    meta: list[str] = field(default_factory=list)  # quelle and the Stand note
    new_rows: list[str] = field(default_factory=list)
    unmatched_rows: list[Unmatched] = field(default_factory=list)  # export rows, not imported
    missing_rows: list[Unmatched] = field(default_factory=list)  # table rows the export lacks
    unmatched_columns: list[Unmatched] = field(default_factory=list)
    missing_columns: list[Unmatched] = field(default_factory=list)
    computed_columns: list[str] = field(default_factory=list)  # matched, but formel/not numbers
    hints: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)  # lines of the export not taken over
    source_text: str = ""  # "Statistik der Bundesagentur für Arbeit"
    stand: str = ""  # "Datenstand: Oktober 2022"

    @property
    def changed(self) -> bool:
        return bool(self.created or self.changes or self.recomputed or self.meta)

    @property
    def complete(self) -> bool:
        """Every row and column of both sides found its counterpart."""
        unpaired = (self.unmatched_rows, self.missing_rows)
        return not any((*unpaired, self.unmatched_columns, self.missing_columns))

    def lines(self) -> list[str]:
        """The report in German, one line each, for the command line."""
        out = [self.heading()]
        out += [f"Neue Zeile „{label}“" for label in self.new_rows]
        out += [f"Zeile „{c.row}“, Spalte „{c.column}“: {c.old} → {c.new}" for c in self.changes]
        out += [
            f"Zeile „{c.row}“, Spalte „{c.column}“ (berechnet): {c.old} → {c.new}"
            for c in self.recomputed
        ]
        out += self.meta
        out += [self.unmatched_line(u, "Zeile", "keiner Zeile") for u in self.unmatched_rows]
        out += [self.missing_line(u, "Zeile") for u in self.missing_rows]
        out += [self.unmatched_line(u, "Spalte", "keiner Spalte") for u in self.unmatched_columns]
        out += [self.missing_line(u, "Spalte") for u in self.missing_columns]
        out += [
            f"Spalte „{title}“: wird berechnet oder ist keine Zahlenspalte; die Werte der "
            "Datei sind nicht übernommen."
            for title in self.computed_columns
        ]
        out += self.hints
        if self.footnotes:
            out.append(
                f"Nicht übernommen: {len(self.footnotes)} Zeilen mit Fußnoten und Hinweisen "
                "unter der Tabelle."
            )
        if not self.changed:
            out.append("Keine Zahl hat sich geändert; die Tabelle bleibt, wie sie ist.")
        return out

    def heading(self) -> str:
        data = f" (Zeilen in „{self.data_file.name}“)" if self.data_file else ""
        if self.created:
            return f"Neue Tabelle „{self.table}“ aus „{self.source.name}“{data}:"
        return f"Tabelle „{self.table}“{data} mit „{self.source.name}“ abgeglichen:"

    def unmatched_line(self, item: Unmatched, kind: str, none: str) -> str:
        return (
            f"{kind} „{item.label}“ ({item.where}) passt zu {none} der Tabelle und ist nicht "
            "übernommen."
        )

    def missing_line(self, item: Unmatched, kind: str) -> str:
        return (
            f"{kind} „{item.label}“ der Tabelle ({item.where}) steht nicht in "
            f"„{self.source.name}“ und bleibt unverändert."
        )


# --- reading the export into a grid -------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One cell of the export as read: text, or a number with the decimals it is shown with."""

    text: str = ""
    number: float | None = None
    places: int = 0

    @property
    def empty(self) -> bool:
        return self.number is None and not self.text


@dataclass
class Grid:
    file: str
    rows: list[list[Source]]
    lines: list[int]  # per row: its line (csv) or row number (xlsx)
    merges: list[tuple[int, int, int, int]] | None = None  # xlsx: (row, col, last row, last col)
    sheet: str = ""  # of a workbook with several sheets
    names: list[str] = field(default_factory=list)  # per column: "D" (xlsx) or "4" (csv)

    @property
    def shown(self) -> str:
        """The file (and sheet) for messages, quoted: „svb.xlsx“, Blatt „Tabelle 1“."""
        return f"„{self.file}“" + (f", Blatt „{self.sheet}“" if self.sheet else "")

    def column(self, j: int) -> str:
        return self.names[j] if j < len(self.names) else str(j + 1)


def read_grid(source: Path, sheet: str | None = None) -> Grid:
    """The export's cells, without columns that are empty from top to bottom."""
    if not source.is_file():
        raise StatImportCallError(f"Die Datei „{source}“ gibt es nicht.")
    suffix = source.suffix.lower()
    if suffix == ".xls":
        raise StatImportCallError(
            f"„{source.name}“ ist im alten Excel-Format (.xls); bitte in Excel als .xlsx "
            "speichern oder bei der Statistik der BA als xlsx oder csv herunterladen."
        )
    if suffix not in XLSX | CSV_FILES:
        raise StatImportCallError(
            f"„{source.name}“: Dateien mit der Endung „{suffix}“ werden nicht gelesen "
            "(möglich sind .xlsx und .csv)."
        )
    if source.stat().st_size > MAX_FILE_BYTES:
        raise StatImportError(
            f"„{source.name}“ ist größer als {german_size(MAX_FILE_BYTES)}; bitte nur die "
            "Tabelle exportieren."
        )
    if suffix in CSV_FILES:
        if sheet is not None:
            raise StatImportCallError("Ein Blatt (--blatt) gibt es nur in xlsx-Dateien.")
        return without_empty_columns(read_csv(source))
    return without_empty_columns(read_xlsx(source, sheet))


def read_csv(path: Path) -> Grid:
    text = decode(path.read_bytes(), path.name)
    delimiter = ";" if ";" in text else "\t" if "\t" in text else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Source]] = []
    lines: list[int] = []
    previous = 0
    try:
        for cells in reader:
            rows.append([csv_source(cell) for cell in cells])
            lines.append(previous + 1)
            previous = reader.line_num
    except csv.Error:
        raise StatImportError(
            f"„{path.name}“, Zeile {previous + 1}: Die CSV-Zeile ist nicht lesbar "
            "(Anführungszeichen?)."
        ) from None
    width = max((len(row) for row in rows), default=0)
    return Grid(path.name, rows, lines, names=[str(j + 1) for j in range(width)])


def decode(data: bytes, shown: str) -> str:
    """Text of a BA CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise StatImportError(f"„{shown}“ ist keine Textdatei (CSV), sondern binär.")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise StatImportError(
            f"„{shown}“ ist weder UTF-8 noch Windows-1252 kodiert; bitte als CSV (UTF-8) speichern."
        ) from None


def csv_source(text: str) -> Source:
    return Source(text=clean(text))


def clean(text: str) -> str:
    """Whitespace (line breaks in header cells, no-break spaces) as single spaces."""
    return " ".join(text.split())


def read_xlsx(path: Path, sheet: str | None) -> Grid:
    import openpyxl  # type: ignore[import-untyped]  # only an import needs it (no stubs)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style" and the like
            book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # a broken file fails in many ways inside openpyxl
        raise StatImportError(
            f"„{path.name}“ ist keine lesbare Excel-Datei (xlsx) ({type(exc).__name__})."
        ) from None
    try:
        sheets = [ws for ws in book.worksheets if sheet is None or ws.title == sheet]
        if not sheets:
            known = ", ".join(f"„{ws.title}“" for ws in book.worksheets)
            raise StatImportCallError(
                f"In „{path.name}“ gibt es kein Blatt „{sheet}“ (vorhanden: {known})."
            )
        chosen = next((ws for ws in sheets if has_numbers(ws)), sheets[0])
        grid = sheet_grid(chosen, path.name)
        grid.sheet = chosen.title if len(book.worksheets) > 1 else ""
        return grid
    finally:
        book.close()


def has_numbers(ws: Any) -> bool:
    return any(
        isinstance(c, int | float) and not isinstance(c, bool)
        for row in ws.iter_rows(values_only=True)
        for c in row
    )


def sheet_grid(ws: Any, file: str) -> Grid:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    rows = [[xlsx_source(cell) for cell in row] for row in ws.iter_rows()]
    merges = [
        (r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges
    ]
    width = max((len(row) for row in rows), default=0)
    names = [get_column_letter(j + 1) for j in range(width)]
    return Grid(file, rows, list(range(1, len(rows) + 1)), merges, names=names)


def xlsx_source(cell: Any) -> Source:
    value = cell.value
    if value is None:
        return Source()
    if isinstance(value, datetime.datetime | datetime.date):
        return Source(text=date_text(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_source(float(value), str(cell.number_format or "General"))
    return Source(text=clean(str(value)))


def date_text(value: datetime.date) -> str:
    """A date in a header cell: "Okt 2022" for the first of a month, else 15.11.2022."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return f"{MONTHS[day.month - 1]} {day.year}" if day.day == 1 else format_date(day)


def number_source(value: float, number_format: str) -> Source:
    """A number as the sheet shows it: rounded to its format's decimals, percent times 100."""
    if not math.isfinite(value):
        return Source(text=str(value))
    shown = re.sub(r'"[^"]*"|\\.', "", number_format.split(";")[0])
    if "%" in shown:
        value *= 100
    found = re.search(r"\.([0#]+)", shown)
    if found:
        places = min(found[1].count("0"), MAX_PLACES)
    elif re.search(r"[0#]", shown):
        places = 0
    else:  # General: as many decimals as the value has
        places = own_places(value)
    return Source(number=float(round_half_up(value, places)), places=places)


def own_places(value: float) -> int:
    exponent = round_half_up(value, MAX_PLACES).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def without_empty_columns(grid: Grid) -> Grid:
    """Drop columns empty in every row (the BA's margins and spacers) and rows empty at the
    end; merged ranges follow their columns."""
    width = max((len(row) for row in grid.rows), default=0)
    used = [j for j in range(width) if any(j < len(r) and not r[j].empty for r in grid.rows)]
    rows = [[r[j] if j < len(r) else Source() for j in used] for r in grid.rows]
    while rows and all(c.empty for c in rows[-1]):
        rows.pop()
    names = [grid.column(j) for j in used]
    at = {j: k for k, j in enumerate(used)}
    merges: list[tuple[int, int, int, int]] | None = None if grid.merges is None else []
    for r0, c0, r1, c1 in grid.merges or []:
        kept = [at[j] for j in range(c0, c1 + 1) if j in at]
        if kept and merges is not None:
            merges.append((r0, kept[0], r1, kept[-1]))
    return Grid(grid.file, rows, grid.lines[: len(rows)], merges, grid.sheet, names)


# --- the export's parts: header, rows, source and date ------------------------------------


@dataclass(frozen=True)
class Figure:
    """A cell as the table takes it: a number with its decimals, a sign ("*", "-", "x", "."),
    or nothing."""

    number: float | None = None
    code: str = ""
    places: int = 0

    @property
    def empty(self) -> bool:
        return self.number is None and not self.code

    @property
    def value(self) -> int | float | str:
        """The number as YAML takes it (12415, 8.6) or the sign."""
        if self.number is None:
            return self.code
        rounded = round_half_up(self.number, self.places)
        return int(rounded) if self.places == 0 else float(rounded)

    def german(self) -> str:
        """As the CSV file of a table writes it: 25.801, -0,1, *."""
        if self.number is None:
            return self.code
        return format_number(self.number, self.places).replace(MINUS, "-")

    def shown(self) -> str:
        """As the report shows it."""
        if self.number is None:
            return MARKERS.get(self.code, "leer")
        return format_number(self.number, self.places)


def figure_of(cell: Source) -> Figure | None:
    """The cell as a figure; None for text that is neither number nor sign."""
    if cell.number is not None:
        return Figure(number=cell.number, places=cell.places)
    if not cell.text:
        return Figure()
    if cell.text in CODES:
        return Figure(code=CODES[cell.text])
    try:
        number = parse_number(cell.text)
    except NumberError:
        return None
    if number is None:
        return None
    places = len(cell.text.split(",")[1]) if "," in cell.text else 0
    return Figure(number=float(number), places=min(places, MAX_PLACES))


@dataclass(frozen=True)
class ExportColumn:
    index: int  # in the grid
    title: str
    groups: tuple[str, ...] = ()
    name: str = ""  # where it is in the file: "D" (xlsx) or "4" (csv)

    @property
    def shown(self) -> str:
        return " / ".join((*self.groups, self.title))


@dataclass(frozen=True)
class ExportRow:
    line: int
    label: str
    group: str  # the heading row above it (a row with a label and no figures)
    figures: tuple[Figure, ...]  # one per column of Export.columns

    @property
    def heading(self) -> bool:
        return all(f.empty for f in self.figures)


@dataclass
class Export:
    """The table in a BA export, without its title rows and footnotes."""

    file: str
    shown: str  # file (and sheet), quoted, for messages
    title: str
    source: str  # from "Quelle: …" or "© …"
    stand: str  # "Datenstand: Oktober 2022"
    label_title: str
    columns: list[ExportColumn]
    rows: list[ExportRow]
    footnotes: list[str]


def read_export(source: Path, sheet: str | None = None) -> Export:
    """The table in a BA export (xlsx or csv)."""
    return parse_export(read_grid(source, sheet))


def parse_export(grid: Grid) -> Export:
    if not grid.rows:
        raise StatImportError(f"{grid.shown} ist leer.")
    start, end_of_header, first_data = header_rows(grid)
    end = body_end(grid, first_data)
    header = filled_header(grid, start, end_of_header)
    columns = export_columns(grid, header)
    rows, notes = body_rows(grid, first_data, end, columns)
    above = [line_text(row) for row in grid.rows[:start]]
    below = [line_text(row) for row in grid.rows[end:]]
    above, below = [t for t in above if t], [t for t in below if t]
    return Export(
        grid.file,
        grid.shown,
        title_of(above),
        source_line(above + below),
        stand_line(above + below),
        " ".join(deduplicated(row[0] for row in header)),
        columns,
        rows,
        [t for t in notes + below if not (SOURCE.match(t) or STAND.match(t))],
    )


def line_text(row: list[Source]) -> str:
    return " ".join(cell_text(c) for c in row if not c.empty)


def cell_text(cell: Source) -> str:
    """A header or label cell as text (a year stays 2022, not 2.022)."""
    if cell.number is None:
        return cell.text
    if cell.places == 0:
        return str(int(cell.number))
    return format_number(cell.number, cell.places)


def header_rows(grid: Grid) -> tuple[int, int, int]:
    """The first header row, the row after the last one, and the first data row."""
    start = next((i for i, row in enumerate(grid.rows) if any(not c.empty for c in row[1:])), None)
    if start is None:
        raise StatImportError(
            f"{grid.shown}: Keine Kopfzeile gefunden (eine Zeile mit Spaltentiteln über "
            "den Zahlen)."
        )
    end = start
    while end < len(grid.rows) and is_header(grid.rows[end], end == start):
        end += 1
    if end == start:
        raise StatImportError(
            f"{grid.shown}, Zeile {grid.lines[start]}: Keine Kopfzeile gefunden; die "
            "Tabelle beginnt gleich mit Zahlen. Die Spaltentitel gehören über die Zahlen."
        )
    first_data = end + 1 if end < len(grid.rows) and numbering_row(grid.rows[end]) else end
    return start, end, first_data


def is_header(row: list[Source], first: bool) -> bool:
    """Column titles: text beyond the first column, no figures (years may be numbers)."""
    cells = row[1:]
    if all(c.empty for c in cells):
        return False
    figures = [figure_of(c) for c in cells]
    numbers = [f for f in figures if f is not None and not f.empty]
    if not numbers:
        return True
    years = all(
        f.number is not None and f.places == 0 and 1900 <= f.number <= 2100 for f in numbers
    )
    return years and (first or row[0].empty)


def numbering_row(row: list[Source]) -> bool:
    """The BA's row of column numbers under the header (1, 2, 3 …)."""
    figures = [figure_of(c) for c in row if not c.empty]
    numbers = [f.number for f in figures if f is not None and f.number is not None]
    return len(numbers) == len(figures) > 1 and numbers == list(range(1, len(numbers) + 1))


def body_end(grid: Grid, first: int) -> int:
    """The row after the last one with figures: what follows is footnotes."""
    end = next(
        (
            i + 1
            for i in range(len(grid.rows) - 1, first - 1, -1)
            if any(not c.empty for c in grid.rows[i][1:])
        ),
        None,
    )
    if end is None:
        raise StatImportError(f"{grid.shown}: Unter der Kopfzeile stehen keine Zahlen.")
    return end


def filled_header(grid: Grid, start: int, end: int) -> list[list[str]]:
    """The header rows as texts, merged cells filled with their text; without merge
    information (csv), a group title spans the empty cells to its right that have titles
    below them."""
    header = [[cell_text(c) for c in row] for row in grid.rows[start:end]]
    merged = False
    for r0, c0, r1, c1 in grid.merges or []:
        if start <= r0 < end:
            merged = True
            text = header[r0 - start][c0]
            for r in range(r0, min(r1, end - 1) + 1):
                for c in range(c0, c1 + 1):
                    header[r - start][c] = text
    if not merged:
        spread_groups(header)
    return header


def spread_groups(header: list[list[str]]) -> None:
    def below(r: int, j: int) -> bool:
        return any(header[k][j] for k in range(r + 1, len(header)))

    for r in range(len(header) - 1):
        for j in range(2, len(header[r])):
            if not header[r][j] and header[r][j - 1] and below(r, j - 1) and below(r, j):
                header[r][j] = header[r][j - 1]


def deduplicated(texts: Iterable[str]) -> list[str]:
    """Non-empty texts top down, a text repeated below itself (a merged cell) once."""
    out: list[str] = []
    for text in texts:
        if text and (not out or out[-1] != text):
            out.append(text)
    return out


def export_columns(grid: Grid, header: list[list[str]]) -> list[ExportColumn]:
    columns = []
    for j in range(1, len(header[0])):
        path = deduplicated(row[j] for row in header)
        title = path[-1] if path else ""
        columns.append(ExportColumn(j, title, tuple(path[:-1]), grid.column(j)))
    return columns


def body_rows(
    grid: Grid, first: int, end: int, columns: list[ExportColumn]
) -> tuple[list[ExportRow], list[str]]:
    """The data and heading rows; footnote lines between them apart."""
    rows: list[ExportRow] = []
    notes: list[str] = []
    group = ""
    for i in range(first, end):
        cells, line = grid.rows[i], grid.lines[i]
        if all(c.empty for c in cells):
            continue
        label = clean(cell_text(cells[0]))
        figures = tuple(export_figure(grid, cells, line, c) for c in columns)
        if all(f.empty for f in figures) and FOOTNOTE.match(label):
            notes.append(label)
            continue
        if all(f.empty for f in figures):
            group = label
            rows.append(ExportRow(line, label, "", figures))
            continue
        if not label:
            raise StatImportError(
                f"{grid.shown}, Zeile {line}: Zahlen ohne Beschriftung in der ersten Spalte."
            )
        rows.append(ExportRow(line, label, group, figures))
    if not any(not r.heading for r in rows):
        raise StatImportError(f"{grid.shown}: Unter der Kopfzeile stehen keine Zahlen.")
    return rows, notes


def export_figure(grid: Grid, cells: list[Source], line: int, column: ExportColumn) -> Figure:
    cell = cells[column.index]
    found = figure_of(cell)
    if found is None:
        raise StatImportError(
            f"{grid.shown}, Zeile {line}, Spalte „{column.shown}“: „{cell.text}“ ist weder "
            "eine Zahl noch eines der Zeichen der Statistik (*, -, x, .)."
        )
    return found


def source_line(lines: list[str]) -> str:
    for pattern in (SOURCE, COPYRIGHT):
        for text in lines:
            found = pattern.match(text)
            if found:
                return found[1].strip()
    return ""


def stand_line(lines: list[str]) -> str:
    """The date of the figures: Datenstand before Stand, Berichtsmonat and Stichtag."""
    found = [m for m in (STAND.match(t) for t in lines) if m]
    found.sort(key=lambda m: STAND_ORDER.index(m[1].lower()))
    return f"{found[0][1]}: {found[0][2].strip()}" if found else ""


def title_of(lines: list[str]) -> str:
    kept = [
        t for t in lines if not (STAND.match(t) or FOOTNOTE.match(t) or GENERIC_TITLE.fullmatch(t))
    ]
    return " – ".join(kept)


# --- the table: its model, its rows and where they are written ---------------------------


def norm(text: str) -> str:
    """Labels and titles compared: whitespace, case and footnote marks ("1)") do not count."""
    return FOOTNOTE_REF.sub("", clean(text)).casefold()


@dataclass
class Target:
    """An existing table: its model, the computed table, the round-trip YAML and the CSV."""

    name: str
    model: TableFile
    doc: YamlDoc
    computed: ComputedTable
    data: Any  # ruamel round trip of the YAML file
    csv: CsvFile | None


@dataclass
class CsvFile:
    """A table's CSV file as lines and records: the records change, the rest stays verbatim."""

    path: Path
    lines: list[str]
    header: list[str]
    records: list[tuple[int, int, list[str]]]  # first line, line after, cells (non-blank)
    bom: str = ""
    changed: set[int] = field(default_factory=set)

    def text(self) -> str:
        out = list(self.lines)
        for k in sorted(self.changed, reverse=True):
            first, after, cells = self.records[k]
            last = out[after - 1]
            ending = "\r\n" if last.endswith("\r\n") else "\n" if last.endswith("\n") else ""
            out[first:after] = [csv_line(cells, ending)]
        return self.bom + "".join(out)


def csv_line(cells: list[str], ending: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator=ending).writerow(cells)
    return out.getvalue()


def read_table_csv(path: Path) -> CsvFile:
    text = path.read_text(encoding="utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = io.StringIO(text.removeprefix(bom)).readlines()
    reader = csv.reader(iter(lines), delimiter=";")
    records: list[tuple[int, int, list[str]]] = []
    previous = 0
    for cells in reader:
        if any(c.strip() for c in cells):
            records.append((previous, reader.line_num, cells))
        previous = reader.line_num
    header = [h.strip() for h in records[0][2]]
    return CsvFile(path, lines, header, records[1:], bom)


def table_location(table: Path) -> tuple[Path, str]:
    """The programme folder and the table's path in it (tabellen/NAME.yaml)."""
    if table.suffix != ".yaml" or table.parent.name != "tabellen":
        raise StatImportCallError(
            f"„{table}“: Die Tabelle ist eine YAML-Datei im Ordner „tabellen“ eines Programms, "
            "z. B. data/musterstadt-2027/tabellen/svb.yaml."
        )
    return table.absolute().parent.parent, f"tabellen/{table.name}"


def load_checked(root: Path, rel: str, problem: str) -> tuple[TableFile, YamlDoc, ComputedTable]:
    """The table as the build loads, validates and computes it; its problems raise."""
    errors = Collector()
    doc = read_yaml(root, rel, errors)
    model = None
    if doc is not None:
        attach_csv(root, doc, errors)
        model = check_model(doc, TableFile, errors) if not errors.problems else None
    if doc is not None and model is not None:
        for check in TABLE_CHECKS:
            check(model, doc, errors)
    computed = None
    if doc is not None and model is not None and not errors.problems:
        computed = compute_table(Path(rel).stem, model, doc, errors)
    if errors.problems or doc is None or model is None or computed is None:
        found = "\n".join(str(p) for p in sorted(set(errors.problems)))
        raise StatImportError(f"{problem}\n{found}")
    return model, doc, computed


def load_target(table: Path) -> Target:
    root, rel = table_location(table)
    model, doc, computed = load_checked(
        root,
        rel,
        f"Die Tabelle „{root.name}/{rel}“ hat Fehler; bitte erst beheben (aipgen check), "
        "dann übernehmen:",
    )
    data = yamledit.load(table.read_text(encoding="utf-8"))
    data_name = data.get("daten")  # the model's `daten` went when the CSV was attached
    csv_file = read_table_csv(table.parent / str(data_name)) if data_name else None
    return Target(table.stem, model, doc, computed, data, csv_file)


@dataclass(frozen=True)
class TableRowInfo:
    index: int
    label: str
    group: str
    kind: str
    where: str  # "Zeile 5 in „musterstadt-2027/tabellen/svb.csv“"


def label_column(model: TableFile) -> int:
    found = next((j for j, c in enumerate(model.columns) if c.type == "text"), None)
    if found is None:
        raise StatImportError(
            f"Die Tabelle „{model.title}“ hat keine Textspalte mit den Zeilenbeschriftungen."
        )
    return found


def table_rows(target: Target) -> list[TableRowInfo]:
    """The table's rows with values, each with its label and the heading row above it."""
    j = label_column(target.model)
    rows, group = [], ""
    for i, row in enumerate(target.model.rows):
        own = row.group or row.subtotal or row.total or row.group_total or ""
        value = row.values[j] if row.values and j < len(row.values) else None
        label = clean(str(value)) if isinstance(value, str | int | float) and value != "" else own
        file, line = target.doc.where(("zeilen", i))
        info = TableRowInfo(i, clean(label), group, row.kind, f"Zeile {line} in „{file}“")
        if row.kind in ("gruppe", "gruppensumme"):
            group = clean(label)
        if row.kind != "gruppe":
            rows.append(info)
    return rows


# --- matching rows and columns ------------------------------------------------------------

Key = tuple[str, str]  # full key (with group or group titles), short key (label or title)


def row_key(group: str, label: str) -> Key:
    return (f"{norm(group)}\x1f{norm(label)}", norm(label))


def column_key(title: str, groups: Iterable[str]) -> Key:
    return (norm(" ".join((*groups, title))), norm(title))


def match(ours: list[Key], theirs: list[Key]) -> dict[int, int]:
    """Index of theirs → index of ours: by the full key, else by the short key where that is
    unique on both sides."""
    full = {key[0]: i for i, key in enumerate(ours)}
    short_ours = Counter(key[1] for key in ours)
    short_theirs = Counter(key[1] for key in theirs)
    result: dict[int, int] = {}
    for k, key in enumerate(theirs):
        i = full.get(key[0])
        if i is None and short_ours[key[1]] == 1 and short_theirs[key[1]] == 1:
            i = next(n for n, other in enumerate(ours) if other[1] == key[1])
        if i is not None and i not in result.values():
            result[k] = i
    return result


def check_unique(keys: list[Key], names: list[str], wheres: list[str], what: str) -> None:
    """A label (in its group) or column title twice is an error naming both."""
    first: dict[str, int] = {}
    for k, key in enumerate(keys):
        if key[0] in first:
            i = first[key[0]]
            raise StatImportError(
                f"{what} „{names[k]}“ steht zweimal: {wheres[i]} und {wheres[k]}. Zeilen und "
                "Spalten werden über ihre Beschriftung zugeordnet; bitte eine davon umbenennen."
            )
        first[key[0]] = k


def check_export(export: Export) -> None:
    """Rows (in their group) and columns of the export are told apart by their labels."""
    rows = [r for r in export.rows if not r.heading]
    check_unique(
        [row_key(r.group, r.label) for r in rows],
        [row_name(r.label, r.group) for r in rows],
        [f"Zeile {r.line} in {export.shown}" for r in rows],
        "Die Zeile",
    )
    columns = [c for c in export.columns if c.title]
    check_unique(
        [column_key(c.title, c.groups) for c in columns],
        [c.shown for c in columns],
        [f"Spalte {c.name} in {export.shown}" for c in columns],
        "Die Spalte",
    )


def row_name(label: str, group: str) -> str:
    """A row for messages: with its group where the label alone is not clear."""
    return f"{group} / {label}" if group else label


# --- planning the changes ----------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    row: int
    column: int
    new: Figure | None  # None: the value is computed (a formula, a sum)


def stated_kind(value: Any) -> tuple[str, Any]:
    """A stated table value as ("number", 12.5), ("code", "x"), ("empty", None) or ("text", …)."""
    if isinstance(value, dict):
        value = value["wert"] if "wert" in value else str(value.get("text", ""))
    if isinstance(value, bool) or value is None:
        return ("empty", None) if value is None else ("text", value)
    if isinstance(value, int | float):
        return ("number", float(value))
    if isinstance(value, str) and value in MARKERS:
        return ("code", value)
    if value == "":
        return ("empty", None)
    if isinstance(value, str):
        try:
            number = parse_number(value.strip())
        except NumberError:
            number = None
        if number is not None:
            return ("number", float(number))
    return ("text", value)


def same(old: Any, new: Figure) -> bool:
    kind, value = stated_kind(old)
    if new.number is not None:
        return kind == "number" and math.isclose(value, float(new.value), abs_tol=1e-9)
    return kind == "code" and value == new.code


def stated_text(value: Any, column: Column, row: Row) -> str:
    """A stated value as the table shows it (with the row's or the cell's own decimals)."""
    kind, raw = stated_kind(value)
    if kind == "number":
        places = row.decimals if row.decimals is not None else column.decimals
        if isinstance(value, dict) and isinstance(value.get("nachkommastellen"), int):
            places = value["nachkommastellen"]
        return format_number(raw, max(places, own_places(raw)))
    if kind == "code":
        return MARKERS[raw]
    return "leer" if kind == "empty" else f"„{raw}“"


@dataclass
class Plan:
    edits: list[Edit] = field(default_factory=list)
    resets: list[Edit] = field(default_factory=list)


def plan_edits(
    target: Target, export: Export, rows: dict[int, int], columns: dict[int, int]
) -> Plan:
    """The imported cells that differ, and the computed cells whose stated value must go."""
    plan = Plan()
    model = target.model
    covered = set()  # cells the export gives: a total stated there stays (and is checked)
    for e, i in rows.items():
        if model.rows[i].formula is not None:
            continue  # a computed row: its values come from other rows
        stated = model.rows[i].values or []
        for c, j in columns.items():
            figure = export.rows[e].figures[c]
            continued = model.columns[j].id in model.rows[i].merge_up  # stays empty
            if importable(model.columns[j]) and not figure.empty and not continued:
                covered.add((i, j))
                if not same(stated[j], figure):
                    plan.edits.append(Edit(i, j, figure))
    plan.resets = [e for e in resets(model, plan.edits) if (e.row, e.column) not in covered]
    return plan


def importable(column: Column) -> bool:
    return column.type == "zahl" and column.formula is None


def resets(model: TableFile, edits: list[Edit]) -> list[Edit]:
    """Stated values that the edits make stale: formula cells whose inputs changed (in their
    row or, for anteil(), in its reference row), computed rows over changed rows, sums in
    changed columns."""
    changed: dict[int, set[int]] = {}
    for e in edits:
        changed.setdefault(e.row, set()).add(e.column)
    found = []
    for i, row in enumerate(model.rows):
        if row.values is None:
            continue
        for j in range(len(model.columns)):
            if j in changed.get(i, set()) or stated_kind(row.values[j])[0] != "number":
                continue
            if stale(model, i, j, changed):
                found.append(Edit(i, j, None))
    return found


def stale(model: TableFile, i: int, j: int, changed: dict[int, set[int]]) -> bool:
    row, column = model.rows[i], model.columns[j]
    if column.type != "zahl":
        return False
    if column.formula is not None:
        formula, inputs = column_inputs(model, j)
        if formula is None:
            return True
        touched = set(changed.get(i, set()))
        reference = reference_of(model, i) if formula.needs_reference else None
        if reference is not None:
            touched |= changed.get(reference, set())
        return bool(touched & inputs)
    if row.formula is not None:
        return computed_row_stale(model, i, j, changed)
    return row.kind in ("summe", "gesamt", "gruppensumme") and any(
        j in cols for cols in changed.values()
    )


def column_inputs(model: TableFile, j: int) -> tuple[Formula | None, set[int]]:
    """A formula column's formula and the plain columns it is computed from (through other
    formula columns too); None if it cannot be read (then everything counts)."""
    ids = {c.id: k for k, c in enumerate(model.columns)}
    formula, inputs, todo, seen = None, set(), [j], set()
    while todo:
        k = todo.pop()
        seen.add(k)
        column = model.columns[k]
        try:
            parsed = parse_formula(column.formula or "", set(ids) - {column.id})
        except FormulaError:
            return None, set()
        formula = formula or parsed
        for name in parsed.names:
            n = ids[name]
            if model.columns[n].formula is None:
                inputs.add(n)
            elif n not in seen:
                todo.append(n)
    return formula, inputs


def computed_row_stale(model: TableFile, i: int, j: int, changed: dict[int, set[int]]) -> bool:
    """A row computed from other rows: stale where a row it names changed in this column or,
    with vorspalte(), in the column before (its first number column stays unchecked)."""
    text = model.rows[i].formula or ""
    ids = {r.id: k for k, r in enumerate(model.rows) if r.id}
    try:
        names = parse_formula(text, set(ids) - {model.rows[i].id}, ROW_FUNCTIONS, "Zeile").names
    except FormulaError:
        return True
    before = "vorspalte(" in text
    if before and j == first_plain(model):
        return False
    touched = set().union(*(changed.get(ids[name], set()) for name in names))
    return j in touched or (before and j - 1 in touched)


def first_plain(model: TableFile) -> int | None:
    return next((j for j, c in enumerate(model.columns) if importable(c)), None)


def reference_of(model: TableFile, i: int) -> int | None:
    return next((k for k in range(i, -1, -1) if model.rows[k].reference), None)


# --- applying the changes ----------------------------------------------------------------


def yaml_value(old: Any, new: Figure | None) -> Any:
    """The new cell for the YAML rows; a number keeps the cell's other keys (geschaetzt …)."""
    if new is None:
        return None
    value = DoubleQuotedScalarString(new.code) if new.number is None else new.value
    if isinstance(old, dict) and "wert" in old and new.number is not None:
        old["wert"] = value
        return old
    return value


def apply_plan(target: Target, plan: Plan) -> None:
    for edit in plan.edits + plan.resets:
        if target.csv is not None:
            csv_file = target.csv
            column_id = target.model.columns[edit.column].id
            if column_id not in csv_file.header:
                raise StatImportError(
                    f"„{csv_file.path.name}“ hat keine Spalte „{column_id}“; bitte in der "
                    "ersten Zeile ergänzen."
                )
            column = csv_file.header.index(column_id)
            cells = csv_file.records[edit.row][2]
            cells += [""] * (column + 1 - len(cells))
            cells[column] = "=" if edit.new is None else edit.new.german()
            csv_file.changed.add(edit.row)
        else:
            werte = target.data["zeilen"][edit.row]["werte"]
            werte[edit.column] = yaml_value(werte[edit.column], edit.new)


def update_meta(data: CommentedMap, export: Export) -> list[str]:
    """quelle and the Stand note in the table file; German lines saying what changed."""
    out = []
    if export.source and data.get("quelle") != export.source:
        out.append(f"Quelle: „{data.get('quelle', '')}“ → „{export.source}“")
        set_key(data, "quelle", DoubleQuotedScalarString(export.source), after="titel")
    if export.stand:
        notes = data.get("anmerkungen")
        if not isinstance(notes, CommentedSeq):
            notes = CommentedSeq()
            set_key(data, "anmerkungen", notes, after="quelle")
        at = next((k for k, n in enumerate(notes) if isinstance(n, str) and STAND.match(n)), None)
        if at is None:
            notes.append(DoubleQuotedScalarString(export.stand))
            out.append(f"Anmerkung „{export.stand}“ ergänzt")
        elif notes[at] != export.stand:
            out.append(f"Anmerkung: „{notes[at]}“ → „{export.stand}“")
            notes[at] = DoubleQuotedScalarString(export.stand)
    return out


def set_key(data: CommentedMap, key: str, value: Any, after: str) -> None:
    if key in data:
        data[key] = value
        return
    keys = list(data)
    at = keys.index(after) + 1 if after in keys else 1 if "titel" in keys else 0
    data.insert(at, key, value)


# --- the report of an update -------------------------------------------------------------


def cell_label(target: Target, i: int, infos: dict[int, TableRowInfo]) -> str:
    info = infos.get(i)
    if info is None:
        return f"Zeile {i + 1}"
    twice = sum(1 for other in infos.values() if norm(other.label) == norm(info.label)) > 1
    return row_name(info.label, info.group) if twice and info.group else info.label


def column_label(model: TableFile, j: int) -> str:
    column = model.columns[j]
    title = column.title or column.id
    twice = sum(1 for c in model.columns if c.title == column.title) > 1
    return " / ".join((*column.groups, title)) if twice and column.groups else title


def changes_of(target: Target, plan: Plan, infos: dict[int, TableRowInfo]) -> list[CellChange]:
    out = []
    for edit in plan.edits:
        old = (target.model.rows[edit.row].values or [])[edit.column]
        new = edit.new.shown() if edit.new else "berechnet"
        column = target.model.columns[edit.column]
        out.append(
            CellChange(
                cell_label(target, edit.row, infos),
                column_label(target.model, edit.column),
                stated_text(old, column, target.model.rows[edit.row]),
                new,
            )
        )
    return out


def recomputed_of(
    target: Target, after: ComputedTable, plan: Plan, infos: dict[int, TableRowInfo]
) -> list[CellChange]:
    """Cells the import did not write whose shown value changed: formulas, sums, trends."""
    edited = {(e.row, e.column) for e in plan.edits}
    out = []
    for i, (old, new) in enumerate(zip(target.computed.rows, after.rows, strict=True)):
        for j, (a, b) in enumerate(zip(old.cells, new.cells, strict=True)):
            if (i, j) not in edited and a.text != b.text:
                out.append(
                    CellChange(
                        cell_label(target, i, infos),
                        column_label(target.model, j),
                        a.text or "leer",
                        b.text or "leer",
                    )
                )
    return out


def code_hints(model: TableFile, edits: list[Edit]) -> list[str]:
    """A sign the import brings in that no note under the table explains."""
    codes = sorted({e.new.code for e in edits if e.new is not None and e.new.code})
    return [
        f"Hinweis: In der Tabelle steht jetzt „{MARKERS[code]}“ ({MARKER_MEANINGS[code]}); "
        "keine Anmerkung erklärt das Zeichen."
        for code in codes
        if not explained(model.notes, code)
    ]


def explained(notes: list[str], code: str) -> bool:
    """A note names the sign as "x: …" (as the legend line of a new table does)."""
    signs = {code, MARKERS[code]}
    return any(n.startswith(f"{s}:") or f" {s}:" in n for n in notes for s in signs)


def kept_keys_hints(target: Target, plan: Plan, infos: dict[int, TableRowInfo]) -> list[str]:
    """A new number in a cell that carries other keys (geschaetzt, nachkommastellen)."""
    out = []
    for edit in plan.edits:
        old = (target.model.rows[edit.row].values or [])[edit.column]
        number = edit.new is not None and edit.new.number is not None
        if number and isinstance(old, dict) and "wert" in old and set(old) != {"wert"}:
            keys = ", ".join(k for k in old if k != "wert")
            out.append(
                f"Hinweis: Zeile „{cell_label(target, edit.row, infos)}“, Spalte "
                f"„{column_label(target.model, edit.column)}“ behält {keys}; bitte prüfen."
            )
    return out


# --- importing ------------------------------------------------------------------------------


def import_table(
    source: Path, table: Path, sheet: str | None = None, dry_run: bool = False
) -> ImportReport:
    """Take the figures of a BA export (xlsx or csv) into a table (tabellen/NAME.yaml): update
    its CSV or YAML rows, or make the table. With dry_run, only report. Raises
    StatImportError (nothing written) when the export or the result is unusable."""
    root, rel = table_location(table)
    if not (root / "programm.yaml").is_file():
        raise StatImportCallError(
            f"„{root}“ ist kein Programmordner (dort fehlt programm.yaml); die Tabelle gehört "
            "nach PROGRAMM/tabellen/."
        )
    export = read_export(source, sheet)
    check_export(export)  # also for a new table, so that the next import can update it
    if table.exists():
        report, files = update_table(export, table, root, rel)
    else:
        report, files = create_table(export, table, root, rel)
    report.source, report.table = source, table
    report.source_text, report.stand = export.source, export.stand
    report.footnotes = export.footnotes
    if files and not dry_run:
        write_all(files)
        report.written = True
    return report


def update_table(
    export: Export, table: Path, root: Path, rel: str
) -> tuple[ImportReport, dict[Path, bytes]]:
    target = load_target(table)
    infos = table_rows(target)
    rows, columns, report = pair_up(target, export, infos)
    plan = plan_edits(target, export, rows, columns)
    apply_plan(target, plan)
    report.meta = update_meta(target.data, export)
    files = {}
    if target.csv is not None and target.csv.changed:
        files[target.csv.path] = target.csv.text().encode("utf-8")
    if report.meta or (target.csv is None and plan.edits):
        files[table] = yamledit.dump(target.data).encode("utf-8")
    by_index = {info.index: info for info in infos}
    if files:
        needed = [table] + ([target.csv.path] if target.csv else [])
        after = check_result(root, rel, files, needed)
        report.recomputed = recomputed_of(target, after, plan, by_index)
    report.changes = changes_of(target, plan, by_index)
    report.hints += computed_row_hints(target, rows, by_index)
    report.hints += code_hints(target.model, plan.edits) + kept_keys_hints(target, plan, by_index)
    report.data_file = target.csv.path if target.csv else None
    return report, files


def computed_row_hints(
    target: Target, rows: dict[int, int], infos: dict[int, TableRowInfo]
) -> list[str]:
    return [
        f"Zeile „{cell_label(target, i, infos)}“: wird aus anderen Zeilen berechnet (formel); "
        "die Werte der Datei sind nicht übernommen."
        for i in sorted(set(rows.values()))
        if target.model.rows[i].formula is not None
    ]


def pair_up(
    target: Target, export: Export, infos: list[TableRowInfo]
) -> tuple[dict[int, int], dict[int, int], ImportReport]:
    """Export rows → table rows and export columns → table columns, and a report of what has
    no counterpart. Nothing in common at all is an error (the wrong file, or a new period)."""
    report = ImportReport(Path(), Path())
    columns = pair_columns(target, export, report)
    if not any(importable(target.model.columns[j]) for j in columns.values()):
        raise StatImportError(nothing_in_common(target, export, "Spalte"))
    rows = pair_rows(target, export, infos, report)
    if not rows:
        raise StatImportError(nothing_in_common(target, export, "Zeile"))
    return rows, columns, report


def pair_rows(
    target: Target, export: Export, infos: list[TableRowInfo], report: ImportReport
) -> dict[int, int]:
    labelled = [r for r in infos if r.label]
    at = [k for k, r in enumerate(export.rows) if not r.heading]
    data_rows = [export.rows[k] for k in at]
    ours = [row_key(r.group, r.label) for r in labelled]
    theirs = [row_key(r.group, r.label) for r in data_rows]
    names = [row_name(r.label, r.group) for r in labelled]
    check_unique(ours, names, [r.where for r in labelled], "Die Zeile")
    wheres = [f"Zeile {r.line} in {export.shown}" for r in data_rows]
    found = match(ours, theirs)
    report.unmatched_rows = [
        Unmatched(row_name(r.label, r.group), wheres[e])
        for e, r in enumerate(data_rows)
        if e not in found
    ]
    matched = {labelled[i].index for i in found.values()}
    report.missing_rows = [
        Unmatched(row_name(r.label, r.group) or "(ohne Beschriftung)", r.where)
        for r in infos
        if r.index not in matched and target.model.rows[r.index].formula is None
    ]
    return {at[e]: labelled[i].index for e, i in found.items()}


def pair_columns(target: Target, export: Export, report: ImportReport) -> dict[int, int]:
    model = target.model
    label_j = label_column(model)
    table_cols = [j for j, c in enumerate(model.columns) if j != label_j and c.title]
    titled = [k for k, c in enumerate(export.columns) if c.title]
    ours = [column_key(model.columns[j].title, model.columns[j].groups) for j in table_cols]
    theirs = [column_key(export.columns[k].title, export.columns[k].groups) for k in titled]
    wheres = [f"Spalte {c.name} in {export.shown}" for c in export.columns]
    pairs = {titled[e]: table_cols[i] for e, i in match(ours, theirs).items()}
    report.unmatched_columns = [
        Unmatched(c.shown or "(ohne Titel)", wheres[k])
        for k, c in enumerate(export.columns)
        if k not in pairs
    ]
    matched = set(pairs.values())
    report.missing_columns = [
        Unmatched(column_label(model, j), f"Spalte „{model.columns[j].id}“")
        for j in table_cols
        if importable(model.columns[j]) and j not in matched
    ]
    report.computed_columns = [
        column_label(model, j) for j in sorted(matched) if not importable(model.columns[j])
    ]
    return pairs


def nothing_in_common(target: Target, export: Export, kind: str) -> str:
    """Why nothing is taken over: the titles (or labels) of both sides, a few each."""
    if kind == "Spalte":
        theirs = [c.shown for c in export.columns if c.title]
        ours = [column_label(target.model, j) for j, c in enumerate(target.model.columns)]
        ours = [t for j, t in enumerate(ours) if importable(target.model.columns[j])]
        advice = (
            "Spalten werden über ihre Titel zugeordnet; für einen neuen Zeitraum erst die "
            "Spaltentitel (titel) der Tabelle anpassen, z. B. „Okt 2022“ → „Okt 2023“."
        )
    else:
        theirs = [r.label for r in export.rows if not r.heading]
        ours = [r.label for r in table_rows(target) if r.label]
        advice = "Zeilen werden über ihre Beschriftung in der ersten Spalte zugeordnet."
    return (
        f"Keine {kind} aus {export.shown} passt zur Tabelle „{target.model.title}“ (in der "
        f"Datei: {few(theirs)}; in der Tabelle: {few(ours)}). {advice}"
    )


def few(texts: list[str]) -> str:
    shown = ", ".join(f"„{t}“" for t in texts[:4])
    return shown + (" …" if len(texts) > 4 else "") if texts else "keine"


def check_result(
    root: Path, rel: str, files: dict[Path, bytes], needed: list[Path] | None = None
) -> ComputedTable:
    """Load, validate and compute the table from the new files (and the unchanged ones it
    needs) in a scratch copy of its folder, named like the programme for the messages."""
    with tempfile.TemporaryDirectory(prefix="aipgen-import-") as scratch_dir:
        copy = Path(scratch_dir) / root.name
        folder = copy / "tabellen"
        folder.mkdir(parents=True)
        for path in needed or []:
            if path not in files:
                (folder / path.name).write_bytes(path.read_bytes())
        for path, data in files.items():
            (folder / path.name).write_bytes(data)
        _, _, computed = load_checked(
            copy,
            rel,
            "Mit den Zahlen aus der Datei ließe sich die Tabelle nicht bauen; nichts wurde "
            "geändert:",
        )
    return computed


def write_all(files: dict[Path, bytes]) -> None:
    """Replace each file in one rename, the CSV first; after a failure the files already
    replaced get their old content back."""
    old = {path: path.read_bytes() if path.exists() else None for path in files}
    done: list[Path] = []
    try:
        for path in sorted(files, key=lambda p: p.suffix != ".csv"):
            write_file(path, files[path])
            done.append(path)
    except OSError as exc:
        for path in done:
            before = old[path]
            if before is None:
                path.unlink(missing_ok=True)
            else:
                write_file(path, before)
        raise StatImportError(
            f"„{exc.filename or path}“ lässt sich nicht schreiben ({exc.strerror}); "
            "nichts wurde geändert."
        ) from None


# --- a new table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NewColumn:
    id: str
    title: str
    groups: tuple[str, ...]
    places: int


def create_table(
    export: Export, table: Path, root: Path, rel: str
) -> tuple[ImportReport, dict[Path, bytes]]:
    data_path = table.with_suffix(".csv")
    if data_path.exists():
        raise StatImportError(
            f"„{data_path.name}“ gibt es schon im Ordner „tabellen“, „{table.name}“ aber "
            "nicht; bitte eine neue Tabelle unter einem anderen Namen anlegen."
        )
    columns = new_columns(export)
    in_csv = all(
        f.places == columns[k].places
        for row in export.rows
        for k, f in enumerate(row.figures)
        if f.number is not None
    )
    head = new_table_head(export, columns)
    files: dict[Path, bytes] = {}
    if in_csv:
        files[data_path] = new_csv(export, columns).encode("utf-8")
        head.append(f"daten: {data_path.name}")
        files[table] = "\n".join([*head, *spalten_lines(export, columns), ""]).encode("utf-8")
    else:
        body = [*head, *spalten_lines(export, columns), "zeilen:", *inline_rows(export, columns)]
        files[table] = "\n".join([*body, ""]).encode("utf-8")
    check_result(root, rel, files)
    report = ImportReport(Path(), Path(), data_path if in_csv else None, created=True)
    report.new_rows = [r.label for r in export.rows if not r.heading]
    if not in_csv:
        report.hints.append(
            "Hinweis: Die Zeilen stehen in der Tabellendatei (zeilen), nicht in einer CSV-Datei, "
            "weil einzelne Zeilen andere Nachkommastellen haben als ihre Spalte."
        )
    return report, files


def q(text: str) -> str:
    """A YAML string in double quotes (JSON's are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def new_columns(export: Export) -> list[NewColumn]:
    taken = set(RESERVED_IDS)
    out = []
    for k, column in enumerate(export.columns):
        places = Counter(
            r.figures[k].places for r in export.rows if r.figures[k].number is not None
        )
        common = max(places, key=lambda p: (places[p], -p)) if places else 0
        new_id = column_id(column, taken, k)
        taken.add(new_id)
        out.append(NewColumn(new_id, column.title, column.groups, common))
    return out


def column_id(column: ExportColumn, taken: set[str], k: int) -> str:
    """An id from the column's title ("Okt 2022" → okt_2022), else with its group, else
    numbered."""
    words = [column.title, *column.groups[-1:], *column.groups[:-1]]
    for n in range(1, len(words) + 1):
        candidate = slug(" ".join(reversed(words[:n])))
        if candidate and candidate not in taken:
            return candidate
    base = slug(column.title) or f"spalte_{k + 1}"
    n = 2
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


def slug(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "_", text.lower().translate(UMLAUTS)).strip("_")
    if words and words[0].isdigit():
        words = ("j" if re.fullmatch(r"\d{4}", words) else "s") + words
    return words


def new_table_head(export: Export, columns: list[NewColumn]) -> list[str]:
    lines = [
        f"# Übernommen aus {export.shown} (aipgen import). Titel, Spaltenköpfe und",
        "# Spalten-ids bitte prüfen; ein erneuter Import aktualisiert die Zahlen.",
        f"titel: {q(export.title or Path(export.file).stem)}",
    ]
    if export.source:
        lines.append(f"quelle: {q(export.source)}")
    notes = [export.stand] if export.stand else []
    codes = {f.code for r in export.rows for f in r.figures if f.code}
    legend = [f"{MARKERS[c]}: {MARKER_MEANINGS[c]}" for c in MARKER_MEANINGS if c in codes]
    if legend:
        notes.append("; ".join(legend) + ".")
    if notes:
        lines += ["anmerkungen:", *(f"  - {q(n)}" for n in notes)]
    return lines


def spalten_lines(export: Export, columns: list[NewColumn]) -> list[str]:
    lines = ["spalten:", f"  - {{id: {LABEL_ID}, titel: {q(export.label_title)}, typ: text}}"]
    for column in columns:
        parts = [f"id: {column.id}", f"titel: {q(column.title)}"]
        if column.groups:
            parts.append(f"gruppe: [{', '.join(q(g) for g in column.groups)}]")
        if column.places:
            parts.append(f"nachkommastellen: {column.places}")
        lines.append(f"  - {{{', '.join(parts)}}}")
    return lines


def new_csv(export: Export, columns: list[NewColumn]) -> str:
    out = [csv_line(["art", LABEL_ID, *(c.id for c in columns)])]
    for row in export.rows:
        art = "gruppe" if row.heading else "darunter" if BELOW.match(row.label) else ""
        cells = [""] * len(columns) if row.heading else [f.german() for f in row.figures]
        out.append(csv_line([art, row.label, *cells]))
    return "".join(out)


def inline_rows(export: Export, columns: list[NewColumn]) -> list[str]:
    """Rows in YAML: a row whose numbers share other decimals than their columns says so
    (nachkommastellen), a single such cell says it itself."""
    lines = []
    for row in export.rows:
        if row.heading:
            lines.append(f"  - gruppe: {q(row.label)}")
            continue
        own = {f.places for f in row.figures if f.number is not None}
        places = own.pop() if len(own) == 1 else None
        if places is not None and all(
            c.places == places
            for c, f in zip(columns, row.figures, strict=True)
            if f.number is not None
        ):
            places = None  # the columns show it so already
        cells = [q(row.label)] + [
            inline_cell(f, places if places is not None else c.places)
            for c, f in zip(columns, row.figures, strict=True)
        ]
        lines.append(f"  - werte: [{', '.join(cells)}]")
        lines += ["    darunter: true"] if BELOW.match(row.label) else []
        lines += [f"    nachkommastellen: {places}"] if places is not None else []
    return lines


def inline_cell(figure: Figure, shown_places: int) -> str:
    if figure.number is None:
        return q(figure.code)
    text = str(round_half_up(figure.number, figure.places))
    if figure.places != shown_places:
        return f"{{wert: {text}, nachkommastellen: {figure.places}}}"
    return text
