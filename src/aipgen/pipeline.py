"""Run the stages for one programme: load → validate → compute → charts → render (HTML, PDF).

Nothing is written here; the caller hands the finished files to the writer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .compute import Document, compute_document
from .errors import Collector, Problem
from .load import load_programme
from .paths import TEMPLATES
from .render import ChartSvg, render_html, render_pdf, stylesheet_path
from .validate import validate_programme

T = TypeVar("T")
STAGES = ("load", "validate", "compute", "charts", "html", "pdf")


@dataclass
class Result:
    """Outcome for one programme: files to write, or problems; plus warnings and timings."""

    name: str
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    title: str = ""
    jobcenter: str = ""
    year: int = 0


@contextmanager
def timed(result: Result, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    result.timings[stage] = result.timings.get(stage, 0.0) + time.perf_counter() - start


def run_stage(result: Result, stage: str, errors: Collector, func: Callable[[], T]) -> T | None:
    with timed(result, stage):
        value = func()
    if errors.problems:
        result.problems = sorted(set(errors.problems))
        return None
    return value


def build_programme(root: Path, with_pdf: bool = True, check_only: bool = False) -> Result:
    """Build one programme folder in memory."""
    result = Result(root.name)
    errors = Collector()
    raw = run_stage(result, "load", errors, lambda: load_programme(root, errors))
    if raw is None:
        return result
    programme = run_stage(result, "validate", errors, lambda: validate_programme(raw, errors))
    if programme is None:
        return result
    doc = run_stage(result, "compute", errors, lambda: compute_document(programme, errors))
    if doc is None:
        return result
    result.warnings.extend(doc.warnings)
    result.title, result.jobcenter, result.year = doc.meta.title, doc.meta.jobcenter, doc.meta.year
    if check_only:
        return result
    with timed(result, "charts"):
        svgs = render_charts(doc)
    with timed(result, "html"):
        web = render_html(doc, svgs, "web")
        result.files = {"index.html": web.encode("utf-8"), **asset_files(doc)}
    if with_pdf:
        with timed(result, "pdf"):
            pdf_html = render_html(doc, svgs, "pdf")
            result.files[f"{doc.name}.pdf"] = render_pdf(pdf_html, root, result.warnings)
    return result


def render_charts(doc: Document) -> dict[str, ChartSvg]:
    from . import charts  # matplotlib loads only when charts are drawn, not for `check`

    return {
        name: ChartSvg(charts.render_svg(info.data), charts.alt_text(info.data))
        for name, info in doc.charts.items()
    }


def asset_files(doc: Document) -> dict[str, bytes]:
    """Stylesheet, fonts and images the web page links, below assets/."""
    files = {"assets/css/style.css": stylesheet_path(doc.meta.layout).read_bytes()}
    for font in sorted((TEMPLATES / "fonts").iterdir()):
        files[f"assets/fonts/{font.name}"] = font.read_bytes()
    for image in [*doc.images, *([doc.meta.theme.logo] if doc.meta.theme.logo else [])]:
        files[f"assets/{image}"] = (doc.root / image).read_bytes()
    return files
