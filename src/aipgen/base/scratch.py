"""Temporary files and folders of a build, registered so that none outlives it.

Whoever makes one registers it here and releases it once it is removed or renamed into place.
When a signal stops the build, the command line (or a dying worker) removes whatever is still
registered. `private_tempdir` catches the temporary files libraries make (WeasyPrint's fonts).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aipgen.base import interrupt

_paths: set[Path] = set()


def track(path: Path) -> Path:
    _paths.add(path)
    return path


def release(path: Path) -> None:
    _paths.discard(path)


def remove(path: Path) -> None:
    """Remove a registered file or folder (if it is still there) and forget it."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    release(path)


def remove_all() -> None:
    for path in sorted(_paths, reverse=True):
        remove(path)


def forget_all() -> None:
    """In a new worker process: the paths inherited from the parent are the parent's."""
    _paths.clear()


def leftovers() -> list[Path]:
    """The paths still registered (for tests)."""
    return sorted(_paths)


@contextmanager
def private_tempdir(prefix: str = "aipgen-") -> Iterator[Path]:
    """A new folder that `tempfile` hands out during the block; removed with all it holds.

    tempfile.tempdir is process-wide; the pipeline runs one stage at a time per process.
    """
    with interrupt.held():
        folder = track(Path(tempfile.mkdtemp(prefix=prefix)))
    previous, tempfile.tempdir = tempfile.tempdir, str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = previous
        with interrupt.held():
            remove(folder)


def exit_worker(signum: int) -> None:
    """A worker process ends at once, after removing its temporary paths."""
    remove_all()
    os._exit(128 + signum)


def install_worker() -> None:
    """Initializer of worker processes: forget the parent's paths, die cleanly on a signal."""
    forget_all()
    interrupt.install(exit_worker)


def write_file(path: Path, data: bytes) -> None:
    """Write one file atomically (temporary file in the same folder, then os.replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with interrupt.held():
        fd, name = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
        tmp = track(Path(name))
        try:
            os.fchmod(fd, 0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
            release(tmp)
        except BaseException:
            remove(tmp)
            raise
