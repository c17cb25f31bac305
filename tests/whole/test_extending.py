"""Extending aipgen without editing its core (docs/entwicklung.md): a new output format, a new
layout and a new chart type, each brought by test fixtures only and built with the real
build."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from aipgen.base.formats import FORMATS, OutputFormat, register
from aipgen.base.paths import BUILT_IN, project_design
from aipgen.build.command import Request, build, check, select

from ..fixtures import stepchart
from ..fixtures.textformat import TEXT
from ..helpers import FIXTURES, Recorder, edit, run


@pytest.fixture
def text_format() -> Iterator[OutputFormat]:
    """The plain-text format of tests/fixtures/textformat.py, registered for one test."""
    register(TEXT)
    try:
        yield TEXT
    finally:
        del FORMATS[TEXT.name]


def files_below(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_format_registered_from_outside_is_built_kept_and_offered(
    text_format: OutputFormat, data_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    args = ("--data-dir", str(data_dir), "--output-dir", str(output))
    site = output / "mini"
    link = '<a href="mini.txt">Programm als reiner Text (Text, '

    # built with the others (the programme asks for every registered format by default)
    code, _, err = run("build", "--nur", "web,pdf,text", *args)
    assert code == 0, err
    text = (site / "mini.txt").read_text(encoding="utf-8")
    assert "1 Vorwort" in text and "<p" not in text and "<svg" not in text
    assert link in (site / "index.html").read_text(encoding="utf-8")  # offered for download
    assert link.replace('href="', 'href="mini/') in (output / "index.html").read_text()
    before = files_below(site)
    website = {rel for rel in before if rel in ("index.html", "barrierefreiheit.html")}
    assets = {rel for rel in before if rel.startswith("assets/")}
    assert len(website) == 2 and assets and "mini.pdf" in before

    # `--nur text` writes its file and keeps the website and the PDF as they were
    edit(data_dir / "mini/kapitel/01-vorwort.md", "# Vorwort", "# Vorwort neu")
    code, _, err = run("build", "--nur", "text", *args)
    assert code == 0, err
    after = files_below(site)
    assert set(after) == set(before)
    assert "Vorwort neu" in after["mini.txt"].decode("utf-8")
    kept = website | assets | {"mini.pdf"}
    assert [rel for rel in sorted(kept) if after[rel] != before[rel]] == []

    # `--nur web` keeps the text file, and the page still offers it
    code, _, err = run("build", "--nur", "web", *args)
    assert code == 0, err
    again = files_below(site)
    assert again["mini.txt"] == after["mini.txt"] and again["mini.pdf"] == before["mini.pdf"]
    page = again["index.html"].decode("utf-8")
    assert "Vorwort neu" in page and link in page


def test_a_layout_of_the_project_folder_is_chosen_and_built(data_dir: Path, tmp_path: Path) -> None:
    """A project folder brings templates/zeitung/ (tests/fixtures/projekt): a style sheet, a
    layout.yaml and one template of its own; the rest comes from templates/common/."""
    project = tmp_path / "projekt"
    shutil.copytree(FIXTURES / "projekt", project)
    edit(data_dir / "mini/programm.yaml", "layout: bericht\n", "layout: zeitung\n")
    output, shown = tmp_path / "output", Recorder()
    request = Request(select(data_dir, ()), project_design(project), only=("web",), jobs=1)
    report = build(request, data_dir, output, shown)
    assert report.ok, shown.said
    page = (output / "mini/index.html").read_text(encoding="utf-8")
    assert '<body id="seitenanfang" class="layout-zeitung format-web">' in page
    assert "Gesetzt im Layout „Zeitung“" in page  # its own site-footer.html.j2
    assert 'class="numbered"' not in page  # its layout.yaml: kapitelnummern: false
    style = project / "templates/zeitung/style.css"
    assert (output / "mini/assets/css/style.css").read_bytes() == style.read_bytes()


def test_the_default_colours_are_design_values_the_project_may_replace(
    data_dir: Path, tmp_path: Path
) -> None:
    """A programme without theme colours takes them from templates/common/farben.yaml: the
    built-in one, or the project folder's own."""
    edit(data_dir / "mini/programm.yaml", '  farbe_primaer: "#004b87"\n', "")
    project = tmp_path / "projekt"
    (project / "templates/common").mkdir(parents=True)
    (project / "templates/common/farben.yaml").write_text(
        'farbe_primaer: "#123456"\nfarbe_akzent: "#654321"\n', encoding="utf-8"
    )
    built = {}
    for name, design in (("eingebaut", BUILT_IN), ("eigen", project_design(project))):
        output = tmp_path / name
        request = Request(select(data_dir, ()), design, only=("web",), jobs=1)
        report = build(request, data_dir, output, Recorder())
        assert report.ok
        built[name] = (output / "mini/index.html").read_text(encoding="utf-8")
    assert "--primary: #00529f; --accent: #b3121b;" in built["eingebaut"]
    assert "--primary: #123456; --accent: #654321;" in built["eigen"]


def test_an_unknown_layout_names_the_project_ones_too(data_dir: Path, tmp_path: Path) -> None:
    project = tmp_path / "projekt"
    shutil.copytree(FIXTURES / "projekt", project)
    edit(data_dir / "mini/programm.yaml", "layout: bericht\n", "layout: magazin\n")
    shown = Recorder()
    request = Request(select(data_dir, ()), project_design(project), jobs=1, check_only=True)
    report = check(request, shown)
    assert report.failed == ["mini"]
    assert (
        "Fehler: mini/programm.yaml:4: Das Layout „magazin“ gibt es nicht "
        "(vorhanden: bericht, broschuere, handout, zeitung)." in shown.said
    )


@contextlib.contextmanager
def step_chart_added() -> Iterator[None]:
    """The step chart of tests/fixtures/stepchart.py, known while the block runs."""
    stepchart.add()
    try:
        yield
    finally:
        stepchart.remove()


def test_a_chart_type_added_from_outside_is_checked_and_drawn(
    data_dir: Path, tmp_path: Path
) -> None:
    edit(data_dir / "mini/diagramme/budget.yaml", "typ: balken", "typ: stufen")
    shown = Recorder()
    request = Request(select(data_dir, ()), BUILT_IN, only=("web",), jobs=1)
    assert check(replace(request, check_only=True), shown).failed == ["mini"]
    assert any("Den Diagrammtyp „stufen“ gibt es nicht" in said for said in shown.said)

    shown = Recorder()
    with step_chart_added():
        report = build(request, data_dir, tmp_path / "output", shown)
    assert report.ok, shown.said
    page = (tmp_path / "output/mini/index.html").read_text(encoding="utf-8")
    assert "Stufendiagramm „Budget nach Instrument“" in page  # the alt text names the type
    assert page.count("<svg") >= 2  # drawn for the page and for phones
