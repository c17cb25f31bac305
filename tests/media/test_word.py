"""The Word file (`--nur word`): Word's heading styles, tables with header rows, charts as
images with their alt text, footnotes as Word footnotes, a draft's mark and change report."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from aipgen.base.paths import BUILT_IN
from aipgen.build.pipeline import build_programme
from aipgen.charts.svg import alt_text

from ..helpers import DATA, document, edit, run

HERNE = "herne-2023"


@pytest.fixture(scope="module")
def herne_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Herne built as a draft in the Word format only."""
    output = tmp_path_factory.mktemp("word")
    args = [
        "build",
        HERNE,
        "--nur",
        "word",
        "--entwurf",
        "--ohne-pruefung",
        "--data-dir",
        str(DATA),
    ]
    code, _, err = run(*args, "--output-dir", str(output))
    assert code == 0, err
    assert sorted(p.name for p in (output / HERNE).iterdir()) == [
        "aenderungen.html",
        f"{HERNE}.docx",
        "programm.json",
    ]
    return output / HERNE / f"{HERNE}.docx"


def test_headings_have_words_heading_styles(herne_docx: Path) -> None:
    """Chapters are Heading 1, sections Heading 2 …, so Word's navigation and contents work."""
    doc = document(DATA / HERNE)
    word = docx.Document(str(herne_docx))
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    ]
    for entry in doc.toc:
        assert (f"Heading {entry.level}", f"{entry.number} {entry.title}") in headings
    assert [p.text for p in word.paragraphs if p.style.name == "Title"] == [doc.meta.title]
    assert headings[0] == ("Heading 1", "1 Vorwort")


def test_tables_are_word_tables_with_header_rows(herne_docx: Path) -> None:
    doc = document(DATA / HERNE)
    word = docx.Document(str(herne_docx))
    programme_tables = word.tables[: len(doc.tables)]
    assert len(programme_tables) == len(doc.tables) == 7
    for table in programme_tables:
        first = table._tbl.tr_lst[0]
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
    captions = [p.text for p in word.paragraphs if p.style.name == "Table Caption"]
    for table in doc.tables.values():
        assert f"Tabelle {table.number}: {table.title}" in captions
    budget = next(t for t in programme_tables if t.cell(0, 0).text == "Instrument")
    # figures flush right; across the text width (A4, 25 mm margins), labels wider than figures
    assert budget.cell(1, 2).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert budget.cell(1, 0).paragraphs[0].alignment is None
    widths = [int(c.get(qn("w:w"))) for c in budget._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) == pytest.approx(160 * 1440 / 25.4, abs=len(widths))
    assert widths[0] > widths[1]
    assert [c.text for c in budget.rows[1].cells][:3] == [
        "Förderung der beruflichen Weiterbildung (FbW)",
        "484",
        "2.923.965\u202f€",
    ]


def test_charts_are_images_with_their_alt_text(herne_docx: Path) -> None:
    doc = document(DATA / HERNE)
    with zipfile.ZipFile(herne_docx) as archive:
        body = archive.read("word/document.xml").decode()
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert len(media) == len(doc.charts) == 3
    assert all(name.endswith(".png") for name in media)
    for info in doc.charts.values():
        assert f'descr="{alt_text(info.data)}"' in body.replace("&quot;", '"')
    assert "data:image" not in body  # the image data lies once, in word/media/


def test_footnotes_are_word_footnotes(herne_docx: Path) -> None:
    with zipfile.ZipFile(herne_docx) as archive:
        notes = archive.read("word/footnotes.xml").decode()
        body = archive.read("word/document.xml").decode()
    ids = re.findall(r'<w:footnote w:id="(\d+)"', notes)
    assert len(ids) == 3
    assert all(f'<w:footnoteReference w:id="{i}"/>' in body for i in ids)
    assert "4-Phasen-Modell folgt" in notes and "4-Phasen-Modell folgt" not in body


def test_a_draft_has_its_mark_on_every_page_and_the_change_report(herne_docx: Path) -> None:
    word = docx.Document(str(herne_docx))
    today = datetime.date.today().strftime("%d.%m.%Y")
    assert [p.text for p in word.sections[0].header.paragraphs] == [
        f"ENTWURF vom {today} – nicht zur Veröffentlichung"
    ]
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings[-2:] == ["Anlage 1 Maßnahmen bei Träger*innen (MAT)", "Änderungen zum Vorjahr"]


def test_word_is_built_where_programm_yaml_lists_it(mini: Path) -> None:
    """Where `ausgaben` lists it (and not where it does not); without a draft, no mark."""
    edit(mini / "programm.yaml", "layout: bericht\n", "layout: bericht\nausgaben: [web]\n")
    assert "mini.docx" not in build_programme(mini, BUILT_IN).files
    edit(mini / "programm.yaml", "ausgaben: [web]", "ausgaben: [web, word]")
    files = build_programme(mini, BUILT_IN).files
    word = docx.Document(io.BytesIO(files["mini.docx"]))
    assert all(not p.text for s in word.sections for p in s.header.paragraphs)
    assert any(p.style.name == "Heading 1" for p in word.paragraphs)


def test_the_file_carries_no_build_time(herne_docx: Path) -> None:
    """Dated by the programme's `stand`, every part of the zip dated alike: the same programme
    gives the same bytes."""
    word = docx.Document(str(herne_docx))
    assert word.core_properties.created == datetime.datetime(2022, 12, 15, tzinfo=datetime.UTC)
    with zipfile.ZipFile(herne_docx) as archive:
        assert {item.date_time for item in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
