"""Turn the two PDFs of a programme into their checks' outcomes: the screen PDF against the
104 rules of PDF/UA-1 with page-validation (an independent checker, tested on the veraPDF
corpus), the print PDF against what PDF/X-4 and the print shop ask: version, output intent,
page boxes, no RGB, embedded fonts, image resolution and the highest total ink (Ghostscript).

page-validation knows no PDF/X profile, so the print PDF is checked by aipgen's own audit
(printpdf.py, ink.py), with pikepdf reading the file as it was written.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from importlib import metadata
from typing import Any

from aipgen import __version__
from aipgen.base.formats import OutputFormat
from aipgen.media.ink import highest_ink
from aipgen.media.printpdf import (
    IDENTITY,
    MIN_DPI,
    PLACEMENT_OPERATORS,
    Matrix,
    audit_print_pdf,
    image_use,
    multiply,
    placements,
)
from aipgen.media.proof import Finding, Outcome, Subject, judged, not_run

PDFX_VERSION = "PDF/X-4"
PDFX_KEY = "{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def screen_pdf(fmt: OutputFormat) -> bool:
    """The accessible PDF: paged, for the screen, and no gap in the statement."""
    return fmt.paged and fmt.colours == "screen" and not fmt.gap


def print_pdf(fmt: OutputFormat) -> bool:
    return fmt.paged and fmt.colours == "print"


def check_pdf_ua(subject: Subject) -> Outcome:
    """The screen PDF against PDF/UA-1 (ISO 14289-1) with page-validation."""
    found = subject.first(screen_pdf)
    if found is None:
        return not_run("Nicht ausgeführt: Das PDF zum Herunterladen wurde nicht gebaut.")
    try:
        import page
    except ImportError:
        return not_run("Nicht ausgeführt: page-validation ist nicht installiert.")
    name, data = found
    checker = f"page-validation {metadata.version('page-validation')}"
    try:
        report = page.validate_pdf_bytes(data, profile="pdfua1")
    except page.PageError as exc:
        unread = Finding("Lesen", f"Das PDF lässt sich nicht lesen: {exc}")
        return judged(checker, [unread], "Das PDF lässt sich nicht prüfen.", name)
    findings = [
        Finding(f.rule_id, f.message, f"Objekt {f.object_id.object_number}" if f.object_id else "")
        for f in report.failures
    ]
    rules = report.rules
    summary = f"{rules.passed} von {rules.total} Regeln erfüllt."
    return judged(checker, findings, summary, name)


def check_pdf_x4(subject: Subject) -> Outcome:
    """The print PDF against PDF/X-4 and the print shop's limit of total ink."""
    found = subject.first(print_pdf)
    if found is None:
        return not_run("Nicht ausgeführt: Das Druck-PDF wurde nicht gebaut.")
    import pikepdf

    name, data = found
    with pikepdf.open(io.BytesIO(data)) as pdf:
        findings = [
            *version_findings(pdf),
            *intent_findings(pdf),
            *box_findings(pdf),
            *font_findings(pdf),
            *resolution_findings(pdf),
        ]
        pages = len(pdf.pages)
    findings += [Finding("Farbraum", problem) for problem in audit_print_pdf(data)]
    ink, ink_text = ink_findings(data, subject.ink_limit)
    summary = f"{pages} Seiten; {ink_text}"
    return judged(x4_checker(), [*findings, *ink], summary, name)


def x4_checker() -> str:
    import pikepdf

    gs = ghostscript_version()
    ink = f", Ghostscript {gs}" if gs else ""
    return f"aipgen {__version__} mit pikepdf {pikepdf.__version__}{ink}"


def ghostscript_version() -> str:
    gs = shutil.which("gs")
    if gs is None:
        return ""
    done = subprocess.run([gs, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def version_findings(pdf: Any) -> list[Finding]:
    with pdf.open_metadata() as xmp:
        stated = str(xmp.get(PDFX_KEY, ""))
    if stated == PDFX_VERSION:
        return []
    return [
        Finding(
            "Version",
            f"Die Metadaten nennen „{stated or 'keine PDF/X-Version'}“ statt „{PDFX_VERSION}“.",
        )
    ]


def intent_findings(pdf: Any) -> list[Finding]:
    """One PDF/X output intent with a CMYK profile and a named output condition."""
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
    if not intents:
        return [Finding("Ausgabeprofil", "Das PDF hat keine PDF/X-Ausgabebedingung.")]
    intent = intents[0]
    found = []
    profile = intent.get("/DestOutputProfile")
    if profile is None or int(profile.get("/N", 0)) != 4:
        found.append(Finding("Ausgabeprofil", "Das Ausgabeprofil fehlt oder ist nicht CMYK."))
    if not str(intent.get("/OutputConditionIdentifier", "")):
        found.append(Finding("Ausgabeprofil", "Die Ausgabebedingung ist nicht benannt."))
    return found


def box_findings(pdf: Any) -> list[Finding]:
    """Every page with a TrimBox inside its BleedBox inside its MediaBox."""
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        obj = page.obj
        media = box(obj, "/MediaBox")
        trim, bleed = box(obj, "/TrimBox"), box(obj, "/BleedBox") or media
        if trim is None:
            found.append(
                Finding("Seitenrahmen", "Die Seite hat keinen TrimBox.", f"Seite {number}")
            )
        elif media is None or bleed is None or not inside(trim, bleed) or not inside(bleed, media):
            text = "TrimBox, BleedBox und MediaBox liegen nicht ineinander."
            found.append(Finding("Seitenrahmen", text, f"Seite {number}"))
    return found


def box(page: Any, key: str) -> tuple[float, ...] | None:
    value = page.get(key)
    return None if value is None else tuple(float(v) for v in value)


def inside(inner: tuple[float, ...], outer: tuple[float, ...], slack: float = 0.01) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def font_findings(pdf: Any) -> list[Finding]:
    """Every font embedded (Type 3 fonts are drawn by the PDF itself)."""
    missing = set()
    for obj in pdf.objects:
        if getattr(obj, "get", None) is None or obj.get("/Type") != "/Font":
            continue
        descriptor = font_descriptor(obj)
        if descriptor is not None and not any(key in descriptor for key in FONT_FILES):
            missing.add(str(obj.get("/BaseFont", "?")).lstrip("/"))
    return [
        Finding("Schriften", f"Die Schrift „{name}“ ist nicht eingebettet.") for name in missing
    ]


def font_descriptor(font: Any) -> Any:
    if font.get("/Subtype") == "/Type3":
        return None
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts", [])
        return descendants[0].get("/FontDescriptor") if len(descendants) else None
    return font.get("/FontDescriptor", {})


def resolution_findings(pdf: Any) -> list[Finding]:
    """Raster images below 300 dpi in their printed size, on the pages they are placed."""
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        for dpi in image_resolutions(page.obj, IDENTITY, set()):
            if dpi < MIN_DPI - 0.5:
                text = f"Ein Bild hat gedruckt nur {dpi:.0f} dpi (mindestens {MIN_DPI} dpi)."
                found.append(Finding("Auflösung", text, f"Seite {number}"))
    return found


def image_resolutions(holder: Any, ctm: Matrix, seen: set[tuple[int, int]]) -> list[float]:
    import pikepdf

    resolutions = []
    xobjects = holder.get("/Resources", {}).get("/XObject", {})
    ops = pikepdf.parse_content_stream(holder, PLACEMENT_OPERATORS)
    for operand, placed in placements(ops, ctm):
        xobject = xobjects.get(operand)
        if xobject is None:
            continue
        if xobject.get("/Subtype") == "/Image":
            resolutions.append(image_use(xobject, placed, 0).dpi)
        elif xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
            resolutions += image_resolutions(xobject, multiply(matrix, placed), seen)  # type: ignore[arg-type]
    return resolutions


def ink_findings(data: bytes, limit: int) -> tuple[list[Finding], str]:
    """The highest total ink against the limit, and a sentence on it for the summary."""
    spot = highest_ink(data)
    if spot is None:
        return [], "Gesamtfarbauftrag nicht gemessen: Ghostscript (gs) ist nicht installiert."
    text = f"höchster Gesamtfarbauftrag {spot.percent} % auf Seite {spot.page} (Grenze {limit} %)."
    if spot.percent <= limit:
        return [], text
    where = f"Seite {spot.page}, etwa {spot.left} mm von links, {spot.top} mm von oben"
    over = f"Gesamtfarbauftrag {spot.percent} % über der Grenze von {limit} %."
    return [Finding("Farbauftrag", over, where)], text
