"""Integration: data/bochum-2024 becomes a brochure – website, screen PDF and print PDF – with
every heading of the reference, its table figures and the brochure's page structure."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from ..helpers import (
    NUMBER,
    PROJECT,
    compute_problems,
    document,
    edit,
    files_of,
    normalise,
    reference_table_figures,
)

Files = dict[str, bytes]

BOCHUM = PROJECT / "data" / "bochum-2024"

HEADINGS = [
    "Beraten fördern integrieren",
    "Arbeitsmarktprogramm 2024",
    "Einleitung",
    "Ziele und Schwerpunkte der Grundsicherung 2024",
    "Zielwerte 2024",
    "Schwerpunkte in der Grundsicherung",
    "Jobturbo und Vermittlungsoffensive",
    "Chancenperspektive",
    "Geschäftspolitische Ausrichtung",
    "Digitale Kommunikation ausbauen",
    "Die Chancen des Bürgergelds konsequent nutzen",
    "Langzeitleistungsbezug vermeiden",
    "Nachhaltige Qualifizierung ermöglichen",
    "Quartiersarbeit intensivieren",
    "Rahmenbedingungen für das Jahr 2024",
    "Sozialversicherungspflichtige Beschäftigung in Bochum",
    "Der Arbeitsmarkt in Bochum",
    "Beschäftigung in Bochum (sozialversicherungspflichtige Arbeitsplätze)",
    "Entwicklung der Beschäftigung in ausgewählten Branchen",
    "Arbeitslosigkeit und Langzeitarbeitslosigkeit",
    "Strukturdaten zum Bestand langzeitarbeitsloser Personen im SGB II",
    "Leistungsbezug und Hilfebedürftigkeit",
    "Erwerbsfähige Leistungsberechtigte",
    "Entwicklung der erwerbsfähigen Leistungsberechtigten in Bochum",
    "Langzeitbezug von Leistungen",
    "Finanzielle Ausstattung",
    "Entwicklung der Haushaltsmittel für den Zeitraum 2021 bis 2024",
    "Integrationsorientierte Instrumente/ berufliche Weiterbildung",
    "Sozialer Arbeitsmarkt",
    "Schwerpunkte der Integrationsarbeit",
    "Flucht, Asyl und Migration",
    "INTEGRATION POINT",
    "Phase 1: Ankommen",
    "Phase 2: Vermittlung",
    "Phase 3: Stabilisierung",
    "Chancen-Aufenthaltsrecht",
    "Ganzheitliche Betreuung nach § 16k SGB II",
    "Langzeitleistungsbezug",
    "Vermittlung in Arbeit – Frauen im Fokus",
    "(Allein-)erziehende und zugewanderte Frauen im Fokus",
    "Zusätzliche Hilfen",
    "Leistungen zur Eingliederung in Arbeit",
    "Verteilung der Eingliederungsmittel auf die Instrumente",
    "Geplante Eintritte",
    "Bildungszielplanung",
    "Gesamtübersicht aller FbW-Maßnahmen",
    "Bildungsziele",
    "Anhang",
    "Entwicklung der langzeitarbeitslosen Personen im SGB II in Bochum",
    "Entwicklung der geflüchteten Personen im SGB II in Bochum",
    "Herausgeber",
    "Impressum",
]


@pytest.fixture(scope="module")
def bochum(built: Path) -> Files:
    if not BOCHUM.is_dir():
        pytest.fail("data/bochum-2024 fehlt")
    return files_of(built / "bochum-2024")


@pytest.fixture(scope="module")
def pdf_text(bochum: Files) -> str:
    reader = PdfReader(io.BytesIO(bochum["bochum-2024.pdf"]))
    return normalise("\n".join(page.extract_text() for page in reader.pages))


def test_html_has_every_heading(bochum: Files) -> None:
    plain = normalise(re.sub(r"<[^>]+>", " ", bochum["index.html"].decode()))
    plain = re.sub(r" +", " ", plain).replace("&amp;", "&")
    assert [h for h in HEADINGS if normalise(h) not in plain] == []


def test_pdf_has_every_heading(pdf_text: str) -> None:
    # two columns interleave in the extracted text: compare word by word
    words = set(pdf_text.split())
    assert [h for h in HEADINGS if not set(normalise(h).split()) <= words] == []


def test_pdf_has_95_percent_of_reference_table_figures(pdf_text: str) -> None:
    figures = reference_table_figures("bochum-2024")
    found = set(n.lstrip("+") for n in NUMBER.findall(pdf_text))
    missing = [f for f in figures if f not in found]
    assert len(figures) > 250
    assert 1 - len(missing) / len(figures) >= 0.95, missing[:30]


@pytest.mark.parametrize(
    "sample",
    [
        "1. Integrationsorientierte Instrumente",
        "1.11 Ganzheitliche Betreuung 1.583.074",
        "Eingliederungsetat 33.269.550",
        "Insgesamt 4.955",
        "Veränderung zum Vorjahr +10,6 % -6,5 % -16,6 % +2,5 %",
        "Anteil am Verwaltungsbudget – 4,9 % 8,7 % –",
        "Jahresdurchschnittswert 30.910 30.733 29.824 28.821 29.240",
        "Quelle: Statistik der Bundesagentur für Arbeit, Regionalreport über Beschäftigte, Juni 20",
        "Georg Sondermann",
    ],
)
def test_pdf_sample_figures(pdf_text: str, sample: str) -> None:
    assert normalise(sample) in pdf_text


def test_brochure_pages(bochum: Files) -> None:
    screen = PdfReader(io.BytesIO(bochum["bochum-2024.pdf"]))
    printed = PdfReader(io.BytesIO(bochum["bochum-2024-druck.pdf"]))
    assert len(printed.pages) % 4 == 0  # saddle stitching
    assert len(printed.pages) >= len(screen.pages)
    cover = normalise(screen.pages[0].extract_text())
    assert cover.startswith("Beraten fördern integrieren Arbeitsmarktprogramm 2024")
    contents = normalise(screen.pages[1].extract_text())
    assert "Einleitung 3" in contents and "Impressum" in contents  # one page, no numbers
    assert not re.search(r"\b1 Einleitung", contents)
    titles = [item.title for item in screen.outline if not isinstance(item, list)]
    assert "Einleitung" in titles and "Anhang" in titles


def test_web_page_speaks_the_brochure_language(bochum: Files) -> None:
    page = bochum["index.html"].decode()
    assert '<body id="seitenanfang" class="layout-broschuere format-web">' in page
    assert '<p class="cover-slogan">Beraten<br>fördern<br>integrieren</p>' in page
    assert page.count('<p class="lead">') == 8  # every chapter opens with its lead
    assert "<blockquote>" in page
    assert 'class="numbered"><div class="row-label"><span class="row-num">1.4</span>' in page


def test_budget_lines_must_add_up_to_the_eingliederungsetat(tmp_path: Path) -> None:
    root = tmp_path / "bochum-2024"
    shutil.copytree(BOCHUM, root)
    assert document(root).tables["eingliederungsmittel"].rows[-2].cells[2].text == "33.269.550"
    edit(
        root / "tabellen/eingliederungsmittel.yaml",
        '["Einstiegsgeld", "", 401648]',
        '["Einstiegsgeld", "", 401649]',
    )
    assert compute_problems(root) == [
        "bochum-2024/tabellen/eingliederungsmittel.yaml:62: Tabelle „Haushaltsmittel 2024 nach "
        "Förderinstrumenten“, Spalte „Haushaltsmittel [Euro]“: angegeben 33.269.550, "
        "berechnet 33.269.551."
    ]


def test_changes_to_the_previous_year_are_computed(tmp_path: Path) -> None:
    root = tmp_path / "bochum-2024"
    shutil.copytree(BOCHUM, root)
    cells = document(root).tables["haushaltsmittel"].rows[1].cells
    assert [c.text for c in cells][1:] == [
        "+10,6\u202f%",
        "−6,5\u202f%",
        "−16,6\u202f%",
        "+2,5\u202f%",
    ]
    edit(root / "tabellen/haushaltsmittel.yaml", "41.7, 39.0, 32.5, 33.3", "41.7, 39.0, 32.5, 34.3")
    assert document(root).tables["haushaltsmittel"].rows[1].cells[4].text == "+5,5\u202f%"
