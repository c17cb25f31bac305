"""Write build results into output/: every file under a temporary name, then renamed.

A failed build never leaves a half-written file and never destroys the last good output.
Builds running at the same time (a batch and a build started by hand) write one after the
other: each holds the output folder while it writes there (`output_locked`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
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


WAIT_QUIETLY = 1.0  # seconds a build waits for another's writing before it says so
POLL = 0.05  # seconds between two attempts to take the output folder


@contextlib.contextmanager
def output_locked(output: Path, say: Callable[[str], None]) -> Iterator[None]:
    """Hold the output folder while the block writes to it: another build writing there waits
    meanwhile (and says so after WAIT_QUIETLY). The lock is the folder's own (flock on it, no
    extra file), so it binds every build writing there, whatever its cache folder; the system
    releases it when the process ends, however it ends. Waiting tries again every POLL seconds
    instead of blocking: a signal ends the wait at once (a blocking call would miss one that
    came just before it) with the usual message."""
    output.mkdir(parents=True, exist_ok=True)
    fd = os.open(output, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        wait_for(fd, output, say)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def wait_for(fd: int, output: Path, say: Callable[[str], None]) -> None:
    said, deadline = False, time.monotonic() + WAIT_QUIETLY
    while not taken(fd):
        if not said and time.monotonic() >= deadline:
            say(f"Ein anderer Bau schreibt gerade nach „{output}“; dieser Bau wartet darauf.")
            said = True
        time.sleep(POLL)


def taken(fd: int) -> bool:
    """Whether the lock is now ours; where the file system has no locks (some network
    drives), the build writes without, as it always did."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return True
    return True
