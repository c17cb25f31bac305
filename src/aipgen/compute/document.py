"""Turn a validated programme into a document: numbered chapters, computed tables and charts.

Everything a template shows is decided here; templates only lay it out.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from aipgen.base.errors import Collector, Outcome, Problem
from aipgen.base.numbering import STYLES
from aipgen.base.numbers import format_number
from aipgen.base.paths import DesignFiles
from aipgen.compute.numberalign import aligned_rows
from aipgen.compute.tables import ComputedTable, TableRow, compute_table
from aipgen.compute.targets import (
    REFERENCE_KINDS,
    Listing,
    Targets,
    listings,
    reference_problem,
    targets_of,
)
from aipgen.compute.textfigures import EXAMPLES, FIGURE_KINDS, fill_tokens, resolved_figures
from aipgen.content.chartdata import BARS, CHART_KINDS, WHOLE_KINDS, ChartData, Series
from aipgen.content.kinds import KINDS, resolve
from aipgen.content.layouts import programme_layout
from aipgen.content.load import TextFile
from aipgen.content.model import (
    AppendixStyle,
    ChartFile,
    KeyFiguresFile,
    ProgrammeFile,
    Signature,
    TableFile,
)
from aipgen.content.text.markdown import inline_text
from aipgen.content.validate import Content, Programme

NUMBERED_LEVELS = 3


@dataclass(frozen=True)
class TocEntry:
    level: int
    number: str
    title: str
    anchor: str
    appendix: bool = False  # a heading of an appendix chapter (Anhang I, I.1 …)


@dataclass
class ChapterDoc:
    file: str
    tokens: list[Token]
    footnotes: dict[int, int]  # markdown-it footnote id → document-wide number
    signature: Signature | None


@dataclass
class ChartInfo:
    name: str
    number: int
    title: str
    source: str
    note: str
    data: ChartData
    estimated: bool
    source_footnote: bool = False  # the source is a footnote on the caption
    footnote: int = 0  # its document-wide footnote number once numbered
    # why a pie or ring is drawn as bars: its rows fall short of the whole its table states
    as_bars: str = ""

    @property
    def anchor(self) -> str:
        """The HTML id of the placed figure (target of links and page references)."""
        return f"abb-{self.number}"

    @property
    def data_file(self) -> str:
        """Its data as CSV, in the data folder of a format that publishes one."""
        return f"abbildung-{self.name}.csv"


@dataclass(frozen=True)
class KeyFigureItem:
    value: str
    text: str
    id: str = ""  # what `[](#kennzahl:box/id)` names, besides its position
    number: float | None = None  # the value as a number (the overview's comparison)


@dataclass
class KeyFigureBox:
    name: str
    title: str
    items: list[KeyFigureItem]


@dataclass
class Document:
    """What the renderer needs: the template variables of one programme."""

    name: str
    root: Path
    meta: ProgrammeFile
    chapters: list[ChapterDoc]
    toc: list[TocEntry]
    items: dict[str, dict[str, Any]]  # directive kind → name → computed item
    targets: Targets  # what cross-references point at, by kind and name
    listings: list[Listing]  # lists of tables and figures the layout wants
    design: DesignFiles  # the templates/ and charts/ the programme is built with
    warnings: list[Problem] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    draft: datetime.date | None = None  # a draft for approval, of that day (ENTWURF)
    # the key figures for the overview's comparison (`vergleich`), references resolved
    comparison: dict[str, float] = field(default_factory=dict)
    easy_language: TextFile | None = None  # the editor's page in Leichte Sprache

    @property
    def tables(self) -> dict[str, ComputedTable]:
        return self.items.get("tabelle", {})

    @property
    def charts(self) -> dict[str, ChartInfo]:
        return self.items.get("diagramm", {})

    @property
    def keyfigures(self) -> dict[str, KeyFigureBox]:
        return self.items.get("kennzahlen", {})

    @property
    def all_images(self) -> list[str]:
        """The chapters' images, the theme's logo and the cover photo: every image file the
        document shows."""
        logo = self.meta.theme.logo
        photo = self.meta.cover_photo.file if self.meta.cover_photo else None
        return [*self.images, *([logo] if logo else []), *([photo] if photo else [])]


def compute_document(checked: Content, design: DesignFiles) -> Outcome[Document]:
    """The document with the problems its sums, formulas, charts and references have, laid
    out with these design files; no document when there are any. Content without a usable
    programm.yaml (a bare Content) has its tables, charts and references checked all the same,
    and gives no document."""
    errors = Collector()
    if not isinstance(checked, Programme):
        check_content(checked, errors)
        return errors.outcome(None)
    return errors.outcome(computed_document(checked, design, errors))


def check_content(content: Content, errors: Collector) -> None:
    """What compute checks without programm.yaml's settings: sums, formulas, charts and the
    references to tables and figures (chapters as they are, unnumbered)."""
    items = computed_items(content, errors)
    texts = with_figures(content, items, errors)
    chapters = [
        ChapterDoc(c.file, tokens, {}, c.signature)
        for c, tokens in zip(content.chapters, texts, strict=True)
    ]
    place(chapters, items, content.failed, errors)


@dataclass
class Computing:
    """What a directive kind's compute step may use: the content, the items of the kinds
    computed before it (registry order: a chart reads its table), where problems go."""

    content: Content
    errors: Collector
    items: dict[str, dict[str, Any]]


def computed_items(content: Content, errors: Collector) -> dict[str, dict[str, Any]]:
    """Every directive kind's items as its compute step makes them (an item it skips, e.g. a
    chart fed from a table with errors, is left out), in the registry's order."""
    stage = Computing(content, errors, {})
    for kind, spec in KINDS.items():
        step = resolve(spec.compute) if spec.compute else unchanged
        found = {name: step(name, model, stage) for name, model in content.of(kind).items()}
        stage.items[kind] = {name: item for name, item in found.items() if item is not None}
    return stage.items


def unchanged(name: str, model: Any, stage: Computing) -> Any:
    """A kind without a compute step shows its checked file as it is."""
    return model


def table_item(name: str, table: TableFile, stage: Computing) -> ComputedTable:
    source = stage.content.sources[f"tabelle:{name}"]
    computed = compute_table(name, table, source, stage.errors)
    computed.rows = aligned_rows(computed.rows, computed.estimate_sign)
    return computed


def chart_item(name: str, chart: ChartFile, stage: Computing) -> ChartInfo | None:
    """The chart's data; None for a chart fed from a table with errors of its own."""
    if builds_on_failed(chart, stage.content.failed):
        return None
    return chart_info(name, chart, stage.items.get("tabelle", {}), stage.content, stage.errors)


def key_box_item(name: str, box: KeyFiguresFile, stage: Computing) -> KeyFigureBox:
    return key_box(name, box)


def place(
    chapters: list[ChapterDoc],
    items: dict[str, dict[str, Any]],
    failed: set[str],
    errors: Collector,
) -> Targets:
    """Number the tables and figures in the order the text places them; the targets of
    cross-references, every reference checked against them."""
    number_placed(chapters, items)
    targets = {
        "tabelle": targets_of("tabelle", items.get("tabelle", {})),
        "abb": targets_of("abb", items.get("diagramm", {})),
    }
    check_references(chapters, targets, failed, errors)
    return targets


def computed_document(
    programme: Programme, design: DesignFiles, errors: Collector
) -> Document | None:
    """compute_document's work, into the stage's own collector; None when it found problems."""
    items = computed_items(programme, errors)
    charts: dict[str, ChartInfo] = items.get("diagramm", {})
    warnings = [
        *programme.warnings,
        *estimate_warnings(charts, programme),
        *whole_warnings(charts, programme),
    ]
    texts = with_figures(programme, items, errors)
    shown = programme_layout(programme.meta, design).chapter_numbers
    chapters, toc = number_chapters(programme, texts, shown, warnings)
    targets = place(chapters, items, programme.failed, errors)
    number_source_footnotes(chapters, charts)
    comparison = comparison_figures(programme, items, errors)
    if errors.problems:
        return None
    return Document(
        programme.name,
        programme.root,
        programme.meta,
        chapters,
        toc,
        items,
        targets,
        listings(programme_layout(programme.meta, design), targets),
        design,
        warnings,
        list(programme.images),
        easy_language=programme.easy_language,
        comparison=comparison,
    )


def comparison_figures(
    programme: Programme, items: dict[str, dict[str, Any]], errors: Collector
) -> dict[str, float]:
    """The figures of `vergleich`, a reference as the number its table or box prints; one that
    names nothing is an error at its line in programm.yaml."""
    figures, problems = resolved_figures(programme.meta.comparison, items)
    for key, problem in problems.items():
        file, line = programme.sources["programm"].where(("vergleich", key))
        errors.add(file, line, f"vergleich: {key}: {problem}")
    return figures


def with_figures(
    content: Content, items: dict[str, dict[str, Any]], errors: Collector
) -> list[list[Token]]:
    """Each chapter's tokens with the figures its references name put in as text (textfigures);
    a reference that names nothing is an error at its line."""
    return [
        fill_tokens(
            chapter.tokens,
            items,
            content.failed,
            reporter(errors, chapter.file),
        )
        for chapter in content.chapters
    ]


def reporter(errors: Collector, file: str) -> Callable[[int, str], None]:
    """Where a chapter's problems at a line go."""

    def report(line: int, problem: str) -> None:
        errors.add(file, line, problem)

    return report


def number_chapters(
    programme: Programme, texts: list[list[Token]], shown: bool, warnings: list[Problem]
) -> tuple[list[ChapterDoc], list[TocEntry]]:
    """Number headings 1, 2.1, 5.1.1 across chapters (`shown`: the numbers are shown, as the
    layout and the programme say); give each an anchor; collect footnotes."""
    main = [0] * NUMBERED_LEVELS
    appendix = [0] * NUMBERED_LEVELS  # appendix chapters count apart: Anhang I, II …
    appendices = {ref.file for ref in programme.meta.chapters if ref.appendix}
    toc: list[TocEntry] = []
    chapters: list[ChapterDoc] = []
    footnote_count = 0
    unnumbered = 0
    for chapter, text in zip(programme.chapters, texts, strict=True):
        in_appendix = chapter_file(chapter.file) in appendices
        counters = appendix if in_appendix else main
        tokens = [t.copy() for t in text]
        for i, token in enumerate(tokens):
            if token.type != "heading_open":
                continue
            level = int(token.tag[1])
            title = inline_text(tokens[i + 1])
            if level <= NUMBERED_LEVELS and not token.meta.get("unnumbered"):
                if level > 1 and counters[level - 2] == 0:
                    line = token.map[0] + 1 if token.map else 0
                    message = (
                        f"Die Überschrift „{title}“ (Ebene {level}) steht ohne Überschrift der "
                        f"Ebene {level - 1} davor."
                    )
                    warnings.append(Problem(chapter.file, line, message))
                counters[level - 1] += 1
                counters[level:] = [0] * (NUMBERED_LEVELS - level)
                style = programme.meta.appendix if in_appendix else None
                number, anchor = heading_number(counters[:level], style)
                number = number if shown else ""
                toc.append(TocEntry(level, number, title, anchor, in_appendix))
            else:
                unnumbered += 1
                number, anchor = "", f"abschnitt-{unnumbered}"
            token.meta = {**token.meta, "number": number, "anchor": anchor}
        ids = sorted(chapter.env.get("footnotes", {}).get("list", {}))
        numbers = {fid: footnote_count + k + 1 for k, fid in enumerate(ids)}
        footnote_count += len(ids)
        chapters.append(ChapterDoc(chapter.file, tokens, numbers, chapter.signature))
    return chapters, toc


def chapter_file(file: str) -> str:
    """A chapter's path as programm.yaml names it (the loader prefixes the programme)."""
    return file.split("/", 1)[1] if "/" in file else file


def heading_number(counters: list[int], appendix: AppendixStyle | None) -> tuple[str, str]:
    """A heading's number and anchor: "5.1" (kap-5-1); in an appendix chapter its label and
    number for the title ("Anhang I", "Anlage 1") and "I.1" below it (anhang-1-1)."""
    anchor = "-".join(str(c) for c in counters)
    if appendix is None:
        return ".".join(str(c) for c in counters), f"kap-{anchor}"
    first = STYLES[appendix.numbers](counters[0])
    if len(counters) == 1:
        return f"{appendix.label} {first}", f"anhang-{anchor}"
    return ".".join([first, *(str(c) for c in counters[1:])]), f"anhang-{anchor}"


def number_source_footnotes(chapters: list[ChapterDoc], charts: dict[str, ChartInfo]) -> None:
    """Charts whose source is a footnote take the footnote numbers in reading order: the
    text's footnotes before a chart keep theirs, those after it move up by one."""
    count = 0
    for chapter in chapters:
        renumbered: dict[int, int] = {}
        for token in chapter.tokens:
            if token.type == "directive" and token.meta["kind"] == "diagramm":
                info = charts.get(token.meta["name"])
                if info is not None and info.source_footnote and not info.footnote:
                    count += 1
                    info.footnote = count
            for child in token.children or []:
                fid = child.meta.get("id") if child.type == "footnote_ref" else None
                if fid is not None and fid in chapter.footnotes and fid not in renumbered:
                    count += 1
                    renumbered[fid] = count
        for fid in chapter.footnotes:  # defined but never referenced: keep them last
            if fid not in renumbered:
                count += 1
                renumbered[fid] = count
        chapter.footnotes = renumbered


def number_placed(chapters: list[ChapterDoc], items: dict[str, dict[str, Any]]) -> None:
    """The items of kinds placed only once (tables, figures) are numbered in the order they
    are placed in the text, each kind on its own."""
    counts = {kind: 0 for kind, spec in KINDS.items() if spec.once}
    for chapter in chapters:
        for token in chapter.tokens:
            kind = token.meta["kind"] if token.type == "directive" else ""
            target = items[kind].get(token.meta["name"]) if kind in counts else None
            if target is not None and target.number == 0:
                counts[kind] += 1
                target.number = counts[kind]


def builds_on_failed(chart: ChartFile, failed: set[str]) -> bool:
    """A chart fed from a table whose file has errors of its own is not checked again."""
    return chart.from_table is not None and f"tabelle:{chart.from_table.table}" in failed


def check_references(
    chapters: list[ChapterDoc], targets: Targets, failed: set[str], errors: Collector
) -> None:
    """Every cross-reference in the text points at a placed table or figure (references to a
    file with errors of its own are not reported again)."""
    for chapter in chapters:
        for token in chapter.tokens:
            for child in token.children or []:
                if child.type != "xref" or refers_to_failed(child.meta, failed):
                    continue
                if child.meta["kind"] in FIGURE_KINDS:  # put in as text (with_figures)
                    continue
                problem = reference_problem(child.meta, targets, EXAMPLES)
                if problem:
                    errors.add(chapter.file, child.meta["line"], problem)


def refers_to_failed(meta: dict[str, str], failed: set[str]) -> bool:
    kind = REFERENCE_KINDS.get(meta["kind"])
    return kind is not None and f"{kind[1]}:{meta['name']}" in failed


def chart_info(
    name: str,
    chart: ChartFile,
    tables: dict[str, ComputedTable],
    content: Content,
    errors: Collector,
) -> ChartInfo:
    doc = content.sources[f"diagramm:{name}"]
    total = None
    categories, series = (
        chart.categories,
        [
            Series(s.name, tuple(s.values), estimates(s.estimated, len(s.values)))
            for s in chart.series
        ],
    )
    if chart.from_table is not None:
        try:
            categories, series, total = from_table(chart, tables)
        except LookupError as exc:
            errors.add(*doc.where(("aus_tabelle",)), str(exc))
            series = [Series("", (0.0,), (False,))]  # placeholder; the build stops anyway
    if not any(v is not None for s in series for v in s.values):
        errors.add(*doc.where(("titel",)), f"Das Diagramm „{chart.title}“ hat keine Zahlenwerte.")
    data = ChartData(
        kind=chart.type,
        title=chart.title,
        categories=tuple(categories),
        series=tuple(series),
        stacked=chart.stacked,
        unit=chart.unit,
        decimals=chart.decimals,
        axis_label=chart.axis_label,
        alt=chart.alt,
        total=total,
    )
    short = short_of_the_whole(data)
    estimated = any(any(s.estimated) for s in series)
    return ChartInfo(
        name,
        0,
        chart.title,
        chart.source,
        chart.note,
        replace(data, kind=BARS) if short else data,
        estimated,
        chart.source_footnote,
        as_bars=short,
    )


def short_of_the_whole(data: ChartData) -> str:
    """Why a pie cannot show its rows: they do not add up to the whole its table states (a
    rest the table does not show is not drawn); empty when they do."""
    if data.kind not in WHOLE_KINDS or data.total is None:
        return ""
    shown = sum(v for v in data.series[0].values if v is not None)
    if abs(shown - data.total) <= 1e-9 * max(1.0, abs(data.total)):
        return ""
    return (
        f"Das {CHART_KINDS[data.kind]} „{data.title}“ zeigt Teile eines Ganzen, aber seine "
        f"Zeilen ergeben {format_number(shown, data.decimals)}, die Tabelle nennt als Ganzes "
        f"{format_number(data.total, data.decimals)}; es wird als Balkendiagramm seiner Zeilen "
        "gezeichnet (ein Rest, den die Tabelle nicht zeigt, wird nicht erfunden). Nehmen Sie "
        "die fehlenden Zeilen auf oder schreiben Sie „typ: balken“."
    )


def whole_warnings(charts: dict[str, ChartInfo], content: Content) -> list[Problem]:
    """A warning for each pie or ring drawn as bars because it falls short of its whole."""
    return [
        Problem(*content.sources[f"diagramm:{name}"].where(("aus_tabelle",)), info.as_bars)
        for name, info in charts.items()
        if info.as_bars
    ]


def estimate_warnings(charts: dict[str, ChartInfo], content: Content) -> list[Problem]:
    """A warning for each chart whose values are mostly estimates: a chart shows stated figures,
    an estimate is the exception."""
    warnings: list[Problem] = []
    for name, info in charts.items():
        flags = [flag for series in info.data.series for flag in series.estimated]
        if sum(flags) * 2 > len(flags):
            file, line = content.sources[f"diagramm:{name}"].where(("reihen",))
            message = (
                f"Im Diagramm „{info.title}“ sind {sum(flags)} von {len(flags)} Werten "
                "geschätzt. Ein Diagramm soll belegte Zahlen zeigen; geschätzte Werte sind die "
                "Ausnahme."
            )
            warnings.append(Problem(file, line, message))
    return warnings


def estimates(flag: bool | list[bool], count: int) -> tuple[bool, ...]:
    if isinstance(flag, bool):
        return (flag,) * count
    return tuple(flag) + (False,) * (count - len(flag))


Values = dict[str, float | None]
PickedRow = tuple[TableRow, Values, Values | None]  # row, its values, its reference row's values


def from_table(
    chart: ChartFile, tables: dict[str, ComputedTable]
) -> tuple[list[str], list[Series], float | None]:
    """Categories and series taken from a computed table, so one set of numbers feeds both;
    with the table's reference value (the whole its shares are computed over), if the rows
    share one."""
    spec = chart.from_table
    assert spec is not None
    table = tables.get(spec.table)
    if table is None:
        raise LookupError(f"Die Tabelle „{spec.table}“ gibt es nicht.")
    ids = [c.id for c in table.columns]
    for col in [spec.categories, *spec.series, *spec.columns]:
        if col and col not in ids:
            raise LookupError(f"Die Tabelle „{spec.table}“ hat keine Spalte „{col}“.")
    picked = pick_rows(table, spec.rows)
    if spec.columns:
        return series_per_row(table, spec.columns, picked)
    label_at = ids.index(spec.categories)
    categories = [row.cells[label_at].text for row, _, _ in picked]
    series = []
    for col in spec.series:
        at = ids.index(col)
        title = table.columns[at].title or col
        series.append(
            Series(
                title,
                tuple(v.get(col) for _, v, _ in picked),
                tuple(row.cells[at].estimated for row, _, _ in picked),
            )
        )
    return categories, series, common_total(picked, spec.series)


def series_per_row(
    table: ComputedTable, columns: list[str], picked: list[PickedRow]
) -> tuple[list[str], list[Series], float | None]:
    """The chosen columns as categories (their titles, e.g. years), one series per row named
    by the row's label: a time series kept the way the table prints it."""
    ids = [c.id for c in table.columns]
    at = [ids.index(col) for col in columns]
    categories = [table.columns[j].title or table.columns[j].id for j in at]
    series = [
        Series(
            row.cells[0].text or row.label,
            tuple(values.get(col) for col in columns),
            tuple(row.cells[j].estimated for j in at),
        )
        for row, values, _ in picked
    ]
    return categories, series, None


def common_total(
    picked: list[PickedRow],
    columns: list[str],
) -> float | None:
    """The reference value of a single series when all its rows refer to the same row."""
    references = {id(ref): ref for _, _, ref in picked}
    if len(columns) != 1 or len(references) != 1:
        return None
    (reference,) = references.values()
    return None if reference is None else reference.get(columns[0])


def pick_rows(table: ComputedTable, wanted: list[str]) -> list[PickedRow]:
    pairs = list(zip(table.rows, table.values, table.references, strict=True))
    if not wanted:
        return [(r, v, ref) for r, v, ref in pairs if r.kind == "zeile" and not r.below]
    by_id = {r.id: (r, v, ref) for r, v, ref in pairs if r.id}
    missing = [w for w in wanted if w not in by_id]
    if missing:
        raise LookupError(f"Die Tabelle „{table.name}“ hat keine Zeile mit id „{missing[0]}“.")
    return [by_id[w] for w in wanted]


def key_box(name: str, box: KeyFiguresFile) -> KeyFigureBox:
    items = [
        KeyFigureItem(format_number(f.value, f.decimals, f.unit), f.text, f.id or "", f.value)
        for f in box.figures
    ]
    return KeyFigureBox(name, box.title, items)
