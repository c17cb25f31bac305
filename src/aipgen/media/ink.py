"""Turn a print PDF into its highest total ink coverage: each page rendered in CMYK by
Ghostscript, the page and spot where cyan, magenta, yellow and black add up most.

Measured on rendered pages, not read from colour operators: what a page prints is what its
images, overlapping objects and transparency leave, and only a renderer knows that. Pillow and
pikepdf cannot render a PDF and poppler cannot render CMYK, so Ghostscript (`gs`, tiff32nc) does
it; where it is not installed nothing is measured (`highest_ink` gives None).
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from aipgen.base.errors import Problem
from aipgen.base.scratch import private_tempdir

DPI = 36  # each pixel about 0.7 mm: finer than any area a print shop's limit is about
MM_PER_POINT = 25.4 / 72


@dataclass(frozen=True)
class InkSpot:
    """Where a print PDF carries the most ink: page (from 1), total in %, and the spot in mm
    from the top left corner of the trimmed page (negative: in the bleed)."""

    page: int
    percent: int
    left: int
    top: int


@functools.lru_cache(maxsize=2)
def highest_ink(pdf: bytes) -> InkSpot | None:
    """The spot of the highest total ink on any page; None where Ghostscript is missing. The
    same file is measured once per process: the print build's warning and the conformance
    report (proofpdf.py) ask for the same bytes."""
    gs = shutil.which("gs")
    if gs is None:
        return None
    with private_tempdir("aipgen-farbauftrag-") as folder:
        pages = rendered_pages(gs, pdf, folder)
        spots = [page_maximum(page, number) for number, page in enumerate(pages, start=1)]
    best = max(spots, key=lambda spot: spot[0], default=None)
    return None if best is None else located(pdf, *best)


def rendered_pages(gs: str, pdf: bytes, folder: Path) -> list[Path]:
    source = folder / "druck.pdf"
    source.write_bytes(pdf)
    command = [gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiff32nc", f"-r{DPI}"]
    command += [f"-sOutputFile={folder / 'seite-%04d.tif'}", str(source)]
    subprocess.run(command, check=True, capture_output=True)
    return sorted(folder.glob("seite-*.tif"))


def page_maximum(path: Path, number: int) -> tuple[int, int, int, int]:
    """Total ink in % at the page's fullest pixel, with the page number and the pixel."""
    import numpy as np  # loaded when ink is measured (printpdf.preload)
    from PIL import Image

    with Image.open(path) as image:
        pixels = np.asarray(image, dtype=np.uint16)  # height × width × CMYK, 0–255
    total = pixels.sum(axis=2)
    row, column = np.unravel_index(int(total.argmax()), total.shape)
    return round(int(total[row, column]) * 100 / 255), number, int(column), int(row)


def located(pdf: bytes, percent: int, page: int, x: int, y: int) -> InkSpot:
    """The pixel as mm from the trimmed page's top left corner."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        box = document.pages[page - 1].obj
        media = [float(v) for v in box.MediaBox]
        trim = [float(v) for v in box.get("/TrimBox", box.MediaBox)]
    left = x * 72 / DPI - (trim[0] - media[0])
    top = y * 72 / DPI - (media[3] - trim[3])
    return InkSpot(page, percent, round(left * MM_PER_POINT), round(top * MM_PER_POINT))


def ink_warning(spot: InkSpot | None, limit: int) -> list[Problem]:
    """The German warning when the highest total ink exceeds the limit."""
    if spot is None or spot.percent <= limit:
        return []
    return [
        Problem.general(
            f"Druck-PDF: Farbauftrag {spot.percent} % auf Seite {spot.page} (etwa {spot.left} mm "
            f"von links, {spot.top} mm von oben) über der Grenze von {limit} % "
            "(druck: farbauftrag_max); dunkle Flächen mit weniger Cyan, Magenta und Gelb "
            "anlegen oder die Grenze mit der Druckerei klären"
        )
    ]
