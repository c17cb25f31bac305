"""Each safety mechanism has a test here that fails when the mechanism is taken out.

Checked by breaking the code once (see README, "Tests prüfen, indem man den Code bricht"):
the PDF without the restricted URL fetcher, WeasyPrint warnings not counted in --strict,
Markdown images not copied to the web assets, a line chart that draws no line, pie estimates
not marked. (The swap's restore path: tests/whole/test_bad_input.py.)
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import replace
from pathlib import Path
from unittest import mock

from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from aipgen.base.formats import Job
from aipgen.base.paths import BUILT_IN
from aipgen.charts import svg as charts
from aipgen.cli.main import main
from aipgen.content.chartdata import ChartData, Series
from aipgen.media.pdf import write_pdf

from ..helpers import document, edit, said

LINE = ChartData(
    kind="linie",
    title="Eintritte",
    categories=("2021", "2022", "2023"),
    series=(Series("Frauen", (120.0, 135.0, 150.0), (False, False, True)),),
    unit="",
)


def build(data_dir: Path, output: Path, *options: str) -> tuple[int, str]:
    args = ["build", *options, "--data-dir", str(data_dir), "--output-dir", str(output)]
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output


def test_pdf_fetches_nothing_outside_the_allowed_folders(mini: Path, tmp_path: Path) -> None:
    outside = tmp_path / "geheim.png"
    Image.new("RGB", (20, 20), "red").save(outside)
    doc = document(mini)
    html = f'<html><body><p>Text</p><img src="{outside.as_uri()}" alt="x"></body></html>'
    job = Job(doc, html, [])
    with job.cleanup:
        pdf = write_pdf(job)
    assert any("Zugriff außerhalb des Programmordners verweigert" in w for w in said(job.warnings))
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert not page.images  # the outside image was not embedded


def test_weasyprint_warnings_fail_a_strict_build(data_dir: Path, tmp_path: Path) -> None:
    """A warning on WeasyPrint's logger while it renders is counted; --strict fails on it."""
    import weasyprint

    real = weasyprint.HTML.render

    def warning_layout(self: weasyprint.HTML, *args: object, **kwargs: object) -> object:
        logging.getLogger("weasyprint").warning("Ignored `colour: rot` at 1:1, unknown property.")
        return real(self, *args, **kwargs)

    with mock.patch.object(weasyprint.HTML, "render", warning_layout):
        code, output = build(data_dir, tmp_path / "output", "--nur", "pdf", "--strict")
    assert code == 1
    assert "Warnung: PDF: Ignored `colour: rot` at 1:1, unknown property.\n" in output
    assert "1 von 1 Programmen mit Fehlern: mini." in output
    assert not (tmp_path / "output").exists()


def test_markdown_images_are_copied_to_the_web_assets(data_dir: Path, tmp_path: Path) -> None:
    mini = data_dir / "mini"
    Image.new("RGB", (30, 20), "green").save(mini / "bilder/team.png")
    edit(mini / "kapitel/01-vorwort.md", "Sehr", "![Unser Team](bilder/team.png)\n\nSehr")
    output = tmp_path / "output"
    code, text = build(data_dir, output, "--nur", "web")
    assert code == 0, text
    assert '<img src="assets/bilder/team.png" alt="Unser Team">' in (
        output / "mini/index.html"
    ).read_text(encoding="utf-8")
    assert (output / "mini/assets/bilder/team.png").read_bytes() == (
        mini / "bilder/team.png"
    ).read_bytes()


def test_line_chart_draws_its_line() -> None:
    svg = charts.render_svg(LINE, BUILT_IN)
    lines = re.findall(
        r'<path d="([^"]*)"[^>]*style="fill: none; stroke: #00529f; stroke-width: ([\d.]+)', svg
    )
    assert lines, "no stroked path in the series colour"
    points, width = lines[0]
    assert points.count("L") == 2 and float(width) > 0


def test_pie_marks_the_estimated_wedge() -> None:
    pie = replace(LINE, kind="kreis")
    hatched = re.findall(r"fill: url\(#[^)]*-h[0-9a-f]+\)", charts.render_svg(pie, BUILT_IN))
    assert len(hatched) >= 2  # the wedge itself and its legend entry (plus the "geschätzt" note)
    assert "2023 150 (37,0\u202f%, geschätzt)" in charts.alt_text(pie)
