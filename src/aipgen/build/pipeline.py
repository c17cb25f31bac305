"""Run the stages for one programme: load → validate → compute → charts → render each format.

Nothing is written here; the caller hands the finished files to the writer.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from aipgen.base import interrupt
from aipgen.base.clock import build_date
from aipgen.base.errors import Outcome, Problem, blame
from aipgen.base.formats import FORMATS, Job, OutputFormat, chosen
from aipgen.base.numbers import format_size
from aipgen.base.paths import DesignFiles
from aipgen.build.charting import Charts
from aipgen.compute.document import Document, compute_document
from aipgen.compute.yearcompare import with_previous_year
from aipgen.content.load import load_programme
from aipgen.content.printprofile import ink_limit
from aipgen.content.validate import Programme, validate_programme
from aipgen.media.overview import MANIFEST, Entry, manifest
from aipgen.media.proof import REPORT, SHARED, Subject, failures, in_brief, proved
from aipgen.media.render import (
    CHANGES_PAGE,
    PENDING,
    Download,
    render_changes,
    render_html,
)

T = TypeVar("T")
STAGES = ("load", "validate", "compute", "vorjahr", "charts", *FORMATS)


@dataclass
class Result:
    """Outcome for one programme: files to write, or problems; plus warnings and timings."""

    name: str
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    title: str = ""
    jobcenter: str = ""
    year: int = 0
    proof: str = ""  # German, the conformance report in one line (media/proof.py)


@contextmanager
def timed(result: Result, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    result.timings[stage] = result.timings.get(stage, 0.0) + time.perf_counter() - start


def run_stage(
    result: Result, stage: str, func: Callable[[], Outcome[T]], stop: bool = True
) -> T | None:
    """Run one stage and add its problems to the result's; with `stop`, end the build (None)
    when any stage so far found problems."""
    interrupt.check()
    with timed(result, stage):
        outcome = func()
    result.problems = sorted({*result.problems, *outcome.problems})
    return None if stop and result.problems else outcome.value


def build_guarded(
    root: Path,
    design: DesignFiles,
    only: tuple[str, ...] = tuple(FORMATS),
    check_only: bool = False,
    draft: datetime.date | None = None,
    kept: Mapping[str, int] | None = None,
    proof: bool = False,
    beside: bool = False,
) -> Result:
    """build_programme, with an unexpected exception turned into an InternalError naming it."""
    with blame(root.name):
        return build_programme(root, design, only, check_only, draft, kept, proof, beside)


def build_programme(
    root: Path,
    design: DesignFiles,
    only: tuple[str, ...] = tuple(FORMATS),
    check_only: bool = False,
    draft: datetime.date | None = None,
    kept: Mapping[str, int] | None = None,
    proof: bool = False,
    beside: bool = False,
) -> Result:
    """Build one programme folder in memory with these design files (paths.project_design),
    in the formats it asks for that are in `only`; a `draft` (dated) is marked as such and
    comes with the change report. `kept`: files of downloadable formats not built now that
    stay in the output (name → size), offered for download. With `proof`, the conformance
    report of the cheap checks comes with it. With `beside`, the charts are drawn in a
    process of their own while the build goes on (build/charting.py): for a build that has
    a core to spare."""
    result = Result(root.name)
    # a file that could not be read does not stop the others' checks: the loader's problems
    # are reported with validation's, and the valid part goes on to compute, so its sums and
    # formulas are checked in the same run
    raw = run_stage(result, "load", lambda: load_programme(root).outcome(), stop=False)
    if raw is None:
        return result
    # with programm.yaml unusable, the content still goes on: compute checks its tables,
    # charts and references, and gives no document
    # `check` asks of every format what it needs; a build, of the formats it builds
    asked = tuple(FORMATS) if check_only else only
    content = run_stage(
        result, "validate", lambda: validate_programme(raw, design, asked), stop=False
    )
    if content is None:
        return result
    doc = run_stage(result, "compute", lambda: compute_document(content, design))
    if doc is None or not isinstance(content, Programme):
        return result
    result.warnings.extend(doc.warnings)
    result.title, result.jobcenter, result.year = doc.meta.title, doc.meta.jobcenter, doc.meta.year
    with timed(result, "vorjahr"):
        comparison, warnings = with_previous_year(content, doc)
    result.warnings.extend(warnings)
    if check_only:
        return result
    # what the formats share: the PDFs' laid-out pages, a draft's change report (the Word
    # file carries it after the programme)
    shared: dict[str, Any] = {}
    if draft is not None:
        doc = replace(doc, draft=draft)
        shared[CHANGES_PAGE] = render_changes(doc, comparison)
        result.files[CHANGES_PAGE] = shared[CHANGES_PAGE].encode("utf-8")
    formats = chosen(doc.meta.outputs, only)
    kinds = sorted({(s.colours, s.interactive) for s in (f.page_source() for f in formats)})
    with ExitStack() as cleanup:
        with timed(result, "charts"):
            charts = Charts(doc, kinds, beside, idle=lambda: load_each(formats))
        cleanup.callback(charts.close)
        shared[PENDING] = charts
        made: dict[tuple[str, tuple[Download, ...]], str] = {}  # HTML, once per page source
        for fmt in formats:
            if proof and fmt.lists_downloads:  # the pages that offer the files tell of them
                prove_built(result, doc, shared)
            source = fmt.page_source()
            offered = downloads(doc, result.files, kept) if source.lists_downloads else []
            with timed(result, fmt.name):
                key = (source.name, tuple(offered))
                if key not in made:  # the print PDF's pages are the screen PDF's
                    made[key] = render_html(doc, charts.for_format(source), source, offered)
                job = Job(doc, made[key], result.warnings, shared, cleanup)
                result.files.update(fmt.render(job))
        charts.finish()
    if proof:
        prove_built(result, doc, shared)
    meta, offered = doc.meta, downloads(doc, result.files, kept)
    website = meta.website if any(FORMATS[n].statements for n in meta.outputs) else None
    entry = Entry(
        doc.name,
        meta.jobcenter,
        meta.year,
        meta.title,
        offered,
        privacy=website.privacy if website else "",
        easy_language=bool(website and website.easy_language),
        figures=dict(doc.comparison),
    )
    result.files[MANIFEST] = manifest(entry)
    return result


def load_each(formats: list[OutputFormat]) -> None:
    for fmt in formats:
        fmt.load_while_waiting()


def prove_built(result: Result, doc: Document, shared: dict[str, Any]) -> None:
    """Once per build: the cheap checks of the conformance report on the files built so far
    (the PDFs, before the pages that offer them: the accessibility statement tells their
    results, see media/statement.py), the report among the files, its failures warnings."""
    if SHARED in shared:
        return
    with timed(result, "pruefung"):
        limit = ink_limit(doc.meta.print_options)
        subject = Subject(doc.name, dict(result.files), limit)
        title = f"{doc.meta.title}, {doc.meta.jobcenter}"
        report, files = proved(subject, build_date(), False, title, doc.design)
    shared[SHARED] = report
    result.files.update(files)
    result.warnings.extend(failures(report))
    result.proof = f"Prüfbericht {REPORT}: {in_brief(report)}"


def downloads(
    doc: Document, files: dict[str, bytes], kept: Mapping[str, int] | None = None
) -> list[Download]:
    """The downloadable formats' files for the formats that list them, with their sizes: those
    built so far, and those kept from an earlier build (`--nur` builds some formats and keeps
    the others)."""
    sizes = {**(kept or {}), **{name: len(data) for name, data in files.items()}}
    asked = [f for f in FORMATS.values() if f.downloadable and f.name in doc.meta.outputs]
    offered = [f for f in asked if f.file(doc.name) in sizes]
    return [
        Download(f.label, f.file(doc.name), f.kind, format_size(sizes[f.file(doc.name)]))
        for f in offered
    ]
