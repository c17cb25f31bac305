"""`aipgen import`: figures from an export of the Statistik der Bundesagentur für Arbeit (BA)
into a table of a programme; baexport.py reads the export into its parts.

The export's rows and columns are matched to the table's by label (within its group) and column
title (with the titles of the groups above it). The table's CSV file (`daten:`) or its YAML rows
are updated in place (ruamel round trip: comments, flow style and key order stay), or a new
table is made. Nothing is written unless the table still loads and computes; each file is
replaced in one rename.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from aipgen.base.errors import Collector
from aipgen.base.numbers import NumberError, format_number, parse_number, round_half_up
from aipgen.base.scratch import write_file
from aipgen.compute.formula import ROW_FUNCTIONS, Formula, FormulaError, parse_formula
from aipgen.compute.tables import MARKER_MEANINGS, MARKERS, ComputedTable, compute_table
from aipgen.content.load import YamlDoc, read_yaml
from aipgen.content.model import Column, Row, TableFile
from aipgen.content.safe.csvdata import attach_csv
from aipgen.content.tablechecks import TABLE_CHECKS
from aipgen.content.validate import check_model
from aipgen.editor import yamledit
from aipgen.editor.baexport import (
    STAND,
    Export,
    ExportColumn,
    ExportRow,
    Figure,
    StatImportCallError,
    StatImportError,
    clean,
    own_places,
    read_export,
)
from aipgen.editor.exportshape import (
    BELOW,
    Total,
    change_formulas,
    explains_anonymised,
    marks_of,
    note_mark,
    table_notes,
    total_row,
)
from aipgen.editor.periods import (
    Period,
    PeriodError,
    mismatch,
    parse_mapping,
    period_text,
    periods_in,
    periods_of,
    renamed,
    shown,
)

FOOTNOTE_REF = re.compile(r"(\s*\d\))+$|[¹²³⁴⁵⁶⁷⁸⁹⁰]+$")
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "%": " prozent "})
RESERVED_IDS = {"art", "id", "merkmal"}  # the CSV's own columns and the label column
LABEL_ID = "merkmal"
ROW_FLAGS = {"darunter": "darunter", "hervorgehoben": "hervorgehoben"}  # art → YAML key


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
    if export.source and data.get("quelle") not in (export.source, export.full_source):
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


# --- periods and notes -------------------------------------------------------------------


def table_titles(model: TableFile) -> list[tuple[int, str]]:
    """Each titled column but the labels' with its title and the titles above it."""
    label_j = label_column(model)
    return [
        (j, " ".join((*c.groups, c.title))) for j, c in enumerate(model.columns) if j != label_j
    ]


def rename_periods(target: Target, export: Export, mapping: dict[Period, str]) -> list[str]:
    """Rename the periods of --zeitraum in the table's column titles (and the titles above
    them), in the model and in the YAML; German lines saying what changed."""
    if not mapping:
        return []
    ours = periods_of(t for _, t in table_titles(target.model))
    unknown = [p for p in mapping if p not in ours]
    if unknown:
        raise StatImportError(
            f"--zeitraum: „{period_text(unknown[0])}“ steht in keinem Spaltentitel der Tabelle "
            f"„{target.model.title}“ (dort: {shown(ours) or 'kein Zeitraum'})."
        )
    theirs = periods_of(c.shown for c in export.columns)
    # as the export writes the new period ("Sep 2023" for "September 2023"), so titles match
    mapping = {p: theirs.get(next(iter(periods_in(new))), new) for p, new in mapping.items()}
    out = []
    for j, column in enumerate(target.model.columns):
        title = renamed(column.title, mapping)
        groups = [renamed(g, mapping) for g in column.groups]
        if title == column.title and groups == column.groups:
            continue
        target.model.columns[j] = column.model_copy(update={"title": title, "groups": groups})
        entry = target.data["spalten"][j]
        entry["titel"] = DoubleQuotedScalarString(title)
        if groups != column.groups:
            entry["gruppe"] = CommentedSeq(DoubleQuotedScalarString(g) for g in groups)
        old, new = " / ".join((*column.groups, column.title)), " / ".join((*groups, title))
        out.append(f"Spaltentitel „{old}“ → „{new}“ (Spalte „{column.id}“)")
    return out


def check_periods(target: Target, export: Export) -> None:
    """Next year's export into last year's columns is an error naming both periods, where
    they stand, and the options that map them."""
    titled = table_titles(target.model)
    ours = periods_of(t for _, t in titled)
    theirs = periods_of(c.shown for c in export.columns)
    found = mismatch(theirs, ours)
    if found is None:
        return
    at_theirs = {
        p: f"Spalte {c.name}" for c in reversed(export.columns) for p in periods_in(c.shown)
    }
    at_ours = {}
    for j, title in reversed(titled):
        file, line = target.doc.where(("spalten", j))
        at_ours.update({p: f"{file}, Zeile {line}" for p in periods_in(title)})
    raise StatImportError(
        f"Die Spaltentitel von {export.shown} nennen einen anderen Zeitraum als die Tabelle "
        f"„{target.model.title}“: in der Datei {placed(theirs, at_theirs)}; in der Tabelle "
        f"{placed(ours, at_ours)}. Gehören die Zahlen trotzdem in diese Spalten, benennt "
        f"{found.suggestion()} die Zeiträume in den Spaltentiteln der Tabelle um (ALT=NEU); "
        "sonst den Export des Zeitraums der Tabelle wählen. Nichts wurde geändert."
    )


def placed(periods: dict[Period, str], at: dict[Period, str]) -> str:
    """„Sep 2023“ (Spalte B), newest first."""
    return ", ".join(f"„{periods[p]}“ ({at[p]})" for p in sorted(periods, reverse=True))


def update_notes(target: Target, export: Export) -> list[str]:
    """A footnote of the export whose mark ("1)") a label or column title of the table
    carries, and which no note of the table has yet, becomes a note (anmerkungen); the notes
    added."""
    texts = [r.label for r in table_rows(target)] + [t for _, t in table_titles(target.model)]
    used = marks_of(texts)
    have = {note_mark(n) for n in target.model.notes if isinstance(n, str)}
    out = []
    for note in table_notes(export):
        mark = note_mark(note)
        if mark and mark in used and mark not in have:
            notes = target.data.get("anmerkungen")
            if not isinstance(notes, CommentedSeq):
                notes = CommentedSeq()
                set_key(target.data, "anmerkungen", notes, after="quelle")
            notes.append(DoubleQuotedScalarString(note))
            have.add(mark)
            out.append(note)
    return out


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
    source: Path,
    table: Path,
    sheet: str | None = None,
    dry_run: bool = False,
    periods: Iterable[tuple[str, str]] = (),
) -> ImportReport:
    """Take the figures of a BA export (xlsx or csv) into a table (tabellen/NAME.yaml): update
    its CSV or YAML rows, or make the table. With dry_run, only report. periods: pairs
    (ALT, NEU) that rename the periods in the table's column titles first. Raises
    StatImportError (nothing written) when the export or the result is unusable."""
    try:
        mapping = parse_mapping(periods)
    except PeriodError as exc:
        raise StatImportCallError(str(exc)) from None
    root, rel = table_location(table)
    if not (root / "programm.yaml").is_file():
        raise StatImportCallError(
            f"„{root}“ ist kein Programmordner (dort fehlt programm.yaml); die Tabelle gehört "
            "nach PROGRAMM/tabellen/."
        )
    export = read_export(source, sheet)
    check_export(export)  # also for a new table, so that the next import can update it
    if table.exists():
        report, files = update_table(export, table, root, rel, mapping)
    else:
        report, files = create_table(export, table, root, rel)
    report.source, report.table = source, table
    report.source_text, report.stand = export.source, export.stand
    if files and not dry_run:
        write_all(files)
        report.written = True
    return report


def update_table(
    export: Export, table: Path, root: Path, rel: str, mapping: dict[Period, str]
) -> tuple[ImportReport, dict[Path, bytes]]:
    target = load_target(table)
    renames = rename_periods(target, export, mapping)
    check_periods(target, export)
    infos = table_rows(target)
    rows, columns, report = pair_up(target, export, infos)
    plan = plan_edits(target, export, rows, columns)
    apply_plan(target, plan)
    added = update_notes(target, export)
    report.meta = renames + update_meta(target.data, export)
    report.meta += [f"Anmerkung „{n}“ ergänzt (Fußnote zu „{note_mark(n)})“)" for n in added]
    report.footnotes = [t for t in export.footnotes if t not in added]
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
    formula: str = ""  # a change column that follows from two others


@dataclass(frozen=True)
class Shape:
    """What a new table makes of the export: its columns (ids, decimals, formulas), its total
    row (index in Export.rows, if it checks) and its notes."""

    columns: list[NewColumn]
    total: Total | None
    notes: list[str]

    def art(self, k: int, row: ExportRow) -> str:
        """The row's kind in the CSV column `art`."""
        if row.heading:
            return "gruppe"
        if self.total is not None and self.total.index == k:
            return "gesamt" if self.total.checks else "hervorgehoben"
        return "darunter" if BELOW.match(row.label) else ""


def shape_of(export: Export) -> Shape:
    columns = new_columns(export)
    formulas = change_formulas(export, [c.id for c in columns])
    columns = [
        replace(c, formula=formulas[k]) if k in formulas else c for k, c in enumerate(columns)
    ]
    summed = [k for k, c in enumerate(columns) if not c.formula]  # as the build sums them
    return Shape(columns, total_row(export, summed), table_notes(export))


def create_table(
    export: Export, table: Path, root: Path, rel: str
) -> tuple[ImportReport, dict[Path, bytes]]:
    data_path = table.with_suffix(".csv")
    if data_path.exists():
        raise StatImportError(
            f"„{data_path.name}“ gibt es schon im Ordner „tabellen“, „{table.name}“ aber "
            "nicht; bitte eine neue Tabelle unter einem anderen Namen anlegen."
        )
    shape = shape_of(export)
    in_csv = all(
        f.places == shape.columns[k].places
        for row in export.rows
        for k, f in enumerate(row.figures)
        if f.number is not None
    )
    head = new_table_head(export, shape)
    files: dict[Path, bytes] = {}
    if in_csv:
        files[data_path] = new_csv(export, shape).encode("utf-8")
        head.append(f"daten: {data_path.name}")
        files[table] = "\n".join([*head, *spalten_lines(export, shape.columns), ""]).encode()
    else:
        body = [*head, *spalten_lines(export, shape.columns), "zeilen:"]
        files[table] = "\n".join([*body, *inline_rows(export, shape), ""]).encode("utf-8")
    check_result(root, rel, files)
    report = ImportReport(Path(), Path(), data_path if in_csv else None, created=True)
    report.new_rows = [r.label for r in export.rows if not r.heading]
    report.hints += shape_hints(export, shape)
    if not in_csv:
        report.hints.append(
            "Hinweis: Die Zeilen stehen in der Tabellendatei (zeilen), nicht in einer CSV-Datei, "
            "weil einzelne Zeilen andere Nachkommastellen haben als ihre Spalte."
        )
    report.footnotes = [t for t in export.footnotes if t not in shape.notes]
    return report, files


def shape_hints(export: Export, shape: Shape) -> list[str]:
    """What the new table made of the export's total and change columns, for the editor."""
    out = []
    total = shape.total
    if total is not None:
        row = export.rows[total.index]
        where = f"Zeile „{row.label}“ (Zeile {row.line} in {export.shown})"
        out.append(
            f"{where}: Gesamtsumme (gesamt), wird beim Bau geprüft."
            if total.checks
            else f"Hinweis: {where} ist in den Spalten {total.why} nicht die Summe der anderen "
            "Zeilen (mehrere Gliederungen?); sie bleibt eine hervorgehobene Zeile."
        )
    out += [
        f"Spalte „{export.columns[k].shown}“ (Spalte {export.columns[k].name} in "
        f"{export.shown}): berechnet mit formel: {c.formula}; die Zahlen der Datei werden geprüft."
        for k, c in enumerate(shape.columns)
        if c.formula
    ]
    return out


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


def new_table_head(export: Export, shape: Shape) -> list[str]:
    lines = [
        f"# Übernommen aus {export.shown} (aipgen import). Titel, Spaltenköpfe und",
        "# Spalten-ids bitte prüfen; ein erneuter Import aktualisiert die Zahlen.",
        f"titel: {q(export.title or Path(export.file).stem)}",
    ]
    if export.full_source:
        lines.append(f"quelle: {q(export.full_source)}")
    notes = ([export.stand] if export.stand else []) + shape.notes
    codes = {f.code for r in export.rows for f in r.figures if f.code}
    if explains_anonymised(shape.notes):
        codes.discard("*")  # the export's own note "*) …" explains it
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
        if column.formula:
            parts.append(f"formel: {q(column.formula)}")
        lines.append(f"  - {{{', '.join(parts)}}}")
    return lines


def new_csv(export: Export, shape: Shape) -> str:
    columns = shape.columns
    out = [csv_line(["art", LABEL_ID, *(c.id for c in columns)])]
    for k, row in enumerate(export.rows):
        cells = [""] * len(columns) if row.heading else [f.german() for f in row.figures]
        out.append(csv_line([shape.art(k, row), row.label, *cells]))
    return "".join(out)


def inline_rows(export: Export, shape: Shape) -> list[str]:
    """Rows in YAML: a row whose numbers share other decimals than their columns says so
    (nachkommastellen), a single such cell says it itself."""
    lines = []
    for k, row in enumerate(export.rows):
        art = shape.art(k, row)
        if row.heading:
            lines.append(f"  - gruppe: {q(row.label)}")
        elif art == "gesamt":
            lines.append(f"  - gesamt: {q(row.label)}")
            lines += inline_values(row, shape.columns, "null", "    ")
        else:
            lines += inline_values(row, shape.columns, q(row.label), "  - ")
            lines += [f"    {ROW_FLAGS[art]}: true"] if art in ROW_FLAGS else []
    return lines


def inline_values(row: ExportRow, columns: list[NewColumn], label: str, lead: str) -> list[str]:
    """`werte` of a row, and its own decimals where all its numbers differ from their
    columns' in the same way."""
    own = {f.places for f in row.figures if f.number is not None}
    places = own.pop() if len(own) == 1 else None
    if places is not None and all(
        c.places == places
        for c, f in zip(columns, row.figures, strict=True)
        if f.number is not None
    ):
        places = None  # the columns show it so already
    cells = [label] + [
        inline_cell(f, places if places is not None else c.places)
        for c, f in zip(columns, row.figures, strict=True)
    ]
    lines = [f"{lead}werte: [{', '.join(cells)}]"]
    return lines + ([f"    nachkommastellen: {places}"] if places is not None else [])


def inline_cell(figure: Figure, shown_places: int) -> str:
    if figure.number is None:
        return q(figure.code)
    text = str(round_half_up(figure.number, figure.places))
    if math.copysign(1.0, figure.number) < 0 and not text.startswith("-"):
        text = "-" + text  # "-0.0": a decrease that rounds to zero keeps its sign
    if figure.places != shown_places:
        return f"{{wert: {text}, nachkommastellen: {figure.places}}}"
    return text
