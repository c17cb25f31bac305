"""Files kept between runs and what they depend on: a checksummed entry written whole and read
back only if whole, a file's digest kept while its size and time are unchanged, and the versions
of the installed libraries (read from their folder names, without importlib.metadata).

The chart cache, the build record and the parsed hyphenation patterns share these.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import sys
from pathlib import Path

from aipgen.base.scratch import write_file

DIST_INFO = ".dist-info"


def installed(name: str) -> str:
    """A library's name and installed version ("-" when it is not installed)."""
    return f"{name} {installed_versions().get(normalised(name), '-')}"


@functools.cache
def installed_versions() -> dict[str, str]:
    """The installed distributions' versions by normalised name, read from the names of their
    folders on sys.path (name-version.dist-info, as installers write them): a directory listing
    instead of importlib.metadata, whose import alone takes longer than a no-op build's check."""
    found: dict[str, str] = {}
    for entry in reversed(sys.path):  # the first entry that has a library wins, as for import
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(DIST_INFO):
                dist, _, version = name.removesuffix(DIST_INFO).partition("-")
                found[normalised(dist)] = version
    return found


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


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


def read_entry(path: Path) -> str | None:
    try:
        checksum, _, svg = path.read_text(encoding="utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return svg if hashlib.sha256(svg.encode()).hexdigest() == checksum else None


def write_entry(path: Path, text: str) -> None:
    """Store one entry whole (a temporary file of its own, renamed: two builds storing the
    same entry at once do not meet); a cache that cannot be written is no error – the entry
    is made again next time."""
    with contextlib.suppress(OSError):
        write_file(path, (hashlib.sha256(text.encode()).hexdigest() + "\n" + text).encode())
