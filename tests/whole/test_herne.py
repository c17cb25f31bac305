"""Integration: data/herne-2023 becomes website and PDF with every heading and the figures.

Golden HTML: regenerate after a wanted change with
    AIPGEN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/whole/test_herne.py
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from ..helpers import NUMBER, PROJECT, files_of, normalise, reference_table_figures

Files = dict[str, bytes]

HERNE = PROJECT / "data" / "herne-2023"
GOLDEN = Path(__file__).parents[1] / "golden" / "herne-2023.html"

HEADINGS = [
    "1 Vorwort",
    "2 Einführung",
    "2.1 Zielsetzung des Arbeitsmarkt- und Integrationsprogramms",
    "3 Geschäftspolitische Ziele",
    "3.1 Darstellung der Aktivitäten",
    "3.2 Zielsystem 2023",
    "4 Lokale Rahmenbedingungen",
    "4.1 Sozio-demographische Faktoren",
    "4.2 Arbeitsmarkt",
    "4.3 Kund*innenstruktur",
    "4.3.1 Langzeitleistungsbeziehende",
    "5 Herner Strategie im Jahr 2023",
    "5.1 Beratungsangebot",
    "5.1.1 Bewerber*innenorientierte Integrationsarbeit und persönliche Ansprechpartner*innen "
    "im Fallmanagement",
    "5.1.2 JobOffensive/ Bildungsoffensive",
    "5.1.3 Reduzierung von Langzeitarbeitslosigkeit",
    "5.1.4 Netzwerke",
    "5.1.5 Arbeitgeberservice mit gemeinsamem Marktauftritt",
    "5.1.6 Integration Point",
    "5.1.7 Ausgleich geschlechterspezifischer Nachteile",
    "6 Planung der Ausgaben im Eingliederungstitel (EGT)",
    "6.1 Gesamtbudget 2023",
    "6.2 Planungsschwerpunkte",
    "Inhaltsverzeichnis",
    "Tabellenverzeichnis",
    "Abbildungsverzeichnis",
    "Impressum",
]


@pytest.fixture(scope="module")
def herne(built: Path) -> Files:
    if not HERNE.is_dir():
        pytest.fail("data/herne-2023 fehlt")
    return files_of(built / "herne-2023")


@pytest.fixture(scope="module")
def pdf_text(herne: Files) -> str:
    reader = PdfReader(io.BytesIO(herne["herne-2023.pdf"]))
    return normalise("\n".join(page.extract_text() for page in reader.pages))


def test_pdf_has_every_heading(pdf_text: str) -> None:
    missing = [h for h in HEADINGS if normalise(h) not in pdf_text]
    assert missing == []


def test_html_has_every_heading(herne: Files) -> None:
    page = herne["index.html"].decode()
    plain = normalise(re.sub(r"<[^>]+>", "", page))
    assert [h for h in HEADINGS if normalise(h) not in plain] == []


def test_pdf_has_95_percent_of_reference_table_figures(pdf_text: str) -> None:
    figures = reference_table_figures("herne-2023", after="Impressum")
    found = set(n.lstrip("+") for n in NUMBER.findall(pdf_text))
    missing = [f for f in figures if f not in found]
    share = 1 - len(missing) / len(figures)
    assert len(figures) > 400
    assert share >= 0.95, f"{share:.1%} gefunden; es fehlen z. B. {missing[:30]}"


@pytest.mark.parametrize(
    "sample",
    [
        "12.415",
        "2.923.965 €",
        "4.528.558 €",
        "49.718",
        "15.406",
        "11.431",
        "8.909",
        "77,9 %",
        "-19,0",
        "Förderung der beruflichen Weiterbildung (FbW)",
        "Bildungszielplanung 2023",
        "531 Obj, Pers, Brandschutz, Arbeitssicherheit",
        "Quelle: Statistik der Bundesagentur für Arbeit",
    ],
)
def test_pdf_sample_figures(pdf_text: str, sample: str) -> None:
    assert normalise(sample) in pdf_text


def test_pdf_structure(herne: Files) -> None:
    reader = PdfReader(io.BytesIO(herne["herne-2023.pdf"]))
    assert len(reader.pages) >= 15
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    assert reader.metadata is not None
    assert reader.metadata.title == "Arbeitsmarkt- und Integrationsprogramm 2023 – Jobcenter Herne"
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert root["/Lang"] == "de"
    assert len(reader.outline) >= 6  # bookmarks
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[1:4] == ["Inhaltsverzeichnis", "Tabellenverzeichnis", "Abbildungsverzeichnis"]
    fonts = {
        f.get_object()["/BaseFont"]
        for page in reader.pages
        for f in (page["/Resources"].get("/Font") or {}).values()
    }
    assert fonts and all("Carlito" in str(name) for name in fonts)
    for ref in reader.pages[2]["/Resources"]["/Font"].values():
        font = ref.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded TrueType


def test_pdf_lists_tables_with_page_numbers(pdf_text: str) -> None:
    assert re.search(r"Übersicht Budgetplanung \.{5,} ?\d+ ", pdf_text)
    assert re.search(r"Beschäftigte nach Anforderungsniveau \(September\) \.+ ?\d", pdf_text)


def test_pdf_references_name_number_and_page(pdf_text: str) -> None:
    assert re.search(r"zeigt Tabelle 5 \(S\. \d+\)\.", pdf_text)
    assert re.search(r"verändert hat, zeigt Abb\. 2 \(S\. \d+\):", pdf_text)


def test_golden_html(herne: Files) -> None:
    page = herne["index.html"].decode()
    if os.environ.get("AIPGEN_UPDATE_GOLDEN"):
        GOLDEN.write_text(page, encoding="utf-8")
    assert GOLDEN.is_file(), "Golden-Datei fehlt; mit AIPGEN_UPDATE_GOLDEN=1 erzeugen"
    assert page == GOLDEN.read_text(encoding="utf-8")


def page_number_x(reader: PdfReader, index: int) -> float | None:
    """Where the page number stands on a page: x of the text at the page foot, if any."""
    found: list[float] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
        if text.strip() == str(index + 1) and y < 60:
            found.append(x)

    reader.pages[index].extract_text(visitor_text=visit)
    return found[0] if found else None


def test_page_numbers_on_the_outer_edge_and_a_back_cover(herne: Files) -> None:
    reader = PdfReader(io.BytesIO(herne["herne-2023.pdf"]))
    width = float(reader.pages[0].mediabox.width)
    numbered = [(i + 1, page_number_x(reader, i)) for i in range(len(reader.pages))]
    sides = [(n % 2, x > width / 2) for n, x in numbered if x is not None]
    assert len(sides) >= 10
    assert all(odd == on_the_right for odd, on_the_right in sides)  # outer edge
    assert len(reader.pages) % 2 == 0  # the back cover is a left-hand page
    back = normalise(reader.pages[-1].extract_text())
    assert "Jobcenter Herne" in back and "Koniner Straße 4" in back and "44625 Herne" in back
