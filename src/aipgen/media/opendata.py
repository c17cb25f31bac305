"""Turn a document's tables and charts into open data beside the web page: one CSV per table
and chart (UTF-8, comma, decimal point, no thousands separators), the same for Excel
(semicolon, decimal comma, UTF-8 with byte order mark) and one Frictionless data package,
datapackage.json, that describes the machine-readable files (Table Schema: names, types,
units, source, notes, licence).

A table becomes one line per row: the group a row belongs to and the kind of row (so a sum is
not counted twice) are columns; a cell that continues the one above repeats its value; the
signs of the statistics ("x", "-", ".", "*") stay as the table shows them and are declared
missing values; what a figure's cell says beyond its number (estimated, approximate, another
unit, words) goes to the column "Anmerkung", the table's notes to the package.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from aipgen.base.formats import Files, OutputFormat
from aipgen.base.numbers import round_half_up
from aipgen.compute.cellcontent import Part
from aipgen.compute.document import ChartInfo, Document
from aipgen.compute.tables import MARKERS, Cell, ComputedTable, ListItem, TableRow
from aipgen.content.licences import LICENCES
from aipgen.content.model import Column

PACKAGE = "datapackage.json"
Value = str | Decimal | None  # a number as rounded in the table
SIGNS = {shown: raw for raw, shown in MARKERS.items()}  # "–" → "-"
# the kind of each row of a table, as the column "Zeilenart" names it
ROW_KINDS = {
    "zeile": "Zeile",
    "summe": "Zwischensumme",
    "gruppensumme": "Gruppensumme",
    "gesamt": "Gesamt",
}
BELOW = "darunter"
UNITS = ("%", "€")  # named in a column's title ("in %", "Budget in €") when it has no unit
DECIMALS = re.compile(r"\d,(\d+)")
UNIT_AFTER = re.compile(r"\d\s*([^\d\s()]+)\)?$")  # "10,6 %" → "%"
GROUP, KIND, REMARK = "Gruppe", "Zeilenart", "Anmerkung"
CATEGORY = "Kategorie"  # a chart's first column
JOINED = "gemeinsamer Wert mit der Zeile darüber"  # a figure of a cell spanning rows


@dataclass(frozen=True)
class Field:
    """One column of a CSV file as the Table Schema describes it."""

    name: str  # the German column title, as in the table
    type: str  # Table Schema: string, number
    unit: str = ""
    description: str = ""

    def schema(self) -> dict[str, str]:
        found = {"name": self.name, "title": self.name, "type": self.type}
        found |= {"unit": self.unit} if self.unit else {}
        return found | ({"description": self.description} if self.description else {})


def distinct(fields: list[Field]) -> list[Field]:
    """The fields with names made unique (a CSV header names each column once): a repeated
    title gets its place among its namesakes, "Anteil (2)"."""
    seen: dict[str, int] = {}
    found = []
    for f in fields:
        seen[f.name] = seen.get(f.name, 0) + 1
        found.append(replace(f, name=f"{f.name} ({seen[f.name]})") if seen[f.name] > 1 else f)
    return found


@dataclass(frozen=True)
class Sheet:
    """The data of one table or chart: what its CSV holds and what the package says of it."""

    file: str  # below the data folder
    title: str
    source: str
    notes: list[str]
    fields: list[Field]
    rows: list[list[Value]]
    missing: list[str] = field(default_factory=list)  # signs standing for no value

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", distinct(self.fields))


def open_data_files(fmt: OutputFormat, doc: Document) -> Files:
    """Every table's and chart's CSV, in both variants, and the data package."""
    if not fmt.data_folder:
        return {}
    sheets = [*map(table_sheet, tables(doc)), *map(chart_sheet, charts(doc))]
    files = {f"{fmt.data_folder}{s.file}": csv_bytes(s, MACHINE) for s in sheets}
    files |= {f"{fmt.excel_folder}{s.file}": csv_bytes(s, EXCEL) for s in sheets}
    files[f"{fmt.data_folder}{PACKAGE}"] = package(doc, sheets)
    return files


def tables(doc: Document) -> list[ComputedTable]:
    return sorted(doc.items.get("tabelle", {}).values(), key=lambda t: t.number)


def charts(doc: Document) -> list[ChartInfo]:
    return sorted(doc.items.get("diagramm", {}).values(), key=lambda c: c.number)


# --- tables ---


def table_sheet(table: ComputedTable) -> Sheet:
    columns = [column_field(c) for c in table.columns]
    lines = list(table_lines(table))
    remarks = any(remark for _, _, _, remark in lines)
    groups = any(group for group, _, _, _ in lines)
    fields = [
        *([Field(GROUP, "string")] if groups else []),
        Field(KIND, "string", description=", ".join([*ROW_KINDS.values(), BELOW])),
        *columns,
        *([Field(REMARK, "string")] if remarks else []),
    ]
    rows = [
        [*([group] if groups else []), kind, *values, *([remark] if remarks else [])]
        for group, kind, values, remark in lines
    ]
    missing = sorted(
        {v for _, _, vs, _ in lines for v in vs if isinstance(v, str) and v in MARKERS}
    )
    return Sheet(
        table.data_file,
        f"Tabelle {table.number}: {table.title}",
        table.source,
        notes_of(table),
        fields,
        rows,
        ["", *missing],
    )


def column_field(column: Column) -> Field:
    title = " – ".join([*column.groups, column.title or column.id])
    numeric = column.type == "zahl"
    unit = (column.unit or next((u for u in UNITS if u in title), "")) if numeric else ""
    return Field(title, "number" if numeric else "string", unit)


def notes_of(table: ComputedTable) -> list[str]:
    marks = [f"{symbol}: {meaning}" for symbol, meaning in table.marks.items()]
    estimated = [f"{table.estimate_sign}: geschätzter Wert"] if table.estimated else []
    return [*table.notes, *marks, *estimated]


Line = tuple[str, str, list[Value], str]  # group, kind of row, values, remark


def table_lines(table: ComputedTable) -> Iterator[Line]:
    """The data rows of a table with the group they belong to; continued cells filled in."""
    group = ""
    above: list[Cell] = []
    for row in table.rows:
        if row.kind == "gruppe":
            group = f"{row.number} {row.label}".strip()
            continue
        cells = [c if c.rowspan else above[j] for j, c in enumerate(row.cells)]
        pairs = [
            cell_value(c, col) if c.rowspan else continued(above[j], col)
            for j, (c, col) in enumerate(zip(row.cells, table.columns, strict=True))
        ]
        above = cells
        remarks = [
            f"{title(col)}: {r}" for col, (_, r) in zip(table.columns, pairs, strict=True) if r
        ]
        unit = row_unit(cells, table.columns)
        remark = "; ".join([*([f"Einheit der Zeile: {unit}"] if unit else []), *remarks])
        # the table's total belongs to no group
        yield "" if row.kind == "gesamt" else group, row_kind(row), [v for v, _ in pairs], remark


def row_unit(cells: list[Cell], columns: list[Column]) -> str:
    """The unit a row's figures show instead of their column's (a row of changes in % in a
    table of amounts), "" for the column's."""
    shown = {
        shown_unit(cell.text)
        for cell, column in zip(cells, columns, strict=True)
        if column.type == "zahl" and cell.value is not None and not cell.own_unit
    }
    columns_units = {c.unit for c in columns if c.type == "zahl"}
    return next(iter(sorted(shown - columns_units - {""})), "")


def shown_unit(text: str) -> str:
    found = UNIT_AFTER.search(text)
    return found.group(1) if found else ""


def continued(above: Cell, column: Column) -> tuple[Value, str]:
    """A cell joined with the one above: its words repeat, its figure is not counted twice."""
    if column.type == "zahl" and above.value is not None:
        return None, JOINED
    return cell_value(above, column)


def row_kind(row: TableRow) -> str:
    return BELOW if row.below else ROW_KINDS.get(row.kind, row.kind)


def title(column: Column) -> str:
    return column.title or column.id


def cell_value(cell: Cell, column: Column) -> tuple[Value, str]:
    """A cell's value in the CSV and what it says beyond it (for the column "Anmerkung")."""
    return CELL_VALUES.get(column.type, text_value)(cell)


def number_value(cell: Cell) -> tuple[Value, str]:
    if cell.own_unit:
        return None, cell.text
    if cell.value is None:
        sign = SIGNS.get(cell.text, cell.text)
        return (sign, "") if sign in MARKERS else (None, cell.text)
    found = DECIMALS.search(cell.text)
    shown = round_half_up(cell.value, len(found.group(1)) if found else 0)
    remark = "geschätzt" if cell.estimated else "ca." if cell.approximate else ""
    return shown, remark


def text_value(cell: Cell) -> tuple[Value, str]:
    return cell.text, ""


def list_value(cell: Cell) -> tuple[Value, str]:
    return "; ".join(map(list_point, cell.items)), ""


def list_point(item: ListItem) -> str:
    inner = "; ".join(map(list_point, item.items))
    return f"{item.text} ({inner})" if inner else item.text


def content_value(cell: Cell) -> tuple[Value, str]:
    return " ".join(map(part_text, cell.parts)), ""


def part_text(part: Part) -> str:
    runs = [part.runs, *part.items, *(r for row in part.rows for r in row)]
    return " ".join("".join(text for text, _ in run) for run in runs if run)


def mark_value(cell: Cell) -> tuple[Value, str]:
    return cell.mark or cell.text, ""


CELL_VALUES: dict[str, Callable[[Cell], tuple[Value, str]]] = {
    "zahl": number_value,
    "text": text_value,
    "trend": text_value,
    "liste": list_value,
    "inhalt": content_value,
    "marke": mark_value,
}


# --- charts ---


def chart_sheet(info: ChartInfo) -> Sheet:
    data = info.data
    unit = data.unit
    fields = [
        Field(CATEGORY, "string"),  # the axis label names the values, not the categories
        *(Field(s.name, "number", unit, data.axis_label) for s in data.series),
    ]
    estimated = [
        ", ".join(s.name for s in data.series if s.estimated[i])
        for i in range(len(data.categories))
    ]
    remarks = any(estimated)
    if remarks:
        fields.append(Field(REMARK, "string"))
    rows: list[list[Value]] = [
        [
            category,
            *(
                None if s.values[i] is None else chart_number(s.values[i], data.decimals)
                for s in data.series
            ),
            *([f"geschätzt: {estimated[i]}" if estimated[i] else ""] if remarks else []),
        ]
        for i, category in enumerate(data.categories)
    ]
    note = [info.note] if info.note else []
    return Sheet(
        info.data_file, f"Abb. {info.number}: {info.title}", info.source, note, fields, rows, [""]
    )


def chart_number(value: float | None, decimals: int) -> Decimal | None:
    return None if value is None else round_half_up(value, decimals)


# --- writing ---


@dataclass(frozen=True)
class Dialect:
    """How a CSV variant writes its fields and numbers."""

    delimiter: str
    decimal: str
    bom: bool  # Excel recognises UTF-8 only by a byte order mark


MACHINE = Dialect(",", ".", bom=False)
EXCEL = Dialect(";", ",", bom=True)


def csv_bytes(sheet: Sheet, dialect: Dialect) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([f.name for f in sheet.fields])
    writer.writerows([[shown(v, dialect) for v in row] for row in sheet.rows])
    return ("\ufeff" if dialect.bom else "").encode() + out.getvalue().encode("utf-8")


def shown(value: Value, dialect: Dialect) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return format(abs(value) if value == 0 else value, "f").replace(".", dialect.decimal)


def package(doc: Document, sheets: list[Sheet]) -> bytes:
    """datapackage.json: the Frictionless data package of the machine-readable CSVs."""
    licence = LICENCES[doc.meta.licence]
    found = {
        "profile": "tabular-data-package",
        "name": doc.name.lower(),
        "title": f"{doc.meta.title} – {doc.meta.jobcenter}",
        "description": f"Die Zahlen aller Tabellen und Abbildungen des Programms {doc.meta.year}.",
        "licenses": [licence.package()],
        "contributors": [{"title": doc.meta.jobcenter, "role": "publisher"}],
        "resources": [resource(s) for s in sheets],
    }
    return (json.dumps(found, ensure_ascii=False, indent=1) + "\n").encode()


def resource(sheet: Sheet) -> dict[str, Any]:
    found: dict[str, Any] = {
        "name": sheet.file.removesuffix(".csv"),
        "path": sheet.file,
        "profile": "tabular-data-resource",
        "title": sheet.title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": [f.schema() for f in sheet.fields], "missingValues": sheet.missing},
    }
    found |= {"description": " ".join(sheet.notes)} if sheet.notes else {}
    return found | ({"sources": [{"title": sheet.source}]} if sheet.source else {})
