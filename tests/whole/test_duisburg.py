"""Integration: data/duisburg-2016, the long report, becomes website and PDF with every heading
of the reference, the figures of its tables, numbered figures with footnoted sources, roman
group numbers, the portfolio matrix and its appendix."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from ..helpers import NUMBER, files_of, normalise, reference_table_figures

Files = dict[str, bytes]
NAME = "duisburg-2016"

HEADINGS = [
    "1 Einleitung",
    "Inhaltliche und strategische Ausrichtung des Arbeitsmarkt- und Integrationsprogramms hat "
    "Wirkung gezeigt",
    "Intensiver, breit aufgestellter Beratungsprozess",
    "Planungsprozess",
    "Verknüpfung mit dem lokalen Zielvereinbarungsprozess 2016",
    "Neue Zielgruppe Flüchtlinge",
    "2 Darstellung der Ressourcen",
    "Gutschrift aus dem VBL-Sanierungsgeld - Einmaleffekt in 2016",
    "Darstellung der verfügbaren Eingliederungsmittel",
    "Eingliederungstitel - EGT",
    "Verfügbare zusätzliche Eingliederungsmittel aus Sonderprojekten",
    "a) ESF-LZA",
    "b) Soziale Teilhabe",
    "Steuerung und Bewirtschaftung des Eingliederungstitels (EGT)",
    "Personal",
    "Eingangszone",
    "Leistungsgewährung",
    "Arbeitsvermittlung",
    "Team-/Bereichsleitung",
    "Aufbau- und Ablauforganisation",
    "Netzwerkarbeit",
    "3 Kennzahlen",
    "4 Geschäftspolitische Schwerpunkte",
    "5 Strategische Ausrichtung des jobcenter Duisburg für das Geschäftsjahr 2016",
    "5.1 Kundenstrukturanalyse",
    "Flüchtlinge / Asylbewerber und Zuwanderung aus Südosteuropa",
    "5.2 Analyse des lokalen Arbeitsmarktes",
    "Dezentrale Einschätzung zur Konjunktur- und Arbeitsmarktentwicklung",
    "5.3 Strukturbesonderheiten des Duisburger Arbeitsmarktes",
    "Entwicklung der sozialversicherungspflichtigen Beschäftigung",
    "Arbeits- und Ausbildungsmarktentwicklung",
    "Arbeitsmarkt - Neuansiedlungen",
    "Arbeitsmarkt - Arbeitsplatzabbau & Betriebsschließungen im Agenturbezirk Duisburg",
    "Arbeitsmarkt - Risikobelastete Branchen",
    "Arbeitsmarkt - Entwicklung Kurzarbeit",
    "Arbeitsmarkt - Fazit",
    "5.4 Darstellung der Handlungsschwerpunkte und Strategien",
    "Handlungsschwerpunkt Integration",
    "Handlungsschwerpunkt Qualifizierung von Geringqualifizierten",
    "Handlungsschwerpunkt Abbau Langzeitleistungsbezug und Langzeitarbeitslosigkeit",
    "Handlungsschwerpunkt Beschäftigungsmöglichkeiten für Alleinerziehende nutzen",
    "Handlungsschwerpunkt Jugendliche in den Ausbildungs- und Arbeitsmarkt integrieren",
    "Handlungsschwerpunkt Migranten den Zugang in Arbeit und Ausbildung ermöglichen",
    "5.5 Konkrete Maßnahmen zur Umsetzung der Strategien",
    "5.5.1 Handlungsschwerpunkt Integration",
    "Weitere Profilierung des jobcenter Duisburg als Akteur und Dienstleister auf dem Arbeitsmarkt",
    "Steigerung der Nachhaltigkeit von Integrationen",
    "5.5.2 Handlungsschwerpunkt Qualifikation",
    "Erhöhung des Anteils abschlussorientierter FbW und betrieblicher Einzelumschulungen",
    "Erhöhung der Wirksamkeit durch Verbesserung der Integrationsquote",
    "5.5.3 Handlungsschwerpunkt Abbau Langzeitbezug und Langzeitarbeitslosigkeit",
    "Runder Tisch zur Bekämpfung der Langzeitarbeitslosigkeit",
    "Optimierung der Verzahnung von Arbeitsmarktdienstleistungen mit Leistungen nach § 16a) SGB II",
    "Nutzung der zusätzlichen Chancen des Bundesprogramms „Soziale Teilhabe am Arbeitsmarkt“",
    "5.5.4 Handlungsschwerpunkt Beschäftigungsmöglichkeiten für Alleinerziehende nutzen",
    "Verzahnung mit den Leistungen nach § 16a) SGB II",
    "Nutzung der Individualisierungsmöglichkeiten des Instrumenteneinsatzes",
    "5.5.5 Handlungsschwerpunkt Jugendliche in den Ausbildungs- und Arbeitsmarkt integrieren",
    "Passgenaue Vermittlung in Ausbildung oder Arbeit",
    "Konsequente Einbindung des gAG-S zur Nutzung vorhandener Ausbildungs- und Arbeitsstellen",
    "5.5.6 Migrantinnen & Migranten den Zugang in Arbeit und Ausbildung ermöglichen",
    "Anhang I Flucht & Asyl",
    "Rechtskreisübergreifender Betrieb eines Integration Point",
    "Inhaltsverzeichnis",
    "Tabellenverzeichnis",
    "Abbildungsverzeichnis",
    "Impressum",
]


@pytest.fixture(scope="module")
def duisburg(built: Path) -> Files:
    return files_of(built / NAME)


@pytest.fixture(scope="module")
def page_texts(duisburg: Files) -> list[str]:
    """The text of each page of the screen PDF, extracted once for the tests below."""
    reader = PdfReader(io.BytesIO(duisburg[f"{NAME}.pdf"]))
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="module")
def pdf_text(page_texts: list[str]) -> str:
    return normalise("\n".join(page_texts))


def test_pdf_has_every_heading(pdf_text: str) -> None:
    assert [h for h in HEADINGS if normalise(h) not in pdf_text] == []


def test_html_has_every_heading(duisburg: Files) -> None:
    plain = normalise(html.unescape(re.sub(r"<[^>]+>", " ", duisburg["index.html"].decode())))
    plain = re.sub(r" (?=[,.)])", "", plain)
    assert [h for h in HEADINGS if normalise(h) not in plain] == []


def test_pdf_has_95_percent_of_reference_table_figures(pdf_text: str) -> None:
    figures = reference_table_figures(NAME, after="## 1. Einleitung", tags=True)
    found = set(n.lstrip("+") for n in NUMBER.findall(pdf_text))
    missing = [f for f in figures if f not in found]
    share = 1 - len(missing) / len(figures)
    assert len(figures) > 350
    assert share >= 0.95, f"{share:.1%} gefunden; es fehlen z. B. {missing[:30]}"


@pytest.mark.parametrize(
    "sample",
    [
        "I. Aktivierung & Berufliche Eingliederung 4.666",
        "IV. Berufswahl & Berufsbildung 353",  # as stated, though its rows add up to 359
        "VII. Freie Förderung 656",
        "SUMME GESAMT 11.258",
        "Einstiegsgeld (ESG) 376 376",  # insgesamt, then each "davon" figure on its own line
        "davon Selbständige 11 11",
        "Summe (ca.) 3.230 –",
        "BGS (in FbW gesamt enthalten) (22)",
        "Das Angebot gehört zu diesem Bereich des Portfolios.",
        "Summe 1.452 335",
        "Summe (ca.) 349 – 1.212.750,00 €",
        "Abb. 3 – Bestand LZB nach Profillagen",
        "Quelle: SGB II Cockpit, Controllingsystem der Bundesagentur für Arbeit, Stand "
        "Berichtsmonat August 2015",
        "Anhang I",
    ],
)
def test_pdf_sample_figures(pdf_text: str, sample: str) -> None:
    assert normalise(sample) in pdf_text


def test_pdf_has_no_working_note_and_no_run_together_figures(pdf_text: str) -> None:
    assert "ursprünglichen Fassung" not in pdf_text
    assert "376 365 11" not in pdf_text and "52 10 42" not in pdf_text


def test_chart_sources_are_footnotes_in_the_pdf(page_texts: list[str]) -> None:
    """The source of a chart stands at the foot of the chart's page, after its number."""
    pages = [normalise(text) for text in page_texts]
    page = next(p for p in pages if "Abb. 3 – Bestand LZB nach Profillagen" in p)
    assert re.search(r"Bestand LZB nach Profillagen ?(\d+)", page)
    number = re.search(r"Bestand LZB nach Profillagen ?(\d+)", page)[1]  # type: ignore[index]
    assert re.search(rf"{number} ?Quelle: SGB II Cockpit", page)
    assert "Quelle: SGB II Cockpit" not in page.split("Bestand LZB nach Profillagen")[0][-200:]


def test_web_portfolio_marks_are_read_out(duisburg: Files) -> None:
    page = duisburg["index.html"].decode()
    assert page.count('aria-label="Das Angebot gehört zu diesem Bereich des Portfolios."') == 28
    assert '<span class="num">Anhang I</span>' in page


def test_web_text_tables_reflow_and_header_cells_are_never_empty(duisburg: Files) -> None:
    """The strategy tables are prose: on phones one block per row, each cell under its column's
    name; the education plan's number column has no header, so no empty header cell."""
    page = duisburg["index.html"].decode()
    assert (
        page.count('class="table-figure short reflow"') + page.count('class="table-figure reflow"')
        == 24
    )
    strategy = page.split('id="tabelle-st-profilierung"')[1].split("</figure>")[0]
    assert '<td headers="st-profilierung-h0-1" data-label="Maßnahmen">' in strategy
    assert re.findall(r"<th[^>]*>(?:<div[^>]*>)?\s*(?:</div>)?</th>", page) == []
    plan = page.split('id="tabelle-bildungszielplanung"')[1].split("</figure>")[0]
    assert "<td></td>" in plan and 'headers="bildungszielplanung-h0-0"' not in plan


def test_web_footnote_sections_are_named_apart(duisburg: Files) -> None:
    page = duisburg["index.html"].decode()
    names = re.findall(r'<section class="footnotes" aria-label="([^"]+)"', page)
    assert len(names) >= 2 and len(set(names)) == len(names)
    assert names[:2] == ["Fußnote 1", "Fußnoten 2 bis 7"]
