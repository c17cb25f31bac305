"""The accessibility statement (BITV 2.0 § 7, EU model statement): what aipgen knows is not
accessible, what the editor declares, dates, method, contact and the enforcement route."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from aipgen.base.paths import BUILT_IN, project_design
from aipgen.build.pipeline import build_programme

from ..helpers import edit
from .test_web import web_files


def statement_text(page: str) -> str:
    """The statement's main part as text, one line per element, spaces joined."""
    main = page[page.index("<main") : page.index("</main>")]
    text = html.unescape(re.sub(r"<[^>]+>", "\n", main))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def flat(text: str) -> str:
    return text.replace("\n", " ")


def test_statement_lists_what_aipgen_knows_with_criterion_reason_and_alternative(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1709294400")  # 1 March 2024, the build date
    page = web_files(mini)["barrierefreiheit.html"]
    text = statement_text(page)
    assert "nur teilweise vereinbar" in text
    gaps = text[text.index("Nicht barrierefreie Inhalte") : text.index("Leichte Sprache und")]
    # the print PDF is a gap, with the screen PDF as alternative; charts are none
    assert gaps.splitlines() == [
        "Nicht barrierefreie Inhalte",
        "Die folgenden Inhalte sind nicht barrierefrei:",
        "Die Druckfassung (PDF für die Druckerei)",
        "Nicht erfüllte Anforderungen",
        "WCAG 2.1 1.1.1 Nicht-Text-Inhalt (EN 301 549 10.1.1.1)",
        "WCAG 2.1 1.3.1 Info und Beziehungen (EN 301 549 10.1.3.1)",
        "WCAG 2.1 1.3.2 Bedeutungstragende Reihenfolge (EN 301 549 10.1.3.2)",
        "Grund",
        "Unvereinbarkeit mit den Anforderungen: Die Druckfassung ist die Vorlage für die "
        "Druckerei (PDF/X-4 in CMYK). Sie enthält keine Tags: keine Überschriften- und "
        "Tabellenstruktur, keine Alternativtexte und keine Lesereihenfolge.",
        "Barrierefreie Alternative",
        "Derselbe Inhalt steht barrierefrei auf diesen Webseiten und zum Herunterladen:",
        "Programm als barrierefreies PDF",
        ".",
        "Erläuterungen in Deutscher Gebärdensprache",
        "Nicht erfüllte Anforderungen",
        "BITV 2.0 § 4 (Erläuterungen in Deutscher Gebärdensprache)",
        "Grund",
        "Unvereinbarkeit mit den Anforderungen: Für diese Webseiten gibt es noch kein Video in "
        "Deutscher Gebärdensprache.",
        "Barrierefreie Alternative",
        "Wir erklären Ihnen den Inhalt gern schriftlich; nutzen Sie dafür die Kontaktangaben "
        "unten.",
    ]
    assert '<a href="mini.pdf">Programm als barrierefreies PDF</a>' in page
    assert '<li><a href="leichte-sprache.html">Erläuterungen in Leichter Sprache</a></li>' in page
    # dated by the build, not by the programme's stand (01.12.2023)
    assert "am 01.03.2024 erstellt und zuletzt am 01.03.2024 überprüft." in flat(text)
    assert "axe-core mit den Regeln der WCAG 2.2 (Stufen A und AA)" in text
    assert "Eine Prüfung von Hand ist für diese Webseiten nicht angegeben." in flat(text)
    contact = text[text.index("Feedback und Kontaktangaben") : text.index("Schlichtungsverfahren")]
    assert "Erika Mustermann\nJobcenter Musterstadt\nHauptstraße 1\n12345 Musterstadt" in contact
    assert '<a href="mailto:barrierefreiheit@musterstadt.de">' in page
    assert "Schlichtungsstelle nach § 16 des Behindertengleichstellungsgesetzes (BGG)" in text
    assert '<a href="https://www.schlichtungsstelle-bgg.de">' in page
    assert "mit § 3 Absätze 1 bis 4 und § 4 der BITV 2.0 wegen" in text
    assert '<a href="barrierefreiheit.html">Erklärung zur Barrierefreiheit</a>' in page  # footer


def test_statement_takes_what_the_editor_declares(mini: Path) -> None:
    edit(
        mini / "programm.yaml",
        "barrierefreiheit:\n  kontakt:\n",
        """barrierefreiheit:
  erstellt: 2024-01-10
  ueberprueft: 2024-02-20
  manuelle_pruefung: Tastatur und Screenreader NVDA, 20.02.2024
  nicht_barrierefrei:
    - inhalt: Das Video im Vorwort
      kriterien: [WCAG 2.1 1.2.2 Untertitel (aufgezeichnet) (EN 301 549 10.1.2.2)]
      grund: unverhaeltnismaessig
      begruendung: Das Video stammt von einem Partner.
      alternative: Die Abschrift steht unter dem Video
  kontakt:
    telefon: 01234 5678-0
    anschrift: |
      Jobcenter Musterstadt
      Postfach 12
""",
    )
    edit(
        mini / "programm.yaml",
        "  datenschutz:",
        "  gebaerdensprache: videos/dgs.html\n  datenschutz:",
    )
    page = web_files(mini)["barrierefreiheit.html"]
    text = statement_text(page)
    assert "Das Video im Vorwort\nNicht erfüllte Anforderungen\nWCAG 2.1 1.2.2" in text
    assert (
        "Unverhältnismäßige Belastung: Das Video stammt von einem Partner.\n"
        "Barrierefreie Alternative\nDie Abschrift steht unter dem Video." in text
    )
    assert (
        "Gebärdensprache"
        not in text[text.index("Nicht barrierefreie") : text.index("Leichte Sprache und")]
    )
    video = '<a href="videos/dgs.html">Erläuterungen in Deutscher Gebärdensprache (Video)</a>'
    assert video in page
    assert "am 10.01.2024 erstellt und zuletzt am 20.02.2024 überprüft" in flat(text)
    assert "Von Hand geprüft: Tastatur und Screenreader NVDA, 20.02.2024" in flat(text)
    assert "Jobcenter Musterstadt Postfach 12 Telefon: 01234 5678-0" in flat(text)
    assert "Erika Mustermann" not in text


def test_enforcement_route_follows_the_body_and_its_land(mini: Path) -> None:
    edit(
        mini / "programm.yaml",
        "barrierefreiheit:\n",
        "barrierefreiheit:\n  traeger: kommunal\n  land: Nordrhein-Westfalen\n",
    )
    page = web_files(mini)["barrierefreiheit.html"]
    text = flat(statement_text(page))
    assert "<h2>Ombudsverfahren</h2>" in page
    assert "an die Ombudsstelle für barrierefreie Informationstechnik des Landes " in text
    assert '<a href="https://www.lbbp.nrw.de/ombudsstelle">' in page
    assert "mit der Barrierefreie-Informationstechnik-Verordnung Nordrhein-Westfalen" in text
    assert "schlichtungsstelle-bgg" not in page


def test_an_own_enforcement_route(mini: Path) -> None:
    edit(
        mini / "programm.yaml",
        "barrierefreiheit:\n",
        "barrierefreiheit:\n  traeger: kommunal\n  land: Sachsen\n  durchsetzung:\n"
        "    name: Durchsetzungsstelle Sachsen\n    url: https://example.org/durchsetzung\n",
    )
    page = web_files(mini)["barrierefreiheit.html"]
    assert "an die Durchsetzungsstelle Sachsen wenden" in flat(statement_text(page))
    assert '<a href="https://example.org/durchsetzung">' in page


def test_easy_language_turned_off_is_named_as_missing(mini: Path) -> None:
    edit(mini / "programm.yaml", "  datenschutz:", "  leichte_sprache: false\n  datenschutz:")
    files = web_files(mini)
    assert "leichte-sprache.html" not in files
    text = statement_text(files["barrierefreiheit.html"])
    assert "Erläuterungen in Leichter Sprache\nNicht erfüllte Anforderungen\nBITV 2.0 § 4" in text
    assert "Erläuterungen in Leichter Sprache gibt es für diese Webseiten noch nicht." in text
    assert "leichte-sprache.html" not in files["index.html"]


def test_without_the_print_pdf_it_is_no_gap(mini: Path) -> None:
    edit(mini / "programm.yaml", "layout: bericht\n", "layout: bericht\nausgaben: [web, pdf]\n")
    text = statement_text(web_files(mini)["barrierefreiheit.html"])
    assert "Druckfassung" not in text


def test_a_projects_own_registry_of_gaps_is_used_and_must_know_every_gap(
    mini: Path, tmp_path: Path
) -> None:
    registry = yaml.safe_load(
        BUILT_IN.find("templates", "common", "barrierefreiheit.yaml").read_text()
    )
    registry["luecken"]["gebaerdensprache"]["alternative"] = "Rufen Sie uns an"
    del registry["luecken"]["druckfassung"]
    own = tmp_path / "projekt" / "templates" / "common"
    own.mkdir(parents=True)
    (own / "barrierefreiheit.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True))
    files = project_design(tmp_path / "projekt")
    broken = build_programme(mini, files, ("web",))
    edit(mini / "programm.yaml", "layout: bericht\n", "layout: bericht\nausgaben: [web, pdf]\n")
    page = build_programme(mini, files, ("web",)).files["barrierefreiheit.html"].decode()
    assert [str(p) for p in broken.problems] == [
        "mini/programm.yaml:1: Die Erklärung zur Barrierefreiheit kennt die Lücke „druckfassung“ "
        "einer Ausgabe nicht; sie gehört unter „luecken“ in "
        "templates/common/barrierefreiheit.yaml."
    ]
    assert "Rufen Sie uns an." in statement_text(page)
