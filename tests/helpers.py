"""What the tests share: paths, the programmes in data/, and helpers that build, render
or run a programme the way several test files need it. Fixtures are in conftest.py."""

from __future__ import annotations

import functools
import os
import re
import signal
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
import yaml
from click.testing import CliRunner

from aipgen.base import paths
from aipgen.base.errors import Collector, Problem
from aipgen.base.formats import FORMATS, Job
from aipgen.base.paths import BUILT_IN
from aipgen.build.command import Line
from aipgen.build.pipeline import build_programme
from aipgen.cli.main import main
from aipgen.compute.document import Document, compute_document
from aipgen.compute.tables import MARKERS, ComputedTable, compute_table
from aipgen.content.chartdata import ChartData, Series
from aipgen.content.load import load_programme, parse_yaml
from aipgen.content.model import TableFile
from aipgen.content.safe.csvdata import attach_csv
from aipgen.content.validate import Programme, validate_programme
from aipgen.media.render import ChartSvg, render_html

# --- paths, the programmes in data/ and their built output -----------------------------


FIXTURES = Path(__file__).parent / "fixtures"


CHROMIUM = Path("/usr/bin/chromium")


CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


PROJECT = Path(__file__).resolve().parents[1]


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a fixture file; fail loudly if the old text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


DATA = PROJECT / "data"


PROGRAMMES = sorted(p.name for p in DATA.iterdir() if (p / "programm.yaml").is_file())


def build_in_process(output: Path, *names: str) -> None:
    """`aipgen build` of the named programmes in data/ (all without names), as a user runs it:
    a fresh process. The final HTML each PDF was laid out from, and how often, is kept in html/
    beside the output (see pdf.py)."""
    laid_out = output.parent / "html"
    laid_out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0", "AIPGEN_HTML_DIR": str(laid_out)}
    command = [sys.executable, "-m", "aipgen.cli.main", "build", *names, "--data-dir", str(DATA)]
    subprocess.run([*command, "--output-dir", str(output)], check=True, env=env, cwd=PROJECT)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


OVERVIEW = "overview"


PAGE_GROUPS = [OVERVIEW, *PROGRAMMES]


def pages_of(output: Path, group: str) -> list[str]:
    """The HTML pages of one group of a built output folder, as paths relative to it (and so as
    URL paths): the overview group holds the top-level pages, a programme every page in its
    folder. Found by globbing, so a new page is checked without a test change."""
    found = output.glob("*.html") if group == OVERVIEW else (output / group).rglob("*.html")
    pages = sorted(p.relative_to(output).as_posix() for p in found)
    assert pages, f"keine HTML-Seite für {group} in {output}"
    return pages


def page_groups(known_failures: dict[str, str]) -> list[Any]:
    """The page groups as test parameters; a group with a known failure is marked xfail."""
    params = []
    for group in PAGE_GROUPS:
        reason = known_failures.get(group)
        marks = [pytest.mark.xfail(strict=False, reason=reason)] if reason else []
        params.append(pytest.param(group, marks=marks, id=group))
    return params


# --- a programme read, computed and rendered in this process ------------------------------


def checked(
    root: Path, design: paths.DesignFiles = BUILT_IN
) -> tuple[Programme | None, list[Problem]]:
    """The validated programme, with the problems of loading and validating it (as the build
    reports them together)."""
    raw = load_programme(root)
    validated = validate_programme(raw, design)
    return validated.value, [*raw.problems, *validated.problems]


def document(root: Path, design: paths.DesignFiles = BUILT_IN) -> Document:
    """The computed document of a programme folder, built with these design files."""
    programme, problems = checked(root, design)
    assert programme is not None and not problems, problems
    doc = compute_document(programme, design)
    assert doc.value is not None, doc.problems
    return doc.value


def compute_problems(root: Path, design: paths.DesignFiles = BUILT_IN) -> list[str]:
    programme, problems = checked(root, design)
    assert programme is not None, problems
    doc = compute_document(programme, design)
    assert doc.value is None
    return [f"{p.file}:{p.line}: {p.message}" for p in (*problems, *doc.problems)]


def problems(root: Path) -> list[str]:
    return said(build_programme(root, BUILT_IN, check_only=True).problems)


def said(found: list[Problem]) -> list[str]:
    """Errors or warnings as the terminal shows them ("file:line: message")."""
    return [str(problem) for problem in found]


SVG = ChartSvg('<svg viewBox="0 0 10 10"><rect width="10" height="5"/></svg>', "Balken: A 1")


def html(root: Path, medium: str = "web", design: paths.DesignFiles = BUILT_IN) -> str:
    doc = document(root, design)
    return render_html(doc, {name: SVG for name in doc.charts}, FORMATS[medium])


def compute(text: str) -> tuple[ComputedTable, list[str]]:
    errors = Collector()
    doc = parse_yaml(text, "t.yaml", errors)
    assert doc is not None
    table = compute_table("t", TableFile.model_validate(doc.data), doc, errors)
    return table, [str(p) for p in errors.problems]


def texts(table: ComputedTable, row: int) -> list[str]:
    return [c.text for c in table.rows[row].cells]


# --- the command line and a project folder ----------------------------------------------


THEME_CSS = "h2 { color: #8a1538; }\n"


def aipgen(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line in `folder`, as a user runs it there."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    env.pop("AIPGEN_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "aipgen.cli.entry", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def add_theme(folder: Path) -> None:
    """A theme: the headings' colour in eigen.css, the first chart colour in its palette."""
    (folder / "templates" / "common").mkdir(parents=True)
    (folder / "templates" / "common" / "eigen.css").write_text(THEME_CSS)
    (folder / "charts").mkdir()
    palette = (PROJECT / "charts" / "palette.yaml").read_text(encoding="utf-8")
    (folder / "charts" / "palette.yaml").write_text(palette.replace("#00529f", "#8a1538"))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), prog_name="aipgen")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash shows its traceback, not just exit code 1
    return result.exit_code, result.stdout, result.stderr


class Recorder:
    """A display that keeps what the build says, instead of printing it."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.summed: list[Line] = []

    def started(self, name: str) -> None:
        pass

    def finished(self, name: str) -> None:
        pass

    def say(self, text: str, err: bool = False) -> None:
        self.said.append(text)

    def summary(self, lines: list[Line]) -> None:
        self.summed = lines


INTERRUPTED = {
    signal.SIGINT: "Abgebrochen mit Strg+C (SIGINT). Halb Geschriebenes und temporäre Dateien "
    "wurden entfernt; jede Ausgabe ist die bisherige oder eine vollständige neue.",
    signal.SIGTERM: "Abgebrochen durch das Signal SIGTERM. Halb Geschriebenes und temporäre "
    "Dateien wurden entfernt; jede Ausgabe ist die bisherige oder eine vollständige neue.",
}


# --- the built PDFs and the reference texts ------------------------------------------------


def layout_of(name: str) -> str:
    meta = yaml.safe_load((DATA / name / "programm.yaml").read_text(encoding="utf-8"))
    return str(meta.get("layout", "bericht"))


NUMBER = re.compile(
    r"(?<![0-9.,])[+\-−]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[+\-−]?[0-9]+,[0-9]+|[0-9]+(?![0-9.,])"
)


def normalise(text: str) -> str:
    text = text.replace("\u2212", "-").replace("\u202f", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


# --- the website in the browser, charts, laid-out pages ----------------------------------


# axe-core's rules for WCAG 2.2 A/AA and its best practices
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


CHART_DATA = ChartData(
    kind="saeulen",
    title="Eintritte",
    categories=("2021", "2022", "2023"),
    series=(
        Series("Frauen", (120.0, 135.0, 150.0), (False, False, True)),
        Series("Männer", (100.0, None, 90.0), (False, False, False)),
    ),
    unit="",
)


@functools.cache
def parsed_pdf(pdf_path: Path) -> Any:
    """A built PDF as pdfplumber reads it, once per test process: several test files read the
    same built PDFs' characters and lines (conftest.py runs them in one process), and parsing is
    what costs. Its pages keep what they parsed; the PDF stays open until the session ends."""
    import pdfplumber

    return pdfplumber.open(pdf_path)


@functools.cache
def screen_layout(name: str) -> Any:
    """The screen PDF of a programme in data/ as WeasyPrint lays it out (pages of boxes with
    their HTML elements), with its charts and its page make-up, as the build publishes it:
    once per session for every test that looks at it. Its boxes only: the temporary font
    files are gone, so it cannot be written."""
    from aipgen.build.charting import render_charts
    from aipgen.media.pdf import pages

    doc = document(DATA / name)
    page = render_html(doc, render_charts(doc, "screen"), FORMATS["pdf"])
    job = Job(doc, page, [])
    with job.cleanup:
        return pages(job)


def element_pages(rendered: Any, wanted: Any) -> dict[Any, set[int]]:
    """For each element that `wanted` accepts, the pages its boxes are on."""
    found: dict[Any, set[int]] = defaultdict(set)
    for number, page in enumerate(rendered.pages, start=1):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and wanted(element):
                found[element].add(number)
    return found


# --- BA exports made from the Herne tables -------------------------------------------------


HERNE = PROJECT / "data" / "herne-2023"


BA = "Statistik der Bundesagentur für Arbeit"


FOOTER = [
    f"Quelle: {BA}",
    "Datenstand: Januar 2023",
    "*) Aus Datenschutzgründen und Gründen der statistischen Geheimhaltung werden Zahlenwerte "
    "von 1 oder 2 und Daten, aus denen rechnerisch auf einen solchen Zahlenwert geschlossen "
    "werden kann, anonymisiert.",
    "1) Ohne Personen, deren Status unbekannt ist.",
    f"© {BA}",
    "Erstellungsdatum: 15.02.2023",
]


@dataclass
class Sheet:
    """A BA export: title lines, header rows (merged ranges within them), rows, footer."""

    title: list[str]
    header: list[list[str]]
    merges: list[tuple[int, int, int, int]]  # (row, col, last row, last col) in the header
    rows: list[list[Any]]  # label, then per column a number, (number, places), a sign or None
    footer: list[str] = field(default_factory=lambda: list(FOOTER))
    name: str = "Tabelle 1"  # the sheet's name

    @property
    def width(self) -> int:
        return len(self.header[0])

    def row(self, label: str, group: str = "") -> list[Any]:
        current = ""
        for row in self.rows:
            if all(v is None for v in row[1:]):
                current = row[0]
            elif row[0] == label and (not group or current == group):
                return row
        raise KeyError(label)


def figures(name: str, ids: list[str]) -> list[list[Any]]:
    """The rows of a Herne table as the BA would export them: label, then for each column id
    the shown figure as (number, places) or the sign; heading rows without figures."""
    errors = Collector()
    folder = HERNE / "tabellen"
    doc = parse_yaml((folder / f"{name}.yaml").read_text(encoding="utf-8"), name, errors)
    assert doc is not None
    attach_csv(HERNE, doc, errors)  # the rows of svb are in svb.csv
    model = TableFile.model_validate(doc.data)
    table = compute_table(name, model, doc, errors)
    assert not errors.problems
    columns = {c.id: (j, c) for j, c in enumerate(model.columns)}
    out: list[list[Any]] = []
    for i, row in enumerate(model.rows):
        if row.kind == "gruppe":
            out.append([row.group] + [None] * len(ids))
            continue
        cells: list[Any] = [row.values[0] if row.values else ""]
        for column_id in ids:
            j, column = columns[column_id]
            stated = row.values[j] if row.values else None
            if isinstance(stated, str) and stated in MARKERS:
                cells.append(stated)
                continue
            value = table.values[i][column_id]
            places = row.decimals if row.decimals is not None and not column.formula else None
            shown = column.decimals if places is None else places
            cells.append(None if value is None else (value, shown))
        out.append(cells)
    return out


def svb_sheet() -> Sheet:
    """Beschäftigte am Wohnort Herne, September 2022, revised: two figures changed, a row
    "ohne Angabe" the table does not have (anonymised)."""
    rows = figures("svb", ["sep22", "sep21", "abs", "pct"])
    sheet = Sheet(
        [
            "Arbeitsmarkt in Zahlen",
            "Beschäftigungsstatistik",
            "Sozialversicherungspflichtig Beschäftigte am Wohnort Herne",
            "Stichtag: 30. September 2022",
        ],
        [
            ["Merkmale", "Sep 2022", "Sep 2021", "Veränderung", ""],
            ["", "", "", "absolut", "in %"],
        ],
        [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 0, 4)],
        rows,
    )
    sheet.row("Männer")[1] = (25801, 0)
    sheet.row("Helfer")[2] = (9440, 0)
    at = next(k for k, r in enumerate(rows) if r[0] == "Ausländer") + 1
    rows.insert(at, ["ohne Angabe", "*", "*", "x", "x"])
    return sheet


def cell_number(value: Any) -> tuple[float, int] | None:
    if isinstance(value, tuple):
        return float(value[0]), int(value[1])
    return None


def write_xlsx(sheet: Sheet, path: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet.name
    line = 0

    def put(values: list[Any], merged: bool = False) -> None:
        nonlocal line
        line += 1
        for j, value in enumerate(values, start=1):
            cell = ws.cell(line, j)
            number = cell_number(value)
            if number is not None:
                cell.value = number[0]
                cell.number_format = "#,##0" + ("." + "0" * number[1] if number[1] else "")
            elif value not in (None, ""):
                cell.value = value
        if merged:
            ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=sheet.width)

    for text in sheet.title:
        put([text], merged=True)
    put([])
    top = line + 1
    for row in sheet.header:
        put(row)
    for r0, c0, r1, c1 in sheet.merges:
        ws.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)
    put([None, *range(1, sheet.width)])  # the BA's column numbers
    for row in sheet.rows:
        put(row)
    put([])
    for text in sheet.footer:
        put([text], merged=True)
    book.create_sheet("Impressum").append([f"© {BA}"])
    book.move_sheet("Impressum", offset=-1)  # the BA's workbooks start with an imprint
    book.save(path)
    return path


def next_year_sheet(first: str, second: str) -> Sheet:
    """The svb export a year on: Sep 2022 has moved to the second column."""
    sheet = svb_sheet()
    sheet.header[0][1:3] = [first, second]
    for row in sheet.rows:
        if isinstance(row[1], tuple):
            row[1:3] = [(row[1][0] + 100, 0), row[1]]
    return sheet


def reference_text(name: str) -> str:
    """A reference document as text, from ../shared/reference beside the project or beside the
    folder of its worktrees; the test is skipped when it is not there."""
    for folder in PROJECT.parents:
        path = folder / "shared" / "reference" / f"{name}.txt"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.skip(f"Referenztext ../shared/reference/{name}.txt liegt nicht neben dem Projekt")


def reference_table_figures(
    name: str, after: str = "", tags: bool = False, number: re.Pattern[str] = NUMBER
) -> list[str]:
    """Every number in the table lines of a reference (tab-separated, comments left out), from
    the first `after` on; with `tags`, HTML fragments in the lines are read as spaces."""
    text = reference_text(name)
    figures = []
    for line in text[text.index(after) :].splitlines():
        if "\t" in line and not line.startswith("#"):
            plain = re.sub(r"<[^>]+>", " ", line) if tags else line
            figures += [n.replace("−", "-").lstrip("+") for n in number.findall(plain)]
    return figures


def calls(function: Callable[..., Any], *args: Any) -> int:
    """The work a call does, as the number of Python functions it enters (resumed generators
    included): a count that does not depend on the machine's speed."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        count += event == "call"

    sys.setprofile(profile)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return count


# --- chart labels as laid out: boxes, lines and coloured areas of one drawn chart -----------

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass
class ChartLabel:
    text: str
    box: Box
    size: float  # font size in the unit of the boxes (pt in a PDF, CSS px in a browser)


@dataclass
class ChartShapes:
    """One chart as measured in its output: its texts, the polylines of everything stroked
    (lines, axes, markers, segment edges, leader lines) and the outlines of its coloured areas
    (bars, segments); white areas (the background) are left out."""

    name: str
    labels: list[ChartLabel]
    strokes: list[list[Point]]
    fills: list[list[Point]]


def inset(box: Box, by: float) -> Box:
    return (box[0] + by, box[1] + by, box[2] - by, box[3] - by)


def boxes_overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def segment_crosses(box: Box, p: Point, q: Point) -> bool:
    """Whether the segment p–q has a point inside the box (Liang–Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for d, low, high, start in ((dx, box[0], box[2], p[0]), (dy, box[1], box[3], p[1])):
        if abs(d) < 1e-12:
            if not low < start < high:
                return False
            continue
        a, b = (low - start) / d, (high - start) / d
        t0, t1 = max(t0, min(a, b)), min(t1, max(a, b))
        if t0 >= t1:
            return False
    return True


def polyline_crosses(box: Box, points: list[Point]) -> bool:
    if len(points) == 1:
        return box[0] < points[0][0] < box[2] and box[1] < points[0][1] < box[3]
    return any(segment_crosses(box, p, q) for p, q in zip(points, points[1:], strict=False))


def chart_collisions(chart: ChartShapes, minimum: float, slack: float) -> list[str]:
    """What collides in one chart: labels smaller than `minimum`, two labels overlapping, a
    label crossed by a line or marker, a label straddling the edge of a bar or segment. Boxes
    are shrunk by `slack` (a hairline touch is no collision)."""
    problems = [
        f"{chart.name}: „{lab.text}“ ist {lab.size:.1f} groß (mindestens {minimum:g})"
        for lab in chart.labels
        if lab.size < minimum - 0.05
    ]
    boxes = [(lab, inset(lab.box, slack)) for lab in chart.labels]
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            if boxes_overlap(box_a, box_b):
                problems.append(f"{chart.name}: „{a.text}“ überdeckt „{b.text}“")
        if any(polyline_crosses(box_a, line) for line in chart.strokes):
            problems.append(f"{chart.name}: eine Linie läuft durch „{a.text}“")
        if any(polyline_crosses(box_a, area + area[:1]) for area in chart.fills):
            problems.append(f"{chart.name}: „{a.text}“ ragt über den Rand einer Fläche")
    return problems
