"""Output formats as a registry: selection, markup rules every format keeps, the screen PDF's
PDF/UA-1 conformance and byte-identical rebuilds in separate processes."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import page
import pytest

from aipgen.base.formats import FORMATS, chosen, defaults, owner, select
from aipgen.base.numbers import format_size
from aipgen.base.paths import BUILT_IN
from aipgen.build.charting import render_charts
from aipgen.build.pipeline import build_programme
from aipgen.media.render import render_html

from ..helpers import DATA, FIXTURES, PROGRAMMES, build_in_process, document, edit, files_of, run


def test_registry_has_four_formats_with_their_files() -> None:
    assert list(FORMATS) == ["web", "pdf", "druck", "word"]
    assert [f.file("herne-2023") for f in FORMATS.values()] == [
        "index.html",
        "herne-2023.pdf",
        "herne-2023-druck.pdf",
        "herne-2023.docx",
    ]
    # the web page lists the PDFs, so it is rendered after them
    assert [f.name for f in select(["web", "druck", "pdf"])] == ["pdf", "druck", "web"]


def test_a_format_not_built_by_default_is_built_where_listed_or_named() -> None:
    """Word is built where programm.yaml lists it or `--nur` names it, never by default."""
    every = tuple(FORMATS)

    def names(outputs: list[str], only: tuple[str, ...] = every) -> list[str]:
        return [fmt.name for fmt in chosen(outputs, only)]

    assert defaults() == ["web", "pdf", "druck"]
    assert names(defaults()) == ["pdf", "druck", "web"]
    assert names(defaults(), ("word",)) == ["word"]
    assert names(["web", "word"]) == ["word", "web"]
    assert names(["web"], ("pdf", "word")) == ["word"]  # a default format only where listed
    assert names(defaults(), ("web",)) == ["web"]


def test_every_file_written_belongs_to_one_format(mini: Path) -> None:
    """What a format writes is what it says it owns: a build without it keeps exactly that."""
    result = build_programme(mini, BUILT_IN, only=("web",), draft=datetime.date(2024, 1, 15))
    assert result.problems == []
    owners = {rel: owner("mini", rel) for rel in result.files}
    assert [rel for rel, fmt in owners.items() if fmt is None] == ["programm.json"]
    assert {fmt.name for fmt in owners.values() if fmt is not None} == {"web"}
    assert {"aenderungen.html", "barrierefreiheit.html", "assets/css/web.css"} <= set(owners)
    assert [owner("mini", f"mini{end}") for end in (".pdf", "-druck.pdf")] == [
        FORMATS["pdf"],
        FORMATS["druck"],
    ]
    assert owner("mini", "assets.html") is None and owner("mini", "alt/index.html") is None


def test_programme_builds_the_formats_it_asks_for(mini: Path) -> None:
    edit(mini / "programm.yaml", "layout: bericht\n", "layout: bericht\nausgaben: [web, druck]\n")
    result = build_programme(mini, BUILT_IN)
    assert result.problems == []
    assert "index.html" in result.files and "mini-druck.pdf" in result.files
    assert "mini.pdf" not in result.files
    assert set(result.timings) >= {"web", "druck"} and "pdf" not in result.timings


def test_unknown_output_in_programme_is_an_error(data_dir: Path) -> None:
    edit(
        data_dir / "mini/programm.yaml", "layout: bericht\n", "layout: bericht\nausgaben: [epub]\n"
    )
    code, _, err = run("check", "--data-dir", str(data_dir))
    assert code == 1
    assert (
        "Fehler: mini/programm.yaml:5: Unbekannte Ausgabe „epub“ "
        "(möglich sind: web, pdf, druck, word)." in err
    )


def test_cli_selects_formats(data_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    code, _, err = run(
        "build", "--nur", "web", "--data-dir", str(data_dir), "--output-dir", str(output)
    )
    assert code == 0, err
    written = sorted(p.name for p in (output / "mini").iterdir())
    assert written == [
        "assets",
        "barrierefreiheit.html",
        "daten",
        "index.html",
        "leichte-sprache.html",
        "programm.json",
        "pruefbericht.html",  # the conformance report: the PDFs were not built, it says so
        "pruefbericht.json",
    ]


def test_cli_refuses_unknown_format(data_dir: Path, tmp_path: Path) -> None:
    code, _, err = run("build", "--nur", "web,epub", "--data-dir", str(data_dir))
    assert code == 2
    assert "Unbekannte Ausgabe „epub“ (möglich sind: web, pdf, druck, word)." in err


class MarkupRules(HTMLParser):
    """Collects breaches of the rules that keep the screen PDF PDF/UA-1 conformant."""

    def __init__(self) -> None:
        super().__init__()
        self.in_link = 0
        self.breaches: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_link and tag != "br":
            self.breaches.append(f"<{tag}> in <a> (Zeile {self.getpos()[0]})")
        if tag == "dl":
            self.breaches.append(f"<dl> (Zeile {self.getpos()[0]}); Kennzahlen als <ul>")
        self.in_link += tag == "a"

    def handle_endtag(self, tag: str) -> None:
        self.in_link -= tag == "a" and self.in_link > 0


def breaches(html: str) -> list[str]:
    rules = MarkupRules()
    rules.feed(html)
    return rules.breaches


@pytest.mark.parametrize("root", [FIXTURES / "mini", *(DATA / p for p in PROGRAMMES)])
def test_links_hold_text_only_in_every_format(root: Path) -> None:
    doc = document(root)
    for fmt in FORMATS.values():
        html = render_html(doc, render_charts(doc, fmt.colours), fmt)
        assert breaches(html) == [], fmt.name


def test_markup_rule_catches_elements_in_links() -> None:
    assert breaches('<p><a href="#x"><span>1</span> Text</a></p>') == ["<span> in <a> (Zeile 1)"]
    assert breaches("<dl><div><dt>a</dt><dd>1</dd></div></dl>") != []
    assert breaches('<li><span class="num">1</span> <a href="#x">Text</a></li>') == []


@pytest.mark.parametrize("name", PROGRAMMES)
def test_screen_pdf_passes_pdf_ua_1(built: Path, name: str) -> None:
    report = page.validate_pdf_bytes((built / name / f"{name}.pdf").read_bytes(), profile="pdfua1")
    failed = [f"{f.rule_id}: {f.message}" for f in report.failures]
    assert (report.rules.total, failed) == (104, [])


def test_screen_pdf_has_no_output_intent(built: Path) -> None:
    import pikepdf

    for name in PROGRAMMES:
        with pikepdf.open(built / name / f"{name}.pdf") as pdf:
            assert "/OutputIntents" not in pdf.Root


# The programme built a second time to compare bytes: one is enough to catch what varies from
# process to process (hash order, time stamps, temporary names); the others' output is checked
# by the tests of the full build.
AGAIN = "herne-2023"


def test_rebuild_in_a_new_process_gives_the_same_bytes(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "output"
    build_in_process(again, AGAIN)
    first, second = files_of(built / AGAIN), files_of(again / AGAIN)
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == []
    assert {f"{AGAIN}.pdf", f"{AGAIN}-druck.pdf"} <= set(second)
    everything = files_of(built)
    for name in PROGRAMMES:
        assert {f"{name}/{name}.pdf", f"{name}/{name}-druck.pdf"} <= set(everything)


def test_overview_links_every_pdf_built(data_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    args = ("--data-dir", str(data_dir), "--output-dir", str(output))
    assert run("build", "--nur", "web,druck", *args)[0] == 0
    overview = (output / "index.html").read_text()
    size = format_size((output / "mini/mini-druck.pdf").stat().st_size)
    label = f"Druckfassung für die Druckerei (PDF/X-4 in CMYK, {size})"
    link = f'<a href="mini/mini-druck.pdf">{label}</a>'
    assert link in overview
    assert link.replace("mini/", "") in (output / "mini/index.html").read_text()  # download box
    assert "mini/mini.pdf" not in overview
    printed = (output / "mini/mini-druck.pdf").read_bytes()
    edit(data_dir / "mini/kapitel/01-vorwort.md", "# Vorwort", "# Vorwort neu")
    assert run("build", "--ohne-pdf", *args)[0] == 0  # deprecated alias of --nur web
    assert (output / "mini/mini-druck.pdf").read_bytes() == printed  # kept, not deleted
    page = (output / "mini/index.html").read_text()
    assert "Vorwort neu" in page and link.replace("mini/", "") in page  # still offered
    assert link in (output / "index.html").read_text()


def test_building_only_the_pdfs_keeps_the_website(data_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    args = ("--data-dir", str(data_dir), "--output-dir", str(output))
    assert run("build", "--nur", "web", *args)[0] == 0
    site = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert run("build", "--nur", "pdf", *args)[0] == 0
    after = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    own = ("programm.json", "pruefbericht.html", "pruefbericht.json")  # the build's own files
    web = {rel for rel in site if rel.parts[0] == "mini" and rel.name not in own}
    assert Path("mini/index.html") in web
    assert all(after[rel] == site[rel] for rel in web)  # pages, styles, fonts as they were
    assert (output / "mini/index.html").is_file() and (output / "mini/mini.pdf").is_file()
    assert not (output / "mini/mini-druck.pdf").exists()  # never built


def test_overview_sorted_by_jobcenter_and_year(data_dir: Path, tmp_path: Path) -> None:
    for name, jobcenter, year in (
        ("b", "Jobcenter Aachen", "2025"),
        ("c", "Jobcenter Aachen", "2023"),
    ):
        shutil.copytree(data_dir / "mini", data_dir / name)
        edit(data_dir / name / "programm.yaml", "Jobcenter Musterstadt\n", f"{jobcenter}\n")
        edit(data_dir / name / "programm.yaml", "jahr: 2024", f"jahr: {year}")
    output = tmp_path / "out"
    assert (
        run("build", "--nur", "web", "--data-dir", str(data_dir), "--output-dir", str(output))[0]
        == 0
    )
    overview = (output / "index.html").read_text()
    order = [overview.index(f'href="{name}/index.html"') for name in ("c", "b", "mini")]
    assert order == sorted(order)
    assert "Jobcenter Aachen · 2023" in overview


def test_the_print_pdf_alone_is_the_same_as_after_the_screen_pdf(
    built: Path, tmp_path: Path
) -> None:
    """Built alone (`--nur druck`), the print PDF is the same file as when built after the
    screen PDF in the same process: nothing of one PDF's layout carries into the other."""
    name = "herne-2023"
    command = [sys.executable, "-m", "aipgen.cli.main", "build", name, "--nur", "druck"]
    places = ["--data-dir", str(DATA), "--output-dir", str(tmp_path / "output")]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    subprocess.run([*command, *places], check=True, env=env, cwd=tmp_path, capture_output=True)
    alone = tmp_path / "output" / name / f"{name}-druck.pdf"
    assert alone.read_bytes() == (built / name / f"{name}-druck.pdf").read_bytes()
    assert not (tmp_path / "output" / name / f"{name}.pdf").exists()
