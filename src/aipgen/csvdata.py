"""Turn a table's CSV file (`daten: name.csv`) into table rows that remember their CSV lines.

Part of the load stage. Semicolon-separated, first line = column ids, optional columns `id` (row id)
and `art` (gruppe, darunter, summe, gesamt, bezug, hervorgehoben; several separated by commas).
Numbers are written the German way: 1.234,5. An empty cell stays empty; "=" computes it.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from .errors import Collector

NUMBER = re.compile(r"^[−-]?\d{1,3}(\.\d{3})*(,\d+)?$|^[−-]?\d+(,\d+)?$")
FLAGS = {"darunter": "darunter", "bezug": "bezug", "hervorgehoben": "hervorgehoben"}
KINDS = ("gruppe", "summe", "gesamt")
MARKERS = ("x", "-", ".")


def attach_csv(root: Path, doc: Any, errors: Collector) -> None:
    """If the table names a CSV file, read it into doc.data["zeilen"]."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("daten"), str) or "zeilen" in data:
        return
    rel = f"tabellen/{data['daten']}"
    shown = f"{root.name}/{rel}"
    path = (root / rel).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        errors.add(doc.file, doc.line(("daten",)), f"Die CSV-Datei „{rel}“ gibt es nicht.")
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        errors.add(shown, 0, "Die Datei ist nicht UTF-8-kodiert.")
        return
    rows, lines = parse_csv(text, shown, errors)
    del data["daten"]
    data["zeilen"] = rows
    doc.files[("zeilen",)] = shown
    for i, line in enumerate(lines):
        doc.lines[("zeilen", i)] = line


def parse_csv(text: str, shown: str, errors: Collector) -> tuple[list[dict[str, Any]], list[int]]:
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = next(reader, None)
    if not header:
        errors.add(shown, 1, "Die CSV-Datei ist leer.")
        return [], []
    header = [h.strip() for h in header]
    rows, lines = [], []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        record = dict(zip(header, (c.strip() for c in cells), strict=False))
        rows.append(csv_row(record, header, shown, reader.line_num, errors))
        lines.append(reader.line_num)
    return rows, lines


def csv_row(
    record: dict[str, str], header: list[str], shown: str, line: int, errors: Collector
) -> dict[str, Any]:
    flags = [f.strip() for f in record.pop("art", "").split(",") if f.strip()]
    row_id = record.pop("id", "")
    columns = [h for h in header if h not in ("art", "id")]
    values = [cell_value(record.get(c, "")) for c in columns]
    row: dict[str, Any] = {"id": row_id} if row_id else {}
    for flag in flags:
        if flag in KINDS:
            row[flag] = values[0] if isinstance(values[0], str) else ""
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
    if NUMBER.match(text):
        number = float(text.replace("−", "-").replace(".", "").replace(",", "."))
        return int(number) if number.is_integer() and "," not in text else number
    return text
