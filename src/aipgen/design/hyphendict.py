"""WeasyPrint's hyphenation patterns (pyphen's dictionary), kept parsed between processes.

Pyphen reads and parses its pattern file the first time a process hyphenates: for German
66 000 patterns, about 0.6 s of every cold build and of every batch worker's first programme.
They depend on the installed software only, so they are kept for every project as JSON in the
software's cache folder (`~/.cache/aipgen/trennmuster/`, see paths.software_cache), named by
the SHA-256 of the pattern file and pyphen's version, and put into pyphen's own cache before
WeasyPrint asks for them (about 0.1 s). An entry that cannot be read, does not match its
checksum or does not hold patterns is ignored and the file parsed anew; a folder that cannot
be written is no error, and where pyphen is not as expected, pyphen reads its file as ever.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from aipgen.base.cachefiles import file_digest, installed, read_entry, write_entry
from aipgen.base.paths import software_cache

FOLDER = "trennmuster"
LANGUAGE = "de"  # the documents' language (<html lang="de"> in the templates)


def preload(lang: str = LANGUAGE) -> None:
    """Put the parsed patterns for `lang` into pyphen's cache, from the cache folder if they
    are there, else parsed and stored for the next process."""
    import pyphen

    path, folder = pattern_file(pyphen, lang), software_cache()
    if path is None or folder is None or path in pyphen.hdcache:
        return
    entry = folder / FOLDER / f"{entry_key(path)}.json"
    hd = restored(pyphen, read_entry(entry))
    if hd is None:
        hd = pyphen.HyphDict(path)
        if is_plain(hd):  # patterns with non-standard hyphenation stay with pyphen's parser
            write_entry(entry, json.dumps([hd.maxlen, hd.patterns], separators=(",", ":")))
    pyphen.hdcache[path] = hd


def pattern_file(pyphen: Any, lang: str) -> Path | None:
    if not all(hasattr(pyphen, n) for n in ("hdcache", "HyphDict", "LANGUAGES")):
        return None
    name = pyphen.language_fallback(lang)
    return Path(pyphen.LANGUAGES[name]) if name else None


def entry_key(path: Path) -> str:
    return hashlib.sha256(installed("pyphen").encode() + file_digest(path)).hexdigest()


def is_plain(hd: Any) -> bool:
    return all(type(v) is int for _, values in hd.patterns.values() for v in values)


def restored(pyphen: Any, text: str | None) -> Any:
    """A HyphDict from its stored form, as pyphen's parser would have made it; None when the
    text is not such a form."""
    try:
        maxlen, patterns = json.loads(text) if text else (None, None)
    except (ValueError, TypeError):
        return None
    if not isinstance(maxlen, int) or not isinstance(patterns, dict):
        return None
    hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
    hd.patterns, hd.cache, hd.maxlen = patterns, {}, maxlen
    return hd
