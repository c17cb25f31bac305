"""Charts drawn beside the build (build/charting.py): the PDFs are those of a build that draws
them itself; a drawing process that dies costs nothing but time; an error in the drawing ends
the build as it would in one process."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from time import sleep
from typing import Any

import pytest

from aipgen.base.errors import InternalError
from aipgen.base.formats import FORMATS
from aipgen.base.paths import BUILT_IN
from aipgen.build import charting
from aipgen.build.pipeline import Result, build_guarded
from aipgen.media import pdf
from aipgen.media.render import PENDING_SCHEME
from tests.helpers import document

PAGED = ("pdf", "druck")


def built(root: Path, beside: bool) -> Result:
    result = build_guarded(root, BUILT_IN, only=PAGED, beside=beside)
    assert not result.problems
    return result


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The chart URLs the PDF's fetcher asked for while they were being drawn."""
    asked: list[str] = []
    svg = charting.Charts.svg

    def noted(self: charting.Charts, url: str) -> str:
        asked.append(url)
        return svg(self, url)

    monkeypatch.setattr(charting.Charts, "svg", noted)
    return asked


def in_drawing_process(parent: int, act: Any) -> Any:
    """render_charts that does `act` in the drawing process, and draws in this one."""
    draw = charting.render_charts

    def render_charts(*args: Any) -> Any:
        if os.getpid() != parent:
            act()
        return draw(*args)

    return render_charts


def test_charts_drawn_beside_give_the_same_pdfs(
    mini: Path, fetched: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts: list[bool] = []
    lay_out = pdf.lay_out

    def counted(*args: Any) -> Any:
        layouts.append(True)
        return lay_out(*args)

    monkeypatch.setattr(pdf, "lay_out", counted)
    here = built(mini, beside=False)
    assert fetched == []
    once = len(layouts)
    beside = built(mini, beside=True)
    assert fetched and all(url.startswith(PENDING_SCHEME) for url in fetched)
    assert len(layouts) == 2 * once  # both PDFs from the same pages, as without
    assert beside.files == here.files
    assert beside.warnings == here.warnings


def failing() -> None:
    raise MemoryError


@pytest.mark.parametrize("act", [lambda: os._exit(9), failing], ids=["dies", "fails"])
def test_a_drawing_process_that_ends_early_leaves_the_charts_to_the_build(
    act: Any, mini: Path, fetched: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    here = built(mini, beside=False)
    monkeypatch.setattr(charting, "render_charts", in_drawing_process(os.getpid(), act))
    beside = built(mini, beside=True)
    assert fetched
    assert beside.files == here.files
    assert beside.warnings == here.warnings


def test_an_error_in_the_drawing_ends_the_build(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise ValueError("Zeichnen misslungen")

    monkeypatch.setattr(charting, "render_charts", broken)
    for beside in (False, True):
        with pytest.raises(InternalError, match="Zeichnen misslungen"):
            build_guarded(mini, BUILT_IN, only=PAGED, beside=beside)


def test_waiting_for_the_charts_the_build_loads_what_it_needs_later(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the PDF must wait for a chart, the later formats' libraries load first (once)."""
    parent = os.getpid()
    monkeypatch.setattr(charting, "render_charts", in_drawing_process(parent, lambda: sleep(1)))
    loaded: list[float] = []
    doc = document(mini)
    charts = charting.Charts(doc, [("screen", False)], True, idle=lambda: loaded.append(1))
    try:
        urls = [chart.url for chart in charts.for_format(FORMATS["pdf"]).values()]
        assert urls and loaded == []
        assert all(charts.svg(url).startswith("<svg") for url in urls)
        assert loaded == [1]
    finally:
        charts.close()


def test_a_word_file_built_with_the_pdf_has_its_charts(mini: Path) -> None:
    """The Word file waits for the charts: its HTML has them drawn, not by a URL of the PDF's."""
    name = FORMATS["word"].file(mini.name)
    here = build_guarded(mini, BUILT_IN, only=("pdf", "word"), beside=False).files[name]
    beside = build_guarded(mini, BUILT_IN, only=("pdf", "word"), beside=True).files[name]
    assert media(beside) == media(here) != []


def media(docx: bytes) -> list[str]:
    """The images in a Word file."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return sorted(n for n in archive.namelist() if n.startswith("word/media/"))
