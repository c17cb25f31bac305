"""Total ink of the print PDF: measured on pages Ghostscript renders in CMYK, the highest spot
named with page and place when it exceeds the limit (druck: farbauftrag_max)."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from aipgen.base.paths import BUILT_IN
from aipgen.build.pipeline import build_programme
from aipgen.media.ink import InkSpot, highest_ink, ink_warning

from ..helpers import edit, problems, said

pytestmark = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript (gs) fehlt")

BLEED = 3 / 25.4 * 72  # 3 mm in points


def cmyk_pdf(*pages: bytes) -> bytes:
    """A PDF with one page per content stream: A4 with 3 mm bleed, CMYK colours."""
    pdf = pikepdf.new()
    for content in pages:
        pdf.add_blank_page(page_size=(595.28 + 2 * BLEED, 841.89 + 2 * BLEED))
        page = pdf.pages[-1].obj
        page.TrimBox = [BLEED, BLEED, 595.28 + BLEED, 841.89 + BLEED]
        page.Contents = pdf.make_stream(content)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


# a square of 400 % (all four inks full) 100 pt from the trimmed page's left and top edges
FULL_SQUARE = b"1 1 1 1 k %.2f %.2f 100 -100 re f" % (100 + BLEED, 841.89 + BLEED - 100)
LIGHT = b"0.5 0.5 0.5 0.5 k 0 0 200 200 re f"  # 200 %, rendered as 199 %


def test_the_fullest_spot_is_found_with_page_and_place() -> None:
    spot = highest_ink(cmyk_pdf(LIGHT, FULL_SQUARE))
    assert spot is not None
    assert (spot.page, spot.percent) == (2, 400)
    assert abs(spot.left - 35) <= 1 and abs(spot.top - 35) <= 1  # 100 pt = 35 mm


def test_a_page_within_the_limit_is_measured_but_not_warned_about() -> None:
    spot = highest_ink(cmyk_pdf(LIGHT))
    assert spot is not None and spot.percent == 199  # 4 × 127 of 255: 8 bits an ink
    assert ink_warning(spot, 300) == []


def test_ink_above_the_limit_is_a_german_warning() -> None:
    assert said(ink_warning(InkSpot(2, 400, 35, 36), 300)) == [
        "Druck-PDF: Farbauftrag 400 % auf Seite 2 (etwa 35 mm von links, 36 mm von oben) über "
        "der Grenze von 300 % (druck: farbauftrag_max); dunkle Flächen mit weniger Cyan, "
        "Magenta und Gelb anlegen oder die Grenze mit der Druckerei klären"
    ]
    assert ink_warning(InkSpot(2, 300, 35, 36), 300) == []


def test_without_ghostscript_nothing_is_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert highest_ink(cmyk_pdf(FULL_SQUARE)) is None


def ink_warnings(root: Path) -> tuple[bytes, list[str]]:
    result = build_programme(root, BUILT_IN, ("druck",))
    assert result.problems == []
    found = [w for w in said(result.warnings) if "Farbauftrag" in w]
    return result.files[f"{root.name}-druck.pdf"], found


def test_the_build_warns_when_the_print_pdf_exceeds_the_print_shops_limit(mini: Path) -> None:
    pdf, warnings = ink_warnings(mini)
    spot = highest_ink(pdf)
    assert spot is not None and 100 < spot.percent <= 300  # the default profile's 300 %
    assert warnings == []
    edit(
        mini / "programm.yaml",
        "layout: bericht\n",
        "layout: bericht\ndruck:\n  farbauftrag_max: 200\n",
    )
    _, warnings = ink_warnings(mini)
    assert warnings == said(ink_warning(spot, 200))
    assert len(warnings) == (spot.percent > 200)


def test_the_limit_is_checked(mini: Path) -> None:
    edit(
        mini / "programm.yaml",
        "layout: bericht\n",
        "layout: bericht\ndruck:\n  farbauftrag_max: 500\n",
    )
    assert problems(mini) == ["mini/programm.yaml:6: „farbauftrag_max“ darf höchstens 400 sein."]


def test_padded_pages_render_without_errors(mini: Path) -> None:
    edit(
        mini / "programm.yaml",
        "layout: bericht\n",
        "layout: bericht\ndruck:\n  seitenzahl_vielfaches: 16\n",
    )
    pdf, _ = ink_warnings(mini)
    done = subprocess.run(
        ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=nullpage", "-"],
        input=pdf,
        capture_output=True,
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, b"")


def test_an_inkspot_is_plain_data() -> None:
    assert dataclasses.asdict(InkSpot(1, 320, 10, 20)) == {
        "page": 1,
        "percent": 320,
        "left": 10,
        "top": 20,
    }
