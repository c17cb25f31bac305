"""Content problems with their source position, a stage's outcome (its data with its
problems), and the exception for unexpected errors (bugs) that names the programme they
happened in.

Each stage returns its problems with its data and keeps no state beyond its own call: a stage
collects into a `Collector` of its own, and the pipeline combines the stages' problems."""

from __future__ import annotations

import difflib
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

NEAR = 0.6  # how alike a known name must be to an unknown one to be suggested


def nearest(name: str, known: Iterable[str]) -> str | None:
    """The known name an unknown one most likely means (a typo), for "meinten Sie …?"."""
    found = difflib.get_close_matches(name, list(known), n=1, cutoff=NEAR)
    return found[0] if found else None


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the content: file (relative to the data folder), line (1-based or 0).
    An error and a warning are both problems; a stage returns them in separate lists."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}" if where else self.message

    @classmethod
    def general(cls, message: str) -> Problem:
        """A problem of the whole build, at no place in the content (a PDF, a check)."""
        return cls("", 0, message)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a stage returns: its data (None when there is none to go on with) and the
    problems it found."""

    value: T | None
    problems: tuple[Problem, ...] = ()


class Collector:
    """Collects problems within one stage, so the stage can return all of them at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def outcome(self, value: T | None) -> Outcome[T]:
        """The stage's value with the problems collected."""
        return Outcome(value, tuple(self.problems))


class InternalError(Exception):
    """An unexpected exception (a bug in aipgen, not in the content) while handling `where`.

    Carries the original traceback as text, so it survives the way back from a worker process.
    """

    def __init__(self, where: str, kind: str, detail: str) -> None:
        super().__init__(where, kind, detail)
        self.where = where  # the programme (or the overview) it happened in
        self.kind = kind  # the original exception's class name
        self.detail = detail


@contextmanager
def blame(where: str, expected: tuple[type[Exception], ...] = ()) -> Iterator[None]:
    """Turn an unexpected exception in the block into an InternalError naming `where`."""
    try:
        yield
    except Exception as exc:
        if isinstance(exc, (InternalError, *expected)):
            raise
        detail = "".join(traceback.format_exception(exc))
        raise InternalError(where, type(exc).__name__, detail) from exc
