"""Where the design files live: templates/ (layouts, fonts, colour profile) and charts/ (chart
style, palette).

The built-in ones come with aipgen: in an installed wheel below the package (`_assets/`, mapped
there from the repository's top-level folders when the wheel is built), in a checkout in the
repository itself. A project folder (where a jobcenter keeps its data/) may hold templates/ and
charts/ of its own: each of its files takes the place of the built-in file of the same path, and
files it adds (a layout of its own) join them, so a theme changes a file or two and copies
nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Protocol, TypeVar

FOLDERS = ("templates", "charts")
CACHE_FOLDER = ".aipgen-cache"  # in the project folder: records of builds, drawn charts


def builtin_root() -> Path:
    """The folder holding the built-in templates/ and charts/."""
    packaged = Path(str(resources.files("aipgen"))) / "_assets"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3]


BUILTIN = builtin_root()
# The sample programmes that come with aipgen (`aipgen beispiel`): data/ in a checkout, mapped
# below the package in a wheel.
SAMPLES = BUILTIN / "data"


class Clearable(Protocol):
    def cache_clear(self) -> None: ...


C = TypeVar("C", bound=Clearable)
# The in-process caches of what was read from design files, by the kind of file they read:
# "charts" (chart styles, palette, fonts) and "pages" (layouts, compound list). Only modules
# that were imported have registered theirs.
DESIGN_CACHES: dict[str, list[Callable[[], None]]] = {"charts": [], "pages": []}


def design_cache(kind: str) -> Callable[[C], C]:
    """Register a cached function that reads design files of `kind`, so a running preview can
    empty it when such a file changes (see forget_design)."""

    def register(func: C) -> C:
        DESIGN_CACHES[kind].append(func.cache_clear)
        return func

    return register


def forget_design(kinds: set[str]) -> None:
    """Empty the registered caches of these kinds of design file."""
    for kind in kinds:
        for clear in DESIGN_CACHES[kind]:
            clear()


@dataclass(frozen=True)
class DesignFiles:
    """The roots that hold templates/ and charts/, the project's own first."""

    roots: tuple[Path, ...]

    def find(self, *parts: str) -> Path:
        """The first root's file at this path; the built-in path if no root has it."""
        for root in self.roots:
            path = root.joinpath(*parts)
            if path.exists():
                return path
        return self.roots[-1].joinpath(*parts)

    def folders(self, *parts: str) -> list[Path]:
        """This folder in every root that has it, the project's own first."""
        return [root.joinpath(*parts) for root in self.roots if root.joinpath(*parts).is_dir()]

    def files(self, folder: str, pattern: str) -> list[Path]:
        """The files of a folder across the roots, sorted by their path below it; where two
        roots have the same, the first root's."""
        found: dict[str, Path] = {}
        for base in reversed(self.folders(*folder.split("/"))):
            for path in base.glob(pattern):
                found[path.relative_to(base).as_posix()] = path
        return [found[name] for name in sorted(found)]

    def allowed(self) -> list[Path]:
        """The folders a document may read files from."""
        return [folder for name in FOLDERS for folder in self.folders(name)]

    def alternatives(self, path: Path) -> list[Path]:
        """The same design file in the other roots (a project's style sheet names a font by a
        relative path that only the built-in folder holds)."""
        for root in self.roots:
            resolved = root.resolve()
            if path.is_relative_to(resolved):
                relative = path.relative_to(resolved)
                return [other / relative for other in self.roots if other.resolve() != resolved]
        return []


BUILT_IN = DesignFiles((BUILTIN,))  # the design files of a project without its own


def project_design(folder: Path) -> DesignFiles:
    """The design files of a project folder: its own templates/ and charts/ in front of the
    built-in ones (the built-in ones alone where it has neither)."""
    own = folder.resolve()
    if own == BUILTIN.resolve() or not any((own / name).is_dir() for name in FOLDERS):
        return BUILT_IN
    return DesignFiles((own, BUILTIN))


class _Current:
    cache: Path | None = None  # where drawn charts and build records are kept; None: nowhere


def cache() -> Path | None:
    """The cache folder of this process (forked workers inherit it)."""
    return _Current.cache


def use_cache(folder: Path | None) -> None:
    _Current.cache = folder


def software_cache() -> Path | None:
    """Where what depends only on the installed software is kept (parsed hyphenation
    patterns), for every project: $XDG_CACHE_HOME/aipgen, else ~/.cache/aipgen; None where
    the user has no home folder."""
    try:
        home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    except RuntimeError:  # no HOME and no entry in the user database
        return None
    return Path(home) / "aipgen"
