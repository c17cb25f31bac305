"""A jobcenter's own project folder: `aipgen neu` in an empty folder, aipgen.toml, and design
files of the project's own that take the place of the built-in ones file by file."""

from __future__ import annotations

from pathlib import Path

import pytest

from aipgen import __version__
from aipgen.base import paths
from aipgen.build.project import ProjectError, load_project
from aipgen.editor.newprogramme import placeholders

from ..helpers import PROJECT, THEME_CSS, add_theme, aipgen


def test_new_programme_in_an_empty_folder_builds_with_the_theme(tmp_path: Path) -> None:
    made = aipgen(tmp_path, "neu", "musterstadt-2027")
    assert made.returncode == 0, made.stderr
    assert "Weiter mit: aipgen build musterstadt-2027" in made.stdout
    programme = (tmp_path / "data/musterstadt-2027/programm.yaml").read_text(encoding="utf-8")
    assert 'jobcenter: "Jobcenter Musterstadt"' in programme and "jahr: 2027" in programme
    assert "{{" not in programme
    add_theme(tmp_path)
    built = aipgen(tmp_path, "build", "--strict")
    assert built.returncode == 0, built.stderr
    site = tmp_path / "output/musterstadt-2027"
    assert {"index.html", "musterstadt-2027.pdf", "musterstadt-2027-druck.pdf"} <= {
        p.name for p in site.iterdir()
    }
    assert (site / "assets/css/common-eigen.css").read_text() == THEME_CSS
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "#8a1538" in page  # the chart drawn in the theme's colour
    assert f'<meta name="generator" content="aipgen {__version__}">' in page


def test_new_programme_refuses_an_existing_folder_and_a_bad_name(tmp_path: Path) -> None:
    assert aipgen(tmp_path, "neu", "musterstadt-2027").returncode == 0
    vorwort = tmp_path / "data/musterstadt-2027/kapitel/01-vorwort.md"
    vorwort.write_text("Mein Text", encoding="utf-8")
    again = aipgen(tmp_path, "neu", "musterstadt-2027")
    assert again.returncode == 2 and "gibt es schon; es bleibt unverändert" in again.stderr
    assert vorwort.read_text(encoding="utf-8") == "Mein Text"
    bad = aipgen(tmp_path, "neu", "Muster Stadt")
    assert bad.returncode == 2 and "taugt nicht als Programmname" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["musterstadt-2027"]


def test_placeholders_come_from_the_name() -> None:
    values = placeholders("kreis-herford-2026", None, None)
    assert (values.jobcenter, values.year) == ("Jobcenter Kreis Herford", 2026)
    assert placeholders("herne", "Jobcenter Herne", None).year == values.issued.year + 1


def test_project_file_names_the_folders(tmp_path: Path) -> None:
    (tmp_path / "aipgen.toml").write_text('daten = "programme"\nausgabe = "website"\n')
    assert aipgen(tmp_path, "neu", "musterstadt-2027").returncode == 0
    assert (tmp_path / "programme/musterstadt-2027/programm.yaml").is_file()
    built = aipgen(tmp_path, "build", "--nur", "web")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "website/musterstadt-2027/index.html").is_file()
    assert not (tmp_path / "data").exists() and not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('daten = "a"\nausgabe = \n', "aipgen.toml, Zeile 2, Spalte 11: kein gültiges TOML."),
        ('daten = "a"\nziel = "b"\n', "unbekannter Schlüssel „ziel“ (erlaubt: daten, ausgabe)."),
        ("daten = 3\n", "„daten“ muss ein Ordnername in Anführungszeichen sein."),
    ],
)
def test_bad_project_file_is_a_german_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "aipgen.toml").write_text(text)
    with pytest.raises(ProjectError) as caught:
        load_project(tmp_path)
    assert str(caught.value).endswith(message)
    done = aipgen(tmp_path, "check")
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_own_design_files_take_the_place_of_built_in_ones(tmp_path: Path) -> None:
    (tmp_path / "templates/bericht").mkdir(parents=True)
    (tmp_path / "templates/bericht/layout.yaml").write_text("kapitelnummern: false\n")
    (tmp_path / "templates/eigenes").mkdir()
    (tmp_path / "templates/eigenes/style.css").write_text("")
    from aipgen.content.layouts import available_layouts, layout_settings

    files = paths.project_design(tmp_path)
    assert files.find("templates", "bericht", "layout.yaml").parent.parent.parent == tmp_path
    assert files.find("templates", "bericht", "style.css") == (
        paths.BUILTIN / "templates/bericht/style.css"
    )
    assert layout_settings("bericht", files).chapter_numbers is False
    assert available_layouts(files) == ["bericht", "broschuere", "eigenes", "handout"]
    assert layout_settings("bericht", paths.BUILT_IN).chapter_numbers is True  # built-in


def test_the_version_has_its_changelog_entry() -> None:
    changelog = (PROJECT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {__version__} – " in changelog


def own_project(folder: Path, colour: str, numbered: bool) -> paths.DesignFiles:
    """A project folder whose palette's first colour is `colour` and whose layout "bericht"
    numbers its chapters or not; its design files."""
    palette = (paths.BUILTIN / "charts/palette.yaml").read_text(encoding="utf-8")
    (folder / "charts").mkdir(parents=True)
    (folder / "charts/palette.yaml").write_text(palette.replace("#00529f", colour, 1))
    (folder / "templates/bericht").mkdir(parents=True)
    (folder / "templates/bericht/layout.yaml").write_text(
        f"kapitelnummern: {str(numbered).lower()}\n"
    )
    return paths.project_design(folder)


def test_two_projects_built_in_one_process_each_get_their_own_design(
    mini: Path, tmp_path: Path
) -> None:
    """No design setting lives in the process: two projects with other palettes and layout
    settings, built one after the other and the first again, each show their own."""
    from aipgen.build.pipeline import build_programme
    from aipgen.content.layouts import layout_settings
    from aipgen.design.palette import palette

    red = own_project(tmp_path / "rot", "#aa0000", numbered=False)
    green = own_project(tmp_path / "gruen", "#00aa00", numbered=True)
    assert palette(red).series[0].srgb == "#aa0000"
    assert palette(green).series[0].srgb == "#00aa00"
    assert palette(paths.BUILT_IN).series[0].srgb == "#00529f"
    assert layout_settings("bericht", red).chapter_numbers is False
    assert layout_settings("bericht", green).chapter_numbers is True
    pages = {}
    for name, design in (("rot", red), ("gruen", green), ("rot again", red)):
        result = build_programme(mini, design, ("web",))
        assert result.problems == []
        pages[name] = result.files["index.html"].decode()
    assert "#aa0000" in pages["rot"] and "#00aa00" not in pages["rot"]
    assert "#00aa00" in pages["gruen"] and "#aa0000" not in pages["gruen"]
    assert 'class="numbered"' not in pages["rot"] and 'class="numbered"' in pages["gruen"]
    assert pages["rot again"] == pages["rot"]
