"""Shared fixtures: a small programme folder copied into a temporary data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
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


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a fixture file; fail loudly if the old text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
