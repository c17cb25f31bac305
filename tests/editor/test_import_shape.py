"""aipgen import as an editor expects it, on a BA-layout export: the title row becomes the
title (the other title rows go to the source), the "Insgesamt" row on top a checked total
over anonymised cells, the change columns formulas, the footnotes notes with their marks
kept, and next year's export into last year's columns an error naming both periods.

The export is made here in the BA's layout from the Herne figures of data/herne-2023
(svb.csv, Anforderungsniveau): five title rows, merged header cells, a row of column
numbers, "Insgesamt" on top, a row the BA anonymised, footnotes and the source below.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aipgen.base.paths import BUILT_IN
from aipgen.build.pipeline import build_programme
from aipgen.editor.baexport import StatImportError, read_export
from aipgen.editor.statimport import import_table

from ..helpers import BA, HERNE, Sheet, html, run, write_xlsx

TITLE = "Sozialversicherungspflichtig Beschäftigte am Wohnort nach Anforderungsniveau"
UNASSIGNED = "keine Zuordnung möglich 1)"
NOTE = "1) Tätigkeiten, die keinem Anforderungsniveau zugeordnet werden können."
ANONYMISED = (
    "*) Aus Datenschutzgründen und Gründen der statistischen Geheimhaltung werden Zahlenwerte "
    "von 1 oder 2 und Daten, aus denen rechnerisch auf einen solchen Zahlenwert geschlossen "
    "werden kann, anonymisiert."
)


def ba_sheet(new: str = "Sep 2022", old: str = "Sep 2021") -> Sheet:
    """Beschäftigte am Wohnort Herne nach Anforderungsniveau, September 2022: "Insgesamt" on
    top is more than the four levels because the rest is anonymised ("*")."""
    return Sheet(
        [
            "Arbeitsmarkt in Zahlen",
            "Beschäftigungsstatistik",
            TITLE,
            "Herne, Stadt",
            "Stichtag: 30. September 2022",
        ],
        [
            ["Anforderungsniveau", new, old, "Veränderung gegenüber Vorjahr", ""],
            ["", "", "", "absolut", "in %"],
        ],
        [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 0, 4)],
        [
            # the workbook holds the changes in % unrounded, shown with one decimal
            ["Insgesamt", (49718, 0), (49733, 0), (-15, 0), (-15 / 49733 * 100, 1)],
            ["Helfer", (9429, 0), (9432, 0), (-3, 0), (-3 / 9432 * 100, 1)],
            ["Fachkraft", (29309, 0), (29641, 0), (-332, 0), (-332 / 29641 * 100, 1)],
            ["Spezialist", (5104, 0), (4818, 0), (286, 0), (286 / 4818 * 100, 1)],
            ["Experte", (4885, 0), (4838, 0), (47, 0), (47 / 4838 * 100, 1)],
            [UNASSIGNED, "*", "*", "x", "x"],
        ],
        [
            f"Quelle: {BA}",
            "Datenstand: Januar 2023",
            ANONYMISED,
            NOTE,
            f"© {BA}",
            "Erstellungsdatum: 15.02.2023",
        ],
    )


@pytest.fixture
def herne(tmp_path: Path) -> Path:
    target = tmp_path / "data" / "herne-2023"
    shutil.copytree(HERNE, target)
    return target


@pytest.fixture
def imported(herne: Path, tmp_path: Path) -> Path:
    """The export imported as a new table tabellen/niveau.yaml, placed in a chapter."""
    source = write_xlsx(ba_sheet(), tmp_path / "niveau.xlsx")
    import_table(source, herne / "tabellen" / "niveau.yaml")
    chapter = herne / "kapitel" / "04-rahmenbedingungen.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\n::tabelle niveau\n", encoding="utf-8"
    )
    return herne / "tabellen" / "niveau.yaml"


def test_the_title_row_is_the_title_and_the_others_go_to_the_source(tmp_path: Path) -> None:
    export = read_export(write_xlsx(ba_sheet(), tmp_path / "niveau.xlsx"))
    assert export.title == TITLE
    assert export.full_source == f"{BA}, Beschäftigungsstatistik – Herne, Stadt"


def test_a_numbered_title_row_is_the_title(tmp_path: Path) -> None:
    sheet = ba_sheet()
    sheet.title[1] = "Tabelle 3: Beschäftigte nach Anforderungsniveau"
    export = read_export(write_xlsx(sheet, tmp_path / "niveau.xlsx"))
    assert export.title == "Beschäftigte nach Anforderungsniveau"
    assert export.about == [TITLE, "Herne, Stadt"]


def test_new_table_is_what_an_editor_would_type(imported: Path) -> None:
    text = imported.read_text(encoding="utf-8")
    assert f'titel: "{TITLE}"' in text
    assert f'quelle: "{BA}, Beschäftigungsstatistik – Herne, Stadt"' in text
    assert f'  - "{NOTE}"' in text and f'  - "{ANONYMISED}"' in text
    assert "keine Zuordnung" not in text.split("spalten:")[0]  # no note without its mark
    assert '  - {id: absolut, titel: "absolut", gruppe: ["Veränderung gegenüber Vorjahr"], ' in text
    assert 'formel: "sep_2022 - sep_2021"}' in text
    assert 'formel: "(sep_2022 - sep_2021) / sep_2021 * 100"}' in text
    rows = imported.with_suffix(".csv").read_text(encoding="utf-8").splitlines()
    assert rows[1] == "gesamt;Insgesamt;49.718;49.733;-15;-0,0"
    assert rows[-1] == f";{UNASSIGNED};*;*;x;x"  # the mark stays with its label


def test_new_table_builds_with_its_total_checked_and_its_notes(imported: Path) -> None:
    herne = imported.parent.parent
    assert build_programme(herne, BUILT_IN, check_only=True).problems == []
    page = html(herne)
    at = page.index('id="tabelle-niveau"')
    table = page[at : page.index("</figure>", at)]
    assert "Insgesamt" in table and "49.718" in table and "−0,0" in table
    assert UNASSIGNED in table and NOTE in table


def test_the_total_is_checked_at_least_over_anonymised_cells(imported: Path) -> None:
    """The stated total is more than the levels it names (the rest is anonymised): it passes
    as at least their sum; less than that is an error with file and line."""
    herne = imported.parent.parent
    data = imported.with_suffix(".csv")
    text = data.read_text(encoding="utf-8")
    smaller = "Insgesamt;48.700;49.733;-1.033;-2,1"  # its changes follow
    data.write_text(text.replace("Insgesamt;49.718;49.733;-15;-0,0", smaller), encoding="utf-8")
    found = [str(p) for p in build_programme(herne, BUILT_IN, check_only=True).problems]
    assert found == [
        "herne-2023/tabellen/niveau.csv:2: Tabelle „" + TITLE + "“, Spalte „Sep 2022“: "
        "angegeben 48.700, aber schon die Zellen ohne die anonymisierten („*“) ergeben "
        "48.727; die Summe muss mindestens 48.727 sein."
    ]


def test_a_change_that_does_not_follow_stays_a_figure(herne: Path, tmp_path: Path) -> None:
    sheet = ba_sheet()
    sheet.rows[2][3] = (-330, 0)  # Fachkraft: not 29.309 − 29.641
    source = write_xlsx(sheet, tmp_path / "niveau.xlsx")
    report = import_table(source, herne / "tabellen" / "niveau.yaml")
    text = (herne / "tabellen" / "niveau.yaml").read_text(encoding="utf-8")
    assert 'formel: "sep_2022 - sep_2021"' not in text
    assert 'formel: "(sep_2022 - sep_2021) / sep_2021 * 100"' in text
    assert any("berechnet mit formel: (sep_2022" in h for h in report.hints)


def test_a_total_that_is_no_sum_stays_an_emphasised_row(herne: Path, tmp_path: Path) -> None:
    sheet = ba_sheet()
    sheet.rows[5][1:3] = [(991, 0), (1004, 0)]  # no longer anonymised: the sum is exact
    sheet.rows[0][1:5] = [(49700, 0), (49733, 0), (-33, 0), (-33 / 49733 * 100, 1)]
    report = import_table(write_xlsx(sheet, tmp_path / "n.xlsx"), herne / "tabellen" / "n.yaml")
    rows = (herne / "tabellen" / "n.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1].startswith("hervorgehoben;Insgesamt;49.700;")
    assert any("in den Spalten „Sep 2022“ nicht die Summe" in h for h in report.hints)


def test_reimport_updates_the_figures_and_keeps_the_shape(imported: Path, tmp_path: Path) -> None:
    sheet = ba_sheet()
    sheet.rows[1][1] = (9440, 0)  # Helfer revised
    report = import_table(write_xlsx(sheet, tmp_path / "neu.xlsx"), imported)
    assert [(c.row, c.column, c.old, c.new) for c in report.changes] == [
        ("Helfer", "Sep 2022", "9.429", "9.440")
    ]
    rows = imported.with_suffix(".csv").read_text(encoding="utf-8").splitlines()
    assert rows[2] == ";Helfer;9.440;9.432;=;="  # the changes are computed again
    assert build_programme(imported.parent.parent, BUILT_IN, check_only=True).problems == []


def test_a_footnote_whose_mark_the_table_carries_becomes_a_note(
    imported: Path, tmp_path: Path
) -> None:
    text = imported.read_text(encoding="utf-8")
    imported.write_text(text.replace(f'  - "{NOTE}"\n', ""), encoding="utf-8")
    report = import_table(write_xlsx(ba_sheet(), tmp_path / "neu.xlsx"), imported)
    assert f"Anmerkung „{NOTE}“ ergänzt (Fußnote zu „1)“)" in report.meta
    assert NOTE not in report.footnotes and f"© {BA}" in report.footnotes  # not taken over
    assert f'  - "{NOTE}"' in imported.read_text(encoding="utf-8")


def test_next_years_export_into_last_years_columns(imported: Path, tmp_path: Path) -> None:
    source = write_xlsx(ba_sheet("Sep 2023", "Sep 2022"), tmp_path / "niveau-2023.xlsx")
    before = imported.read_bytes(), imported.with_suffix(".csv").read_bytes()
    code, out, err = run("import", str(source), "--tabelle", str(imported))
    assert (code, out) == (1, "")
    assert err == (
        "Fehler: Die Spaltentitel von „niveau-2023.xlsx“, Blatt „Tabelle 1“ nennen einen "
        "anderen Zeitraum als die Tabelle „" + TITLE + "“: in der Datei „Sep 2023“ "
        "(Spalte B), „Sep 2022“ (Spalte C); in der Tabelle „Sep 2022“ "
        "(herne-2023/tabellen/niveau.yaml, Zeile 13), „Sep 2021“ "
        "(herne-2023/tabellen/niveau.yaml, Zeile 14). Gehören die Zahlen trotzdem in diese "
        'Spalten, benennt --zeitraum "Sep 2022=Sep 2023" --zeitraum "Sep 2021=Sep 2022" die '
        "Zeiträume in den Spaltentiteln der Tabelle um (ALT=NEU); sonst den Export des "
        "Zeitraums der Tabelle wählen. Nichts wurde geändert.\n"
    )
    assert (imported.read_bytes(), imported.with_suffix(".csv").read_bytes()) == before


def test_the_option_maps_the_periods(imported: Path, tmp_path: Path) -> None:
    sheet = ba_sheet("Sep 2023", "Sep 2022")
    sheet.rows[1][1:3] = [(9500, 0), (9429, 0)]
    source = write_xlsx(sheet, tmp_path / "niveau-2023.xlsx")
    mapping = ["--zeitraum", "Sep 2022=September 2023", "--zeitraum", "Sep 2021=09/2022"]
    code, out, err = run("import", str(source), "--tabelle", str(imported), *mapping)
    assert (code, err) == (0, "")
    assert "Spaltentitel „Sep 2022“ → „Sep 2023“ (Spalte „sep_2022“)" in out
    assert "Zeile „Helfer“, Spalte „Sep 2023“: 9.429 → 9.500" in out
    text = imported.read_text(encoding="utf-8")
    assert '{id: sep_2022, titel: "Sep 2023"}' in text
    assert '{id: sep_2021, titel: "Sep 2022"}' in text
    assert build_programme(imported.parent.parent, BUILT_IN, check_only=True).problems == []


def test_a_mapping_that_names_no_period_of_the_table(imported: Path, tmp_path: Path) -> None:
    source = write_xlsx(ba_sheet("Sep 2023", "Sep 2022"), tmp_path / "niveau-2023.xlsx")
    code, _, err = run(
        "import", str(source), "--tabelle", str(imported), "--zeitraum", "Okt 2022=Sep 2023"
    )
    assert code == 1
    assert "--zeitraum: „Okt 2022“ steht in keinem Spaltentitel der Tabelle" in err
    code, _, err = run("import", str(source), "--tabelle", str(imported), "--zeitraum", "Sep")
    assert code == 2 and "ALT=NEU erwartet" in err


def test_a_new_table_takes_the_exports_periods(herne: Path, tmp_path: Path) -> None:
    """A new table takes the export's periods as they are."""
    source = write_xlsx(ba_sheet("Sep 2023", "Sep 2022"), tmp_path / "niveau-2023.xlsx")
    report = import_table(source, herne / "tabellen" / "niveau.yaml")
    assert report.created


def test_an_export_of_the_same_period_is_no_mismatch(imported: Path, tmp_path: Path) -> None:
    with pytest.raises(StatImportError, match="anderen Zeitraum"):
        import_table(write_xlsx(ba_sheet("Sep 2024", "Sep 2023"), tmp_path / "x.xlsx"), imported)
    report = import_table(write_xlsx(ba_sheet(), tmp_path / "same.xlsx"), imported)
    assert report.changes == []


def test_a_change_column_without_figures_gets_no_formula(herne: Path, tmp_path: Path) -> None:
    """Nothing to check a formula against (only signs): the column stays as the export has it."""
    source = tmp_path / "kurz.csv"
    source.write_text(
        "Merkmale;Sep 2022;Sep 2021;Veränderung\nA;10;8;x\nB;5;4;x\n", encoding="utf-8"
    )
    import_table(source, herne / "tabellen" / "kurz.yaml")
    assert "formel" not in (herne / "tabellen" / "kurz.yaml").read_text(encoding="utf-8")
