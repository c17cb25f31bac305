"""The parsed hyphenation patterns kept between processes (hyphendict.py)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyphen
import pytest

from aipgen.design import hyphendict

from ..helpers import DATA

WORDS = re.compile(r"[A-Za-zÄÖÜäöüß]{6,}")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty software cache and a pyphen that has parsed nothing yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})
    return tmp_path / "aipgen" / hyphendict.FOLDER


def words() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in DATA.glob("*/kapitel/*.md"))
    return sorted(set(WORDS.findall(text)))


def no_parsing(self: object, path: Path) -> None:
    raise AssertionError(f"{path} parsed again")


def german() -> Path:
    path = hyphendict.pattern_file(pyphen, hyphendict.LANGUAGE)
    assert path is not None
    return path


def test_patterns_from_the_cache_hyphenate_as_pyphen_parsing_its_file(folder: Path) -> None:
    hyphendict.preload()
    (entry,) = folder.glob("*.json")
    pyphen.hdcache.clear()
    with pytest.MonkeyPatch.context() as patch:  # the next preload must not parse the file
        patch.setattr(pyphen.HyphDict, "__init__", no_parsing)
        hyphendict.preload()
    restored = pyphen.hdcache[german()]
    assert type(restored.patterns) is dict and restored.cache == {}
    parsed = pyphen.HyphDict(german())
    sample = words()
    assert len(sample) > 1000
    assert [restored.positions(w) for w in sample] == [parsed.positions(w) for w in sample]
    hyphenator = pyphen.Pyphen(lang="de")
    assert hyphenator.hd is restored
    assert hyphenator.inserted("Arbeitsmarktprogramm") == "Ar-beits-markt-pro-gramm"


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut off: the checksum no longer matches
        lambda text: "x" + text,  # the checksum line itself damaged
        lambda text: hashlib.sha256(b"[1,2]").hexdigest() + "\n[1,2]",  # no patterns
        lambda text: hashlib.sha256(b"{").hexdigest() + "\n{",  # no JSON
    ],
    ids=["cut", "checksum", "not-patterns", "not-json"],
)
def test_a_damaged_entry_is_parsed_anew_and_replaced(folder: Path, damage: object) -> None:
    hyphendict.preload()
    (entry,) = folder.glob("*.json")
    good = entry.read_text(encoding="utf-8")
    entry.write_text(damage(good), encoding="utf-8")  # type: ignore[operator]
    pyphen.hdcache.clear()
    hyphendict.preload()
    assert pyphen.Pyphen(lang="de").inserted("Eingliederungstitel") == "Ein-glie-de-rungs-ti-tel"
    assert entry.read_text(encoding="utf-8") == good


def test_a_cache_that_cannot_be_written_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "datei"
    blocked.write_text("kein Ordner", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphendict.preload()
    assert pyphen.Pyphen(lang="de").inserted("Jobcenter") == "Job-cen-ter"
    assert blocked.read_text(encoding="utf-8") == "kein Ordner"


def test_without_a_home_folder_pyphen_reads_its_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", no_home)
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphendict.preload()
    assert pyphen.hdcache == {}  # nothing put there: WeasyPrint's pyphen parses as ever
    assert pyphen.Pyphen(lang="de").inserted("Jobcenter") == "Job-cen-ter"
