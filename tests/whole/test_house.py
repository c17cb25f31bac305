"""The house stays legible: no room of more than about 15 modules, and every package says in
its docstring what it holds and what it may import (docs/entwicklung.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import aipgen

SOURCE = Path(aipgen.__file__).parent
MOST_MODULES = 15
PACKAGES = sorted(p.parent for p in SOURCE.rglob("__init__.py"))


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: str(p.relative_to(SOURCE.parent)))
def test_a_package_holds_at_most_about_15_modules(package: Path) -> None:
    modules = [p for p in package.glob("*.py") if p.name != "__init__.py"]
    assert len(modules) <= MOST_MODULES, sorted(p.name for p in modules)


@pytest.mark.parametrize(
    "package",
    [p for p in PACKAGES if p != SOURCE],
    ids=lambda p: str(p.relative_to(SOURCE.parent)),
)
def test_a_package_says_what_it_holds_and_may_import(package: Path) -> None:
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text()))
    assert docstring, f"{package.name}/__init__.py has no docstring"
    assert "Imports " in docstring or "imports " in docstring, docstring
