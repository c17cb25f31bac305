"""Write build results into output/: every file under a temporary name, then renamed.

A failed build never leaves a half-written file and never destroys the last good output.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from aipgen.base import scratch
from aipgen.base.interrupt import held


class UnsafeOutputError(Exception):
    """The output folder would overwrite or pollute content; carries a German message."""


def check_output_dir(output: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, lies inside or contains a protected (content) folder.

    Paths are compared after resolving symlinks, so a link to data/ is caught as well. The
    most telling relation is named: "is" before "lies in" before "contains".
    """
    target = output.resolve()
    relations: list[tuple[str, Callable[[Path], bool]]] = [
        ("ist der Inhaltsordner", lambda content: target == content),
        ("liegt im Inhaltsordner", lambda content: target.is_relative_to(content)),
        ("enthält den Inhaltsordner", lambda content: content.is_relative_to(target)),
    ]
    for relation, applies in relations:
        for folder in protected:
            if applies(folder.resolve()):
                raise UnsafeOutputError(
                    f"Der Ausgabeordner „{output}“ {relation} „{folder}“. Ein Bau dorthin "
                    "würde Kapitel, Tabellen und programm.yaml überschreiben; bitte einen "
                    "Ausgabeordner außerhalb der Daten angeben (z. B. --output-dir output)."
                )


def write_tree(output: Path, name: str, files: dict[str, bytes]) -> Path:
    """Replace output/name with exactly these files, switching over in one rename.

    The files go into a staging folder first; a failure or a signal before the switch removes
    it and leaves the old output as it was; the switch itself is never cut in half.
    """
    output.mkdir(parents=True, exist_ok=True)
    with held():
        staging = scratch.track(Path(tempfile.mkdtemp(prefix=f".{name}-neu-", dir=output)))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; web servers must read it
        for rel, data in sorted(files.items()):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        with held():
            swap(staging, output / name)
            scratch.release(staging)
    except BaseException:
        with held():
            scratch.remove(staging)
        raise
    return output / name


def swap(staging: Path, target: Path) -> None:
    """Put staging in target's place; on failure the old target is back where it was."""
    old = target.with_name(f".{target.name}-alt")
    discard(old)
    if target.exists() or target.is_symlink():
        target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        if old.exists() or old.is_symlink():
            old.rename(target)
        raise
    discard(old)


def discard(path: Path) -> None:
    """Remove a folder or file; a symlink goes itself, never what it points to."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def write_file(path: Path, data: bytes) -> None:
    """Write one file atomically (temporary file in the same folder, then os.replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with held():
        fd, name = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
        tmp = scratch.track(Path(name))
        try:
            os.fchmod(fd, 0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
            scratch.release(tmp)
        except BaseException:
            scratch.remove(tmp)
            raise
