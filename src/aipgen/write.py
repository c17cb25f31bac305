"""Write build results into output/: every file under a temporary name, then renamed.

A failed build never leaves a half-written file and never destroys the last good output.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_tree(output: Path, name: str, files: dict[str, bytes]) -> Path:
    """Replace output/name with exactly these files, switching over in one rename."""
    output.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-neu-", dir=output))
    staging.chmod(0o755)  # mkdtemp makes it private; web servers must read it
    try:
        for rel, data in sorted(files.items()):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        swap(staging, output / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return output / name


def swap(staging: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-alt")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        if old.exists():
            old.rename(target)
        raise
    if old.exists():
        shutil.rmtree(old)


def write_file(path: Path, data: bytes) -> None:
    """Write one file atomically (temporary file in the same folder, then os.replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
