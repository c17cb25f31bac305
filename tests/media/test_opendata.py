"""Open data beside the web page: every table's and chart's CSV, the Excel variant, the data
package (validated with the frictionless library), and the links on the page."""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from pathlib import Path

import frictionless
import pytest

from aipgen.base.paths import BUILT_IN
from aipgen.build.pipeline import build_programme

from ..helpers import DATA, PROGRAMMES, edit, problems


@cache
def web_of(name: str) -> dict[str, bytes]:
    result = build_programme(DATA / name, BUILT_IN, ("web",))
    assert result.problems == []
    return result.files


def rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


@pytest.mark.parametrize("name", PROGRAMMES)
def test_the_data_package_validates_with_frictionless(name: str, tmp_path: Path) -> None:
    for rel, data in web_of(name).items():
        if rel.startswith("daten/"):
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / rel).write_bytes(data)
    report = frictionless.validate(tmp_path / "daten" / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "message"])
    package = json.loads((tmp_path / "daten" / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "dl-de-by-2.0"
    assert len(package["resources"]) >= 3


@pytest.mark.parametrize("name", PROGRAMMES)
def test_every_table_and_chart_links_its_csv_and_the_files_exist(name: str) -> None:
    files = web_of(name)
    page = files["index.html"].decode()
    figures = re.findall(r'<figure class="(?:table-figure|chart)[^"]*" id="([^"]+)"', page)
    links = re.findall(
        r'<a href="(daten/[^"]+\.csv)" type="text/csv" '
        r'aria-label="Daten als CSV zu (Tabelle|Abbildung) \d+">Daten als CSV</a>',
        page,
    )
    assert len(links) == len(figures) > 0
    for link, _ in links:
        assert link in files
        assert link.replace("daten/", "daten/excel/") in files
    package = json.loads(files["daten/datapackage.json"])
    assert {f"daten/{r['path']}" for r in package["resources"]} == {link for link, _ in links}


def test_numbers_are_machine_readable_with_german_titles_and_units() -> None:
    files = web_of("herne-2023")
    table = rows(files["daten/tabelle-eckwerte.csv"])
    assert table[0][:5] == ["Gruppe", "Zeilenart", "Merkmale", "Anteil in %", "Okt 2022"]
    assert table[0][8] == "Veränderung gegenüber – Vormonat – in %"
    assert table[1] == [
        *("Bestand an Arbeitsuchenden", "Zeile", "Insgesamt", ""),
        *("12415", "12339", "12298", "76", "0.6", "-15", "-0.1", "-1.5"),
    ]
    assert table[6][:3] == ["Bestand an Arbeitslosen", "darunter", "dar. 15 bis unter 20 Jahre"]
    assert table[2][5:7] == [".", "."]  # the statistics' signs stay, declared missing values
    schema = resource(files, "tabelle-eckwerte")["schema"]
    assert schema["fields"][3] == {
        "name": "Anteil in %",
        "title": "Anteil in %",
        "type": "number",
        "unit": "%",
    }
    assert schema["missingValues"] == ["", "-", ".", "x"]
    assert resource(files, "tabelle-eckwerte")["sources"] == [
        {"title": "Statistik der Bundesagentur für Arbeit"}
    ]


def resource(files: dict[str, bytes], name: str) -> dict[str, object]:
    package = json.loads(files["daten/datapackage.json"])
    found: dict[str, object] = next(r for r in package["resources"] if r["name"] == name)
    return found


def test_excel_gets_semicolons_decimal_commas_and_a_byte_order_mark() -> None:
    data = web_of("herne-2023")["daten/excel/tabelle-eckwerte.csv"]
    assert data.startswith("\ufeffGruppe;Zeilenart;Merkmale;".encode())
    assert rows(data, ";")[4][3:5] == ["46,8", "3228"]
    assert b"\r\n" in data


def test_a_joined_cell_is_not_counted_twice_and_its_words_repeat() -> None:
    table = rows(web_of("herne-2023")["daten/tabelle-budget.csv"])
    assert table[0] == [
        "Zeilenart",
        "Instrument",
        "Eintritte/ Plätze 2023",
        "kalkuliertes Budget 2023",
        "Erläuterungen",
        "Anmerkung",
    ]
    assert table[2][1:4] == ["Maßnahmen nach § 45 SGB III", "924", "4376911"]
    assert table[3] == [
        "Zeile",
        "Maßnahmen nach § 45 SGB III",
        "357",
        "",
        "MAG / AVGS-MAG",
        "kalkuliertes Budget 2023: gemeinsamer Wert mit der Zeile darüber",
    ]
    assert table[-1][:4] == [
        "Zeile",
        "Reisekosten nach § 59; Wegeunfähigkeitsbescheinigungen",
        "-",
        "250",
    ]


def test_a_chart_gives_its_series_with_unit() -> None:
    files = web_of("herne-2023")
    assert rows(files["daten/abbildung-svb-anforderungsniveau.csv"])[:2] == [
        ["Kategorie", "Sep 2021", "Sep 2022"],
        ["Helfer", "9432", "9429"],
    ]
    fields = resource(files, "abbildung-svb-personengruppen")["schema"]["fields"]  # type: ignore[index]
    assert fields[1]["unit"] == "%"


def test_the_licence_is_the_one_programm_yaml_names(mini: Path) -> None:
    edit(mini / "programm.yaml", "jahr:", "lizenz: cc-by-4.0\njahr:")
    files = build_programme(mini, BUILT_IN, ("web",)).files
    licence = json.loads(files["daten/datapackage.json"])["licenses"][0]
    assert licence["name"] == "CC-BY-4.0"


def test_an_unknown_licence_is_named_with_file_and_line(mini: Path) -> None:
    edit(mini / "programm.yaml", "jahr:", "lizenz: frei\njahr:")
    assert problems(mini) == [
        "mini/programm.yaml:2: Unbekannte Lizenz „frei“ "
        "(möglich sind: dl-de/by-2-0, dl-de/zero-2-0, cc-by-4.0, cc0-1.0)."
    ]


def test_a_row_in_another_unit_than_its_columns_says_so() -> None:
    table = rows(web_of("bochum-2024")["daten/tabelle-haushaltsmittel.csv"])
    assert table[0][-1] == "Anmerkung"
    assert table[1][-1] == ""  # amounts, as the columns
    assert table[2][1:] == [
        *("Veränderung zum Vorjahr", "10.6", "-6.5", "-16.6", "2.5"),
        "Einheit der Zeile: %",
    ]
