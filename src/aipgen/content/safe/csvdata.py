"""Turn a table's CSV file (`daten: name.csv`) into table rows that remember their CSV lines.

Part of the load stage. Semicolon-separated, first line = column ids, optional columns `id` (row id)
and `art` (gruppe, darunter, summe, gesamt, bezug, hervorgehoben; several separated by commas).
Numbers are written the German way: 1.234,5. An empty cell stays empty; "=" computes it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from aipgen.base.errors import Collector
from aipgen.base.numbers import NumberError, parse_number
from aipgen.content.safe.files import Entry, locate, read_text

FLAGS = {"darunter": "darunter", "bezug": "bezug", "hervorgehoben": "hervorgehoben"}
KINDS = ("gruppe", "summe", "gesamt")
MARKERS = ("x", "-", ".", "*")  # as in tables.MARKERS; "*": anonymisiert


def attach_csv(root: Path, doc: Any, errors: Collector) -> None:
    """If the table names a CSV file, read it into doc.data["zeilen"]."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("daten"), str) or "zeilen" in data:
        return
    rel = f"tabellen/{data['daten']}"
    shown = f"{root.name}/{rel}"
    path, absent = locate(root, rel)
    entry = Entry(doc.file, doc.line(("daten",)), rel)
    if path is None:
        errors.add(entry.file, entry.line, f"Die CSV-Datei „{rel}“ {absent}.")
        return
    text = read_text(path, shown, errors, entry)
    if text is None:
        return
    parsed = parse_csv(text, shown, errors)
    if parsed is None:
        return  # no usable header: reported, and the table keeps its `daten` (no follow-ups)
    rows, lines = parsed
    del data["daten"]
    data["zeilen"] = rows
    doc.files[("zeilen",)] = shown
    for i, line in enumerate(lines):
        doc.lines[("zeilen", i)] = line


def parse_csv(
    text: str, shown: str, errors: Collector
) -> tuple[list[dict[str, Any]], list[int]] | None:
    """Rows and their line numbers, or None without a usable header; every problem is reported."""
    reader = csv.reader(io.StringIO(text), delimiter=";")
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    try:
        header = read_header(next(reader, None), shown, errors)
        if not header:
            return None
        for cells in reader:
            if any(c.strip() for c in cells):
                check_width(cells, header, shown, reader.line_num, errors)
                record = dict(zip(header, (c.strip() for c in cells), strict=False))
                rows.append(csv_row(record, header, shown, reader.line_num, errors))
                lines.append(reader.line_num)
    except csv.Error:
        errors.add(shown, reader.line_num, "Die CSV-Zeile ist nicht lesbar (Anführungszeichen?).")
    return rows, lines


def read_header(cells: list[str] | None, shown: str, errors: Collector) -> list[str]:
    """Column names of the first line; empty after reporting an empty file or a repeated name."""
    if not cells or not any(c.strip() for c in cells):
        errors.add(shown, 1, "Die CSV-Datei ist leer.")
        return []
    header = [h.strip() for h in cells]
    repeated = sorted({h for h in header if header.count(h) > 1})
    for name in repeated:
        errors.add(shown, 1, f"Die Spalte „{name}“ steht zweimal in der Kopfzeile.")
    return [] if repeated else header


def check_width(
    cells: list[str], header: list[str], shown: str, line: int, errors: Collector
) -> None:
    if len(cells) != len(header):
        errors.add(
            shown,
            line,
            f"Die Zeile hat {len(cells)} Felder, die Kopfzeile aber {len(header)} "
            "(Felder werden mit ; getrennt).",
        )


def csv_row(
    record: dict[str, str], header: list[str], shown: str, line: int, errors: Collector
) -> dict[str, Any]:
    flags = [f.strip() for f in record.pop("art", "").split(",") if f.strip()]
    row_id = record.pop("id", "")
    columns = [h for h in header if h not in ("art", "id")]
    values = []
    for column in columns:
        try:
            values.append(cell_value(record.get(column, "")))
        except NumberError as exc:
            errors.add(shown, line, f"Spalte „{column}“: {exc}")
            values.append("")
    row: dict[str, Any] = {"id": row_id} if row_id else {}
    for flag in flags:
        if flag in KINDS:
            row[flag] = values[0] if values and isinstance(values[0], str) else ""
        elif flag in FLAGS:
            row[FLAGS[flag]] = True
        else:
            errors.add(shown, line, f"Unbekannte Zeilenart „{flag}“ in der Spalte „art“.")
    if "gruppe" not in row:
        row["werte"] = values if "summe" not in row and "gesamt" not in row else [None, *values[1:]]
    return row


def cell_value(text: str) -> Any:
    """CSV cell → table value: "" stays empty, "=" asks for the computed value."""
    if text == "=":
        return None
    if text in MARKERS:
        return text
    number = parse_number(text)
    return text if number is None else number
