"""WeasyPrint imported without the slow search for its C libraries.

WeasyPrint names each C library it loads (GObject, Pango, HarfBuzz, fontconfig) in several
spellings, for Linux, macOS and Windows, and cffi tries them in turn. A spelling that does not
load at once makes cffi ask `ctypes.util.find_library`, which on Linux starts ldconfig, gcc and
ld for it: about half a second in every process that lays out a PDF. Each list also holds the
name the system loads directly (libpango-1.0.so.0, libpango-1.0.dylib, libpango-1.0-0.dll), so
while WeasyPrint is imported that search answers "not found" at once. Where a library can only
be found by the search, the import fails and is repeated with it.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import io
import sys
from collections.abc import Iterator
from types import ModuleType


def import_weasyprint() -> ModuleType:
    """The weasyprint package, imported once per process."""
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    try:
        # WeasyPrint prints its installation help before it gives up on a library
        with without_library_search(), contextlib.redirect_stdout(io.StringIO()):
            return importlib.import_module("weasyprint")
    except OSError:
        return importlib.import_module("weasyprint")


@contextlib.contextmanager
def without_library_search() -> Iterator[None]:
    """While the block runs, `ctypes.util.find_library` finds nothing and starts nothing."""
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search
