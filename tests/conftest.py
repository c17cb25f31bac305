"""Shared fixtures: a small programme folder copied into a temporary data folder."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder holding a fresh copy of the 'mini' programme."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini", target / "mini")
    return target


@pytest.fixture
def mini(data_dir: Path) -> Path:
    return data_dir / "mini"


@contextlib.contextmanager
def own_design(project: Path) -> Iterator[None]:
    """Build with the project folder's own templates/ and charts/ in front of the built-in."""
    from aipgen.base import paths

    paths.use_project(project)
    try:
        yield
    finally:
        paths.use_project(paths.BUILTIN)


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a fixture file; fail loudly if the old text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


DATA = PROJECT / "data"
PROGRAMMES = sorted(p.name for p in DATA.iterdir() if (p / "programm.yaml").is_file())


def build_in_process(output: Path, *names: str) -> None:
    """`aipgen build` of the named programmes in data/ (all without names), as a user runs it:
    a fresh process. The final HTML each PDF was laid out from, and how often, is kept in html/
    beside the output (see pdf.py)."""
    laid_out = output.parent / "html"
    laid_out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0", "AIPGEN_HTML_DIR": str(laid_out)}
    command = [sys.executable, "-m", "aipgen.cli.main", "build", *names, "--data-dir", str(DATA)]
    subprocess.run([*command, "--output-dir", str(output)], check=True, env=env, cwd=PROJECT)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of one full build of data/ (all programmes, all formats)."""
    output = tmp_path_factory.mktemp("build") / "output"
    build_in_process(output)
    return output


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


OVERVIEW = "overview"
PAGE_GROUPS = [OVERVIEW, *PROGRAMMES]


def pages_of(output: Path, group: str) -> list[str]:
    """The HTML pages of one group of a built output folder, as paths relative to it (and so as
    URL paths): the overview group holds the top-level pages, a programme every page in its
    folder. Found by globbing, so a new page is checked without a test change."""
    found = output.glob("*.html") if group == OVERVIEW else (output / group).rglob("*.html")
    pages = sorted(p.relative_to(output).as_posix() for p in found)
    assert pages, f"keine HTML-Seite für {group} in {output}"
    return pages


def page_groups(known_failures: dict[str, str]) -> list[Any]:
    """The page groups as test parameters; a group with a known failure is marked xfail."""
    params = []
    for group in PAGE_GROUPS:
        reason = known_failures.get(group)
        marks = [pytest.mark.xfail(strict=False, reason=reason)] if reason else []
        params.append(pytest.param(group, marks=marks, id=group))
    return params


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one for the whole session: Playwright's sync API
    allows one instance at a time."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} fehlt: Browser-Tests brauchen Debians Chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
