"""The conformance report beside each programme's output (media/proof.py): what `build` writes
by default, what `aipgen pruefen` finds in PDFs and pages broken on purpose, and the plain
word when a checker is missing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from aipgen.media import proofhtml
from aipgen.media.proof import Subject

from ..helpers import FIXTURES, PROGRAMMES, run

REPORT, DATA = "pruefbericht.html", "pruefbericht.json"


@pytest.fixture(scope="module")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of one build of the mini programme (all formats, report by default)."""
    base = tmp_path_factory.mktemp("proof")
    shutil.copytree(FIXTURES / "mini", base / "data" / "mini")
    code, _, err = run("build", "--data-dir", str(base / "data"), "--output-dir", str(base / "out"))
    assert code == 0, err
    return base / "out"


def checks(folder: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((folder / DATA).read_text(encoding="utf-8"))
    return {check["name"]: check for check in data["checks"]}


def test_build_writes_the_report_of_the_pdf_checks(built_mini: Path) -> None:
    found = checks(built_mini / "mini")
    assert {name: c["status"] for name, c in found.items()} == {
        "pdfua": "passed",
        "pdfx4": "passed",
        "html": "not_run",
        "axe": "not_run",
    }
    assert found["pdfua"]["checker"].startswith("page-validation 0.11")
    assert found["pdfua"]["summary"] == "104 von 104 Regeln erfüllt."
    assert found["pdfx4"]["checker"].startswith("aipgen ")
    assert "Grenze 300 %" in found["pdfx4"]["summary"]  # the default profile's limit
    assert "aipgen pruefen" in found["html"]["summary"]  # why it did not run, plainly
    page = (built_mini / "mini" / REPORT).read_text(encoding="utf-8")
    assert '<html lang="de">' in page
    for shown in ("PDF/UA-1: <span", "PDF/X-4: <span", "HTML (Nu Html Checker): <span"):
        assert shown in page
    assert "page-validation 0.11.0" in page and "nicht ausgeführt" in page


def test_the_statement_tells_the_pdf_ua_result_of_the_same_build(built_mini: Path) -> None:
    statement = (built_mini / "mini" / "barrierefreiheit.html").read_text(encoding="utf-8")
    assert (
        "<li>PDF/UA-1 (das PDF zum Herunterladen, barrierefrei nach ISO 14289-1): bestanden. "
        "104 von 104 Regeln erfüllt. Prüfwerkzeug: page-validation 0.11.0.</li>"
    ) in statement
    assert '<a href="pruefbericht.html">Prüfbericht</a>' in statement
    assert "PDF/X-4 (das Druck-PDF" not in statement  # the print check is not about access


def test_build_without_proof_writes_no_report(built_mini: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    shutil.copytree(built_mini, output)  # a report from before is not kept
    shutil.copytree(FIXTURES / "mini", tmp_path / "data" / "mini")
    args = ("--data-dir", str(tmp_path / "data"), "--output-dir", str(output))
    code, out, err = run("build", "--nur", "web", "--ohne-pruefung", *args)
    assert code == 0, err
    assert not (output / "mini" / REPORT).exists()
    assert not (output / "mini" / DATA).exists()
    assert "Prüfbericht" not in out
    statement = (output / "mini" / "barrierefreiheit.html").read_text(encoding="utf-8")
    assert "pruefbericht.html" not in statement and "PDF/UA-1 (das PDF" not in statement


def drop_language(path: Path) -> None:
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        del pdf.Root["/Lang"]
        pdf.save(path)


def add_rgb_image(path: Path) -> None:
    """A 2 × 2 pixel RGB image drawn on the first page, as an unconverted photo would be."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        image = pdf.make_stream(bytes(range(12)))
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent = 2, 2, 8
        image.ColorSpace = pikepdf.Name.DeviceRGB
        page = pdf.pages[0]
        name = page.add_resource(image, pikepdf.Name.XObject)
        page.contents_add(pdf.make_stream(f"q 10 0 0 10 0 0 cm {name} Do Q".encode()))
        pdf.save(path)


def break_page(path: Path) -> None:
    """An image without alternative text and an id given twice."""
    page = path.read_text(encoding="utf-8")
    broken = '<main id="inhalt"><img src="x.png"><p id="doppelt">1</p><p id="doppelt">2</p>'
    path.write_text(page.replace('<main id="inhalt">', broken, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def broken(built_mini: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    """`aipgen pruefen` on a copy of the output with both PDFs and the web page broken."""
    output = tmp_path_factory.mktemp("broken") / "out"
    shutil.copytree(built_mini, output)
    drop_language(output / "mini" / "mini.pdf")
    add_rgb_image(output / "mini" / "mini-druck.pdf")
    break_page(output / "mini" / "index.html")
    code, out, err = run("pruefen", "mini", "--output-dir", str(output))
    return code, out + err, output / "mini"


def test_a_screen_pdf_without_language_fails_pdf_ua(broken: tuple[int, str, Path]) -> None:
    code, said, folder = broken
    assert code == 1
    pdfua = checks(folder)["pdfua"]
    assert pdfua["status"] == "failed"
    assert any("Lang" in f["message"] for f in pdfua["findings"]), pdfua["findings"]
    assert "PDF/UA-1: nicht bestanden" in said
    page = (folder / REPORT).read_text(encoding="utf-8")
    assert 'PDF/UA-1: <span class="failed">nicht bestanden</span>' in page


def test_an_rgb_image_in_the_print_pdf_fails_pdf_x4(broken: tuple[int, str, Path]) -> None:
    _, said, folder = broken
    pdfx4 = checks(folder)["pdfx4"]
    assert pdfx4["status"] == "failed"
    messages = [f["message"] for f in pdfx4["findings"]]
    assert any(m.startswith("RGB-Farbraum in Image") for m in messages), messages
    assert "Ein Bild hat gedruckt nur 14 dpi (mindestens 300 dpi)." in messages  # 2 px on 10 pt
    assert "PDF/X-4: nicht bestanden" in said
    assert "RGB-Farbraum in Image" in (folder / REPORT).read_text(encoding="utf-8")


@pytest.mark.skipif(
    shutil.which("java") is None, reason="java fehlt: der Nu Html Checker läuft nicht"
)
def test_the_nu_html_checker_names_the_broken_page(broken: tuple[int, str, Path]) -> None:
    _, _, folder = broken
    nu = checks(folder)["html"]
    assert nu["status"] == "failed" and nu["checker"].startswith("Nu Html Checker ")
    assert [f["message"] for f in nu["findings"] if f["where"].startswith("index.html:")] == [
        "An “img” element must have an “alt” attribute, except under certain conditions. For "
        "details, consult guidance on providing text alternatives for images.",
        "Duplicate ID “doppelt”.",
    ]


@pytest.mark.skipif(proofhtml.browser_path() is None, reason="Chromium fehlt")
def test_axe_names_the_image_without_text(broken: tuple[int, str, Path]) -> None:
    _, _, folder = broken
    axe = checks(folder)["axe"]
    assert axe["status"] == "failed" and axe["checker"].startswith("axe-core ")
    assert "image-alt" in {f["rule"] for f in axe["findings"]}
    assert all(
        f["where"].startswith(("index.html: ", "barrierefreiheit.html: ", "leichte-sprache.html: "))
        for f in axe["findings"]
    )


@pytest.mark.skipif(proofhtml.browser_path() is None, reason="Chromium fehlt")
def test_axe_runs_beside_a_playwright_session_of_the_caller(built_mini: Path, browser: Any) -> None:
    """A caller with its own sync Playwright session (a test run, a notebook) can still prove:
    Playwright refuses a second sync session in the same thread."""
    from aipgen.build.proofcommand import output_files

    subject = Subject("mini", output_files(built_mini / "mini"), 300)
    outcome = proofhtml.check_axe(subject)
    assert outcome.status == "passed", outcome.findings
    assert outcome.checker.startswith("axe-core ")


@pytest.mark.skipif(
    shutil.which("java") is None or proofhtml.browser_path() is None,
    reason="java oder Chromium fehlt",
)
def test_programmes_checked_together_keep_their_own_findings(
    built_mini: Path, broken: tuple[int, str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`aipgen pruefen` starts Java and Chromium once for several programmes; each still gets
    the findings of its own pages."""
    from aipgen.build.proofcommand import output_files

    _, _, folder = broken
    subjects = [
        Subject("kaputt", output_files(folder), 300),
        Subject("heil", output_files(built_mini / "mini"), 300),
    ]
    checking = []
    real_run = proofhtml.subprocess.run

    def counted(command: list[str], **options: Any) -> Any:
        checking.extend([command] if "--format" in command else [])
        return real_run(command, **options)

    monkeypatch.setattr(proofhtml.subprocess, "run", counted)
    nu = proofhtml.check_nu_many(subjects)
    assert len(checking) == 1  # one Java for both programmes
    assert [o.status for o in nu] == ["failed", "passed"]
    assert {f.where.split(":")[0] for f in nu[0].findings} == {"index.html"}
    axe = proofhtml.check_axe_many(subjects)
    assert [o.status for o in axe] == ["failed", "passed"]
    assert "image-alt" in {f.rule for f in axe[0].findings}
    assert all(f.where.startswith("index.html: ") for f in axe[0].findings)


def test_a_missing_checker_is_said_plainly(
    built_mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"index.html": (built_mini / "mini" / "index.html").read_bytes()}
    subject = Subject("mini", files, 300)
    monkeypatch.setattr(proofhtml.shutil, "which", lambda _name: None)
    assert proofhtml.check_nu(subject).summary == (
        "Nicht ausgeführt: Java fehlt (unter Debian: default-jre-headless)."
    )
    assert proofhtml.check_axe(subject).status == "not_run"
    assert proofhtml.check_nu(Subject("mini", {}, 300)).summary == (
        "Nicht ausgeführt: Die Website wurde nicht gebaut."
    )


def test_pruefen_needs_a_built_programme(built_mini: Path) -> None:
    code, _, err = run("pruefen", "herne-2023", "--output-dir", str(built_mini))
    assert code == 2
    assert "Das Programm „herne-2023“ ist in" in err and "(gebaut: mini)" in err


@pytest.fixture(scope="module")
def proven(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the full build of data/ after `aipgen pruefen` of every programme in it."""
    output = tmp_path_factory.mktemp("proven") / "out"
    shutil.copytree(built, output)
    code, _, err = run("pruefen", "--output-dir", str(output))
    assert code == 0, err
    return output


@pytest.mark.parametrize("name", PROGRAMMES)
def test_every_sample_programme_passes_with_its_checkers_named(proven: Path, name: str) -> None:
    found = checks(proven / name)
    ran = {"pdfua", "pdfx4"} | ({"html"} if shutil.which("java") else set())
    ran |= {"axe"} if proofhtml.browser_path() else set()
    assert {n for n, c in found.items() if c["status"] == "passed"} == ran
    page = (proven / name / REPORT).read_text(encoding="utf-8")
    for check in found.values():
        assert f"{check['title']}: <span" in page
        assert check["checker"] in page
    assert "page-validation 0.11.0" in page and "pikepdf" in page
    if "html" in ran:
        assert "Nu Html Checker 20" in page
