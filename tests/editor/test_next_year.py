"""The editor's year: next year's programme from this year's (`aipgen neu --von`), the figures
not yet updated (`check`), and a draft for approval with its change report (`build --entwurf`).
"""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pypdf
import pytest

from aipgen.base.numbers import format_date
from aipgen.base.paths import BUILT_IN
from aipgen.build.pipeline import build_programme
from aipgen.editor.newprogramme import NewProgrammeError, YearShift, advance, copy_programme

from ..helpers import DATA, aipgen, edit, html, next_year_sheet, said, write_xlsx

# Herne 2023's first data row of its Eckwerte table, and a new October figure consistent with it
ECKWERTE_ROW = 'werte: [Insgesamt, "", 12415, 12339, 12298, 76, 0.6,'
UPDATED_ROW = 'werte: [Insgesamt, "", 12500, 12339, 12298, 161, 1.3,'


@pytest.fixture
def years(tmp_path: Path) -> Path:
    """A data folder with Herne 2023 and Herne 2024 made from it by `aipgen neu --von`."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "herne-2023", data / "herne-2023")
    made = aipgen(tmp_path, "neu", "herne-2024", "--von", "herne-2023")
    assert made.returncode == 0, made.stderr
    assert "aipgen check herne-2024" in made.stdout
    return data


def test_the_copy_is_a_year_further_and_keeps_everything_else(years: Path) -> None:
    before, after = years / "herne-2023", years / "herne-2024"
    text = (after / "programm.yaml").read_text(encoding="utf-8")
    assert "jahr: 2024\n" in text and "titel: Arbeitsmarkt- und Integrationsprogramm 2024\n" in text
    assert "\nstand: 2023-12-15\nvorjahr: herne-2023\n" in text  # next to the date it follows
    assert "(output/index.html)\nvergleich:\n" in text  # a comment stays above its key
    assert "barrierefreiheit:\n  kontakt:\n" in text  # the statement keeps no date of its own
    old = (before / "programm.yaml").read_text(encoding="utf-8")
    changed = {"jahr: 2023", "titel: Arbeitsmarkt- und Integrationsprogramm 2023"}
    changed |= {"stand: 2022-12-15"}
    kept = [line for line in old.splitlines() if line.strip() not in changed]
    assert all(line in text.splitlines() for line in kept)  # comments, quoting, indentation
    assert "## Zielsystem 2024" in (after / "kapitel/03-ziele.md").read_text(encoding="utf-8")
    for table in (before / "tabellen").iterdir():  # every figure kept as it was
        assert (after / "tabellen" / table.name).read_bytes() == table.read_bytes()
    for chart in (before / "diagramme").iterdir():
        assert (after / "diagramme" / chart.name).read_bytes() == chart.read_bytes()
    prose = (after / "kapitel/06-egt.md").read_text(encoding="utf-8")
    assert "JC Herne 2023" in prose  # the year in running text is the editor's to change


def test_check_lists_each_figure_still_as_last_year_until_changed_or_confirmed(
    years: Path,
) -> None:
    programme = years / "herne-2024"
    first = build_programme(programme, BUILT_IN, check_only=True)
    assert not first.problems
    stale = [w for w in said(first.warnings) if "noch nicht aktualisiert" in w]
    eckwerte = [w for w in stale if w.startswith("herne-2024/tabellen/eckwerte.yaml:")]
    rows = (programme / "tabellen/eckwerte.yaml").read_text(encoding="utf-8").count("- werte:")
    assert len(eckwerte) == rows == 35  # every data row of the Eckwerte table
    row = next(w for w in eckwerte if "Zeile „Langzeitarbeitslose“" in w)
    assert row.startswith("herne-2024/tabellen/eckwerte.yaml:")
    assert "Okt 2022 3.188" in row and "„eckwerte/lza“" in row
    assert any(w.startswith("herne-2024/tabellen/svb.csv:") for w in stale)  # CSV rows too

    edit(programme / "tabellen/eckwerte.yaml", ECKWERTE_ROW, UPDATED_ROW)
    edit(programme / "programm.yaml", "vorjahr: herne-2023\n", VORJAHR_CONFIRMED)
    second = build_programme(programme, BUILT_IN, check_only=True)
    assert not second.problems
    again = [w for w in said(second.warnings) if "noch nicht aktualisiert" in w]
    assert not any("Zeile „Langzeitarbeitslose“" in w for w in again)  # confirmed row
    assert not any("/tabellen/budget.yaml" in w for w in again)  # confirmed table
    first_row = [w for w in again if "Bestand an Arbeitsuchenden › Insgesamt" in w]
    assert first_row and "Okt 2022" not in first_row[0]  # the changed figure left the list
    assert "Sep 2022 12.339" in first_row[0]  # the other figures of that row stay listed
    assert len(again) < len(stale)


LZA_ROW = "werte: [Langzeitarbeitslose, 46.2, 3188, 3271, 3376, -83, -2.5, -747, -19.0, -17.4]"
LZA_UPDATED = "werte: [Langzeitarbeitslose, null, 3100, 3271, 3376, null, null, -747, null, -17.4]"


def test_a_figure_put_into_the_text_by_reference_follows_the_new_years_table(years: Path) -> None:
    programme = years / "herne-2024"
    chapter = (programme / "kapitel/04-rahmenbedingungen.md").read_text(encoding="utf-8")
    assert "([](#wert:eckwerte/lza/okt22) / [](#wert:eckwerte/lza/vj_abs) /" in chapter  # kept
    assert "gesunken (3.188 / −747 / −19,0\u202f%)." in prose(html(years / "herne-2023"))
    edit(programme / "tabellen/eckwerte.yaml", LZA_ROW, LZA_UPDATED)
    assert "gesunken (3.100 / −747 / −19,4\u202f%)." in prose(html(programme))


def prose(page: str) -> str:
    """The page with the text's line breaks as spaces."""
    return re.sub(r"[ \n]+", " ", page)


STALE_TEXT = "Die Eckwerte im Rechtskreis SGB II zum Stand 10/2022:"
STALE_LINES = (
    "Im Oktober 2023 waren 12.415 Menschen arbeitsuchend.\n"
    "Für 2023 erwarten wir mehr; seit 2023 gilt das Bürgergeld."
)
TEXT_CONFIRMED = """vorjahr:
  programm: herne-2023
  bestaetigt:
    - kapitel/04-rahmenbedingungen.md/12.415
    - kapitel/04-rahmenbedingungen.md/2023
    - tabellen/bildungsziele.yaml/2023
"""


def test_check_finds_last_years_figures_and_year_in_the_text_until_confirmed(
    years: Path,
) -> None:
    programme = years / "herne-2024"
    edit(programme / "tabellen/eckwerte.yaml", ECKWERTE_ROW, UPDATED_ROW)
    edit(programme / "kapitel/04-rahmenbedingungen.md", STALE_TEXT, STALE_LINES)
    found = build_programme(programme, BUILT_IN, check_only=True)
    assert not found.problems
    chapter = "herne-2024/kapitel/04-rahmenbedingungen.md"
    in_chapter = [w for w in said(found.warnings) if w.startswith(chapter)]
    assert in_chapter == [
        f"{chapter}:29: Die Zahl „12.415“ im Text ist eine Zahl des Vorjahres („Eckwerte des "
        "Arbeitsmarktes im Rechtskreis SGB II (Stand: 10/2022)“, Zeile „Insgesamt“, Spalte "
        "„Okt 2022“: 12.415; dort steht jetzt 12.500). Die Zahl aus der Tabelle nimmt "
        "„[](<#wert:eckwerte/Bestand an Arbeitsuchenden › Insgesamt/okt22>)“; stimmt „12.415“, "
        "unter „vorjahr: bestaetigt:“ „kapitel/04-rahmenbedingungen.md/12.415“ eintragen.",
        f"{chapter}:30: „2023“ ist das Vorjahr des Programms 2024 („…Menschen arbeitsuchend. "
        "Für 2023 erwarten wir mehr; seit 2023…“). Gilt der Satz für "
        "2024, die Jahreszahl ändern; spricht er vom Vorjahr, unter „vorjahr: bestaetigt:“ "
        "„kapitel/04-rahmenbedingungen.md/2023“ eintragen.",
    ]
    title = "herne-2024/tabellen/bildungsziele.yaml:1: „2023“ ist das Vorjahr"
    assert any(w.startswith(title) for w in said(found.warnings))  # a table's title too
    others = [w for w in said(found.warnings) if "ist das Vorjahr" in w and chapter not in w]
    assert any(w.startswith("herne-2024/kapitel/03-ziele.md:43:") for w in others)

    edit(programme / "programm.yaml", "vorjahr: herne-2023\n", TEXT_CONFIRMED)
    confirmed = build_programme(programme, BUILT_IN, check_only=True)
    assert not [w for w in said(confirmed.warnings) if w.startswith((chapter, title))]
    left = [w for w in others if not w.startswith(title)]
    assert [w for w in said(confirmed.warnings) if "ist das Vorjahr" in w] == left


VORJAHR_CONFIRMED = """vorjahr:
  programm: herne-2023
  bestaetigt: [eckwerte/lza, budget]
"""


def test_a_missing_previous_programme_is_a_warning_naming_the_line(years: Path) -> None:
    programme = years / "herne-2024"
    edit(programme / "programm.yaml", "vorjahr: herne-2023", "vorjahr: herne-2019")
    result = build_programme(programme, BUILT_IN, check_only=True)
    assert not result.problems
    assert (
        "herne-2024/programm.yaml:11: Das Vorjahresprogramm „herne-2019“ gibt es im Datenordner "
        "nicht; ohne Vergleich mit dem Vorjahr."
    ) in said(result.warnings)


def test_a_broken_previous_programme_counts_the_problems_of_every_stage(years: Path) -> None:
    before = years / "herne-2023"
    edit(before / "tabellen/anlage-1.yaml", "titel: ", "titel: a: ")  # the loader's problem
    edit(before / "tabellen/budget.yaml", "titel:", "titl:")  # two of validation's
    result = build_programme(years / "herne-2024", BUILT_IN, check_only=True)
    assert not result.problems
    assert (
        "herne-2024/programm.yaml:11: Das Vorjahresprogramm „herne-2023“ hat 3 Fehler "
        "(aipgen check herne-2023); ohne Vergleich mit dem Vorjahr."
    ) in said(result.warnings)


def test_draft_marks_every_page_and_reports_the_changes(years: Path, tmp_path: Path) -> None:
    programme = years / "herne-2024"
    edit(programme / "tabellen/eckwerte.yaml", ECKWERTE_ROW, UPDATED_ROW)
    edit(
        programme / "programm.yaml",
        "vorjahr: herne-2023",
        "vorjahr: {programm: herne-2023, schwelle: 0.5}",
    )
    before = datetime.date.today()
    built = aipgen(tmp_path, "build", "herne-2024", "--entwurf", "--nur", "web,pdf")
    assert built.returncode == 0, built.stderr
    # the build may run across midnight: its date is the day it started or the day after
    dates = {format_date(before), format_date(datetime.date.today())}
    site = tmp_path / "output/herne-2024"
    page = (site / "index.html").read_text(encoding="utf-8")
    day = next((d for d in dates if f"<strong>ENTWURF</strong> vom {d}" in page), None)
    assert day is not None, dates
    assert '<a href="aenderungen.html">' in page
    reader = pypdf.PdfReader(site / "herne-2024.pdf")
    stamp = f"ENTWURFvom{day}"  # the stamp's two lines, read without spaces
    stamped = [stamp in "".join(p.extract_text().split()) for p in reader.pages]
    assert all(stamped), [i + 1 for i, ok in enumerate(stamped) if not ok]
    report = (site / "aenderungen.html").read_text(encoding="utf-8")
    assert "Verglichen mit „Arbeitsmarkt- und Integrationsprogramm 2023“" in report
    changed = report.split('id="geaendert"')[1].split('id="unveraendert"')[0]
    rows = [
        re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", changed)
    ]
    assert [
        "Insgesamt", "Okt 2022", "12.415", "12.500", "+85", "+0,7\u202f%",
        "herne-2024/tabellen/eckwerte.yaml:40",
    ] in rows  # fmt: skip
    assert "Geänderte Zahlen (3)" in report  # October, and the change to the month before
    # plausibility: the tables' "Stand 10/2022" is neither 2024 nor 2023
    assert "die Jahreszahl 2022 ist weder 2024 noch 2023" in report
    # a stated figure changed by more than the threshold (0.5 % here)
    assert (
        "herne-2024/tabellen/eckwerte.yaml:40: „Eckwerte des Arbeitsmarktes im Rechtskreis SGB II"
        " (Stand: 10/2022)“, Insgesamt, Okt 2022: 12.415 → 12.500 (+0,7\u202f%, mehr als "
        "0,5\u202f% Veränderung)."
    ) in report


def test_without_the_flag_nothing_is_marked(years: Path, tmp_path: Path) -> None:
    built = aipgen(tmp_path, "build", "herne-2024", "--nur", "web")
    assert built.returncode == 0, built.stderr
    site = tmp_path / "output/herne-2024"
    assert "ENTWURF" not in (site / "index.html").read_text(encoding="utf-8")
    assert not (site / "aenderungen.html").exists()


def test_a_share_over_100_percent_is_flagged(years: Path, tmp_path: Path) -> None:
    programme = years / "herne-2024"
    edit(
        programme / "tabellen/eckwerte.yaml",
        "  - werte: [Männer, 53.2, 3665,",
        "  - werte: [Männer, 153.2, 3665,",
    )
    edit(programme / "tabellen/eckwerte.yaml", "formel: anteil(okt22), ", "")
    result = build_programme(programme, BUILT_IN, only=(), draft=datetime.date(2023, 11, 2))
    assert not result.problems, result.problems
    report = result.files["aenderungen.html"].decode()
    assert "Männer, Anteil in %: Anteil 153,2 über 100\u202f%." in report


def test_copy_refuses_an_unknown_previous_year_and_an_existing_folder(years: Path) -> None:
    with pytest.raises(NewProgrammeError, match="„herne-2019“ gibt es in .* nicht"):
        copy_programme(years, "herne-2025", "herne-2019")
    with pytest.raises(NewProgrammeError, match="gibt es schon") as refused:
        copy_programme(years, "herne-2024", "herne-2023")
    # what to do instead: replace it, or compare it with last year
    assert "umbenennen (z. B. in „herne-2024-alt“)" in str(refused.value)
    assert "aipgen build herne-2024 --entwurf" in str(refused.value)
    assert not (years / "herne-2025").exists()
    assert not [p for p in years.iterdir() if p.name.startswith(".")]


def test_copy_to_a_given_year_moves_the_dates_by_as_many_years(years: Path) -> None:
    target = copy_programme(years, "herne-2026", "herne-2023", year=2026)
    text = (target / "programm.yaml").read_text(encoding="utf-8")
    assert "jahr: 2026\n" in text and "stand: 2025-12-15\n" in text
    assert "Integrationsprogramm 2026" in text


def test_the_editors_year_from_the_command_line(years: Path, tmp_path: Path) -> None:
    """Next year's Herne from this year's, a BA export imported into its SvB table once the
    column titles name the new months, the figures then no longer listed as not updated, and
    a draft whose change report shows the imported figures."""
    table = years / "herne-2024/tabellen/svb.yaml"
    text = table.read_text(encoding="utf-8").replace("titel: Sep 2022}", "titel: Sep 2023}")
    table.write_text(text.replace("titel: Sep 2021}", "titel: Sep 2022}"), encoding="utf-8")
    export = write_xlsx(next_year_sheet("Sep 2023", "Sep 2022"), tmp_path / "svb-2023.xlsx")
    imported = aipgen(tmp_path, "import", str(export), "--tabelle", "herne-2024/tabellen/svb.yaml")
    assert imported.returncode == 0, imported.stderr
    assert "Zeile „Insgesamt“, Spalte „Sep 2023“: 49.718 → 49.818" in imported.stdout
    checked = aipgen(tmp_path, "check", "herne-2024")
    assert checked.returncode == 0, checked.stderr
    stale = [line for line in checked.stderr.splitlines() if "noch nicht aktualisiert" in line]
    assert stale and not [line for line in stale if "/tabellen/svb.csv" in line]
    built = aipgen(tmp_path, "build", "herne-2024", "--entwurf", "--nur", "web")
    assert built.returncode == 0, built.stderr
    report = (tmp_path / "output/herne-2024/aenderungen.html").read_text(encoding="utf-8")
    rows = [
        re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", report)
    ]
    assert ["Insgesamt", "Sep 2023", "49.718", "49.818", "+100", "+0,2\u202f%",
            "herne-2024/tabellen/svb.csv:2"] in rows  # fmt: skip


def test_the_statements_dates_are_left_to_the_next_build() -> None:
    """Last year's creation and review dates are no review of the new programme: they go, so
    the new statement is dated by its build until the editor enters its own."""
    data = {
        "jahr": 2023,
        "stand": datetime.date(2022, 12, 15),
        "vorjahr": "herne-2022",
        "barrierefreiheit": {
            "erstellt": datetime.date(2022, 12, 1),
            "ueberprueft": datetime.date(2023, 1, 5),
            "kontakt": {"email": "a@b.de"},
        },
    }
    advance(data, YearShift(2023, 2024), "herne-2023")
    assert data["barrierefreiheit"] == {"kontakt": {"email": "a@b.de"}}
    assert data["stand"] == datetime.date(2023, 12, 15)


def test_change_report_shows_changed_text_new_figures_and_column_titles(
    years: Path, tmp_path: Path
) -> None:
    programme = years / "herne-2024"
    edit(programme / "kapitel/01-vorwort.md", "wir freuen uns über", "wir freuen uns sehr über")
    edit(
        programme / "kapitel/01-vorwort.md",
        "Sehr geehrte Damen und Herren,\n",
        "Sehr geehrte Damen und Herren,\n\nNeu in diesem Jahr ist ein eigener Absatz.\n",
    )
    edit(programme / "tabellen/eckwerte.yaml", "titel: Okt 2022}", "titel: Okt 2023}")
    edit(
        programme / "tabellen/lzb-qualifikation.yaml",
        "    id: akademisch\n",
        '    id: akademisch\n  - werte: [Keine Angabe, 6, ""]\n    id: keine\n',
    )
    built = aipgen(tmp_path, "build", "herne-2024", "--entwurf", "--nur", "web")
    assert built.returncode == 0, built.stderr
    report = (tmp_path / "output/herne-2024/aenderungen.html").read_text(encoding="utf-8")
    text = report.split('id="text"')[1]
    assert "geändert, Zeile 7:</span> wir freuen uns<ins> sehr</ins> über Ihr" in text
    assert "neu, Zeile 5:</span> <ins>Neu in diesem Jahr ist ein eigener Absatz.</ins>" in text
    assert "<h3>kapitel/01-vorwort.md</h3>" in text
    columns = report.split('id="spalten"')[1].split('id="text"')[0]
    assert "<td>Okt 2022</td><td>Okt 2023</td>" in columns
    new = report.split('id="neu"')[1].split('id="spalten"')[0]
    assert '<td>Keine Angabe</td><td>Bestand LZB (JDW)</td><td class="zahl">6</td>' in new


def test_change_report_lists_the_figures_that_moved_from_the_text_into_references(
    years: Path, tmp_path: Path
) -> None:
    """Last year's sentence with typed figures, this year's with references: the report names
    each typed figure, the reference that took its place and what it prints now."""
    edit(
        years / "herne-2023/kapitel/04-rahmenbedingungen.md",
        "([](#wert:eckwerte/lza/okt22) / [](#wert:eckwerte/lza/vj_abs) /",
        "(3.188 / −747 /",
    )
    edit(years / "herne-2024/tabellen/eckwerte.yaml", LZA_ROW, LZA_UPDATED)
    built = aipgen(tmp_path, "build", "herne-2024", "--entwurf", "--nur", "web")
    assert built.returncode == 0, built.stderr
    report = (tmp_path / "output/herne-2024/aenderungen.html").read_text(encoding="utf-8")
    moved = report.split('id="verweise"')[1].split('id="text"')[0]
    assert "(2)</h2>" in moved
    rows = re.findall(
        r"<tr><td class=\"zahl\">(.*?)</td><td><code>(.*?)</code></td>"
        r"<td class=\"zahl\">(.*?)</td><td class=\"ort\">(.*?)</td></tr>",
        moved,
    )
    assert rows == [
        ("3.188", "[](#wert:eckwerte/lza/okt22)", "3.100", "kapitel/04-rahmenbedingungen.md:37"),
        ("−747", "[](#wert:eckwerte/lza/vj_abs)", "−747", "kapitel/04-rahmenbedingungen.md:37"),
    ]
