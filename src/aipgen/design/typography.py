"""Turn prose text into text a typesetter accepts: no-break spaces where German typesetting ties
words together, and the words that must not be hyphenated.

Ties: a number and its unit ("2,7 %", "19,8 Mio. €"), "§ 16", "Abs. 2", "SGB II", dates
("1. März 2025"). Never hyphenated: words with capitals inside (names and abbreviations such
as "JobSpeed-Dating", "ALLEGRO") and the last word of a paragraph. Long compounds listed in
templates/common/trennungen.txt break only where the list marks them ("Lohnkosten-zuschuss",
not "Lohnkos-tenzuschuss"); an entry covers the words it begins ("Teil-qualifizierung" also
"Teilqualifizierungen").
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from aipgen.base.paths import DesignFiles, design_cache

NNBSP, NBSP = "\u202f", "\u00a0"
MONTHS = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
UNIT_WORDS = "Mio\\.|Mrd\\.|Tsd\\.|Euro|Prozent|Prozentpunkte"

# (pattern, replacement): each pattern captures what stays on both sides of the space.
TIES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d) ([%‰€])"), rf"\1{NNBSP}\2"),
    (re.compile(rf"(\d) ({UNIT_WORDS})(?=\W|$)"), rf"\1{NBSP}\2"),
    (re.compile(r"(\b(?:Mio|Mrd|Tsd)\.) (€)"), rf"\1{NBSP}\2"),
    (re.compile(r"(§§?|\bAbs\.|\bArt\.|\bNr\.|\bS\.|\bZiff\.) (\d)"), rf"\1{NBSP}\2"),
    (re.compile(r"\b(SGB|BGB|GG) ([IVX]+\b)"), rf"\1{NBSP}\2"),
    (re.compile(rf"(\b\d{{1,2}}\.) ({MONTHS})\b"), rf"\1{NBSP}\2"),
    (re.compile(rf"\b({MONTHS}) (\d{{4}})\b"), rf"\1{NBSP}\2"),
)
# A word (a run of word characters and hyphens) is kept whole when it holds a capital letter
# after another letter: JobSpeed, ALLEGRO, VerBIS. Found in two steps, each linear in the text:
# one pattern for both backtracked over every long word without capitals (1.4 s for a word of
# 8.000 letters, four times that for twice the letters).
RUN = re.compile(r"[\w-]+")
INNER_CAPITAL = re.compile(r"[^\W\d_][A-ZÄÖÜ]")
# Shorter words are never hyphenated: the first number of hyphenate-limit-chars in the shared
# page stylesheet (CSS's own default is 5).
LIMIT_FILE = ("common", "seiten.css")  # below templates/
LIMIT = re.compile(r"hyphenate-limit-chars:\s*(\d+)")
CSS_DEFAULT_LIMIT = 5

SOFT_HYPHEN = "\u00ad"
BREAKS_FILE = ("common", "trennungen.txt")  # below templates/
WORD = re.compile(r"[^\W\d_]+")

Span = tuple[int, int]
Piece = tuple[str, bool]  # text, and whether it must stay unhyphenated (or break only at its
# soft hyphens)


class Listed(dict[str, tuple[int, ...]]):
    """The listed compounds; `longest`: the length of the longest entry (a word's beginnings
    longer than it are not looked up)."""

    longest = 0


def listed_breaks(design: DesignFiles) -> Listed:
    """The listed compounds (lower case, without hyphens), each with the places where it may
    break ("#" starts a comment)."""
    return read_breaks(breaks_file(design))


def breaks_file(design: DesignFiles) -> Path:
    return design.find("templates", *BREAKS_FILE)


@design_cache("pages")
@functools.cache
def read_breaks(path: Path) -> Listed:
    found = Listed()
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip().lower()
        if entry:
            parts = entry.split("-")
            found["".join(parts)] = tuple(
                sum(len(part) for part in parts[: i + 1]) for i in range(len(parts) - 1)
            )
    found.longest = max(map(len, found), default=0)
    return found


def shortest_hyphenated(design: DesignFiles) -> int:
    return read_limit(design.find("templates", *LIMIT_FILE))


@design_cache("pages")
@functools.cache
def read_limit(path: Path) -> int:
    found = LIMIT.search(path.read_text(encoding="utf-8"))
    return int(found.group(1)) if found else CSS_DEFAULT_LIMIT


def seams(word: str, listed: Listed, shortest: int) -> tuple[int, ...] | None:
    """Where a word may break, when the list holds it or the word it begins with (the longest
    such entry of at least `shortest` letters; "Teil-qualifizierung" covers
    "Teilqualifizierungen"), in any case."""
    key = word.lower()[: listed.longest]
    for length in range(len(key), shortest - 1, -1):
        found = listed.get(key[:length])
        if found is not None:
            return found
    return None


def tie(text: str) -> str:
    for pattern, replacement in TIES:
        text = pattern.sub(replacement, text)
    return text


def pieces(text: str, last: bool, design: DesignFiles, seamed: bool = True) -> list[Piece]:
    """The text split into runs that may be hyphenated and words that may not, by the design's
    compound list and shortest hyphenated word; `seamed`: the listed compounds break at their
    seams (not in headings)."""
    return list(split(text, last, seamed, breaks_file(design), shortest_hyphenated(design)))


@design_cache("pages")
@functools.lru_cache(maxsize=16384)
def split(text: str, last: bool, seamed: bool, breaks: Path, shortest: int) -> tuple[Piece, ...]:
    """pieces() with the compound list of this file and the shortest word hyphenated; kept per
    process, as each text is set for every format and, in the preview, again on every save."""
    spans = [m.span() for m in RUN.finditer(text) if kept_whole(m.group(), shortest)]
    listed = read_breaks(breaks)
    if seamed:
        spans += [m.span() for m in WORD.finditer(text) if seams(m.group(), listed, shortest)]
    final = last_word(text) if last else None
    if final:
        spans.append(final)
    result: list[Piece] = []
    at = 0
    for start, end in merged(spans):
        if start > at:
            result.append((text[at:start], False))
        whole = not seamed or (final is not None and end == final[1])
        run = text[start:end]
        result.append((run if whole else with_listed_breaks(run, listed, shortest), True))
        at = end
    if at < len(text):
        result.append((text[at:], False))
    return tuple(result)


def kept_whole(run: str, shortest: int) -> bool:
    """Whether a word is never hyphenated: long enough, and a capital after a letter inside."""
    return len(run) >= shortest and INNER_CAPITAL.search(run) is not None


def last_word(text: str) -> Span | None:
    """Where the text's last word stands, when it holds a letter (not "." alone); found from
    the end, in time linear in that word."""
    stripped = text.rstrip()
    word = stripped.rsplit(None, 1)[-1] if stripped else ""
    if not WORD.search(word):
        return None
    return len(stripped) - len(word), len(stripped)


def with_listed_breaks(text: str, listed: Listed, shortest: int) -> str:
    """The listed compounds in a kept run with soft hyphens at their seams."""

    def seamed(word: re.Match[str]) -> str:
        return with_soft_hyphens(word.group(), seams(word.group(), listed, shortest) or ())

    return WORD.sub(seamed, text)


def with_soft_hyphens(word: str, places: tuple[int, ...]) -> str:
    cuts = (0, *places, len(word))
    return SOFT_HYPHEN.join(word[start:end] for start, end in zip(cuts, cuts[1:], strict=False))


def merged(spans: list[Span]) -> list[Span]:
    """Overlapping spans joined into one (the last word may hold a word with capitals)."""
    result: list[Span] = []
    for start, end in sorted(spans):
        if result and start < result[-1][1]:
            result[-1] = (result[-1][0], max(end, result[-1][1]))
        else:
            result.append((start, end))
    return result
