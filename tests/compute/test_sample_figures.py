"""The sample programmes print their sources' figures as stated: no figure computed in place of
a stated one, no estimate the source does not call one, no editor's working note for readers."""

from __future__ import annotations

import pytest

from aipgen.compute.document import Document

from ..helpers import DATA, document, texts

SAMPLES = ["herne-2023", "bochum-2024", "herford-2022", "duisburg-2016"]


@pytest.fixture(scope="module")
def duisburg() -> Document:
    return document(DATA / "duisburg-2016")


def row_of(doc: Document, table: str, label: str) -> list[str]:
    computed = doc.tables[table]
    return next(
        texts(computed, k)
        for k, row in enumerate(computed.rows)
        if label in (row.label, texts(computed, k)[0])
    )


def test_duisburg_kennzahlen_print_the_stated_353_and_11258(duisburg: Document) -> None:
    assert row_of(duisburg, "kennzahlen", "IV. Berufswahl & Berufsbildung")[1] == "353"
    assert row_of(duisburg, "kennzahlen", "SUMME GESAMT")[1] == "11.258"
    assert duisburg.tables["kennzahlen"].notes == [
        "Inklusive der Planung für den Komplex Flucht/Asyl lt. Anhang I."
    ]
    differences = duisburg.tables["kennzahlen"].differences
    assert [d.split(": ", 1)[1] for d in differences] == [
        "Tabelle „Fördermöglichkeiten nach Produkten 2016“, Spalte „Eintritte / Förderfälle 2016 "
        f"ca.“: angegeben {stated}, berechnet {computed}. Gedruckt wird die angegebene Zahl "
        "(bestätigt)."
        for stated, computed in [("353", "359"), ("11.258", "11.264")]
    ]


def test_duisburg_u25_prints_the_stated_sum(duisburg: Document) -> None:
    assert row_of(duisburg, "instr-u25", "Summe (ca.)")[1] == "2.100"
    assert duisburg.tables["instr-u25"].notes == []


@pytest.mark.parametrize("name", SAMPLES)
def test_no_table_carries_a_working_note_or_an_invented_estimate(name: str) -> None:
    doc = document(DATA / name)
    notes = [note for table in doc.tables.values() for note in table.notes]
    assert [n for n in notes if "ursprünglich" in n or "Fassung" in n] == []
    if name == "herne-2023":  # the source calls none of its figures an estimate
        assert [t for t, table in doc.tables.items() if table.estimated] == []


def test_herne_leaves_unstated_figures_unknown() -> None:
    doc = document(DATA / "herne-2023")
    eckwerte = doc.tables["eckwerte"]
    assert texts(eckwerte, 3)[:6] == ["Insgesamt", "", "6.893", ".", ".", "6"]
    assert texts(eckwerte, 4)[:6] == ["Männer", "53,2", "3.665", ".", ".", "1"]
    assert "Aug 2021" not in {cell.text for row in eckwerte.header for cell in row}


def test_bochum_forecasts_name_the_jobcenter_as_their_source() -> None:
    doc = document(DATA / "bochum-2024")
    assert doc.charts["branchen-ausblick"].source.startswith("Einschätzung des Jobcenters Bochum")
