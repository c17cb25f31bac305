"""Turn a file of a programme folder into text: inside the folder, within the size limit, UTF-8.

Every content file (YAML, Markdown, CSV) is read here, so the limits and the encoding rules hold
for all of them: a byte-order mark is removed, a non-UTF-8 byte is reported with its line.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from aipgen.base.errors import Collector
from aipgen.base.limits import MAX_FILE_BYTES, german_size

BOM = "\ufeff"


def inside(root: Path, rel: str) -> Path | None:
    """The file for rel if it lies inside root (after following links), else None."""
    try:
        path = (root / rel).resolve()
    except (OSError, RuntimeError, ValueError):  # link loops, NUL bytes
        return None
    return path if path.is_relative_to(root.resolve()) else None


OUTSIDE = "liegt außerhalb des Programmordners"
NOT_REGULAR = "ist keine gewöhnliche Datei (sondern z. B. ein Ordner, ein Gerät oder eine Pipe)"
MISSING = "gibt es nicht"


def locate(root: Path, rel: str) -> tuple[Path, None] | tuple[None, str]:
    """The regular file for rel inside root (after following links), or why there is none: the
    end of a German sentence that begins with the file's name. Nothing is opened."""
    path = inside(root, rel)
    if path is None:
        return None, OUTSIDE
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None, MISSING
    return (path, None) if stat.S_ISREG(mode) else (None, NOT_REGULAR)


@dataclass(frozen=True)
class Entry:
    """Where a file is named: the naming file, the line, and the file's name as written."""

    file: str
    line: int
    name: str


def read_text(path: Path, shown: str, errors: Collector, entry: Entry | None = None) -> str | None:
    """The text of a file, or None after reporting why it cannot be used. A file that cannot
    be read at all (too large, no permission) is reported where it is named (`entry`), else at
    its own first line."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            refuse(shown, entry, TOO_BIG, errors)
            return None
        data = path.read_bytes()
    except OSError:
        refuse(shown, entry, UNREADABLE, errors)
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        errors.add(shown, line, "Die Datei ist nicht UTF-8-kodiert.")
        return None
    return text.removeprefix(BOM)


TOO_BIG = (
    f"Die Datei{{name}} ist größer als {german_size(MAX_FILE_BYTES)} "
    "(Grenze für YAML-, Markdown- und CSV-Dateien)."
)
UNREADABLE = "Die Datei{name} lässt sich nicht lesen (fehlende Leserechte?)."


def refuse(shown: str, entry: Entry | None, message: str, errors: Collector) -> None:
    if entry is None:
        errors.add(shown, 1, message.format(name=""))
    else:
        errors.add(entry.file, entry.line, message.format(name=f" „{entry.name}“"))
