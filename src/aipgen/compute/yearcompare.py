"""Compare a programme's figures with last year's (`vorjahr:` in programm.yaml).

Two uses: `check` and `build` warn about each stated figure that still equals last year's
(copied with `aipgen neu --von`, not yet updated) until it changes or is confirmed; a draft
(`build --entwurf`) lists every figure that changed, with plausibility warnings.

A figure is a number cell of a table, named by table, row and column: the row by its id, else
by its text (with its group's text where the text repeats); the column by its id, else, when
the id is new (a column renamed for the new year), by its position.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from aipgen.base.errors import Outcome, Problem
from aipgen.base.numbers import format_number
from aipgen.base.paths import DesignFiles
from aipgen.compute.document import Document, compute_document
from aipgen.compute.staletext import (
    OldFigure,
    Passage,
    chapter_passages,
    figure_number,
    number_warnings,
    rules,
    year_warnings,
)
from aipgen.compute.tables import ComputedTable, decimals, row_column, row_keys, row_label
from aipgen.compute.textcompare import (
    ColumnChange,
    MovedFigure,
    TextChange,
    moved_figures,
    text_changes,
)
from aipgen.compute.textfigures import figure_text
from aipgen.content.load import YamlDoc, load_programme
from aipgen.content.model import Column, PreviousYear, TableFile
from aipgen.content.validate import Content, Programme, validate_programme

Key = tuple[str, str, str]  # table, row, column
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
SHARE = re.compile(r"anteil", re.IGNORECASE)
POINTS = "Prozentpunkte"  # the unit of a change of a percentage


@dataclass(frozen=True)
class Figure:
    table: str
    table_title: str
    row: str  # the row's key (id, else text), as `bestaetigt` names it
    row_label: str
    column: str
    column_title: str
    position: int  # the column's index in the table
    value: float
    text: str  # as the table shows it
    stated: bool  # typed in (a data row's cell without formula), not computed
    share: bool  # a share in % (a column computed with anteil() or titled "Anteil")
    decimals: int
    unit: str
    file: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Change:
    figure: Figure
    before: Figure

    @property
    def of_a_percentage(self) -> bool:
        """A share or a figure in %: its change is in percentage points, not in %."""
        return self.figure.share or self.figure.unit.strip() == "%"

    @property
    def difference(self) -> str:
        figure = self.figure
        unit = POINTS if self.of_a_percentage else figure.unit
        return format_number(figure.value - self.before.value, figure.decimals, unit, True)

    @property
    def percent(self) -> float | None:
        if self.before.value == 0:
            return None
        return (self.figure.value - self.before.value) / abs(self.before.value) * 100

    @property
    def percent_text(self) -> str:
        """The change in %; none for a percentage, whose change the points say."""
        pct = self.percent
        return "" if pct is None else format_number(pct, 1, "%", signed=True)

    @property
    def relative_text(self) -> str:
        """The change report's column "in %": blank for a percentage."""
        return "" if self.of_a_percentage else self.percent_text


@dataclass(frozen=True)
class Comparison:
    """This year's figures against last year's."""

    previous: str  # last year's programme folder
    previous_title: str
    changes: list[Change]
    unchanged: list[Figure]  # stated, equal to last year's and not confirmed
    new: list[Figure]  # without a match last year
    implausible: list[str]  # German, for the change report
    texts: list[TextChange] = field(default_factory=list)  # the chapters' changed blocks
    columns: list[ColumnChange] = field(default_factory=list)  # column titles that changed
    moved: list[MovedFigure] = field(default_factory=list)  # typed figures now from the data


def figures(doc: Document, content: Content) -> list[Figure]:
    """Every number of the document's tables."""
    found: list[Figure] = []
    for name, table in doc.tables.items():
        source = content.sources.get(f"tabelle:{name}")
        if source is not None and name in content.tables:
            found.extend(table_figures(table, content.tables[name], source))
    return found


def table_figures(table: ComputedTable, source: TableFile, doc: YamlDoc) -> list[Figure]:
    keys = row_keys(table.rows)
    titles = [column_title(c) for c in table.columns]
    found = []
    for i, row in enumerate(table.rows):
        for j, (column, cell) in enumerate(zip(table.columns, row.cells, strict=False)):
            if cell.value is None or not cell.numeric:
                continue
            file, line = doc.where(("zeilen", i, "werte", j))
            shown = row_column(source.rows[i], column)
            stated = row.kind == "zeile" and column.formula is None
            stated = stated and source.rows[i].formula is None
            found.append(
                Figure(
                    table.name,
                    table.title,
                    keys[i],
                    row_label(row, i),
                    column.id,
                    titles[j],
                    j,
                    cell.value,
                    cell.text,
                    stated,
                    is_share(column, titles[j]),
                    decimals(source.rows[i], column),
                    cell.own_unit or shown.unit,
                    file,
                    line,
                )
            )
    return found


def column_title(column: Column) -> str:
    return " › ".join([*column.groups, column.title or column.id])


def is_share(column: Column, title: str) -> bool:
    return bool(SHARE.search(column.formula or "") or SHARE.search(title))


def compare(
    current: list[Figure], before: list[Figure], settings: PreviousYear, title: str
) -> Comparison:
    by_id = {(f.table, f.row, f.column): f for f in before}
    by_position = {(f.table, f.row, str(f.position)): f for f in before}
    changes, unchanged, new = [], [], []
    for figure in current:
        match = by_id.get((figure.table, figure.row, figure.column)) or by_position.get(
            (figure.table, figure.row, str(figure.position))
        )
        if match is None:
            new.append(figure)
        elif match.text != figure.text:
            changes.append(Change(figure, match))
        elif figure.stated and not confirmed(figure, settings.confirmed):
            unchanged.append(figure)
    implausible = [
        *jumps(changes, settings.threshold),
        *shares_over_100(current),
    ]
    return Comparison(settings.programme, title, changes, unchanged, new, implausible)


def by_table(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    """The changes grouped by table (its title), in the document's order."""
    grouped: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        grouped[change.figure.table_title].append(change)
    return list(grouped.items())


def confirmed(figure: Figure, entries: Iterable[str]) -> bool:
    names = {
        figure.table,
        f"{figure.table}/{figure.row}",
        f"{figure.table}/{figure.row}/{figure.column}",
    }
    return any(entry.strip() in names for entry in entries)


def jumps(changes: list[Change], threshold: float) -> list[str]:
    limit = format_number(threshold, 0 if float(threshold).is_integer() else 1, "%")
    return [
        f"{c.figure.where}: „{c.figure.table_title}“, {c.figure.row_label}, "
        f"{c.figure.column_title}: {c.before.text} → {c.figure.text} "
        f"({c.percent_text}, mehr als {limit} Veränderung)."
        for c in changes
        if c.figure.stated and c.percent is not None and abs(c.percent) > threshold
    ]


def shares_over_100(current: list[Figure]) -> list[str]:
    return [
        f"{f.where}: „{f.table_title}“, {f.row_label}, {f.column_title}: Anteil {f.text} "
        f"über {format_number(100, 0, '%')}."
        for f in current
        if f.share and f.value > 100
    ]


def heading_years(doc: Document) -> list[str]:
    """Headings and table and figure titles naming a year that is neither the programme's
    nor the one before (left over from an earlier programme?)."""
    year = doc.meta.year
    titles = [
        *((f"Überschrift „{e.number} {e.title}“".replace("„ ", "„"), e.title) for e in doc.toc),
        *((f"Tabelle „{t.title}“", t.title) for t in doc.tables.values()),
        *((f"Abbildung „{c.title}“", c.title) for c in doc.charts.values()),
    ]
    found = []
    for what, text in titles:
        odd = [y for y in YEAR.findall(text) if int(y) not in (year, year - 1)]
        if odd:
            found.append(
                f"{what}: die Jahreszahl {', '.join(odd)} ist weder {year} noch {year - 1}."
            )
    return found


def unchanged_warnings(comparison: Comparison) -> list[Problem]:
    """One warning per row with figures still as last year's, naming them and the fix."""
    rows: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for figure in comparison.unchanged:
        rows[figure.table, figure.row].append(figure)
    return [
        Problem(
            found[0].file,
            found[0].line,
            f"Wie im Vorjahr ({comparison.previous}), noch nicht aktualisiert: "
            f"„{found[0].table_title}“, Zeile „{found[0].row_label}“: "
            + "; ".join(f"{f.column_title} {f.text}" for f in found)
            + f". Stimmen die Zahlen, unter „vorjahr: bestaetigt:“ „{table}/{row}“ eintragen.",
        )
        for (table, row), found in rows.items()
    ]


def previous_programme_problem(settings: PreviousYear, problems: Sequence[Problem]) -> str:
    """The warning when last year's programme has errors of its own."""
    count = len(set(problems))
    return (
        f"Das Vorjahresprogramm „{settings.programme}“ hat {count} Fehler "
        f"(aipgen check {settings.programme}); ohne Vergleich mit dem Vorjahr."
    )


def with_previous_year(
    programme: Programme, doc: Document
) -> tuple[Comparison | None, list[Problem]]:
    """The comparison with last year's programme (a folder beside this one), and warnings:
    the figures not updated, or why there is no comparison."""
    settings = doc.meta.previous
    if settings is None:
        return None, []
    file, line = programme.sources["programm"].where(("vorjahr",))
    root = programme.root.parent / settings.programme
    if not (root / "programm.yaml").is_file():
        absent = (
            f"Das Vorjahresprogramm „{settings.programme}“ gibt es im Datenordner nicht; ohne "
            "Vergleich mit dem Vorjahr."
        )
        return None, [Problem(file, line, absent)]
    before = previous_figures(root, doc.design)
    if before.value is None:
        return None, [Problem(file, line, previous_programme_problem(settings, before.problems))]
    figures_before, title, last_year = before.value
    current = figures(doc, programme)
    texts = text_changes(last_year.chapters, programme.chapters, (root.name, programme.name))
    comparison = replace(
        compare(current, figures_before, settings, title),
        texts=texts,
        columns=column_changes(figures_before, current),
        moved=[replace(m, now=figure_text(m.reference, doc.items)) for m in moved_figures(texts)],
    )
    stale = stale_text(programme, doc, (figures_before, comparison), current, settings.confirmed)
    return comparison, [*unchanged_warnings(comparison), *stale]


def stale_text(
    programme: Programme,
    doc: Document,
    before: tuple[list[Figure], Comparison],
    current: list[Figure],
    confirmed: list[str],
) -> list[Problem]:
    """Text left from last year: its figures in the prose, mentions of its year (staletext)."""
    checked = rules(doc.design)
    passages = list(text_passages(programme, doc))
    numbers = {figure_number(f.text) for f in current}
    return [
        *number_warnings(passages, old_figures(*before), numbers, confirmed, checked),
        *year_warnings(passages, doc.meta.year, confirmed, checked),
    ]


def old_figures(before: list[Figure], comparison: Comparison) -> dict[str, OldFigure]:
    """Last year's figures by their number as a sentence writes it; for a number in several
    cells, a cell whose figure changed (with what it says now)."""
    now = {id(c.before): c.figure for c in comparison.changes}
    ranked = sorted(before, key=lambda f: id(f) not in now)
    found: dict[str, OldFigure] = {}
    for figure in ranked:
        number = figure_number(figure.text)
        if number in found:
            continue
        after = now.get(id(figure))
        cell = f"„{figure.table_title}“, Zeile „{figure.row_label}“, Spalte „{figure.column_title}“"
        found[number] = OldFigure(
            number, f"{cell}: {figure.text}", after.text if after else "", reference(figure)
        )
    return found


def reference(figure: Figure) -> str:
    """The reference that puts the figure into a sentence (textfigures)."""
    target = f"#wert:{figure.table}/{figure.row}/{figure.column}"
    return f"[](<{target}>)" if " " in target else f"[]({target})"


def text_passages(programme: Programme, doc: Document) -> Iterator[Passage]:
    """The chapters' text and the titles of tables and figures."""
    prefix = f"{programme.name}/"
    for chapter in programme.chapters:
        yield from chapter_passages(chapter.file, chapter.file.removeprefix(prefix), chapter.tokens)
    titled = [("tabelle", name, t.title) for name, t in doc.tables.items()]
    titled += [("diagramm", name, c.title) for name, c in doc.charts.items()]
    for kind, name, title in titled:
        source = programme.sources.get(f"{kind}:{name}")
        if source is not None:
            file, line = source.where(("titel",))
            yield Passage(file.removeprefix(prefix), file, line, title)


def column_changes(before: list[Figure], current: list[Figure]) -> list[ColumnChange]:
    """The columns, found in both years, whose title reads otherwise now."""
    old = {(f.table, f.column): f.column_title for f in before}
    seen: dict[tuple[str, str], ColumnChange] = {}
    for figure in current:
        key = (figure.table, figure.column)
        title = old.get(key)
        if title is not None and title != figure.column_title and key not in seen:
            seen[key] = ColumnChange(figure.table_title, title, figure.column_title, figure.where)
    return list(seen.values())


def previous_figures(root: Path, design: DesignFiles) -> Outcome[tuple[list[Figure], str, Content]]:
    """Last year's figures and title (computed with this year's design files), with its
    problems: those of loading and validation, else those of computing; no figures when there
    are any."""
    raw = load_programme(root)
    checked = validate_programme(raw, design)
    problems = (*raw.problems, *checked.problems)
    if checked.value is None or problems:
        return Outcome(None, problems)
    doc = compute_document(checked.value, design)
    if doc.value is None:
        return Outcome(None, doc.problems)
    return Outcome((figures(doc.value, checked.value), doc.value.meta.title, checked.value))
