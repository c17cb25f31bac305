"""Command line: German messages, exit codes 0/1/2, nothing written on errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ..helpers import PROJECT, edit, run


def test_check_ok(data_dir: Path) -> None:
    code, out, _ = run("check", "--data-dir", str(data_dir))
    assert code == 0
    assert out == "mini: in Ordnung.\n"


def test_check_reports_errors_with_exit_1(data_dir: Path) -> None:
    edit(data_dir / "mini/programm.yaml", "jahr: 2024", "jahr: zwanzig")
    code, out, err = run("check", "--data-dir", str(data_dir))
    assert code == 1
    assert "Fehler: mini/programm.yaml:2: „jahr“ muss eine ganze Zahl sein." in err
    assert "1 von 1 Programmen mit Fehlern: mini." in err
    assert "Traceback" not in out + err


def test_strict_turns_warnings_into_errors(data_dir: Path) -> None:
    edit(data_dir / "mini/kapitel/02-arbeitsmarkt.md", "::tabelle budget\n", "")
    assert run("check", "--data-dir", str(data_dir))[0] == 0
    code, _, err = run("check", "--strict", "--data-dir", str(data_dir))
    assert code == 1
    assert "Warnung: mini/tabellen/budget.yaml: wird in keinem Kapitel verwendet." in err


def test_unknown_programme_is_usage_error(data_dir: Path) -> None:
    code, _, err = run("check", "gibtsnicht", "--data-dir", str(data_dir))
    assert code == 2
    assert "Das Programm „gibtsnicht“ gibt es nicht (vorhanden: mini)." in err


def test_missing_data_dir_is_usage_error(tmp_path: Path) -> None:
    code, _, err = run("build", "--data-dir", str(tmp_path / "nix"))
    assert code == 2
    assert "gibt es nicht" in err


def test_help_is_german() -> None:
    code, out, _ = run("build", "--hilfe")
    assert code == 0
    assert out.startswith("Aufruf: ")
    assert "Optionen:" in out
    assert "Programme bauen" in out
    assert "Warnungen als Fehler behandeln" in out


def test_failed_build_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    edit(data_dir / "mini/tabellen/budget.yaml", "4000000]", "4100000]")
    code, _, err = run("build", "--data-dir", str(data_dir), "--output-dir", str(output))
    assert code == 1
    assert "Für diese wurde nichts geschrieben." in err
    assert not output.exists()


def test_unwritable_output_is_reported_in_german(data_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "output"
    blocker.write_text("keine Ordner hier")
    target = str(blocker / "unterordner")
    code, _, err = run("build", "--ohne-pdf", "--data-dir", str(data_dir), "--output-dir", target)
    assert code == 1
    assert f"Fehler beim Schreiben nach „{target}“: ein Teil des Pfades ist kein Ordner." in err
    assert "Die bisherige Ausgabe bleibt erhalten." in err


def test_build_writes_site_and_overview(data_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    code, out, _ = run(
        "build", "--ohne-pdf", "--data-dir", str(data_dir), "--output-dir", str(output)
    )
    assert code == 0
    assert f"mini: geschrieben nach {output}/mini/" in out
    assert (output / "mini/assets/css/style.css").is_file()
    assert (output / "mini/assets/fonts/Carlito-Regular.woff2").is_file()
    assert (output / "mini/assets/bilder/logo.svg").is_file()
    overview = (output / "index.html").read_text()
    assert '<a href="mini/index.html">Arbeitsmarkt- und Integrationsprogramm 2024' in overview


def test_failed_rebuild_keeps_last_good_output(data_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    args = ("build", "--ohne-pdf", "--data-dir", str(data_dir), "--output-dir", str(output))
    assert run(*args)[0] == 0
    before = (output / "mini/index.html").read_bytes()
    edit(data_dir / "mini/tabellen/budget.yaml", "4000000]", "4100000]")
    assert run(*args)[0] == 1
    assert (output / "mini/index.html").read_bytes() == before
    assert sorted(p.name for p in output.iterdir()) == ["index.html", "mini"]


def test_several_programmes_build_in_parallel(data_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(data_dir / "mini", data_dir / "zweites")
    output = tmp_path / "output"
    code, out, _ = run(
        "build", "--ohne-pdf", "--data-dir", str(data_dir), "--output-dir", str(output)
    )
    assert code == 0
    assert out.count("geschrieben nach") == 2
    assert (output / "zweites/index.html").read_bytes() == (output / "mini/index.html").read_bytes()


def test_click_messages_are_german(data_dir: Path) -> None:
    code, _, err = run("build", "--foo")
    assert code == 2
    assert "Fehler: Die Option '--foo' gibt es nicht." in err
    code, _, err = run("bauen")
    assert code == 2 and "Fehler: Den Befehl 'bauen' gibt es nicht." in err
    assert "Aufruf: aipgen [OPTIONEN] BEFEHL [ARGUMENTE] ..." in err


def output_trap_cases(data_dir: Path) -> dict[str, tuple[Path, str]]:
    mini = data_dir / "mini"
    return {
        "data": (data_dir, "ist der Inhaltsordner"),
        "programme": (mini, "ist der Inhaltsordner"),
        "inside programme": (mini / "kapitel", "liegt im Inhaltsordner"),
        "inside data": (data_dir / "ausgabe", "liegt im Inhaltsordner"),
        "parent of data": (data_dir.parent, "enthält den Inhaltsordner"),
    }


def test_output_dir_may_not_touch_content(data_dir: Path) -> None:
    before = {p: p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()}
    for case, (target, relation) in output_trap_cases(data_dir).items():
        code, out, err = run("build", "--data-dir", str(data_dir), "--output-dir", str(target))
        assert code == 2, case
        assert f"Der Ausgabeordner „{target}“ {relation} „" in err, case
        assert "Traceback" not in out + err
    after = {p: p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file()}
    assert after == before


def test_output_dir_through_symlink_is_caught(data_dir: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(data_dir / "mini")
    code, _, err = run("build", "--data-dir", str(data_dir), "--output-dir", str(link))
    assert code == 2
    assert f"Der Ausgabeordner „{link}“ ist der Inhaltsordner „{data_dir / 'mini'}“." in err


def test_sums_are_checked_while_other_files_have_errors(data_dir: Path) -> None:
    """A wrong total in one table and a typo in another are both reported in one run; the chart
    fed from the broken table causes no follow-on error."""
    mini = data_dir / "mini"
    edit(mini / "tabellen/eckwerte.yaml", "titel: Eckwerte", "titl: Eckwerte")
    edit(mini / "tabellen/budget.yaml", "4000000", "5000000")
    code, _, err = run("check", "--data-dir", str(data_dir))
    assert code == 1
    unknown = "Unbekannter Schlüssel „titl“. Meinten Sie „titel“?"
    assert f"Fehler: mini/tabellen/eckwerte.yaml:1: {unknown}" in err
    assert "Fehler: mini/tabellen/budget.yaml:" in err and "5.000.000" in err
    assert err.count("Fehler: ") == 3  # the two above and the missing "titel"


def test_chart_of_a_broken_table_gives_no_follow_on_error(data_dir: Path) -> None:
    mini = data_dir / "mini"
    edit(mini / "tabellen/budget.yaml", "titel: Übersicht", "titl: Übersicht")
    code, _, err = run("check", "--data-dir", str(data_dir))
    assert code == 1
    assert [line for line in err.splitlines() if line.startswith("Fehler: ")] == [
        "Fehler: mini/tabellen/budget.yaml:1: Die Angabe „titel“ fehlt."
        " Pflicht sind hier: titel, spalten.",
        "Fehler: mini/tabellen/budget.yaml:1: Unbekannter Schlüssel „titl“. Meinten Sie „titel“?",
    ]


def test_console_script_installs_signal_handlers_before_other_imports() -> None:
    """The `aipgen` command starts in aipgen.cli.entry, which handles signals before anything
    slow is imported (click, Jinja, the pipeline)."""
    import tomllib

    from ..helpers import PROJECT

    scripts = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["aipgen"] == "aipgen.cli.entry:run"
    probe = (
        "import sys, aipgen.cli.entry, signal; "
        "print(sorted(m for m in ('click', 'jinja2', 'aipgen.cli.main') if m in sys.modules), "
        "signal.getsignal(signal.SIGINT) is signal.default_int_handler)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[] True"  # importing the entry module loads nothing heavy


def test_a_sample_programme_is_copied_into_the_data_folder(tmp_path: Path) -> None:
    code, out, _ = run("beispiel")
    assert code == 0 and out.startswith("Beispiele: bochum-2024, duisburg-2016, herford-2022")
    data_dir = tmp_path / "data"
    code, out, _ = run("beispiel", "herford-2022", "--data-dir", str(data_dir))
    assert code == 0 and "herford-2022: angelegt" in out
    copied = sorted(p.relative_to(data_dir) for p in (data_dir / "herford-2022").rglob("*"))
    sample = sorted(
        p.relative_to(PROJECT / "data") for p in (PROJECT / "data/herford-2022").rglob("*")
    )
    assert copied == sample
    assert run("check", "--data-dir", str(data_dir))[0] == 0
    code, _, err = run("beispiel", "herford-2022", "--data-dir", str(data_dir))
    assert code == 2 and "gibt es schon; es bleibt unverändert" in err
    code, _, err = run("beispiel", "lippe-2027", "--data-dir", str(data_dir))
    assert code == 2 and "Ein Beispiel „lippe-2027“ gibt es nicht" in err
