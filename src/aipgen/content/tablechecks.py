"""The checks of a table file beyond its model: ids that must be unique within the table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from aipgen.base.errors import Collector
from aipgen.content.model import TableFile

if TYPE_CHECKING:
    from aipgen.content.load import Path_, YamlDoc


def unique_column_ids(table: TableFile, doc: YamlDoc, errors: Collector) -> None:
    columns = [(c.id, ("spalten", i, "id")) for i, c in enumerate(table.columns)]
    report_repeats(doc, columns, "Die Spalten-id „{id}“ gibt es schon in Zeile {line}.", errors)


def unique_row_ids(table: TableFile, doc: YamlDoc, errors: Collector) -> None:
    rows = [(r.id, ("zeilen", i, "id")) for i, r in enumerate(table.rows) if r.id]
    report_repeats(doc, rows, "Die Zeilen-id „{id}“ gibt es schon in Zeile {line}.", errors)


TABLE_CHECKS: tuple[Callable[[TableFile, YamlDoc, Collector], None], ...] = (
    unique_column_ids,
    unique_row_ids,
)


def check_table(table: TableFile, doc: YamlDoc, errors: Collector) -> None:
    for check in TABLE_CHECKS:
        check(table, doc, errors)


def report_repeats(
    doc: YamlDoc, items: Sequence[tuple[str, Path_]], message: str, errors: Collector
) -> None:
    """Report every value after its first occurrence, naming the first one's line."""
    first: dict[str, int] = {}
    for value, path in items:
        file, line = doc.where(path)
        if value in first:
            errors.add(file, line, message.format(id=value, line=first[value]))
        first.setdefault(value, line)
