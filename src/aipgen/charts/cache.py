"""Drawn charts kept on disk between runs, one file per chart: a chart whose data, chart style,
palette, fonts and drawing code are unchanged is not drawn again, in this process or the next.

Entries live in the cache folder (`.aipgen-cache/diagramme/`, safe to delete). Each file holds
the SVG after a line with its SHA-256; an entry that cannot be read or whose checksum does not
match is ignored and drawn anew.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from aipgen.base.cachefiles import file_digest, installed, read_entry, write_entry
from aipgen.base.paths import DesignFiles

FOLDER = "diagramme"


def entry_key(parts: tuple[object, ...], files: tuple[Path, ...], design: DesignFiles) -> str:
    """The fingerprint of one drawing: its data and options (as repr), the style and font
    files it uses, and the drawing code and matplotlib's version."""
    digest = hashlib.sha256(drawing_key(design).encode())
    digest.update(repr(parts).encode())
    for path in files:
        digest.update(str(path).encode() + b"\0" + file_digest(path))
    return digest.hexdigest()


def drawing_key(design: DesignFiles) -> str:
    """What every chart depends on: the drawing code, matplotlib, the fonts it may use."""
    digest = hashlib.sha256(installed("matplotlib").encode())
    package = Path(__file__).parents[1]
    for name in (
        "charts/svg.py",
        "charts/draw.py",
        "charts/parts.py",
        "charts/labels.py",
        "content/chartdata.py",
        "design/palette.py",
        "content/safe/svgsafe.py",
    ):
        digest.update(file_digest(package / name))
    for font in design.files("templates/fonts", "*"):
        digest.update(font.name.encode() + file_digest(font))
    return digest.hexdigest()


def cached(folder: Path | None, key: str, draw: Callable[[], str]) -> str:
    """The SVG stored under `key`, else drawn and stored."""
    if folder is None:
        return draw()
    path = folder / FOLDER / f"{key}.svg"
    stored = read_entry(path)
    if stored is not None:
        return stored
    svg = draw()
    write_entry(path, svg)
    return svg
