"""Drawn charts kept on disk between runs, one file per chart: a chart whose data, chart style,
palette, fonts and drawing code are unchanged is not drawn again, in this process or the next.

Entries live in the cache folder (`.aipgen-cache/diagramme/`, safe to delete). Each file holds
the SVG after a line with its SHA-256; an entry that cannot be read or whose checksum does not
match is ignored and drawn anew.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Callable
from pathlib import Path

from .buildcache import installed
from .paths import DesignFiles
from .write import write_file

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
    package = Path(__file__).parent
    for name in ("charts.py", "chartdraw.py", "chartdata.py", "palette.py", "svgsafe.py"):
        digest.update(file_digest(package / name))
    for font in design.files("templates/fonts", "*"):
        digest.update(font.name.encode() + file_digest(font))
    return digest.hexdigest()


def file_digest(path: Path) -> bytes:
    """A file's SHA-256, computed again only when its size or modification time changed (a
    running preview sees a style edited)."""
    try:
        stat = path.stat()
    except OSError:
        return b"-"
    return digest_of(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=1024)
def digest_of(path: Path, size: int, mtime: int) -> bytes:
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return b"-"


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


def read_entry(path: Path) -> str | None:
    try:
        checksum, _, svg = path.read_text(encoding="utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return svg if hashlib.sha256(svg.encode()).hexdigest() == checksum else None


def write_entry(path: Path, svg: str) -> None:
    """Store one entry whole (a temporary file of its own, renamed: two builds storing the
    same chart at once do not meet); a cache that cannot be written is no error – the chart
    is drawn again next time."""
    with contextlib.suppress(OSError):
        write_file(path, (hashlib.sha256(svg.encode()).hexdigest() + "\n" + svg).encode())
