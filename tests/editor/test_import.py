"""aipgen import: BA exports (xlsx, csv) into a programme's tables.

The exports are made here in the BA's layout (title rows, merged header cells over
"absolut" | "in %", a row of column numbers, footnotes, the signs *, -, x, .) from the Herne
figures of data/herne-2023, with a few figures changed as in a revised export. Every test works
on a copy of data/herne-2023 in tmp_path.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest

from aipgen.base.errors import Collector
from aipgen.base.numbers import MINUS, format_number
from aipgen.base.paths import BUILT_IN
from aipgen.build.pipeline import build_programme
from aipgen.compute.tables import compute_table
from aipgen.content.load import parse_yaml
from aipgen.content.model import TableFile
from aipgen.editor import statimport
from aipgen.editor.baexport import StatImportCallError, StatImportError, read_export
from aipgen.editor.statimport import CellChange, import_table

from ..helpers import (
    BA,
    FOOTER,
    HERNE,
    Sheet,
    cell_number,
    figures,
    next_year_sheet,
    svb_sheet,
    write_xlsx,
)


@pytest.fixture
def herne(tmp_path: Path) -> Path:
    """A copy of data/herne-2023 to import into."""
    target = tmp_path / "data" / "herne-2023"
    shutil.copytree(HERNE, target)
    return target


# --- BA exports made from the Herne tables -------------------------------------------------


ECKWERTE_IDS = ["anteil", "okt22", "sep22", "aug22", "vm_abs", "vm_pct"]
ECKWERTE_IDS += ["vj_abs", "vj_pct", "vj_sep"]


def eckwerte_sheet() -> Sheet:
    """Eckwerte des Arbeitsmarktes, Oktober 2022, revised: a few figures, a "*", a row the
    table does not have, a table row missing."""
    rows = figures("eckwerte", ECKWERTE_IDS)
    sheet = Sheet(
        [
            "Arbeitsmarkt in Zahlen",
            "Eckwerte des Arbeitsmarktes im Rechtskreis SGB II – Jobcenter Herne",
            "Berichtsmonat: Oktober 2022",
        ],
        [
            ["Merkmale", "Anteil in %", "Okt 2022", "Sep 2022", "Aug 2022"]
            + ["Veränderung gegenüber"]
            + [""] * 4,
            [""] * 5 + ["Vormonat", "", "Vorjahresmonat", "", ""],
            [""] * 5 + ["absolut", "in %", "Okt 2021", "", "Sep 2021"],
            [""] * 7 + ["absolut", "in %", "in %"],
        ],
        [(0, c, 3, c) for c in range(5)]
        + [(0, 5, 0, 9), (1, 5, 1, 6), (1, 7, 1, 9), (2, 5, 3, 5), (2, 6, 3, 6), (2, 7, 2, 8)],
        rows,
        name="Eckwerte",
    )
    sheet.row("Insgesamt", "Bestand an Arbeitslosen")[4] = (6901, 0)  # was "."
    sheet.row("Männer", "Bestand an Arbeitslosen")[3] = (3670, 0)
    sheet.row("Männer", "Bestand an Arbeitslosen")[5:7] = [(-5, 0), (-0.2, 1)]
    sheet.row("dar. 15 bis unter 20 Jahre")[9] = "*"
    sheet.row("Schwerbehinderte Menschen")[9] = (-4.8, 1)
    rows[:] = [r for r in rows if r[0] != "Unterbeschäftigung (ohne Kurzarbeit)"]
    at = next(k for k, r in enumerate(rows) if r[0] == "Ausländer") + 1
    rows.insert(at, ["dar. Personen im Kontext von Fluchtmigration", None, 812] + ["."] * 7)
    return sheet


def csv_text(value: Any) -> str:
    number = cell_number(value)
    if number is not None:
        return format_number(*number).replace(MINUS, "-")
    return "" if value is None else str(value)


def write_csv(sheet: Sheet, path: Path, encoding: str = "cp1252") -> Path:
    """The same export as the BA's CSV: semicolons, German numbers, Windows-1252, CRLF."""
    pad = [""] * (sheet.width - 1)
    lines = [";".join([text, *pad]) for text in sheet.title] + [";" * (sheet.width - 1)]
    lines += [";".join(row) for row in sheet.header]
    lines += [";".join(csv_text(v) for v in row) for row in sheet.rows]
    lines += [";".join([text, *pad]) for text in sheet.footer]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


# --- the sign "*" ------------------------------------------------------------------------


def test_anonymised_cell_is_shown_and_counts_in_no_sum() -> None:
    text = """
titel: Test
spalten:
  - {id: merkmal, titel: Merkmal, typ: text}
  - {id: a, titel: "2022"}
zeilen:
  - werte: [Männer, 10]
  - werte: [divers, "*"]
  - gesamt: Insgesamt
    werte: [null, 10]
"""
    errors = Collector()
    doc = parse_yaml(text, "t.yaml", errors)
    assert doc is not None
    table = compute_table("t", TableFile.model_validate(doc.data), doc, errors)
    assert errors.problems == []
    assert [c.text for c in table.rows[1].cells] == ["divers", "*"]
    assert table.rows[1].cells[1].value is None
    assert table.rows[2].cells[1].text == "10"


def test_anonymised_cell_in_a_csv_table(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "tabellen").mkdir(parents=True)
    (root / "tabellen" / "t.yaml").write_text(
        "titel: Test\ndaten: t.csv\nspalten:\n  - {id: merkmal, typ: text}\n  - {id: a}\n",
        encoding="utf-8",
    )
    csv = root / "tabellen" / "t.csv"
    csv.write_text("art;merkmal;a\n;Männer;10\n;divers;*\ngesamt;Insgesamt;12\n", encoding="utf-8")
    _, _, table = statimport.load_checked(root, "tabellen/t.yaml", "kaputt")
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Männer", "10"],
        ["divers", "*"],
        ["Insgesamt", "12"],  # at least 10: the stated total over the anonymised cell
    ]
    csv.write_text("art;merkmal;a\n;Männer;10\n;divers;*\ngesamt;Insgesamt;=\n", encoding="utf-8")
    with pytest.raises(StatImportError, match="Die Summe lässt sich nicht berechnen"):
        statimport.load_checked(root, "tabellen/t.yaml", "kaputt")  # 10 would be invented


# --- into an existing CSV table (svb) ------------------------------------------------------

SVB_CHANGES = [
    CellChange("Männer", "Sep 2022", "25.693", "25.801"),
    CellChange("Helfer", "Sep 2021", "9.432", "9.440"),
]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_updates_the_tables_csv(herne: Path, tmp_path: Path, kind: str) -> None:
    writer = write_xlsx if kind == "xlsx" else write_csv
    source = writer(svb_sheet(), tmp_path / f"svb.{kind}")
    table = herne / "tabellen" / "svb.yaml"
    before = (herne / "tabellen" / "svb.csv").read_text(encoding="utf-8").splitlines()
    report = import_table(source, table)
    assert report.written and report.data_file == herne / "tabellen" / "svb.csv"
    assert report.changes == SVB_CHANGES
    after = (herne / "tabellen" / "svb.csv").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        (";maenner;Männer;51,7;25.693;25.994;-301;-1,2;=", ";maenner;Männer;=;25.801;25.994;=;=;="),
        (";helfer;Helfer;19,0;9.429;9.432;-3;-0,0;=", ";helfer;Helfer;19,0;9.429;9.440;=;=;="),
    ]
    lines = report.lines()
    assert "Zeile „Männer“, Spalte „Sep 2022“: 25.693 → 25.801" in lines
    assert "Zeile „Männer“, Spalte „absolut“ (berechnet): −301 → −193" in lines
    assert any(
        "„Nationalität / ohne Angabe“" in line and "nicht übernommen" in line for line in lines
    )
    assert [u.label for u in report.unmatched_rows] == ["Nationalität / ohne Angabe"]
    assert report.missing_rows == [] and report.unmatched_columns == []
    assert report.computed_columns == ["absolut", "in %"]


def test_updated_csv_table_builds_with_the_new_figure(herne: Path, tmp_path: Path) -> None:
    source = write_xlsx(svb_sheet(), tmp_path / "svb.xlsx")
    import_table(source, herne / "tabellen" / "svb.yaml")
    result = build_programme(herne, BUILT_IN, only=("web",))
    assert result.problems == []
    html = "".join(v.decode() for k, v in result.files.items() if k.endswith(".html"))
    assert "25.801" in html and "25.693" not in html


def test_source_and_stand_are_carried(herne: Path, tmp_path: Path) -> None:
    source = write_xlsx(svb_sheet(), tmp_path / "svb.xlsx")
    table = herne / "tabellen" / "svb.yaml"
    report = import_table(source, table)
    assert report.source_text == BA
    assert report.stand == "Datenstand: Januar 2023"  # before the title's Stichtag
    text = table.read_text(encoding="utf-8")
    assert 'anmerkungen:\n  - "Datenstand: Januar 2023"\ndaten: svb.csv' in text
    assert text.startswith("# Sozialversicherungspflichtige Beschäftigung am Wohnort Herne")
    assert "Anmerkung „Datenstand: Januar 2023“ ergänzt" in report.lines()
    again = import_table(source, table)  # nothing new the second time
    assert not again.changed and not again.written
    assert again.lines()[-1].startswith("Keine Zahl hat sich geändert")


# --- into inline YAML rows (eckwerte) ------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_updates_yaml_rows_and_keeps_comments(
    herne: Path, tmp_path: Path, kind: str
) -> None:
    writer = write_xlsx if kind == "xlsx" else write_csv
    source = writer(eckwerte_sheet(), tmp_path / f"eckwerte.{kind}")
    table = herne / "tabellen" / "eckwerte.yaml"
    before = table.read_text(encoding="utf-8")
    report = import_table(source, table)
    after = table.read_text(encoding="utf-8")
    comments = [line for line in before.splitlines() if line.startswith("#")]
    assert comments and all(line in after.splitlines() for line in comments)
    assert '  - werte: [Männer, 53.2, 3665, 3670, ".", null, null, -87, -2.3, -1.7]' in after
    assert (
        '  - werte: [dar. 15 bis unter 20 Jahre, 2.6, 179, 165, 166, 14, 8.5, 8, 4.7, "*"]' in after
    )
    assert [(c.row, c.column, c.old, c.new) for c in report.changes] == [
        ("Bestand an Arbeitslosen / Insgesamt", "Aug 2022", ".", "6.901"),
        ("Männer", "Sep 2022", ".", "3.670"),
        ("dar. 15 bis unter 20 Jahre", "Veränderung gegenüber / Vorjahresmonat / Sep 2021 / in %",
         "10,7", "*"),
        ("Schwerbehinderte Menschen", "Veränderung gegenüber / Vorjahresmonat / Sep 2021 / in %",
         "−4,6", "−4,8"),
    ]  # fmt: skip
    assert [u.label for u in report.missing_rows] == [
        "Unterbeschäftigung / Unterbeschäftigung (ohne Kurzarbeit)"
    ]
    assert report.unmatched_rows[0].label.endswith("dar. Personen im Kontext von Fluchtmigration")
    assert any("„*“ (anonymisiert)" in hint for hint in report.hints)
    assert build_programme(herne, BUILT_IN, check_only=True).problems == []


def test_signs_are_mapped_and_shown(herne: Path, tmp_path: Path) -> None:
    source = write_xlsx(eckwerte_sheet(), tmp_path / "eckwerte.xlsx")
    import_table(source, herne / "tabellen" / "eckwerte.yaml")
    _, _, table = statimport.load_checked(herne, "tabellen/eckwerte.yaml", "kaputt")
    shown = {row.label or row.cells[0].text: [c.text for c in row.cells] for row in table.rows}
    assert shown["dar. 15 bis unter 20 Jahre"][9] == "*"
    assert shown["seit Jahresbeginn"][5] == "x"


# --- a new table ---------------------------------------------------------------------------


def test_new_table_from_an_export_builds(herne: Path, tmp_path: Path) -> None:
    source = write_csv(svb_sheet(), tmp_path / "svb.csv")
    table = herne / "tabellen" / "beschaeftigte.yaml"
    report = import_table(source, table)
    assert report.created and report.data_file == herne / "tabellen" / "beschaeftigte.csv"
    text = table.read_text(encoding="utf-8")
    # the title row is the table's title, the other title row goes to the source
    assert 'titel: "Sozialversicherungspflichtig Beschäftigte am Wohnort Herne"' in text
    assert f'quelle: "{BA}, Beschäftigungsstatistik"' in text
    assert '  - {id: absolut, titel: "absolut", gruppe: ["Veränderung"]}' in text
    assert (
        '  - {id: in_prozent, titel: "in %", gruppe: ["Veränderung"], nachkommastellen: 1}' in text
    )
    assert "daten: beschaeftigte.csv" in text
    rows = (herne / "tabellen" / "beschaeftigte.csv").read_text(encoding="utf-8").splitlines()
    assert rows[:3] == [
        "art;merkmal;sep_2022;sep_2021;absolut;in_prozent",
        # the export's sign kept; several breakdowns under it: no sum, but emphasised
        "hervorgehoben;Insgesamt;49.718;49.733;-15;-0,0",
        "gruppe;Geschlecht;;;;",
    ]
    assert ";ohne Angabe;*;*;x;x" in rows
    assert report.new_rows[:2] == ["Insgesamt", "Männer"]
    assert build_programme(herne, BUILT_IN, check_only=True).problems == []


def test_new_table_with_mixed_decimals_keeps_its_rows_in_yaml(herne: Path, tmp_path: Path) -> None:
    source = write_xlsx(eckwerte_sheet(), tmp_path / "eckwerte.xlsx")
    table = herne / "tabellen" / "eckwerte-neu.yaml"
    report = import_table(source, table)
    assert report.created and report.data_file is None
    assert not (herne / "tabellen" / "eckwerte-neu.csv").exists()
    text = table.read_text(encoding="utf-8")
    assert '  - werte: ["alle zivilen Erwerbspersonen", "", 8.6, 8.6, 8.7, "x", "x", "x",' in text
    assert "    nachkommastellen: 1" in text
    # the export's own note explains "*"; the legend the other signs
    assert '  - "*) Aus Datenschutzgründen und Gründen der statistischen Geheimhaltung ' in text
    assert '  - "–: nichts vorhanden; x: Aussage nicht sinnvoll; .: ' in text
    assert '  - "Datenstand: Januar 2023"' in text
    assert build_programme(herne, BUILT_IN, check_only=True).problems == []


def test_an_export_with_no_column_of_the_table(herne: Path, tmp_path: Path) -> None:
    source = write_xlsx(next_year_sheet("Bestand", "Vorjahr"), tmp_path / "svb-2024.xlsx")
    before = unchanged(herne / "tabellen")
    expected = "Keine Spalte aus „svb-2024.xlsx“, Blatt „Tabelle 1“ passt zur Tabelle .*"
    expected += "„Bestand“, „Vorjahr“.*„Okt 2022“ → „Okt 2023“"
    with pytest.raises(StatImportError, match=expected):
        import_table(source, herne / "tabellen" / "svb.yaml")
    assert unchanged(herne / "tabellen") == before


def test_next_period_after_renaming_the_column_titles(herne: Path, tmp_path: Path) -> None:
    """Columns match by title: Sep 2022 of next year's export is the table's Sep 2022; once
    the titles name the new months, every figure moves on."""
    source = write_xlsx(next_year_sheet("Sep 2023", "Sep 2022"), tmp_path / "svb-2023.xlsx")
    table = herne / "tabellen" / "svb.yaml"
    with pytest.raises(StatImportError, match="einen anderen Zeitraum"):
        import_table(source, table, dry_run=True)
    text = table.read_text(encoding="utf-8").replace("titel: Sep 2022}", "titel: Sep 2023}")
    table.write_text(text.replace("titel: Sep 2021}", "titel: Sep 2022}"), encoding="utf-8")
    report = import_table(source, table)
    assert CellChange("Insgesamt", "Sep 2023", "49.718", "49.818") in report.changes
    assert CellChange("Insgesamt", "Sep 2022", "49.733", "49.718") in report.changes
    assert report.complete is False and [u.label for u in report.missing_columns] == []
    assert build_programme(herne, BUILT_IN, check_only=True).problems == []


# --- what is not imported ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "cp1252", "utf-8-sig", "utf-8", "utf-16"])
def test_title_rows_and_footnotes_are_not_rows(tmp_path: Path, kind: str) -> None:
    sheet = eckwerte_sheet()
    if kind == "xlsx":
        source = write_xlsx(sheet, tmp_path / "eckwerte.xlsx")
    else:
        source = write_csv(sheet, tmp_path / "eckwerte.csv", kind)
    export = read_export(source)
    labels = [row.label for row in export.rows]
    assert labels[:2] == ["Bestand an Arbeitsuchenden", "Insgesamt"]
    assert labels[-1] == "Bedarfsgemeinschaften"
    assert export.title == "Eckwerte des Arbeitsmarktes im Rechtskreis SGB II – Jobcenter Herne"
    assert export.label_title == "Merkmale"
    assert export.source == BA
    assert export.stand == "Datenstand: Januar 2023"
    assert [c.shown for c in export.columns][4:7] == [
        "Veränderung gegenüber / Vormonat / absolut",
        "Veränderung gegenüber / Vormonat / in %",
        "Veränderung gegenüber / Vorjahresmonat / Okt 2021 / absolut",
    ]
    assert export.footnotes == FOOTER[2:]  # the source and the date are carried, not these


def test_a_footnote_between_the_rows_is_no_group(tmp_path: Path) -> None:
    source = tmp_path / "svb.csv"
    source.write_text(
        "Merkmale;Sep 2022\nGeschlecht;\nMänner;25.801\n1) ohne divers;\nFrauen;24.025\n",
        encoding="utf-8",
    )
    export = read_export(source)
    assert [(r.group, r.label) for r in export.rows if not r.heading] == [
        ("Geschlecht", "Männer"),
        ("Geschlecht", "Frauen"),
    ]
    assert export.footnotes == ["1) ohne divers"]


def test_rows_match_by_label_when_the_export_has_no_groups(herne: Path, tmp_path: Path) -> None:
    source = tmp_path / "svb.csv"
    source.write_text("Merkmale;Sep 2022\nMänner;25.801\nFrauen;24.025\n", encoding="utf-8")
    report = import_table(source, herne / "tabellen" / "svb.yaml", dry_run=True)
    assert report.changes == [SVB_CHANGES[0]]
    assert len(report.missing_rows) == 23 and report.unmatched_rows == []


# --- broken files and failures -------------------------------------------------------------


def unchanged(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_file_that_is_no_xlsx(herne: Path, tmp_path: Path) -> None:
    before = unchanged(herne / "tabellen")
    source = tmp_path / "eckwerte.xlsx"
    source.write_text("Merkmale;Okt 2022\nInsgesamt;12415\n", encoding="utf-8")
    with pytest.raises(StatImportError, match="„eckwerte.xlsx“ ist keine lesbare Excel-Datei"):
        import_table(source, herne / "tabellen" / "eckwerte.yaml")
    assert unchanged(herne / "tabellen") == before


def test_an_empty_sheet(herne: Path, tmp_path: Path) -> None:
    source = tmp_path / "leer.xlsx"
    openpyxl.Workbook().save(source)
    with pytest.raises(StatImportError, match="„leer.xlsx“ ist leer"):
        import_table(source, herne / "tabellen" / "svb.yaml")


def test_no_header(herne: Path, tmp_path: Path) -> None:
    source = tmp_path / "zahlen.csv"
    source.write_text("Insgesamt;49.718;49.733\nMänner;25.801;25.994\n", encoding="utf-8")
    with pytest.raises(StatImportError, match="„zahlen.csv“, Zeile 1: Keine Kopfzeile gefunden"):
        import_table(source, herne / "tabellen" / "svb.yaml")


def test_text_in_a_number_cell_names_file_row_and_column(herne: Path, tmp_path: Path) -> None:
    sheet = svb_sheet()
    sheet.row("Frauen")[1] = "k.A."
    source = write_csv(sheet, tmp_path / "svb.csv")
    before = unchanged(herne / "tabellen")
    with pytest.raises(StatImportError) as caught:
        import_table(source, herne / "tabellen" / "svb.yaml")
    assert "„svb.csv“, Zeile 11, Spalte „Sep 2022“: „k.A.“ ist weder eine Zahl" in str(caught.value)
    assert unchanged(herne / "tabellen") == before


def test_a_label_twice_names_both_rows(herne: Path, tmp_path: Path) -> None:
    sheet = svb_sheet()
    at = sheet.rows.index(sheet.row("Frauen"))
    sheet.rows.insert(at + 1, list(sheet.row("Männer")))
    source = write_csv(sheet, tmp_path / "svb.csv")
    with pytest.raises(StatImportError, match="Die Zeile „Geschlecht / Männer“ steht zweimal: "
                       "Zeile 10 in „svb.csv“ und Zeile 12 in „svb.csv“"):  # fmt: skip
        import_table(source, herne / "tabellen" / "svb.yaml")


def test_a_label_twice_in_the_table_names_both_rows(herne: Path, tmp_path: Path) -> None:
    data = herne / "tabellen" / "svb.csv"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace(";frauen;Frauen;", ";;Männer;"), encoding="utf-8")
    source = write_csv(svb_sheet(), tmp_path / "svb.csv")
    expected = "Die Zeile „Geschlecht / Männer“ steht zweimal: Zeile 4 in "
    expected += "„herne-2023/tabellen/svb.csv“ und Zeile 5 in „herne-2023/tabellen/svb.csv“"
    with pytest.raises(StatImportError, match=expected):
        import_table(source, herne / "tabellen" / "svb.yaml")


def test_a_table_with_errors_is_not_touched(herne: Path, tmp_path: Path) -> None:
    table = herne / "tabellen" / "svb.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace("titel: Sep 2022", "titl: x"))
    before = unchanged(herne / "tabellen")
    source = write_csv(svb_sheet(), tmp_path / "svb.csv")
    with pytest.raises(
        StatImportError,
        match="(?s)hat Fehler; bitte erst beheben .*:10: Unbekannter Schlüssel „titl“",
    ):
        import_table(source, table)
    assert unchanged(herne / "tabellen") == before


def test_a_continued_cell_stays_empty(herne: Path, tmp_path: Path) -> None:
    """A cell that continues the one above (zeilen_verbinden) keeps no figure of its own."""
    table = herne / "tabellen" / "budget2.yaml"
    table.write_text(
        "titel: Budget\n"
        "spalten:\n"
        "  - {id: instrument, titel: Instrument, typ: text}\n"
        "  - {id: budget, titel: Budget}\n"
        "  - {id: plaetze, titel: Plätze}\n"
        "zeilen:\n"
        "  - werte: [MAT, 924, 10]\n"
        '  - werte: [MAG, "", 12]\n'
        "    zeilen_verbinden: [budget]\n",
        encoding="utf-8",
    )
    source = tmp_path / "budget.csv"
    source.write_text("Instrument;Budget;Plätze\nMAT;930;11\nMAG;930;12\n", encoding="utf-8")
    report = import_table(source, table)
    assert [(c.row, c.column, c.new) for c in report.changes] == [
        ("MAT", "Budget", "930"),
        ("MAT", "Plätze", "11"),
    ]
    assert '  - werte: [MAG, "", 12]' in table.read_text(encoding="utf-8")


def test_rows_computed_from_rows_are_recomputed(herne: Path, tmp_path: Path) -> None:
    """A row with formel is not imported; its stated figures over changed cells go (computed),
    the first column of vorspalte() keeps its unchecked figure."""
    table = herne / "tabellen" / "egt.yaml"
    table.write_text(
        "titel: EGT\n"
        "spalten:\n"
        "  - {id: merkmal, titel: Merkmal, typ: text}\n"
        '  - {id: j2021, titel: "2021"}\n'
        '  - {id: j2022, titel: "2022"}\n'
        '  - {id: j2023, titel: "2023"}\n'
        "zeilen:\n"
        "  - werte: [Eingliederungstitel, 1000, 1100, 1210]\n"
        "    id: egt\n"
        "  - werte: [Veränderung zum Vorjahr, 5, 10, 10]  # 5: from the year before\n"
        "    formel: (egt - vorspalte(egt)) / vorspalte(egt) * 100\n",
        encoding="utf-8",
    )
    source = tmp_path / "egt.csv"
    source.write_text(
        "Merkmal;2021;2022;2023\nEingliederungstitel;1.050;1.200;1.210\n"
        "Veränderung zum Vorjahr;7;20;1\n",
        encoding="utf-8",
    )
    report = import_table(source, table)
    assert [(c.row, c.column, c.new) for c in report.changes] == [
        ("Eingliederungstitel", "2021", "1.050"),
        ("Eingliederungstitel", "2022", "1.200"),
    ]
    assert any(
        "Veränderung zum Vorjahr“: wird aus anderen Zeilen berechnet" in h for h in report.hints
    )
    text = table.read_text(encoding="utf-8")
    assert "  - werte: [Veränderung zum Vorjahr, 5, null, null] # 5: from the year before" in text
    assert build_programme(herne, BUILT_IN, check_only=True).problems == []


def test_a_result_that_does_not_compute_changes_nothing(herne: Path, tmp_path: Path) -> None:
    """A stated total the new figures no longer add up to: reported, nothing written."""
    table = herne / "tabellen" / "summe.yaml"
    table.write_text(
        "titel: Summe\n"
        "spalten:\n"
        "  - {id: merkmal, titel: Merkmale, typ: text}\n"
        '  - {id: okt22, titel: "Okt 2022"}\n'
        "zeilen:\n"
        "  - werte: [Männer, 3665]\n"
        "  - werte: [Frauen, 3228]\n"
        "  - gesamt: Insgesamt\n"
        "    werte: [Insgesamt, 6893]\n",
        encoding="utf-8",
    )
    source = tmp_path / "summe.csv"
    source.write_text("Merkmale;Okt 2022\nMänner;3.670\nFrauen;3.228\nInsgesamt;6.893\n")
    before = unchanged(herne / "tabellen")
    with pytest.raises(StatImportError) as caught:
        import_table(source, table)
    message = str(caught.value)
    assert message.startswith("Mit den Zahlen aus der Datei ließe sich die Tabelle nicht bauen")
    assert (
        "herne-2023/tabellen/summe.yaml:9: Tabelle „Summe“, Spalte „Okt 2022“: angegeben "
        in message
    )
    assert unchanged(herne / "tabellen") == before


def test_a_failed_write_restores_the_first_file(
    herne: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_xlsx(svb_sheet(), tmp_path / "svb.xlsx")
    before = unchanged(herne / "tabellen")
    real = statimport.write_file

    def failing(path: Path, data: bytes) -> None:
        if path.suffix == ".yaml" and data != before.get(path.name):
            raise OSError(28, "Kein Platz", str(path))
        real(path, data)

    monkeypatch.setattr(statimport, "write_file", failing)
    with pytest.raises(StatImportError, match="svb.yaml“ lässt sich nicht schreiben"):
        import_table(source, herne / "tabellen" / "svb.yaml")
    assert unchanged(herne / "tabellen") == before


def test_dry_run_writes_nothing(herne: Path, tmp_path: Path) -> None:
    source = write_xlsx(svb_sheet(), tmp_path / "svb.xlsx")
    before = unchanged(herne / "tabellen")
    report = import_table(source, herne / "tabellen" / "svb.yaml", dry_run=True)
    assert report.changes == SVB_CHANGES and not report.written
    assert unchanged(herne / "tabellen") == before


def test_bad_calls(herne: Path, tmp_path: Path) -> None:
    with pytest.raises(StatImportCallError, match="gibt es nicht"):
        import_table(tmp_path / "fehlt.xlsx", herne / "tabellen" / "svb.yaml")
    old = tmp_path / "alt.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(StatImportCallError, match="alten Excel-Format"):
        import_table(old, herne / "tabellen" / "svb.yaml")
    source = write_csv(svb_sheet(), tmp_path / "svb.csv")
    with pytest.raises(StatImportCallError, match="im Ordner „tabellen“"):
        import_table(source, herne / "svb.yaml")
