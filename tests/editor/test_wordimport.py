"""aipgen import-word: a Word file becomes a programme folder that builds.

The Word file of the first tests is made here with python-docx in the shape of a real
programme (title, numbered chapter and section headings, emphasis, a bullet list, a footnote, a
table with German numbers and a stated sum, an image with alt text, a note before the first
heading). The round trip builds Herne as Word, imports that file and builds the result.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
import yaml
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from PIL import Image

from aipgen.base.paths import BUILT_IN
from aipgen.build.pipeline import build_programme
from aipgen.editor.wordimport import WordImportError, import_word

from ..helpers import DATA, document, run

FOOTNOTES = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>"
    '<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)
FOOTNOTE_REF = (
    f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
    '<w:footnoteReference w:id="1"/></w:r>'
)
BUDGET = [
    ["Instrument", "Plätze", "Budget", "Erläuterungen"],
    [
        "Förderung der beruflichen Weiterbildung (FbW)",
        "484",
        "2.923.965 €",
        "darunter 82 mit Abschluss",
    ],
    ["Eingliederungszuschüsse (EGZ)", "147", "1.048.020 €", "147 Förderungen"],
    ["Arbeitsgelegenheiten (AGH)", "680", "2.347.019,50 €", ""],
    ["Summe", "1.311", "6.400.000 €", ""],
]


def with_footnote(word: docx.document.Document, paragraph: object, text: str) -> None:
    """A Word footnote at the end of `paragraph` (python-docx has no footnote API)."""
    xml = FOOTNOTES.replace("{text}", text).encode("utf-8")
    part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, xml, word.part.package)
    word.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    paragraph._p.append(parse_xml(FOOTNOTE_REF))  # type: ignore[attr-defined]


def with_link(word: docx.document.Document, paragraph: object, text: str, url: str) -> None:
    """A link to the web at the end of `paragraph` (python-docx has no hyperlink API)."""
    rel = word.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    xml = (
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{rel}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>'
    )
    paragraph._p.append(parse_xml(xml))  # type: ignore[attr-defined]


def png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (0, 82, 159)).save(out, format="PNG")
    out.seek(0)
    return out


def programme_docx(path: Path) -> Path:
    word = docx.Document()
    word.add_paragraph("Arbeitsmarkt- und Integrationsprogramm 2025", style="Title")
    word.add_paragraph("Entwurf für die Geschäftsführung")
    word.add_heading("1 Einleitung", level=1)
    intro = word.add_paragraph("Das Programm beschreibt die ")
    intro.add_run("Ziele").bold = True
    intro.add_run(" und die ")
    intro.add_run("Schwerpunkte").italic = True
    intro.add_run(" des Jahres.")
    with_footnote(word, intro, "Nach § 48b SGB II.")
    word.add_heading("1.1 Ziele", level=2)
    for item in ("Hilfebedürftigkeit verringern", "Langzeitleistungsbezug vermeiden"):
        word.add_paragraph(item, style="List Bullet")
    more = word.add_paragraph("Mehr dazu: ")
    with_link(word, more, "Zielsteuerung", "https://www.arbeitsagentur.de/")
    word.add_heading("2 Planung", level=1)
    word.add_paragraph("Tabelle 1: Budget 2025", style="Caption")
    table = word.add_table(rows=len(BUDGET), cols=len(BUDGET[0]))
    for i, row in enumerate(BUDGET):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    word.add_paragraph("Quelle: Eigene Planung")
    word.add_heading("Hinweise", level=2)
    shape = word.add_picture(png())
    shape._inline.docPr.set("descr", "Säulen der Eintritte 2024 und 2025")
    word.save(str(path))
    return path


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    source = programme_docx(tmp_path / "programm.docx")
    data = tmp_path / "data"
    report = import_word(source, data, "musterstadt-2025", BUILT_IN, "Jobcenter Musterstadt")
    assert report.folder == tmp_path / "data" / "musterstadt-2025"
    return report.folder


def test_a_word_file_becomes_a_programme_that_builds(imported: Path) -> None:
    result = build_programme(imported, BUILT_IN, only=("web",))
    assert result.problems == [], result.problems
    meta = yaml.safe_load((imported / "programm.yaml").read_text(encoding="utf-8"))
    assert meta["titel"] == "Arbeitsmarkt- und Integrationsprogramm 2025"
    assert meta["kapitel"] == [
        {"datei": "kapitel/01-einleitung.md"},
        {"datei": "kapitel/02-planung.md"},
    ]
    assert sorted(p.name for p in (imported / "tabellen").iterdir()) == ["budget-2025.yaml"]
    assert not (imported / "diagramme").exists() or not any((imported / "diagramme").iterdir())
    html = result.files["index.html"].decode()
    assert '<h2 id="kap-1" class="numbered"><span class="num">1</span> Einleitung</h2>' in html


def test_paragraphs_lists_links_and_footnotes_become_markdown(imported: Path) -> None:
    text = (imported / "kapitel/01-einleitung.md").read_text(encoding="utf-8")
    assert text == (
        "# Einleitung\n\n"
        "Das Programm beschreibt die **Ziele** und die *Schwerpunkte* des Jahres.[^1]\n\n"
        "## Ziele\n\n"
        "- Hilfebedürftigkeit verringern\n"
        "- Langzeitleistungsbezug vermeiden\n\n"
        "Mehr dazu: [Zielsteuerung](https://www.arbeitsagentur.de/)\n\n"
        "[^1]: Nach § 48b SGB II.\n"
    )


def test_a_table_with_german_numbers_becomes_a_checked_table_file(imported: Path) -> None:
    chapter = (imported / "kapitel/02-planung.md").read_text(encoding="utf-8")
    assert "::tabelle budget-2025\n" in chapter
    assert "Tabelle 1" not in chapter and "Quelle" not in chapter
    table = yaml.safe_load((imported / "tabellen/budget-2025.yaml").read_text(encoding="utf-8"))
    assert table["titel"] == "Budget 2025" and table["quelle"] == "Eigene Planung"
    assert table["spalten"] == [
        {"id": "merkmal", "titel": "Instrument", "typ": "text"},
        {"id": "plaetze", "titel": "Plätze"},
        {"id": "budget", "titel": "Budget", "einheit": "€"},
        {"id": "erlaeuterungen", "titel": "Erläuterungen", "typ": "text"},
    ]
    assert table["zeilen"][0] == {
        "werte": [
            "Förderung der beruflichen Weiterbildung (FbW)",
            484,
            2923965,
            "darunter 82 mit Abschluss",
        ]
    }
    assert table["zeilen"][2]["werte"][2] == {"wert": 2347019.5, "nachkommastellen": 2}
    # the stated sum of places is the rows' sum; the budget's is not, and is printed as stated
    assert table["zeilen"][3] == {
        "gesamt": "Summe",
        "werte": [None, 1311, 6400000, ""],
        "abweichung_bestaetigt": ["budget"],
    }
    computed = document(imported).tables["budget-2025"]
    assert [c.text for c in computed.rows[-1].cells][1:3] == ["1.311", "6.400.000\u202f€"]
    assert computed.differences  # the difference goes to the editor's report


def test_images_go_to_bilder_with_their_alt_text(imported: Path) -> None:
    chapter = (imported / "kapitel/02-planung.md").read_text(encoding="utf-8")
    assert "![Säulen der Eintritte 2024 und 2025](bilder/bild-1.png)" in chapter
    assert (imported / "bilder/bild-1.png").read_bytes().startswith(b"\x89PNG")


def test_the_command_reports_what_it_could_not_map(tmp_path: Path) -> None:
    source = programme_docx(tmp_path / "programm.docx")
    data = tmp_path / "data"
    code, out, err = run("import-word", str(source), "musterstadt-2025", "--data-dir", str(data))
    assert code == 0, err
    assert out.splitlines() == [
        f"musterstadt-2025: angelegt in {data}/musterstadt-2025/",
        "  2 Kapitel, 1 Tabellen, 1 Bilder",
        "Nicht übernommen (1):",
        "  - Vor der ersten Überschrift: Text „Entwurf für die Geschäftsführung“",
        "Weiter mit: aipgen build musterstadt-2025 (Diagramme statt der Bilder aus Word setzen)",
    ]
    code, _, err = run("import-word", str(source), "musterstadt-2025", "--data-dir", str(data))
    assert code == 2 and "gibt es schon" in err


def test_a_file_that_is_no_word_file_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "programm.docx"
    fake.write_text("kein Word", encoding="utf-8")
    with pytest.raises(WordImportError, match="lässt sich nicht als Word-Datei lesen"):
        import_word(fake, tmp_path / "data", "musterstadt-2025", BUILT_IN)
    code, _, err = run("import-word", str(fake), "musterstadt-2025", "--data-dir", str(tmp_path))
    assert code == 1 and "Fehler: „programm.docx“ lässt sich nicht" in err
    assert not (tmp_path / "musterstadt-2025").exists()


# --- the round trip ---------------------------------------------------------------------------


class Headings(HTMLParser):
    """The text of every heading in a chapter (h2–h6), without its number."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.depth = 0
        self.number = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[2-6]", tag) and not dict(attrs).get("class", "").startswith("toc"):
            self.depth, self.found = 1, [*self.found, ""]
        elif self.depth and tag == "span" and dict(attrs).get("class") == "num":
            self.number = True

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[2-6]", tag):
            self.depth = 0
        elif tag == "span":
            self.number = False

    def handle_data(self, data: str) -> None:
        if self.depth and not self.number:
            self.found[-1] += data


def clean(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").replace("\u00a0", " ").split())


def source_headings(root: Path) -> list[str]:
    found = []
    for chapter in sorted((root / "kapitel").glob("*.md")):
        for line in chapter.read_text(encoding="utf-8").splitlines():
            heading = re.fullmatch(r"#{1,6} (.*?)(?: \{[^}]*\})?", line)
            if heading:
                found.append(clean(heading[1].replace("\\", "")))  # Markdown's escapes
    return found


def figures(root: Path) -> list[str]:
    doc = document(root)
    return [
        clean(cell.text.replace("\u202f", " "))
        for table in doc.tables.values()
        for row in table.rows
        for cell in row.cells
        if cell.numeric and cell.text
    ]


def test_round_trip_through_word_keeps_headings_and_figures(tmp_path: Path) -> None:
    """Herne as Word, imported as a new programme, built: every heading and ≥ 95 % of the
    table figures are there, and the imported tables compute with their sums checked."""
    code, _, err = run(
        "build",
        "herne-2023",
        "--nur",
        "word",
        "--data-dir",
        str(DATA),
        "--output-dir",
        str(tmp_path),
    )
    assert code == 0, err
    source = tmp_path / "herne-2023/herne-2023.docx"
    report = import_word(source, tmp_path / "data", "herne-2024", BUILT_IN, "Jobcenter Herne")
    result = build_programme(report.folder, BUILT_IN, only=("web",))
    assert result.problems == []
    parser = Headings()
    parser.feed(result.files["index.html"].decode())
    built = [clean(text) for text in parser.found]
    assert [h for h in source_headings(DATA / "herne-2023") if h not in built] == []
    original, kept = figures(DATA / "herne-2023"), figures(report.folder)
    missing = list(original)
    for figure in kept:
        if figure in missing:
            missing.remove(figure)
    assert len(original) > 500 and len(missing) <= 0.05 * len(original), missing[:20]
    sums = [p for p in (report.folder / "tabellen").glob("*.yaml") if "gesamt:" in p.read_text()]
    assert sums  # a sum row the build checked
