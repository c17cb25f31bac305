"""Build only what changed: a programme whose inputs are the same as at its last build, and
whose output is still as it was written then, is neither built nor rewritten.

The inputs are every file of the programme folder (and of last year's programme it compares
with), every design file (templates/, charts/ of the project and built in), aipgen's own code
and version and those of the libraries that draw and lay out, the formats asked for and a
draft's date. What was written is recorded in the cache folder (`.aipgen-cache/` in the project
folder, safe to delete): the key of the inputs, each output file's size and modification time,
and the warnings, which an unchanged programme reports again. A record that cannot be read is
ignored, and the programme is built.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from aipgen import __version__
from aipgen.base.cachefiles import installed
from aipgen.base.errors import Problem
from aipgen.base.limits import MAX_FILE_BYTES
from aipgen.base.paths import FOLDERS, DesignFiles
from aipgen.base.scratch import write_file
from aipgen.content.safe.files import locate

LIBRARIES = ("weasyprint", "pydyf", "matplotlib", "pikepdf", "jinja2", "markdown-it-py", "pyphen")
RECORDS = "ausgaben"  # below the cache folder: one folder per output folder


@dataclass(frozen=True)
class Record:
    key: str
    files: dict[str, list[int]]  # file below output/<programme>/ → [size, mtime in ns]
    warnings: list[Problem]


def input_key(root: Path, settings: tuple[str, ...], design: DesignFiles) -> str:
    """The fingerprint of everything the programme's output is made of."""
    digest = hashlib.sha256()
    digest.update(software_key().encode())
    digest.update(design_key(design.roots).encode())
    digest.update(json.dumps(settings).encode())
    for folder in (root, *previous_year(root)):
        digest.update(folder_key(folder).encode())
    return digest.hexdigest()


def folder_key(folder: Path) -> str:
    """The fingerprint of a folder's files as the loaders see them. A regular file inside the
    folder (also through a link that stays inside) counts with its content; anything else (a link
    that leaves the folder, a device, a pipe) only with its name and why it cannot be read, and
    is never opened: the loaders report it."""
    digest = hashlib.sha256()
    for rel in entries(folder):
        path, absent = locate(folder, rel)
        digest.update(rel.encode() + b"\0")
        digest.update(content_digest(path) if path is not None else str(absent).encode())
    return digest.hexdigest()


def entries(folder: Path) -> list[str]:
    """Every name below folder that is not a folder, relative and sorted; links to folders are
    not followed."""
    found: list[str] = []
    for top, dirs, files in os.walk(folder):
        base = Path(top).relative_to(folder)
        links = [d for d in dirs if (Path(top) / d).is_symlink()]
        found.extend((base / name).as_posix() for name in [*files, *links])
    return sorted(found)


def content_digest(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").digest()
    except OSError:
        return b"-"  # unreadable: the loaders report it


@functools.cache
def design_key(roots: tuple[Path, ...]) -> str:
    return hashlib.sha256(
        "".join(folder_key(root / name) for root in roots for name in FOLDERS).encode()
    ).hexdigest()


@functools.cache
def software_key() -> str:
    """aipgen's version and code, and the versions of the libraries that shape the output."""
    code = hashlib.sha256()
    for path in sorted(Path(__file__).parents[1].rglob("*.py")):  # the whole package
        code.update(path.read_bytes())
    versions = [__version__, *(installed(name) for name in LIBRARIES)]
    return "|".join([*versions, code.hexdigest()])


def previous_year(root: Path) -> list[Path]:
    """Last year's programme folder, if programm.yaml names one (its figures are compared)."""
    path, _ = locate(root, "programm.yaml")
    try:
        small = path is not None and path.stat().st_size <= MAX_FILE_BYTES
        text = path.read_text(encoding="utf-8") if path is not None and small else ""
    except (OSError, ValueError):  # unreadable: the build reports it
        return []
    if "vorjahr" not in text:  # most programmes: no YAML parser on the no-op path
        return []
    import yaml

    try:
        data = yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        return []
    value = data.get("vorjahr") if isinstance(data, dict) else None
    name = value.get("programm") if isinstance(value, dict) else value
    folder = root.parent / name if isinstance(name, str) and "/" not in name else None
    return [folder] if folder is not None and folder.is_dir() and folder != root else []


def record_file(cache: Path, output: Path, name: str) -> Path:
    where = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return cache / RECORDS / where / f"{name}.json"


def unchanged(cache: Path, output: Path, name: str, key: str) -> Record | None:
    """The record of the last build, if its inputs were these and its output is untouched."""
    record = read_record(record_file(cache, output, name))
    if record is None or record.key != key:
        return None
    folder = output / name
    for rel, (size, mtime) in record.files.items():
        try:
            stat = (folder / rel).stat()
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
            return None
    return record


def read_record(path: Path) -> Record | None:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        warnings = [
            Problem(str(w["file"]), int(w["line"]), str(w["message"])) for w in data["warnings"]
        ]
        record = Record(str(data["key"]), dict(data["files"]), warnings)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or corrupt: build
    valid = all(
        isinstance(v, list) and len(v) == 2 and all(isinstance(n, int) for n in v)
        for v in record.files.values()
    )
    return record if valid else None


def remember(
    cache: Path, output: Path, name: str, key: str, files: list[str], warnings: list[Problem]
) -> None:
    """Record what was just written to output/name."""
    folder = output / name
    stats = {rel: (folder / rel).stat() for rel in files}
    record = {
        "key": key,
        "files": {rel: [s.st_size, s.st_mtime_ns] for rel, s in stats.items()},
        "warnings": [asdict(warning) for warning in warnings],
    }
    # a temporary name of its own, then renamed: another build writing the same record at
    # the same moment (the same project built twice at once) cannot take or cut this one
    write_file(record_file(cache, output, name), json.dumps(record, ensure_ascii=False).encode())
