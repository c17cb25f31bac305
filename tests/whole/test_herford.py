"""Integration: data/herford-2022 in the "handout" layout becomes landscape presentation pages
and a one-column website, with every heading and the figures of the reference's tables."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from ..helpers import (
    PROJECT,
    element_pages,
    files_of,
    reference_table_figures,
    screen_layout,
)

Files = dict[str, bytes]

HERFORD = PROJECT / "data" / "herford-2022"
NUMBER = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+,[0-9]+|[0-9]+")
LANDSCAPE = (842, 595)

HEADINGS = [
    "Arbeitsmarkt- und Integrationsprogramm 2022",
    "Konjunkturprognose für 2022:",
    "IHK-Herbstprognose 2021 für den Kreis Herford:",
    "Die größten Risiken:",
    "Arbeitslosigkeit in Deutschland (IAB-Prognose 2021/2022)",
    "Lokaler Arbeitsmarkt ist wieder aufnahmefähiger",
    "Besonders betroffene Personengruppen im Kreis Herford (im Sept. 2021 im Vergleich zum VJ)",
    "Ausbildungsmarkt im Kreis Herford:",
    "Erwerbsfähige Leistungsberechtigte (eLB)",
    "„Bewährtes erhalten – an künftige Herausforderungen anpassen“",
    "Jugendberufsagentur",
    "Schüler- und Ausbildungsberatung (SAB)",
    "„JAP – Job-Ausbildung-Plan“",
    "Förderinstrumente für junge Menschen",
    "Spezielle aktivierende Beratungsangebote für Frauen",
    "Spezielle Qualifizierungen für (Allein-)Erziehende",
    "Weitere spezielle Förderangebote für Frauen",
    "Bundesziele",
    "Angebotswerte 2022 für die SGB II-Bundesziele:",
    "Lokale Ziele",
    "Angebotswerte 2022 für lokale Ziele:",
    "Sozialintegrative Unterstützungsleistungen zur Arbeitsmarktintegration",
    "Ausgabemittel 2022",
    "Inhaltsverzeichnis",
    "Impressum",
]


@pytest.fixture(scope="module")
def herford(built: Path) -> Files:
    if not HERFORD.is_dir():
        pytest.fail("data/herford-2022 fehlt")
    return files_of(built / "herford-2022")


def normalise(text: str) -> str:
    text = text.replace("\u2212", "-").replace("\u202f", " ").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text)


def page_texts(data: bytes) -> list[str]:
    return [normalise(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def pdf_text(herford: Files) -> str:
    return " ".join(page_texts(herford["herford-2022.pdf"]))


def test_pdf_has_every_heading(pdf_text: str) -> None:
    assert [h for h in HEADINGS if normalise(h) not in pdf_text] == []


def test_html_has_every_heading(herford: Files) -> None:
    plain = normalise(re.sub(r"<[^>]+>", "", herford["index.html"].decode()))
    assert [h for h in HEADINGS if normalise(h) not in plain] == []


def test_pdf_has_95_percent_of_reference_table_figures(pdf_text: str) -> None:
    figures = reference_table_figures("herford-2022", tags=True, number=NUMBER)
    found = set(NUMBER.findall(pdf_text))
    missing = [f for f in figures if f not in found]
    share = 1 - len(missing) / len(figures)
    assert len(figures) > 120
    assert share >= 0.95, f"{share:.1%} gefunden; es fehlen z. B. {missing[:30]}"


@pytest.mark.parametrize(
    "sample",
    [
        "Vergabemaßnahmen 198 479 -281",
        "Gutscheinverfahren 897 721 +176",
        "Gesamt 1.348 1.475 -127",
        "Gesamt 245 280 -35",
        "ca. 400 ca. 400 0",
        "Eingliederungszuschüsse 90 90 0",
        "Gesamt 50 58 -8",
        "12.600.000 13.200.000 -600.000",
        "-800.000 -1.400.000 600.000",
        "11.800.000 11.800.000 0",
        "Langzeitarbeitslose +6,80 % +9,50 % stagnierend bis leicht sinkend",
        "Gesamt 2,69 Mio. 2,61 Mio. 2,32 Mio.",
        "IQ Frauen: max. -2,0 %",
        "Entwicklung Langzeitleistungsbeziehende ≥ 4 Jahre",
        "* Ziel 1: Verringerung der Hilfebedürftigkeit",
        "Ziel 4: Verbesserung der sozialen Teilhabe (vgl. §§ 1, 48b SGB II)",
        "Einmündungen in Ausbildung: 250",
    ],
)
def test_pdf_sample_figures(pdf_text: str, sample: str) -> None:
    assert normalise(sample) in pdf_text


def test_pages_are_landscape_slides_with_a_footer(herford: Files) -> None:
    data = herford["herford-2022.pdf"]
    reader = PdfReader(io.BytesIO(data))
    boxes = [page.mediabox for page in reader.pages]
    sizes = {(round(float(box.width)), round(float(box.height))) for box in boxes}
    assert sizes == {LANDSCAPE}
    texts = page_texts(data)
    assert "Jobcenter Kreis Herford" in texts[0] and "Integrationsprogramm 2022" in texts[0]
    for number, text in enumerate(texts[1:-1], start=2):
        footer = f"Jobcenter Kreis Herford Arbeitsmarkt- und Integrationsprogramm 2022 {number}"
        assert text.endswith(footer), f"Seite {number}: {text[-120:]}"


def test_imprint_is_the_last_slide_before_the_back_page(herford: Files) -> None:
    """The handout sets its imprint on the inside back cover (layout.yaml: impressum_seite),
    without a chapter's running head; the agenda is followed by the first chapter."""
    texts = page_texts(herford["herford-2022.pdf"])
    assert [n for n, text in enumerate(texts) if text.startswith("Impressum")] == [len(texts) - 2]
    assert texts[2].startswith("1 Wirtschaftliche Rahmenbedingungen")


@pytest.fixture(scope="module")
def rendered() -> Any:
    """The screen PDF's slides as WeasyPrint lays them out (test_breaks checks the same)."""
    return screen_layout("herford-2022")


def test_no_block_splits_across_slides(rendered: Any) -> None:
    blocks = element_pages(rendered, lambda e: "block" in (e.get("class") or "").split())
    assert len(blocks) > 25
    split = {"".join(e.itertext())[:60]: sorted(p) for e, p in blocks.items() if len(p) > 1}
    assert split == {}


def test_every_chapter_starts_a_slide(rendered: Any) -> None:
    def chapter(element: Any) -> bool:
        return element.tag.endswith("section") and "chapter" in (element.get("class") or "")

    spans = sorted((min(p), max(p)) for p in element_pages(rendered, chapter).values())
    assert len(spans) == 17
    assert all(end < start for (_, end), (start, _) in zip(spans, spans[1:], strict=False))


def test_footnote_stands_on_the_slide_that_cites_it(herford: Files) -> None:
    texts = page_texts(herford["herford-2022.pdf"])
    (slide,) = [t for t in texts if "Zugewanderte Menschen integrieren" in t and "FbW, MAbE" in t]
    assert (
        "1 FbW: Förderung der beruflichen Weiterbildung; MAbE: Maßnahmen zur Aktivierung" in slide
    )
