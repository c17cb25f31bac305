"""The print PDF: PDF/X-4 with a CMYK output intent, CMYK only, A4 trim with 3 mm bleed, fonts
embedded, no annotations, exact brand colours, resolution warnings, page padding."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image

from aipgen.pipeline import build_programme
from aipgen.printpdf import audit_print_pdf

from .conftest import PROGRAMMES, edit
from .test_cli import run

A4 = (595.2756, 841.8898)
BLEED = 3 / 25.4 * 72


def print_pdf(built: Path, name: str) -> bytes:
    return (built / name / f"{name}-druck.pdf").read_bytes()


def print_build(root: Path) -> tuple[bytes, list[str]]:
    result = build_programme(root, ("druck",))
    assert result.problems == []
    return result.files[f"{root.name}-druck.pdf"], result.warnings


@pytest.mark.parametrize("name", PROGRAMMES)
def test_print_pdf_is_cmyk_only(built: Path, name: str) -> None:
    assert audit_print_pdf(print_pdf(built, name)) == []


def test_audit_finds_rgb(built: Path) -> None:
    problems = audit_print_pdf((built / "herne-2023" / "herne-2023.pdf").read_bytes())
    assert any(p.startswith("RGB-Farboperator „rg“ auf Seite 1") for p in problems)


@pytest.mark.parametrize("name", PROGRAMMES)
def test_print_pdf_is_pdf_x_4_with_cmyk_output_intent(built: Path, name: str) -> None:
    with pikepdf.open(io.BytesIO(print_pdf(built, name))) as pdf:
        assert pdf.pdf_version == "1.6"
        assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in (
            pdf.Root.Metadata.read_bytes()
        )
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org"
        profile = intent.DestOutputProfile
        assert profile.N == 4
        header = profile.read_bytes()[:40]
        assert header[12:20] == b"prtrCMYK" and header[36:40] == b"acsp"


@pytest.mark.parametrize("name", PROGRAMMES)
def test_print_pdf_boxes_and_no_annotations(built: Path, name: str) -> None:
    with pikepdf.open(io.BytesIO(print_pdf(built, name))) as pdf:
        assert len(pdf.Root.Outlines.First.keys()) > 0  # bookmarks stay
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert trim[2] - trim[0] == pytest.approx(A4[0], abs=0.01)
            assert trim[3] - trim[1] == pytest.approx(A4[1], abs=0.01)
            expected = [trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED]
            assert bleed == pytest.approx(expected, abs=0.01)
            assert media[0] <= bleed[0] and media[3] >= bleed[3]
            assert "/Annots" not in page.obj


def fonts(holder: Any, seen: set[tuple[int, int]]) -> list[Any]:
    resources = holder.get("/Resources", {})
    found = list(dict(resources.get("/Font", {})).values())
    for xobject in dict(resources.get("/XObject", {})).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            found += fonts(xobject, seen)
    return found


def embedded(font: Any) -> bool:
    descriptor_owner = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    descriptor = descriptor_owner.FontDescriptor
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_print_pdf_fonts_embedded(built: Path) -> None:
    with pikepdf.open(io.BytesIO(print_pdf(built, "herne-2023"))) as pdf:
        all_fonts = [f for page in pdf.pages for f in fonts(page.obj, set())]
        assert all_fonts and all(embedded(f) for f in all_fonts)


def colours_on_page(data: bytes, number: int) -> list[list[float]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        ops = pikepdf.parse_content_stream(pdf.pages[number - 1].obj)
        return [
            [round(float(v), 4) for v in i.operands]
            for i in ops
            if str(i.operator) in ("k", "K", "scn", "SCN") and len(i.operands) == 4
        ]


def test_theme_cmyk_is_used_exactly(built: Path) -> None:
    """The cover band is the theme's primary colour, printed with its own CMYK values."""
    assert [1.0, 0.6, 0.0, 0.1] in colours_on_page(print_pdf(built, "herne-2023"), 1)


def test_greys_become_black_ink(mini: Path) -> None:
    data, _ = print_build(mini)
    colours = colours_on_page(data, 1)
    body_text = [0.0, 0.0, 0.0, round(1 - 0x1A / 255, 4)]  # --text: #1a1a1a
    assert body_text in colours


def add_image(mini: Path, size: tuple[int, int], mode: str = "RGBA") -> None:
    image = Image.new(mode, size, (200, 40, 40, 128) if mode == "RGBA" else (200, 40, 40))
    image.save(mini / "bilder" / "foto.png")
    edit(mini / "kapitel/01-vorwort.md", "Sehr", "![Team](bilder/foto.png)\n\nSehr")


def test_low_resolution_image_warns_with_its_name(mini: Path) -> None:
    add_image(mini, (60, 40))
    _, warnings = print_build(mini)
    assert any(
        w.startswith("Druck-PDF, Seite ")
        and "„bilder/foto.png“ hat in der gedruckten Größe nur" in w
        and "(für den Druck mindestens 300 dpi)." in w
        for w in warnings
    ), warnings


def test_rgb_image_becomes_cmyk_and_keeps_its_transparency(mini: Path) -> None:
    add_image(mini, (2400, 1600))
    data, warnings = print_build(mini)
    assert not any("dpi" in w for w in warnings)
    assert audit_print_pdf(data) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Width")]
        photo = next(o for o in images if int(o.Width) == 2400 and "/SMask" in o)
        assert photo.ColorSpace == "/DeviceCMYK"
        assert photo.SMask.ColorSpace == "/DeviceGray"


def test_pages_padded_to_a_multiple(mini: Path) -> None:
    plain, _ = print_build(mini)
    edit(
        mini / "programm.yaml",
        "layout: bericht\n",
        "layout: bericht\ndruck:\n  seitenzahl_vielfaches: 4\n",
    )
    padded, _ = print_build(mini)
    with pikepdf.open(io.BytesIO(plain)) as a, pikepdf.open(io.BytesIO(padded)) as b:
        assert len(a.pages) % 4 != 0  # else the test proves nothing
        assert len(b.pages) % 4 == 0 and len(b.pages) - len(a.pages) < 4


def test_own_profile_and_condition(mini: Path) -> None:
    from aipgen.printprofile import DEFAULT_PROFILE

    (mini / "druck").mkdir()
    (mini / "druck" / "haus.icc").write_bytes(DEFAULT_PROFILE.read_bytes())
    edit(
        mini / "programm.yaml",
        "layout: bericht\n",
        "layout: bericht\ndruck:\n  profil: druck/haus.icc\n  bedingung: FOGRA39L\n",
    )
    data, _ = print_build(mini)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.Root.OutputIntents[0].OutputConditionIdentifier) == "FOGRA39L"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Das Farbprofil „druck/haus.icc“ gibt es nicht im Programmordner."),
        (b"kein Profil", "Das Farbprofil „druck/haus.icc“ ist kein ICC-Farbprofil."),
        (
            "srgb",
            "Das Farbprofil „druck/haus.icc“ ist kein CMYK-Profil (für den Druck wird ein "
            "CMYK-Ausgabeprofil gebraucht).",
        ),
    ],
)
def test_bad_profile_is_reported(data_dir: Path, content: bytes | str | None, message: str) -> None:
    mini = data_dir / "mini"
    (mini / "druck").mkdir()
    if content == "srgb":
        import weasyprint

        content = (Path(weasyprint.__file__).parent / "pdf" / "sRGB2014.icc").read_bytes()
    if isinstance(content, bytes):
        (mini / "druck" / "haus.icc").write_bytes(content)
    edit(
        mini / "programm.yaml",
        "layout: bericht\n",
        "layout: bericht\ndruck:\n  profil: druck/haus.icc\n",
    )
    code, _, err = run("check", "--data-dir", str(data_dir))
    assert code == 1
    assert f"Fehler: mini/programm.yaml:6: {message}" in err


def test_profile_outside_programme_is_refused(data_dir: Path) -> None:
    edit(
        data_dir / "mini/programm.yaml",
        "layout: bericht\n",
        "layout: bericht\ndruck:\n  profil: ../../etc/profil.icc\n",
    )
    code, _, err = run("check", "--data-dir", str(data_dir))
    assert code == 1
    assert "Das Farbprofil „../../etc/profil.icc“ gibt es nicht im Programmordner." in err
