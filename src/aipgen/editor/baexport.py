"""Read an export of the Statistik der Bundesagentur für Arbeit (BA), xlsx or csv, into its
parts: title lines, the column headers (merged group cells over "absolut" | "in %"), the data
rows with their figures and coded values, the source line, the date (Datenstand, Berichtsmonat)
and the footnotes. statimport.py takes the figures into a table.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aipgen.base.limits import MAX_FILE_BYTES, german_size
from aipgen.base.numbers import (
    MINUS,
    NumberError,
    format_date,
    format_number,
    parse_number,
    round_half_up,
)
from aipgen.compute.tables import MARKERS

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
# a title row that says it is the table's title: "Tabelle 2: Arbeitslose nach …"
TABLE_TITLE = re.compile(r"Tab(?:elle|\.)\s*\d+(?:\.\d+)*\s*[:.–-]?\s*(\S.*)", re.IGNORECASE)
GENERIC_TITLE = re.compile(
    r"Arbeitsmarkt in Zahlen|Statistik der Bundesagentur für Arbeit|Erstellungsdatum\b.*|"
    r"Tabelle\s*\d*|Deckblatt",
    re.IGNORECASE,
)


class StatImportError(Exception):
    """The export cannot be taken over; the German message names the file and, where it
    applies, the row or line. Nothing was written."""


class StatImportCallError(StatImportError):
    """The call itself is wrong (no such file, unknown format, no table path); exit code 2."""


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
    # a change that rounds to zero keeps its sign, as the sheet shows it ("-0,0")
    return Source(number=math.copysign(float(round_half_up(value, places)), value), places=places)


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
    title: str  # the table's title row
    source: str  # from "Quelle: …" or "© …"
    stand: str  # "Datenstand: Oktober 2022"
    label_title: str
    columns: list[ExportColumn]
    rows: list[ExportRow]
    footnotes: list[str]
    about: list[str] = field(default_factory=list)  # the other title rows (statistic, region)

    @property
    def full_source(self) -> str:
        """The source with the title rows that say which statistic and region it is:
        "Statistik der Bundesagentur für Arbeit, Beschäftigungsstatistik – Musterstadt"."""
        return ", ".join(t for t in (self.source, " – ".join(self.about)) if t)


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
    title, about = title_of(above)
    return Export(
        grid.file,
        grid.shown,
        title,
        source_line(above + below),
        stand_line(above + below),
        " ".join(deduplicated(row[0] for row in header)),
        columns,
        rows,
        [t for t in notes + below if not (SOURCE.match(t) or STAND.match(t))],
        about,
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


def title_of(lines: list[str]) -> tuple[str, list[str]]:
    """The table's title row and the other title rows (the statistic, the region): the row
    "Tabelle 2: …" if there is one, else the longest (the lowest of equally long ones)."""
    kept = [
        t
        for t in lines
        if not (
            STAND.match(t) or FOOTNOTE.match(t) or GENERIC_TITLE.fullmatch(t) or SOURCE.match(t)
        )
    ]
    if not kept:
        return "", []
    numbered = [k for k, t in enumerate(kept) if TABLE_TITLE.fullmatch(t)]
    at = numbered[0] if numbered else max(range(len(kept)), key=lambda k: (len(kept[k]), k))
    found = TABLE_TITLE.fullmatch(kept[at])
    return (found[1] if found else kept[at]), kept[:at] + kept[at + 1 :]
