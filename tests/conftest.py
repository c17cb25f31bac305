"""Shared fixtures: a small programme folder copied into a temporary data folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .helpers import CHROMIUM, CHROMIUM_ARGS, FIXTURES, build_in_process


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
    """The output folder of one full build of data/ (all programmes, all formats)."""
    output = tmp_path_factory.mktemp("build") / "output"
    build_in_process(output)
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
