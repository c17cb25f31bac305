"""Check an image file of a programme folder, and give the bytes that may be published.

Part of the validate stage. Raster images are measured from their header with Pillow, without
decoding, so a "decompression bomb" costs nothing; SVG files must be readable XML that
`svgsafe` can clean, and only the cleaned SVG is ever published or drawn (`published_image`).
"""

from __future__ import annotations

import warnings
from pathlib import Path

from aipgen.base.limits import MAX_FILE_BYTES, MAX_IMAGE_PIXELS, german_count, german_size
from aipgen.content.safe.svgsafe import SvgError, clean_svg

VECTOR = (".svg",)


def image_problem(path: Path, src: str) -> str | None:
    """A German message if the image cannot be used, else None."""
    if path.suffix.lower() in VECTOR:
        return svg_problem(path, src)
    from PIL import Image  # only when there are raster images

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        return too_many_pixels(src)
    except (OSError, SyntaxError, ValueError):
        return f"Das Bild „{src}“ ist keine lesbare Bilddatei (PNG, JPEG oder SVG)."
    return too_many_pixels(src) if width * height > MAX_IMAGE_PIXELS else None


def too_many_pixels(src: str) -> str:
    return (
        f"Das Bild „{src}“ hat mehr als {german_count(MAX_IMAGE_PIXELS)} Pixel (Grenze); "
        "bitte verkleinern."
    )


def svg_problem(path: Path, src: str) -> str | None:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            limit = german_size(MAX_FILE_BYTES)
            return f"Das Bild „{src}“ ist größer als {limit} (Grenze für SVG-Bilder)."
        clean_svg(path.read_bytes())
    except OSError:
        return f"Das Bild „{src}“ lässt sich nicht lesen (fehlende Leserechte?)."
    except SvgError as exc:
        return f"Das Bild „{src}“ {exc.reason}"
    return None


def published_image(path: Path) -> bytes:
    """The bytes of an image as the website and the PDFs may use them: SVG cleaned."""
    data = path.read_bytes()
    return clean_svg(data) if path.suffix.lower() in VECTOR else data
