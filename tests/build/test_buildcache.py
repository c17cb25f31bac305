"""Build only what changed: an unchanged programme is neither built nor rewritten; a change
to its files, to a design file or to its output, a corrupt record or --alles-neu builds it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from aipgen.base import cachefiles
from aipgen.build import buildcache

from ..helpers import FIXTURES, aipgen, edit, run

WEB = ("--nur", "web")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with the mini programme, built once (web only). The first build runs
    in the test process, where the drawing and layout libraries are loaded once; the builds
    the tests look at each run in a process of their own, as a user starts them."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "data" / "mini")
    with monkeypatch.context() as here:
        here.chdir(tmp_path)
        here.setenv("SOURCE_DATE_EPOCH", "0")
        code, out, err = run("build", *WEB)
    assert code == 0, err
    assert "mini: geschrieben nach" in out
    return tmp_path


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file below the folder with its inode and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def build(project: Path, *args: str) -> str:
    result = aipgen(project, "build", *WEB, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_an_unchanged_programme_is_not_rewritten(project: Path) -> None:
    before = stamps(project / "output")
    out = build(project)
    assert out.startswith("mini: unverändert (")
    assert stamps(project / "output") == before  # not one file written, the overview neither


def test_a_changed_chapter_builds_again(project: Path) -> None:
    edit(project / "data/mini/kapitel/01-vorwort.md", "# Vorwort", "# Neu: Vorwort")
    assert "mini: geschrieben nach" in build(project)
    page = (project / "output/mini/index.html").read_text(encoding="utf-8")
    assert "Neu: " in page
    assert "mini: unverändert" in build(project)


def test_a_changed_design_file_builds_again(project: Path) -> None:
    (project / "templates" / "common").mkdir(parents=True)
    (project / "templates/common/eigen.css").write_text("h2 { color: #8a1538; }\n")
    assert "mini: geschrieben nach" in build(project)


def test_a_touched_output_builds_again(project: Path) -> None:
    (project / "output/mini/index.html").write_text("von Hand geändert")
    assert "mini: geschrieben nach" in build(project)
    assert "von Hand" not in (project / "output/mini/index.html").read_text(encoding="utf-8")
    (project / "output/mini/barrierefreiheit.html").unlink()
    assert "mini: geschrieben nach" in build(project)
    assert (project / "output/mini/barrierefreiheit.html").is_file()


@pytest.mark.parametrize("damage", ["{kaputt", '{"key": 1}', "", '{"key": "x", "files": 3}'])
def test_a_corrupt_record_is_ignored_and_rebuilt(project: Path, damage: str) -> None:
    (record,) = (project / ".aipgen-cache").rglob("mini.json")
    record.write_text(damage)
    assert "mini: geschrieben nach" in build(project)
    assert "mini: unverändert" in build(project)  # the record is good again


def test_other_formats_or_everything_on_request_build_again(project: Path) -> None:
    assert "mini: geschrieben nach" in build(project, "--alles-neu")
    result = aipgen(project, "build", "--nur", "web,pdf")
    assert result.returncode == 0 and "mini: geschrieben nach" in result.stdout


def test_warnings_are_reported_again_and_strict_still_fails(project: Path) -> None:
    edit(project / "data/mini/kapitel/02-arbeitsmarkt.md", "::tabelle budget\n", "")
    out = aipgen(project, "build", *WEB)
    assert out.returncode == 0 and "Warnung:" in out.stderr
    again = aipgen(project, "build", *WEB)
    assert "mini: unverändert" in again.stdout
    assert again.stderr.count("Warnung:") == out.stderr.count("Warnung:")
    strict = aipgen(project, "build", *WEB, "--strict")
    assert strict.returncode == 1
    assert "1 von 1 Programmen mit Fehlern: mini." in strict.stderr


def test_library_versions_are_those_installed() -> None:
    """The versions in the key are read from folder names; they agree with the installer's
    metadata, and a library that is not installed counts as such."""
    from importlib import metadata

    for name in buildcache.LIBRARIES:
        assert cachefiles.installed(name) == f"{name} {metadata.version(name)}"
    assert cachefiles.installed("kein-solches-paket") == "kein-solches-paket -"


def test_compiled_templates_are_kept_and_a_damaged_one_is_compiled_anew(project: Path) -> None:
    """The next process reads the compiled templates from the cache folder; an entry that
    cannot be read is compiled again and written whole, the page the same."""
    entries = sorted((project / ".aipgen-cache" / "vorlagen").glob("*.cache"))
    assert entries
    page = (project / "output/mini/index.html").read_bytes()
    from jinja2.bccache import bc_magic

    for entry in entries:  # Jinja's mark, then no checksum it could read
        entry.write_bytes(bc_magic + b"kaputt")
    again = aipgen(project, "build", "--alles-neu", *WEB)
    assert again.returncode == 0, again.stderr
    assert (project / "output/mini/index.html").read_bytes() == page
    assert all(
        entry.read_bytes().startswith(b"j2") and entry.stat().st_size > 100 for entry in entries
    )


def test_a_pdf_built_alone_names_the_size_the_web_page_kept(project: Path) -> None:
    """`--nur pdf` leaves the web page as it was; where the new PDF's size differs from the one
    it states, the build says so and how to bring the page up to date."""
    first = aipgen(project, "build", "--nur", "web,pdf")
    assert first.returncode == 0, first.stderr
    page = (project / "output/mini/index.html").read_bytes()
    chapter = project / "data/mini/kapitel/02-arbeitsmarkt.md"
    with chapter.open("a", encoding="utf-8") as out:
        out.write("\n" + "Das Jobcenter berät, vermittelt und fördert Menschen. " * 400 + "\n")
    result = aipgen(project, "build", "--nur", "pdf")
    assert result.returncode == 0, result.stderr
    size = json.loads((project / "output/mini/programm.json").read_text())["downloads"][0]["size"]
    assert (project / "output/mini/index.html").read_bytes() == page  # kept, as asked
    hint = (
        "Hinweis: Die Ausgabe „Website“ von mini wurde nicht neu gebaut und nennt für mini.pdf "
        "noch die bisherige Größe ("
    )
    assert hint in result.stdout
    fix = f"jetzt {size}); „aipgen build mini --nur web“ bringt sie auf den Stand."
    assert fix in result.stdout
    again = aipgen(project, "build", "--nur", "web")
    assert "Hinweis" not in again.stdout
    assert f"{size})" in (project / "output/mini/index.html").read_text(encoding="utf-8")
    unchanged_size = aipgen(project, "build", "--nur", "pdf", "--alles-neu")
    assert "Hinweis" not in unchanged_size.stdout  # same size stated: nothing to say
