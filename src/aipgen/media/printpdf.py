"""Turn the print format's HTML into the PDF/X-4 the print shop gets.

The print PDF is made from the screen PDF's pages, which WeasyPrint drew once (laid out with
the bleed; the screen PDF shows them trimmed): each page gets back its bleed as MediaBox, with
TrimBox and BleedBox as WeasyPrint sets them for PDF/X; the structure tree and its marked
content go, the CMYK profile becomes the output intent, and the metadata are WeasyPrint's own
for PDF/X-4. Palette and theme colours are exact DeviceCMYK already. One pikepdf pass then makes
the file CMYK only: every remaining RGB colour operator becomes CMYK (palette colours by lookup,
greys as pure black ink, all others through the ICC profile), RGB images are converted (their
soft masks kept), transparency groups blend in DeviceCMYK, link annotations are dropped, the
output condition is named, the page count padded if the programme asks, and the document id
derived from the content, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from aipgen.base.errors import Problem
from aipgen.base.formats import Files, Job, OutputFormat
from aipgen.compute.document import Document
from aipgen.content.layouts import layout_settings, theme_colours
from aipgen.content.printprofile import (
    OutputCondition,
    ink_limit,
    output_condition,
    print_profile,
)
from aipgen.design.palette import CMYK, as_cmyk, srgb_to_cmyk
from aipgen.media.ink import highest_ink, ink_warning
from aipgen.media.pdf import pages, render_screen_pdf

MIN_DPI = 300
RGB_OPERATORS = {"rg": "k", "RG": "K"}
MARKED_CONTENT = {"BMC", "BDC", "EMC"}  # the screen PDF's tags in its content streams
PDFX_PDF_VERSION = "1.6"  # the PDF version PDF/X-4 is based on
PDFX = ("x", 4, "PDF/X-4")  # WeasyPrint's metadata variant, version and conformance
XMP_HEADER = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
)
XMP_FOOTER = b'</x:xmpmeta>\n<?xpacket end="r"?>'
MAX_BLEED_BOX = 10  # pt beyond the trim at most, as WeasyPrint sets the BleedBox
# What the audit reads of a content stream (pikepdf skips the rest while it parses): the RGB
# colour operators and inline images
AUDITED_OPERATORS = " ".join([*RGB_OPERATORS, "BI", "ID", "EI"])
# What the image placements are read from: the graphics state's matrix and the drawn objects
PLACEMENT_OPERATORS = "q Q cm Do"
RGB_SPACES = {"/DeviceRGB", "/CalRGB"}
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def preload() -> None:
    """What making the print PDF from the screen PDF loads: pikepdf for the colour pass,
    Pillow's colour management for it, numpy for the ink check."""
    import numpy  # noqa: F401
    import pikepdf  # noqa: F401
    from PIL import ImageCms  # noqa: F401


def print_pdf_files(fmt: OutputFormat, job: Job) -> Files:
    """The print format's one file: its PDF/X-4."""
    return {fmt.file(job.doc.name): render_print_pdf(job)}


def render_print_pdf(job: Job) -> bytes:
    """The pages the screen PDF shows, written as PDF/X-4 with their bleed, then made CMYK."""
    options = job.doc.meta.print_options
    profile = print_profile(job.doc.root, options, job.doc.design)
    finished = finish_opened(
        print_variant(render_screen_pdf(job), pages(job), profile),
        CmykConverter(profile, exact_colours(job.doc)),
        output_condition(options),
        page_multiple(job.doc),
    )
    job.warnings.extend(image_warnings(finished.images, images_by_size(job)))
    job.warnings.extend(Problem.general(f"Druck-PDF: {p}") for p in finished.problems)
    job.warnings.extend(ink_warning(highest_ink(finished.pdf), ink_limit(options)))
    return finished.pdf


def exact_colours(doc: Document) -> dict[str, CMYK]:
    """The sRGB colours that print as stated CMYK values rather than through the profile: the
    chart palette's, the layout's tints (layout.yaml, `druck: farben`) and the theme colours
    that programm.yaml gives in CMYK."""
    theme, srgb = doc.meta.theme, theme_colours(doc.meta.theme, doc.design)
    own = {srgb["primary"]: theme.primary_cmyk, srgb["accent"]: theme.accent_cmyk}
    layout = layout_settings(doc.meta.layout, doc.design).print_options.colours
    stated = {**layout, **{srgb: cmyk for srgb, cmyk in own.items() if cmyk}}
    return {
        **srgb_to_cmyk(doc.design),
        **{srgb.lower(): as_cmyk(cmyk) for srgb, cmyk in stated.items()},
    }


def page_multiple(doc: Document) -> int:
    """The programme's wish, else its layout's (a brochure layout asks for 4), else 1."""
    own = doc.meta.print_options.page_multiple
    return own or layout_settings(doc.meta.layout, doc.design).print_options.page_multiple


@dataclass
class ImageUse:
    """One raster image as placed on a page: its pixels and its effective resolution."""

    page: int
    width: int
    height: int
    dpi: float


@dataclass
class Finished:
    pdf: bytes
    images: list[ImageUse] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what is still not CMYK (as the audit)


class CmykConverter:
    """sRGB → CMYK: stated colours exactly (see exact_colours), greys as black ink, the rest
    via the ICC profile."""

    def __init__(self, profile: Path, exact: dict[str, CMYK]) -> None:
        self.profile = profile
        self.exact = exact
        self.cache: dict[tuple[int, int, int], tuple[float, float, float, float]] = {}

    @cached_property
    def transform(self) -> Any:
        from PIL import ImageCms

        return ImageCms.buildTransform(
            ImageCms.createProfile("sRGB"),
            ImageCms.getOpenProfile(str(self.profile)),
            "RGB",
            "CMYK",
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
        )

    def colour(self, rgb: tuple[float, float, float]) -> tuple[float, float, float, float]:
        key = (round(rgb[0] * 255), round(rgb[1] * 255), round(rgb[2] * 255))
        if key not in self.cache:
            self.cache[key] = self._convert(key)
        return self.cache[key]

    def _convert(self, rgb: tuple[int, int, int]) -> tuple[float, float, float, float]:
        from PIL import Image, ImageCms

        if rgb[0] == rgb[1] == rgb[2]:
            return (0.0, 0.0, 0.0, round(1 - rgb[0] / 255, 4))
        exact = self.exact.get("#{:02x}{:02x}{:02x}".format(*rgb))
        if exact:
            c, m, y, k = (v / 100 for v in exact)
            return (c, m, y, k)
        pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), self.transform)
        values = pixel.getpixel((0, 0)) if pixel else (0, 0, 0, 255)
        c, m, y, k = (round(v / 255, 4) for v in values)  # type: ignore[union-attr]
        return (c, m, y, k)

    def image(self, data: bytes, size: tuple[int, int]) -> bytes:
        from PIL import Image, ImageCms

        rgb = Image.frombytes("RGB", size, data)
        converted = ImageCms.applyTransform(rgb, self.transform)
        assert converted is not None
        return converted.tobytes()


def print_variant(screen: bytes, document: Any, profile: Path) -> Any:
    """The screen PDF, opened, as the raw PDF/X-4 of the same pages (see the module's
    docstring); `document` is WeasyPrint's, whose pages know their bleed."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(screen))
    for page, laid_out in zip(pdf.pages, document.pages, strict=True):
        widen_by_bleed(page.obj, {side: px * 0.75 for side, px in laid_out.bleed.items()})
    untag(pdf)
    cmyk = pdf.make_stream(profile.read_bytes(), N=4)
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX, DestOutputProfile=cmyk
    )
    pdf.Root.OutputIntents = pikepdf.Array([intent])
    pdf.trailer.Info.Trapped = pikepdf.Name("/False")
    xmp = document.metadata.generate_rdf_metadata(*PDFX)
    pdf.Root.Metadata = pdf.make_stream(
        b"\n".join((XMP_HEADER, xmp, XMP_FOOTER)),
        Type=pikepdf.Name.Metadata,
        Subtype=pikepdf.Name.XML,
    )
    return pdf


def widen_by_bleed(page: Any, bleed: dict[str, float]) -> None:
    """The trimmed page's MediaBox becomes its TrimBox; MediaBox and BleedBox as WeasyPrint's
    PDF/X writer sets them (`bleed` in pt; WeasyPrint's "top" is the box's lower y)."""
    trim = [float(v) for v in page.MediaBox]
    page.TrimBox = trim
    page.MediaBox = outside(trim, bleed, math.inf)
    page.BleedBox = outside(trim, bleed, MAX_BLEED_BOX)


def outside(box: list[float], bleed: dict[str, float], most: float) -> list[float]:
    left, top, right, bottom = box
    return [
        left - min(most, bleed["left"]),
        top - min(most, bleed["top"]),
        right + min(most, bleed["right"]),
        bottom + min(most, bleed["bottom"]),
    ]


def untag(pdf: Any) -> None:
    """No structure tree: the print shop's file is not read aloud (its marked content goes
    in the colour pass)."""
    for key in ("/StructTreeRoot", "/MarkInfo", "/ViewerPreferences"):
        if key in pdf.Root:
            del pdf.Root[key]
    for page in pdf.pages:
        for key in ("/StructParents", "/Tabs"):
            if key in page.obj:
                del page.obj[key]


def finish_opened(
    pdf: Any, converter: CmykConverter, condition: OutputCondition, page_multiple: int
) -> Finished:
    """The raw PDF/X-4 made CMYK only, named, padded and saved (see the module's docstring)."""
    walker = PageWalker(pdf, converter)
    for number, page in enumerate(pdf.pages, start=1):
        walker.walk(page.obj, IDENTITY, number, is_page=True)
        if "/Annots" in page.obj:
            del page.obj["/Annots"]
    problems = sorted({*walker.problems, *rgb_in_objects(pdf)})
    pad_pages(pdf, page_multiple)
    name_output_condition(pdf, condition)
    stable_document_id(pdf)
    if "/ID" in pdf.trailer:  # a random one; qpdf derives both parts from the content
        del pdf.trailer["/ID"]
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True, force_version=PDFX_PDF_VERSION)
    return Finished(out.getvalue(), walker.images, problems)


class PageWalker:
    """Walks pages, form XObjects and tiling patterns once each, rewriting their colours, and
    follows every placement of an image to measure its resolution. What it cannot make CMYK
    in a content stream (an inline RGB image) it names, as the audit would, on the first page
    that shows it."""

    def __init__(self, pdf: Any, converter: CmykConverter) -> None:
        self.pdf = pdf
        self.converter = converter
        self.done: set[tuple[int, int]] = set()
        self.images: list[ImageUse] = []
        self.problems: list[str] = []

    def walk(self, holder: Any, ctm: Matrix, page: int, is_page: bool = False) -> None:
        import pikepdf

        first_visit = is_page or holder.objgen not in self.done
        self.done.add(holder.objgen)
        ops = pikepdf.parse_content_stream(holder)
        names = [str(i.operator) for i in ops]  # once: pikepdf makes each anew when asked
        resources = holder.get("/Resources", pikepdf.Dictionary())
        for operands, operator in placements(ops, ctm, names):
            self.place(resources.get("/XObject", {}).get(operands), operator, page)
        if not first_visit:
            return
        left = [i for i in ops if isinstance(i, pikepdf.ContentStreamInlineImage)]
        self.problems += [f"{rgb_kind(i)} auf Seite {page}" for i in left if is_rgb_operator(i)]
        data = pikepdf.unparse_content_stream(
            [
                self.recolour(i, n)
                for i, n in zip(ops, names, strict=True)
                if n not in MARKED_CONTENT
            ]
        )
        if is_page:
            holder.Contents = self.pdf.make_stream(data)
        else:
            holder.write(data)
        self.fix_group(holder)
        for pattern in dict(resources.get("/Pattern", {})).values():
            if pattern.get("/PatternType") == 1:
                self.walk(pattern, IDENTITY, page)

    def place(self, xobject: Any, ctm: Matrix, page: int) -> None:
        if xobject is None:
            return
        if xobject.get("/Subtype") == "/Form":
            matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
            self.walk(xobject, multiply(matrix, ctm), page)  # type: ignore[arg-type]
        elif xobject.get("/Subtype") == "/Image":
            self.convert_image(xobject)
            self.images.append(image_use(xobject, ctm, page))

    def recolour(self, instruction: Any, name: str) -> Any:
        """The instruction (its operator `name`) with an RGB colour made CMYK."""
        import pikepdf

        if name not in RGB_OPERATORS:
            return instruction
        operands = instruction.operands
        rgb = (float(operands[0]), float(operands[1]), float(operands[2]))
        cmyk = [round(v, 4) for v in self.converter.colour(rgb)]
        return (cmyk, pikepdf.Operator(RGB_OPERATORS[name]))

    def fix_group(self, holder: Any) -> None:
        import pikepdf

        group = holder.get("/Group")
        if group is not None and str(group.get("/CS")) in RGB_SPACES:
            group.CS = pikepdf.Name.DeviceCMYK

    def convert_image(self, image: Any) -> None:
        import pikepdf

        if image.objgen in self.done or str(image.get("/ColorSpace")) not in RGB_SPACES:
            return
        self.done.add(image.objgen)
        if int(image.get("/BitsPerComponent", 8)) != 8:
            return  # left for the audit to report
        size = (int(image.Width), int(image.Height))
        data = self.converter.image(pikepdf.PdfImage(image).read_bytes(), size)
        image.write(zlib.compress(data, 9), filter=pikepdf.Name.FlateDecode)
        image.ColorSpace = pikepdf.Name.DeviceCMYK
        for key in ("/DecodeParms", "/Decode"):
            if key in image:
                del image[key]


def placements(
    ops: list[Any], ctm: Matrix, names: list[str] | None = None
) -> Iterator[tuple[Any, Matrix]]:
    """Each `Do` in a content stream with the transformation in force where it is drawn
    (`names`: the operators' names, where known)."""
    stack: list[Matrix] = []
    for instruction, name in zip(ops, names or (str(i.operator) for i in ops), strict=True):
        if name == "q":
            stack.append(ctm)
        elif name == "Q" and stack:
            ctm = stack.pop()
        elif name == "cm":
            matrix = tuple(float(v) for v in instruction.operands)
            ctm = multiply(matrix, ctm)  # type: ignore[arg-type]
        elif name == "Do":
            yield instruction.operands[0], ctm


def multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def image_use(image: Any, ctm: Matrix, page: int) -> ImageUse:
    """An image fills the unit square of its CTM: its printed size is the CTM's scale."""
    width_in = math.hypot(ctm[0], ctm[1]) / 72
    height_in = math.hypot(ctm[2], ctm[3]) / 72
    w, h = int(image.Width), int(image.Height)
    dpi = min(w / width_in if width_in else math.inf, h / height_in if height_in else math.inf)
    return ImageUse(page, w, h, dpi)


def images_by_size(job: Job) -> dict[tuple[int, int], str]:
    """The programme's raster images by pixel size, to name them in warnings."""
    from PIL import Image

    names: dict[tuple[int, int], str] = {}
    for rel in job.doc.all_images:
        try:
            with Image.open(job.doc.root / rel) as image:
                names.setdefault(image.size, rel)
        except OSError:
            continue  # not a raster image (SVG): drawn as vectors
    return names


def image_warnings(uses: list[ImageUse], names: dict[tuple[int, int], str]) -> list[Problem]:
    warnings = []
    for use in uses:
        if use.dpi >= MIN_DPI - 0.5:
            continue
        name = names.get((use.width, use.height), f"ein Bild mit {use.width} × {use.height} Pixeln")
        warnings.append(
            Problem.general(
                f"Druck-PDF, Seite {use.page}: „{name}“ hat in der gedruckten Größe nur "
                f"{use.dpi:.0f} dpi (für den Druck mindestens {MIN_DPI} dpi)."
            )
        )
    return warnings


def pad_pages(pdf: Any, multiple: int) -> None:
    """Empty pages before the back cover (the last page) until the count is a multiple
    (e.g. 4 for saddle stitching)."""
    import pikepdf

    last = pdf.pages[-1].obj
    boxes = {box[1:]: last[box] for box in ("/MediaBox", "/TrimBox", "/BleedBox") if box in last}
    while len(pdf.pages) % multiple:
        # no content stream: an empty one would be saved as zero bytes marked FlateDecode,
        # which renderers (Ghostscript) report as a broken stream
        page = pikepdf.Dictionary(Type=pikepdf.Name.Page, Resources=pikepdf.Dictionary(), **boxes)
        pdf.pages.insert(len(pdf.pages) - 1, pikepdf.Page(page))


def name_output_condition(pdf: Any, condition: OutputCondition) -> None:
    import pikepdf

    for intent in pdf.Root.get("/OutputIntents", []):
        intent.OutputConditionIdentifier = pikepdf.String(condition.identifier)
        intent.Info = pikepdf.String(condition.info)
        intent.RegistryName = pikepdf.String(condition.registry)


DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-fA-F-]{36}")


def stable_document_id(pdf: Any) -> None:
    """Replace WeasyPrint's random XMP document id with one derived from the page content."""
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        return
    digest = hashlib.sha256()
    for page in pdf.pages:
        if "/Contents" in page.obj:  # a padded blank page has none
            digest.update(page.obj.Contents.read_bytes())
    h = digest.hexdigest()
    uuid = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}".encode()
    xmp = DOCUMENT_ID.sub(b"xmp.did:" + uuid, metadata.read_bytes())
    metadata.write(xmp)


def audit_print_pdf(data: bytes) -> list[str]:
    """Everything that is not CMYK: RGB colour operators, images, groups, shadings, spaces."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        problems = rgb_in_objects(pdf)
        for number, page in enumerate(pdf.pages, start=1):
            problems.extend(rgb_in_streams(page.obj, f"Seite {number}", set()))
    return sorted(set(problems))


def rgb_in_objects(pdf: Any) -> list[str]:
    return [problem for obj in pdf.objects for problem in rgb_in_object(obj)]


def rgb_in_object(obj: Any) -> list[str]:
    """RGB colour spaces named in a dictionary (images, groups, shadings, resources)."""
    import pikepdf

    if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return []
    found = []
    for key in ("/ColorSpace", "/CS"):
        value = obj.get(key)
        if value is not None and is_rgb_space(value):
            kind = str(obj.get("/Subtype", obj.get("/S", obj.get("/ShadingType", "Objekt"))))
            found.append(f"RGB-Farbraum in {kind.lstrip('/')} (Objekt {obj.objgen[0]})")
    return found


def is_rgb_space(value: Any) -> bool:
    import pikepdf

    if isinstance(value, pikepdf.Name):
        return str(value) in RGB_SPACES
    if isinstance(value, pikepdf.Array) and len(value) > 1:
        if str(value[0]) == "/ICCBased":
            return int(value[1].get("/N", 0)) == 3
        if str(value[0]) in ("/Indexed", "/Separation", "/DeviceN"):
            return any(is_rgb_space(v) for v in list(value)[1:3])
        return str(value[0]) in RGB_SPACES
    if isinstance(value, pikepdf.Dictionary):
        return any(is_rgb_space(v) for v in value.values())
    return False


def is_rgb_operator(instruction: Any) -> bool:
    """An RGB colour operator, or an inline image (BI … EI) in RGB."""
    import pikepdf

    if isinstance(instruction, pikepdf.ContentStreamInlineImage):
        space = instruction.iimage.obj.get("/CS", instruction.iimage.obj.get("/ColorSpace"))
        return str(space) in ("/RGB", *RGB_SPACES) or is_rgb_space(space)
    return str(instruction.operator) in RGB_OPERATORS


def rgb_kind(instruction: Any) -> str:
    import pikepdf

    if isinstance(instruction, pikepdf.ContentStreamInlineImage):
        return "RGB-Bild im Inhalt"
    return f"RGB-Farboperator „{instruction.operator}“"


def rgb_in_streams(holder: Any, where: str, seen: set[tuple[int, int]]) -> list[str]:
    """RGB colour operators in a content stream and the forms and patterns it uses."""
    import pikepdf

    if holder.objgen != (0, 0) and holder.objgen in seen:
        return []
    seen.add(holder.objgen)
    ops = pikepdf.parse_content_stream(holder, AUDITED_OPERATORS)
    found = [f"{rgb_kind(i)} auf {where}" for i in ops if is_rgb_operator(i)]
    resources = holder.get("/Resources", {})
    children = [*dict(resources.get("/XObject", {})).values()]
    children += [*dict(resources.get("/Pattern", {})).values()]
    for child in children:
        if child.get("/Subtype") == "/Form" or child.get("/PatternType") == 1:
            found.extend(rgb_in_streams(child, where, seen))
    return found
