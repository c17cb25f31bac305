"""The print PDF: PDF/X-4 with a CMYK output intent, CMYK only, A4 trim with 3 mm bleed, fonts
embedded, no annotations, exact brand colours, resolution warnings, page padding."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image

from aipgen.base.paths import BUILT_IN, project_design
from aipgen.build.pipeline import build_programme
from aipgen.content.model import PrintOptions
from aipgen.content.printprofile import default_profile, output_condition
from aipgen.media.printpdf import CmykConverter, audit_print_pdf, finish_opened

from ..helpers import PROGRAMMES, edit, layout_of, run, said

A4 = (595.2756, 841.8898)
TRIM = {"bericht": A4, "broschuere": A4, "handout": (A4[1], A4[0])}  # the handout is landscape
BLEED = 3 / 25.4 * 72


def print_pdf(built: Path, name: str) -> bytes:
    return (built / name / f"{name}-druck.pdf").read_bytes()


def print_build(root: Path) -> tuple[bytes, list[str]]:
    result = build_programme(root, BUILT_IN, ("druck",))
    assert result.problems == []
    return result.files[f"{root.name}-druck.pdf"], said(result.warnings)


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
    width, height = TRIM[layout_of(name)]
    with pikepdf.open(io.BytesIO(print_pdf(built, name))) as pdf:
        assert len(pdf.Root.Outlines.First.keys()) > 0  # bookmarks stay
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert trim[2] - trim[0] == pytest.approx(width, abs=0.01)
            assert trim[3] - trim[1] == pytest.approx(height, abs=0.01)
            expected = [trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED]
            assert bleed == pytest.approx(expected, abs=0.01)
            assert media[0] <= bleed[0] and media[3] >= bleed[3]
            assert "/Annots" not in page.obj


@pytest.mark.parametrize("name", PROGRAMMES)
def test_print_pdf_has_no_tags_and_blends_in_cmyk(built: Path, name: str) -> None:
    """The print PDF is made from the screen PDF: its structure tree and marked content go,
    and its transparency groups blend in DeviceCMYK, as its colours are."""
    with pikepdf.open(io.BytesIO(print_pdf(built, name))) as pdf:
        assert not {"/StructTreeRoot", "/MarkInfo"} & set(pdf.Root.keys())
        groups = []
        for page in pdf.pages:
            assert "/StructParents" not in page.obj
            assert pikepdf.parse_content_stream(page, "BMC BDC EMC") == []
            groups += [str(form.Group.CS) for form in forms(page.obj) if "/Group" in form]
        assert set(groups) <= {"/DeviceCMYK"}, set(groups)


def forms(holder: Any) -> list[Any]:
    """The form XObjects a page or form draws, and theirs."""
    found = []
    for xobject in dict(holder.get("/Resources", {}).get("/XObject", {})).values():
        if xobject.get("/Subtype") == "/Form":
            found += [xobject, *forms(xobject)]
    return found


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
    edit(
        mini / "programm.yaml",
        "layout: bericht\n",
        "layout: bericht\ndruck:\n  seitenzahl_vielfaches: 1\n",
    )
    plain, _ = print_build(mini)  # the report layout asks for 4; 1 gives the pages as laid out
    with pikepdf.open(io.BytesIO(plain)) as a:
        count, last = len(a.pages), a.pages[-1].Contents.read_bytes()
    multiple = next(k for k in range(3, 17) if count % k)  # one the plain count misses
    edit(
        mini / "programm.yaml", "seitenzahl_vielfaches: 1\n", f"seitenzahl_vielfaches: {multiple}\n"
    )
    padded, _ = print_build(mini)
    with pikepdf.open(io.BytesIO(padded)) as b:
        assert len(b.pages) % multiple == 0 and len(b.pages) - count < multiple
        # the back cover stays the last page; the empty pages come before it
        assert b.pages[-1].Contents.read_bytes() == last
        assert "/Contents" not in b.pages[-2].obj  # blank: no (empty) content stream


def test_own_profile_and_condition(mini: Path) -> None:
    from aipgen.content.printprofile import default_profile

    (mini / "druck").mkdir()
    (mini / "druck" / "haus.icc").write_bytes(default_profile(BUILT_IN).read_bytes())
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
    assert "Das Farbprofil „../../etc/profil.icc“ liegt außerhalb des Programmordners." in err


def pdf_with_content(content: bytes) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=A4)
    pdf.pages[0].obj.Contents = pdf.make_stream(content)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"0.2 0.4 0.6 rg 0 0 10 10 re f", "RGB-Farboperator „rg“ auf Seite 1"),
        (b"0 0 1 RG 0 0 m 10 10 l S", "RGB-Farboperator „RG“ auf Seite 1"),
        (b"q 10 0 0 10 0 0 cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 EI Q", "RGB-Bild im "),
    ],
)
def test_audit_catches_each_kind_of_rgb(content: bytes, problem: str) -> None:
    problems = audit_print_pdf(pdf_with_content(content))
    assert any(p.startswith(problem) for p in problems), problems
    assert audit_print_pdf(pdf_with_content(b"0 0.6 1 0.2 k 0 0 10 10 re f")) == []


def pdf_with_form(content: bytes) -> bytes:
    """A page that draws a form XObject whose content is `content`."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=A4)
    form = pdf.make_stream(content, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
    form.BBox = [0, 0, 10, 10]
    page = pdf.pages[0].obj
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm1=form))
    page.Contents = pdf.make_stream(b"q /Fm1 Do Q")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


RGB_IMAGE = b"q 10 0 0 10 0 0 cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 EI Q"


@pytest.mark.parametrize(
    "raw",
    [
        pdf_with_content(b"0.2 0.4 0.6 rg " + RGB_IMAGE),
        pdf_with_form(b"0 0 1 RG 0 0 m 10 10 l S " + RGB_IMAGE),
    ],
    ids=["page", "form"],
)
def test_the_finisher_names_what_it_cannot_make_cmyk_as_the_audit_does(raw: bytes) -> None:
    """The build takes its warnings from the finisher, which does not read the file again: it
    must name what the independent audit of the finished file finds, and nothing else."""
    options = PrintOptions()
    converter = CmykConverter(default_profile(BUILT_IN), {})
    opened = pikepdf.open(io.BytesIO(raw))
    finished = finish_opened(opened, converter, output_condition(options), 1)
    assert finished.problems == ["RGB-Bild im Inhalt auf Seite 1"]
    assert audit_print_pdf(finished.pdf) == finished.problems


def all_colours(data: bytes) -> set[tuple[float, ...]]:
    found: set[tuple[float, ...]] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        holders = [page.obj for page in pdf.pages]
        holders += [
            o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form"
        ]
        for holder in holders:
            for i in pikepdf.parse_content_stream(holder):
                if str(i.operator) in ("k", "K", "scn", "SCN") and len(i.operands) == 4:
                    found.add(tuple(round(float(v), 4) for v in i.operands))
    return found


def test_chart_palette_cmyk_is_used_exactly(built: Path) -> None:
    """Orange and green of charts/palette.yaml, as the print shop proofs them (Duisburg's pie
    has both)."""
    colours = all_colours(print_pdf(built, "duisburg-2016"))
    assert {(0.0, 0.65, 1.0, 0.2), (0.75, 0.0, 0.9, 0.3)} <= colours


def test_layout_can_ask_for_page_multiple(mini: Path) -> None:
    from aipgen.media.printpdf import page_multiple

    from ..helpers import document

    project = mini.parent / "projekt"
    (project / "templates" / "bericht").mkdir(parents=True)
    (project / "templates" / "bericht" / "layout.yaml").write_text(
        "druck:\n  seitenzahl_vielfaches: 4\n"
    )
    design = project_design(project)
    assert page_multiple(document(mini, design)) == 4
    edit(
        mini / "programm.yaml",
        "layout: bericht\n",
        "layout: bericht\ndruck:\n  seitenzahl_vielfaches: 2\n",
    )
    assert page_multiple(document(mini, design)) == 2  # the programme's own wish wins
