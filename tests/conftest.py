"""Shared fixtures: a small programme folder copied into a temporary data folder."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .helpers import CHROMIUM, CHROMIUM_ARGS, FIXTURES, build_in_process

# The test files that take longest (`pytest --durations=0`, summed by file), longest first. They
# are started first, so that the parallel test processes (pytest-xdist, which hands out whole
# files in this order with --no-loadscope-reorder) end at about the same time instead of one
# of them starting a long file when the others are nearly done.
LONGEST_FIRST = (
    "tests/whole/test_browser.py",
    "tests/media/test_pages.py",
    "tests/build/test_buildcache.py",
    "tests/editor/test_next_year.py",
    "tests/whole/test_wheel.py",
    "tests/base/test_interrupt.py",
    "tests/media/test_proof.py",
    "tests/base/test_formats.py",
    "tests/build/test_concurrent.py",
    "tests/media/test_printpdf.py",
    "tests/editor/test_preview.py",
    "tests/media/test_breaks.py",
)


# Test files that read the same built PDFs (helpers.parsed_pdf) or the same laid-out pages
# (helpers.screen_layout) run in one test process, so that each is parsed or laid out once; the
# group starts where its first file stands in LONGEST_FIRST.
TOGETHER = {
    "tests/media/test_pages.py": "gebaute-pdfs",
    "tests/whole/test_chart_labels.py": "gebaute-pdfs",
    "tests/compute/test_numberalign.py": "gebaute-pdfs",
    "tests/media/test_breaks.py": "gesetzte-seiten",
    "tests/whole/test_herford.py": "gesetzte-seiten",
}


def file_of(nodeid: str) -> str:
    return nodeid.split("::")[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(file_of(item.nodeid), len(rank)))


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With --dist loadfile: whole test files to each process, those in TOGETHER as one."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Scheduling(LoadFileScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return TOGETHER.get(file_of(nodeid), file_of(nodeid))

    return Scheduling(config, log)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder holding a fresh copy of the 'mini' programme."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini", target / "mini")
    return target


@pytest.fixture
def mini(data_dir: Path) -> Path:
    return data_dir / "mini"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of one full build of data/ (all programmes, all formats), built once
    for the whole run: the parallel test processes (pytest-xdist) share it, the first to ask
    builds it while the others wait. Tests read it and copy what they change."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if "PYTEST_XDIST_WORKER" in os.environ else base
    output = shared / "build" / "output"
    with open(shared / "build.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "build" / "fertig").exists():
            shutil.rmtree(shared / "build", ignore_errors=True)  # what a failed start left
            build_in_process(output)
            (shared / "build" / "fertig").touch()
    return output


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
