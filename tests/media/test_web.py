"""The website around the programme: header, downloads, footer, the accessibility statement."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from aipgen.base.paths import BUILT_IN
from aipgen.build.pipeline import build_programme

from ..helpers import PROGRAMMES, edit, run


def web_files(root: Path) -> dict[str, str]:
    result = build_programme(root, BUILT_IN, ("web",))
    assert result.problems == []
    return {k: v.decode() for k, v in result.files.items() if k.endswith(".html")}


def test_header_links_back_and_footer_links_legal_pages(mini: Path) -> None:
    page = web_files(mini)["index.html"]
    assert (
        '<nav class="site-nav" aria-label="Website"><a href="../index.html">Alle Programme</a>'
        in page
    )
    assert '<li><a href="https://www.musterstadt.de/datenschutz">Datenschutz</a></li>' in page
    assert '<li><a href="barrierefreiheit.html">Erklärung zur Barrierefreiheit</a></li>' in page
    assert '<section class="imprint" id="impressum"' in page
    assert "Stand: 01.12.2023" in page


def test_own_overview_address(mini: Path) -> None:
    edit(
        mini / "programm.yaml",
        "  datenschutz:",
        "  uebersicht: https://www.musterstadt.de/jobcenter\n  datenschutz:",
    )
    page = web_files(mini)["index.html"]
    assert '<a href="https://www.musterstadt.de/jobcenter">Alle Programme</a>' in page


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    email: barrierefreiheit@musterstadt.de\n",
            "    telefon: ''\n",
            "mini/programm.yaml:25: Für Rückmeldungen zur Barrierefreiheit braucht „kontakt“ eine "
            "E-Mail-Adresse oder Telefonnummer.",
        ),
        (
            "barrierefreiheit:\n",
            "barrierefreiheit:\n  status: vollstaendig\n",
            "mini/programm.yaml:26: „status: vollstaendig“ passt nicht zu dem, was nicht "
            "barrierefrei ist: Die Druckfassung (PDF für die Druckerei); Erläuterungen in "
            "Deutscher Gebärdensprache. Bitte „status“ weglassen (dann gilt „teilweise“) oder "
            "„teilweise“ angeben.",
        ),
        (
            "barrierefreiheit:\n",
            "barrierefreiheit:\n  traeger: kommunal\n  land: Atlantis\n",
            "mini/programm.yaml:27: Für das Land „Atlantis“ kennt aipgen keine Stelle für "
            "Beschwerden zur Barrierefreiheit (bekannt: Nordrhein-Westfalen); bitte „land“ "
            "angeben oder die Stelle unter „durchsetzung“ mit „name“ und „url“ nennen.",
        ),
        (
            "barrierefreiheit:\n",
            "barrierefreiheit:\n  traeger: kommunal\n",
            "mini/programm.yaml:26: Ohne „land“ kennt aipgen keine Stelle für Beschwerden zur "
            "Barrierefreiheit (bekannt: Nordrhein-Westfalen); bitte „land“ angeben oder die "
            "Stelle unter „durchsetzung“ mit „name“ und „url“ nennen.",
        ),
        (
            "barrierefreiheit:\n",
            "barrierefreiheit:\n  traeger: bundesamt\n",
            "mini/programm.yaml:26: Unbekannte Art des Trägers „bundesamt“ (möglich sind: "
            "gemeinsame_einrichtung, kommunal).",
        ),
        (
            "barrierefreiheit:\n",
            "barrierefreiheit:\n  nicht_barrierefrei:\n    - inhalt: Video\n"
            "      kriterien: [WCAG 1.2.2]\n      grund: zu teuer\n      alternative: Abschrift\n",
            "mini/programm.yaml:29: „grund“ muss einer dieser Werte sein: unvereinbar, "
            "unverhaeltnismaessig, nicht_anwendbar.",
        ),
        (
            "  datenschutz: https://www.musterstadt.de/datenschutz\n",
            "  datenschutz: javascript:alert(1)\n",
            "mini/programm.yaml:24: „datenschutz“ hat eine ungültige Form.",
        ),
        (
            "web:\n  datenschutz: https://www.musterstadt.de/datenschutz\n",
            "",
            "mini/programm.yaml:1: Für die Website fehlt „web“ (Datenschutz-Link und Erklärung zur "
            "Barrierefreiheit, siehe Anleitung). In programm.yaml ergänzen, z. B. „web: "
            "{datenschutz: https://www.jobcenter-musterstadt.de/datenschutz}“; ohne Website bauen: "
            "„--nur pdf,druck“.",
        ),
    ],
)
def test_statement_fields_are_checked(data_dir: Path, old: str, new: str, message: str) -> None:
    edit(data_dir / "mini/programm.yaml", old, new)
    code, _, err = run("check", "--data-dir", str(data_dir))
    assert code == 1
    assert f"Fehler: {message}" in err


def test_programme_without_website_needs_no_statement(data_dir: Path) -> None:
    text = (data_dir / "mini/programm.yaml").read_text()
    text = text[: text.index("web:\n")] + "ausgaben: [pdf]\n"
    (data_dir / "mini/programm.yaml").write_text(text)
    assert run("check", "--data-dir", str(data_dir))[0] == 0


def test_a_build_without_the_website_needs_no_website_keys(data_dir: Path) -> None:
    """A folder written before the website's keys existed builds its PDFs with --nur; only the
    website asks for them."""
    text = (data_dir / "mini/programm.yaml").read_text()
    (data_dir / "mini/programm.yaml").write_text(text[: text.index("web:\n")])
    assert run("build", "--nur", "pdf", "--data-dir", str(data_dir))[0] == 0
    code, _, err = run("build", "--nur", "web", "--data-dir", str(data_dir))
    assert code == 1 and "Für die Website fehlt „web“" in err


@pytest.mark.parametrize("name", PROGRAMMES)
def test_web_fonts_are_small_and_cover_every_character(built: Path, name: str) -> None:
    """The website ships WOFF2 subsets, not the TTFs; each face has every character of the
    programme's pages (text and alt texts) that the whole font has."""
    from fontTools.ttLib import TTFont

    fonts = built / name / "assets" / "fonts"
    assert sum(f.stat().st_size for f in fonts.iterdir()) <= 300 * 1024
    assert not list(fonts.glob("*.ttf"))
    shown = set()
    for page in (built / name).glob("*.html"):
        text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
        shown |= {c for c in text if not c.isspace() or c in "\u00a0\u202f"}
    shown -= {"\u00ad"}  # soft hyphens: shown only as the hyphen at a break
    for face in sorted(fonts.glob("*.woff2")):
        whole = BUILT_IN.find("templates", "fonts", face.with_suffix(".ttf").name)
        in_font = set(map(chr, TTFont(whole).getBestCmap()))  # Carlito has no U+00A0, no ↩
        covered = set(map(chr, TTFont(face).getBestCmap()))
        assert sorted((shown & in_font) - covered) == [], face.name
