"""Turn SIGINT and SIGTERM into an orderly end of the build.

In the main process a signal raises `Interrupted`, which unwinds the build so every `finally`
removes what it made; the command line then removes any temporary path still registered
(`scratch`) and says in German why it stopped (exit code 128 + signal number). A worker process
removes its own temporary paths and exits at once (`scratch.install_worker`). Sections that must
not be cut in half (the swap of an output folder, cleaning up) run `held()`: a signal that arrives
meanwhile is acted on when the section has finished.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)
# How the German message names the signal.
CAUSES: dict[int, str] = {
    signal.SIGINT: "mit Strg+C (SIGINT)",
    signal.SIGTERM: "durch das Signal SIGTERM",
}


class Interrupted(BaseException):
    """A signal asked the build to stop. A BaseException, so no `except Exception` keeps it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def message(self) -> str:
        cause = CAUSES.get(self.signum, f"durch das Signal {self.signum}")
        return (
            f"Abgebrochen {cause}. Halb Geschriebenes und temporäre Dateien wurden entfernt; "
            "jede Ausgabe ist die bisherige oder eine vollständige neue."
        )


class _State:
    depth = 0  # how many held() sections are open
    pending: int | None = None  # a signal that arrived inside one
    received: int | None = None  # the first signal of this process, once acted on or not
    act: Callable[[int], None]


def raise_interrupted(signum: int) -> None:
    raise Interrupted(signum)


_State.act = raise_interrupted


def _on_signal(signum: int, _frame: object) -> None:
    _State.received = signum
    if _State.depth:
        _State.pending = signum
    else:
        _State.act(signum)


def check() -> None:
    """Act on a signal whose exception was swallowed (raised inside a __del__ or a callback,
    where Python only prints it): called between stages and before writing."""
    if _State.received is not None:
        _State.act(_State.received)


def received() -> bool:
    """Whether a signal asked this process to stop (acted on or not yet)."""
    return _State.received is not None


def _unraisable(args: sys.UnraisableHookArgs) -> None:
    """An `Interrupted` raised inside a __del__ or a weakref callback is not printed: Python
    swallows it there, and `check()` acts on the signal at the next stage boundary."""
    if args.exc_type is not None and issubclass(args.exc_type, Interrupted):
        return
    sys.__unraisablehook__(args)


def install(act: Callable[[int], None] = raise_interrupted) -> None:
    """Handle SIGINT and SIGTERM in this process from now on (main thread only)."""
    _State.act = act
    sys.unraisablehook = _unraisable
    for signum in SIGNALS:
        signal.signal(signum, _on_signal)


def ignore() -> None:
    """From now on SIGINT and SIGTERM change nothing (while the process says goodbye)."""
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


@contextmanager
def held() -> Iterator[None]:
    """Run the block to its end; a signal arriving meanwhile is acted on afterwards."""
    _State.depth += 1
    try:
        yield
    finally:
        _State.depth -= 1
        if not _State.depth and _State.pending is not None:
            signum, _State.pending = _State.pending, None
            _State.act(signum)
