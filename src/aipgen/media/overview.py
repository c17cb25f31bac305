"""Turn the programmes in an output folder into output/index.html, the overview page, with the
key figures of the programmes side by side (also as CSV, kennzahlen.csv).

Each programme's folder carries programm.json (written with it): jobcenter, year, title, the
files to download with their sizes and its key figures, so the overview lists programmes of
earlier builds too.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

import jinja2

from aipgen.base.formats import Files
from aipgen.base.numbers import format_number, round_half_up
from aipgen.base.paths import DesignFiles
from aipgen.content.comparison import KEY_FIGURES, KeyFigure
from aipgen.media.opendata import EXCEL, MACHINE, Field, Sheet, csv_bytes
from aipgen.media.render import Download
from aipgen.media.webmeta import favicon_url

MANIFEST = "programm.json"
OVERVIEW = "index.html"
# the comparison of key figures beside the overview, for machines and for Excel
COMPARISON_CSV, COMPARISON_EXCEL = "kennzahlen.csv", "kennzahlen-excel.csv"


@dataclass(frozen=True)
class Entry:
    """One programme on the overview page."""

    folder: str
    jobcenter: str
    year: int
    title: str
    downloads: list[Download] = field(default_factory=list)
    # the programme's website: its privacy link ("" without a website), its page in Leichte
    # Sprache; the overview links them with the imprint and the accessibility statement
    privacy: str = ""
    easy_language: bool = False
    # the key figures programm.yaml gives for the comparison (`vergleich`), by catalogue key
    figures: dict[str, float] = field(default_factory=dict)

    @property
    def heading(self) -> str:
        return f"{self.jobcenter} {self.year}"


@dataclass(frozen=True)
class Legal:
    """The legal links of one jobcenter on the overview page (from its newest programme)."""

    jobcenter: str
    folder: str
    privacy: str
    easy_language: bool


OVERVIEW_COLOUR = "#00529f"  # the overview's own colour (overview.html.j2), for its favicon


def manifest(entry: Entry) -> bytes:
    """programm.json for one programme's output folder."""
    return json.dumps(asdict(entry), ensure_ascii=False, indent=1, sort_keys=True).encode()


def entries(output_dir: Path) -> list[Entry]:
    """Every programme in the output folder, sorted by jobcenter and year."""
    found = [entry_of(path) for path in sorted(output_dir.glob(f"*/{MANIFEST}"))]
    return sorted(
        (e for e in found if e is not None),
        key=lambda e: (e.jobcenter.casefold(), e.year, e.folder),
    )


def entry_of(path: Path) -> Entry | None:
    """A programme's programm.json; None when it is not there or not written by this version
    of aipgen."""
    try:
        return parsed_entry(path.read_bytes())
    except OSError:
        return None


def parsed_entry(text: bytes) -> Entry | None:
    try:
        data = json.loads(text)
        data["downloads"] = [Download(**d) for d in data["downloads"]]
        return Entry(**data)
    except (ValueError, TypeError, KeyError):
        return None


def changed_sizes(old: Entry | None, new: Entry | None) -> list[tuple[str, str, str]]:
    """The downloads whose stated size differs between two manifests: file, old, new."""
    if old is None or new is None:
        return []
    before = {d.file: d.size for d in old.downloads}
    return [
        (d.file, before[d.file], d.size)
        for d in new.downloads
        if before.get(d.file, d.size) != d.size
    ]


def legal_links(found: list[Entry]) -> list[Legal]:
    """Each jobcenter with a website once, with the links of its newest programme."""
    newest: dict[str, Entry] = {}
    for entry in found:  # sorted by jobcenter and year: the last one is the newest
        if entry.privacy:
            newest[entry.jobcenter] = entry
    return [
        Legal(e.jobcenter, e.folder, from_overview(e.folder, e.privacy), e.easy_language)
        for e in newest.values()
    ]


def from_overview(folder: str, link: str) -> str:
    """A link of a programme's page as the overview page reaches it."""
    return link if "://" in link or link.startswith(("/", "mailto:")) else f"{folder}/{link}"


@dataclass(frozen=True)
class ComparisonRow:
    """One key figure across the programmes: its title and each programme's value as shown."""

    title: str
    cells: list[str]


@dataclass(frozen=True)
class Comparison:
    """The key figures of the programmes that give any, side by side."""

    columns: list[str]  # "Jobcenter Musterstadt 2027"
    rows: list[ComparisonRow]


def compared(found: list[Entry]) -> tuple[list[Entry], list[tuple[str, KeyFigure]]]:
    """The programmes with key figures and the figures any of them gives, in catalogue order."""
    entries = [e for e in found if e.figures]
    keys = [(k, f) for k, f in KEY_FIGURES.items() if any(k in e.figures for e in entries)]
    return entries, keys


def comparison(found: list[Entry]) -> Comparison | None:
    entries, keys = compared(found)
    if not entries:
        return None
    rows = [
        ComparisonRow(
            figure.title,
            [shown_figure(e.figures.get(key), figure) for e in entries],
        )
        for key, figure in keys
    ]
    return Comparison([e.heading for e in entries], rows)


def shown_figure(value: float | None, figure: KeyFigure) -> str:
    return "–" if value is None else format_number(value, figure.decimals, figure.unit)


def comparison_sheet(found: list[Entry]) -> Sheet:
    entries, keys = compared(found)
    fields = [Field("Kennzahl", "string"), Field("Einheit", "string")]
    fields += [Field(e.heading, "number") for e in entries]
    rows = [
        [figure.title, figure.unit, *(figure_value(e.figures.get(key), figure) for e in entries)]
        for key, figure in keys
    ]
    return Sheet(COMPARISON_CSV, "Kennzahlen im Vergleich", "", [], fields, rows)


def figure_value(value: float | None, figure: KeyFigure) -> Decimal | None:
    return None if value is None else round_half_up(value, figure.decimals)


def overview_files(output_dir: Path, design: DesignFiles) -> Files:
    """output/index.html (from the design's template), and the comparison of key figures as
    CSV when programmes give any."""
    found = entries(output_dir)
    files = {OVERVIEW: render_overview(found, design).encode("utf-8")}
    if comparison(found) is None:
        return files
    sheet = comparison_sheet(found)
    return files | {
        COMPARISON_CSV: csv_bytes(sheet, MACHINE),
        COMPARISON_EXCEL: csv_bytes(sheet, EXCEL),
    }


def render_overview(found: list[Entry], design: DesignFiles) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in design.folders("templates", "common")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("overview.html.j2").render(
        entries=found,
        comparison=comparison(found),
        comparison_csv=COMPARISON_CSV,
        comparison_excel=COMPARISON_EXCEL,
        legal=legal_links(found),
        favicon=favicon_url(env, "A", OVERVIEW_COLOUR),
    )
