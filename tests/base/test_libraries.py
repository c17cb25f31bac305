"""WeasyPrint is imported without starting a program to find its C libraries, and still where
only that search finds one. Each test imports it in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

from ..helpers import PROJECT

# Records every program the interpreter starts, imports WeasyPrint as aipgen does and lays out
# a line of text with Pango, HarfBuzz and fontconfig.
IMPORT = """
import subprocess
started = []
original = subprocess.Popen.__init__
def recorded(self, args, *rest, **options):
    started.append(args[0] if isinstance(args, (list, tuple)) else args)
    original(self, args, *rest, **options)
subprocess.Popen.__init__ = recorded
{prepare}
from aipgen.base.libraries import import_weasyprint
weasyprint = import_weasyprint()
pages = weasyprint.HTML(string="<p>Arbeitsmarkt</p>").render().pages
print("gestartet:", started, "Seiten:", len(pages))
"""

# A system whose libraries load only under the names the search finds (gobject-2.0), not under
# the file names in WeasyPrint's lists (libgobject-2.0.so.0).
ONLY_BY_SEARCH = """
import cffi
load = cffi.FFI.dlopen
def dlopen(self, name, *rest):
    if ".so." in str(name):
        raise OSError(f"{name}: not here")
    return load(self, name, *rest)
cffi.FFI.dlopen = dlopen
"""


def imported(prepare: str = "") -> str:
    code = IMPORT.format(prepare=prepare)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_weasyprint_is_imported_without_starting_a_program() -> None:
    assert imported().splitlines() == ["gestartet: [] Seiten: 1"]


def test_a_library_only_the_search_finds_is_still_loaded() -> None:
    out = imported(ONLY_BY_SEARCH)
    assert out.endswith("Seiten: 1\n"), out
    assert "WeasyPrint could not import" not in out  # its help text from the first try
    assert "gestartet: []" not in out  # the search ran
