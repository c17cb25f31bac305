"""The overview of all programmes: the key figures programm.yaml gives under `vergleich`, side
by side as a table and as CSV beside output/index.html."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..helpers import edit, problems, run

FIGURES = "stand: 2023-12-01\nvergleich:\n  elb: 15406\n  sgb2_quote: 18.25\n"


def two_programmes(data_dir: Path) -> None:
    """mini with key figures, and a second jobcenter that gives only one of them."""
    shutil.copytree(data_dir / "mini", data_dir / "zweite")
    edit(data_dir / "mini/programm.yaml", "stand: 2023-12-01\n", FIGURES)
    edit(data_dir / "zweite/programm.yaml", "Jobcenter Musterstadt", "Jobcenter Beispielkreis")
    edit(
        data_dir / "zweite/programm.yaml",
        "stand: 2023-12-01\n",
        "stand: 2023-12-01\nvergleich:\n  eingliederungsmittel: 1234567.5\n  elb: 9000\n",
    )


def build(data_dir: Path, output: Path) -> None:
    code, _, err = run(
        "build", "--nur", "web", "--data-dir", str(data_dir), "--output-dir", str(output)
    )
    assert code == 0, err


def test_the_key_figures_stand_side_by_side_as_table_and_csv(
    data_dir: Path, tmp_path: Path
) -> None:
    two_programmes(data_dir)
    output = tmp_path / "out"
    build(data_dir, output)
    page = (output / "index.html").read_text()
    assert (
        '<thead><tr><th scope="col">Kennzahl</th>'
        '<th scope="col" class="num">Jobcenter Beispielkreis 2024</th>'
        '<th scope="col" class="num">Jobcenter Musterstadt 2024</th></tr></thead>'
    ) in page
    assert (
        '<tr><th scope="row">Erwerbsfähige Leistungsberechtigte</th>'
        '<td class="num">9.000</td><td class="num">15.406</td></tr>'
    ) in page
    assert '<td class="num">–</td><td class="num">18,3\u202f%</td>' in page
    assert '<a href="kennzahlen.csv" type="text/csv"' in page
    assert (output / "kennzahlen.csv").read_bytes().decode() == (
        "Kennzahl,Einheit,Jobcenter Beispielkreis 2024,Jobcenter Musterstadt 2024\r\n"
        "Erwerbsfähige Leistungsberechtigte,,9000,15406\r\n"
        "SGB-II-Quote,%,,18.3\r\n"
        "Eingliederungsmittel (Budget),€,1234568,\r\n"
    )
    excel = (output / "kennzahlen-excel.csv").read_bytes().decode("utf-8-sig")
    assert "SGB-II-Quote;%;;18,3\r\n" in excel


def test_without_key_figures_the_overview_has_no_comparison(data_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    build(data_dir, output)
    assert "Kennzahlen im Vergleich" not in (output / "index.html").read_text()
    assert not (output / "kennzahlen.csv").exists()


def test_an_unknown_key_figure_is_named_with_file_and_line(mini: Path) -> None:
    edit(
        mini / "programm.yaml", "stand: 2023-12-01\n", "stand: 2023-12-01\nvergleich:\n  elbs: 1\n"
    )
    assert problems(mini) == [
        "mini/programm.yaml:9: Unbekannte Kennzahl „elbs“ (möglich sind: elb, "
        "bedarfsgemeinschaften, arbeitslose, langzeitleistungsbeziehende, sgb2_quote, "
        "arbeitslosenquote, integrationsquote, eingliederungsmittel)."
    ]


REFERENCES = (
    "stand: 2023-12-01\nvergleich:\n"
    "  arbeitslose: wert:eckwerte/insgesamt/okt\n"
    "  eingliederungsmittel: wert:budget/Summe/budget\n"
    "  sgb2_quote: kennzahl:bevoelkerung/2\n"
)


def test_a_key_figure_given_by_reference_is_the_figure_the_programme_prints(
    data_dir: Path, tmp_path: Path
) -> None:
    """`vergleich` names a table cell, a stated sum and a key figure; the overview shows what
    the programme prints, and follows a changed table."""
    edit(data_dir / "mini/programm.yaml", "stand: 2023-12-01\n", REFERENCES)
    output = tmp_path / "out"
    build(data_dir, output)
    assert (output / "kennzahlen.csv").read_bytes().decode() == (
        "Kennzahl,Einheit,Jobcenter Musterstadt 2024\r\n"
        "Arbeitslose im SGB II,,6893\r\n"
        "SGB-II-Quote,%,64.4\r\n"
        "Eingliederungsmittel (Budget),€,4000000\r\n"
    )
    edit(
        data_dir / "mini/tabellen/eckwerte.yaml",
        "[Insgesamt, 6893, 6887,",
        "[Insgesamt, 6900, 6894,",
    )
    edit(data_dir / "mini/tabellen/eckwerte.yaml", "[Männer, 3665, 3664,", "[Männer, 3672, 3671,")
    build(data_dir, output)
    assert "Arbeitslose im SGB II,,6900\r\n" in (output / "kennzahlen.csv").read_bytes().decode()


def test_a_key_figure_reference_that_names_nothing_is_an_error_at_its_line(mini: Path) -> None:
    edit(mini / "programm.yaml", "stand: 2023-12-01\n", REFERENCES)
    edit(mini / "programm.yaml", "wert:eckwerte/insgesamt/okt", "wert:eckwerte/insgesamt/okto")
    edit(mini / "programm.yaml", "kennzahl:bevoelkerung/2", "tabelle:bevoelkerung")
    assert problems(mini) == [
        "mini/programm.yaml:9: „sgb2_quote: tabelle:bevoelkerung“: eine Zahl oder ein Verweis "
        "wie „wert:tabelle/zeile/spalte“ oder „kennzahl:kasten/nr“."
    ]
    edit(mini / "programm.yaml", "tabelle:bevoelkerung", "kennzahl:bevoelkerung/2")
    assert problems(mini) == [
        "mini/programm.yaml:10: vergleich: arbeitslose: Der Verweis "
        "„#wert:eckwerte/insgesamt/okto“ zeigt ins Leere: Die Tabelle „eckwerte“ hat keine "
        "Spalte „okto“ – meinten Sie „okt“?"
    ]
