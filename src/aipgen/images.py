"""Check an image file of a programme folder: readable, and not larger than the pixel limit.

Part of the validate stage. Raster images are measured from their header with Pillow, without
decoding, so a "decompression bomb" costs nothing; SVG files are drawn by the renderers as text.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from .limits import MAX_IMAGE_PIXELS, german_count

VECTOR = (".svg",)


def image_problem(path: Path, src: str) -> str | None:
    """A German message if the image cannot be used, else None."""
    if path.suffix.lower() in VECTOR:
        return None
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
