"""Turn a file of a programme folder into text: inside the folder, within the size limit, UTF-8.

Every content file (YAML, Markdown, CSV) is read here, so the limits and the encoding rules hold
for all of them: a byte-order mark is removed, a non-UTF-8 byte is reported with its line.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Collector
from .limits import MAX_FILE_BYTES, german_size

BOM = "\ufeff"


def inside(root: Path, rel: str) -> Path | None:
    """The file for rel if it lies inside root (after following links), else None."""
    try:
        path = (root / rel).resolve()
    except (OSError, RuntimeError, ValueError):  # link loops, NUL bytes
        return None
    return path if path.is_relative_to(root.resolve()) else None


def read_text(path: Path, shown: str, errors: Collector) -> str | None:
    """The text of a file, or None after reporting why it cannot be used."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            errors.add(shown, 0, too_big_message())
            return None
        data = path.read_bytes()
    except OSError:
        errors.add(shown, 0, "Die Datei lässt sich nicht lesen (fehlende Leserechte?).")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        errors.add(shown, line, "Die Datei ist nicht UTF-8-kodiert.")
        return None
    return text.removeprefix(BOM)


def too_big_message() -> str:
    return (
        f"Die Datei ist größer als {german_size(MAX_FILE_BYTES)} "
        "(Grenze für YAML-, Markdown- und CSV-Dateien)."
    )
