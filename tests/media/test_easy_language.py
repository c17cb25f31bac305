"""The page in Leichte Sprache (BITV 2.0 § 4): the design's text filled with the programme's
facts, the editor's own text in its place or around it, and the rules it is checked against."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from aipgen.base.paths import BUILT_IN
from aipgen.build.pipeline import build_programme
from aipgen.content.easylanguage import easy_language_warnings
from aipgen.content.load import TextFile
from aipgen.media.easypage import easy_text

from ..helpers import DATA, PROGRAMMES, document, edit, said
from .test_web import web_files


def main_text(page: str) -> str:
    main = page[page.index("<main") : page.index("</main>")]
    text = html.unescape(re.sub(r"<[^>]+>", " ", main))
    return " ".join(text.split())


def test_the_page_explains_programme_contents_and_use(mini: Path) -> None:
    files = web_files(mini)
    page = files["leichte-sprache.html"]
    text = main_text(page)
    assert "<h1>Das Programm in Leichter Sprache</h1>" in page
    assert "<h2>Was ist das Programm?</h2>" in page
    assert "Der Plan ist für das Jahr 2024." in text
    assert "Das Programm hat 2 Kapitel." in text
    assert "<h2>Wie benutze ich diese Seiten?</h2>" in page
    assert "Sie können das Programm auch herunterladen." in text
    assert '<a href="mailto:barrierefreiheit@musterstadt.de">' in page
    for name in ("index.html", "barrierefreiheit.html", "leichte-sprache.html"):
        assert '<li><a href="leichte-sprache.html">Leichte Sprache</a></li>' in files[name]


@pytest.mark.parametrize("name", PROGRAMMES)
def test_the_built_in_text_keeps_its_own_rules(name: str) -> None:
    text = easy_text(document(DATA / name))
    assert easy_language_warnings(TextFile(f"{name}/leichte-sprache", text), BUILT_IN) == []


def test_the_editors_text_takes_the_place_of_the_built_in_one(mini: Path) -> None:
    (mini / "leichte-sprache.md").write_text(
        "## Unser Jobcenter\n\nWir helfen Ihnen bei der Arbeit.\n", encoding="utf-8"
    )
    text = main_text(web_files(mini)["leichte-sprache.html"])
    assert text.startswith("Das Programm in Leichter Sprache Unser Jobcenter Wir helfen Ihnen")
    assert "Was ist das Programm?" not in text


def test_the_editors_text_can_take_the_built_in_one_in(mini: Path) -> None:
    (mini / "leichte-sprache.md").write_text(
        "## Unser Jobcenter\n\nWir helfen Ihnen.\n\n::standardtext\n\n## Zum Schluss\n\nDanke.\n",
        encoding="utf-8",
    )
    text = main_text(web_files(mini)["leichte-sprache.html"])
    assert text.index("Wir helfen Ihnen.") < text.index("Was ist das Programm?")
    assert text.index("Haben Sie Fragen?") < text.index("Zum Schluss Danke.")


def test_the_editors_text_is_checked_with_file_and_line(mini: Path) -> None:
    (mini / "leichte-sprache.md").write_text(
        "## Das Programm\n"
        "\n"
        "Das Jobcenter plant für das Jahr 2024 viele Hilfen für Menschen, die schon lange\n"
        "eine Arbeit suchen und dabei Unterstützung brauchen.\n"
        "Es gibt z. B. Kurse.\n"
        "Das Geld kommt aus dem EGT.\n"
        "Drei Teams helfen.\n"
        "SGB heißt Sozial·gesetz·buch.\n"
        "Im SGB stehen die Regeln.\n"
        "Wir helfen, wenn Sie fragen.\n"
        "Es gibt Kurse, Beratung und Geld.\n",
        encoding="utf-8",
    )
    result = build_programme(mini, BUILT_IN, ("web",))
    assert result.problems == []
    found = [w for w in said(result.warnings) if "Leichte Sprache" in w]
    assert found == [
        "mini/leichte-sprache.md:3: Leichte Sprache: Der Satz hat 21 Wörter, höchstens 15 sind "
        "gut zu lesen („Das Jobcenter plant für das Jahr …“).",
        "mini/leichte-sprache.md:3: Leichte Sprache: Der Satz hat einen Nebensatz („, die …“); "
        "besser zwei Sätze mit je einer Aussage.",
        "mini/leichte-sprache.md:5: Leichte Sprache: Die Abkürzung „z. B.“ bitte ausschreiben.",
        "mini/leichte-sprache.md:6: Leichte Sprache: Die Abkürzung „EGT“ wird nicht erklärt.",
        "mini/leichte-sprache.md:7: Leichte Sprache: Zahlen als Ziffern schreiben: „Drei“.",
        "mini/leichte-sprache.md:10: Leichte Sprache: Der Satz hat einen Nebensatz („, wenn …“); "
        "besser zwei Sätze mit je einer Aussage.",
    ]
    assert "leichte-sprache.html" in result.files  # warnings, still built


def test_a_sign_language_video_is_linked(mini: Path) -> None:
    edit(
        mini / "programm.yaml",
        "  datenschutz:",
        "  gebaerdensprache: https://www.musterstadt.de/dgs.mp4\n  datenschutz:",
    )
    files = web_files(mini)
    assert (
        '<a href="https://www.musterstadt.de/dgs.mp4">Hier ist das Video.</a>'
        in files["leichte-sprache.html"]
    )
    assert (
        '<li><a href="https://www.musterstadt.de/dgs.mp4">Gebärdensprache</a></li>'
        in files["index.html"]
    )
