"""Find text left over from last year's programme: numbers in the prose that were figures of
last year's tables and are none of this year's, and mentions of last year that are not plainly
about last year (rules in templates/common/vorjahr-text.yaml). Each finding is a German warning
with file and line, silenced by an entry under `vorjahr: bestaetigt` ("datei" or "datei/fund",
the file as in the programme folder).

The text is the chapters' prose, headings and footnotes (figures put in by reference are no
literal numbers), and the titles of tables and figures.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it.token import Token
from pydantic import Field

from aipgen.base.errors import Problem
from aipgen.base.paths import DesignFiles, design_cache
from aipgen.content.model import Strict

RULES_FILE = "vorjahr-text.yaml"
YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d{2}(?![\d,]|\.\d)")
NUMBER = re.compile(r"(?<![\w.,])[+\u2212-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\w,]|\.\d)")
NUMBER_PLAIN = re.compile(r"(?<![\w.,/])[+\u2212-]?\d+(?:,\d+)?(?![\w,/]|\.\d)")
SIGNS = "+\u2212-"
LINE_BREAKS = ("softbreak", "hardbreak")
SPACE = re.compile(r"\s+")
CONTEXT = 30  # characters of the text shown on each side of a finding


class PastRules(Strict):
    before: list[str] = Field(alias="davor")
    after: list[str] = Field(alias="danach")
    min_digits: int = Field(alias="zahlen_ab_ziffern", ge=1)


@dataclass(frozen=True)
class Passage:
    """A piece of text: the file it is in (as the programme folder names it, and with the
    programme in front for messages), the line it starts on, its text ("\n" between lines)."""

    file: str
    shown: str
    line: int
    text: str


@dataclass(frozen=True)
class OldFigure:
    """A figure of last year's tables: how it reads in a sentence, and what to say about it."""

    number: str  # digits and comma, no sign or unit
    cell: str  # German: the table, row and column it stood in
    now: str  # German: what that cell says this year ("" if nothing)
    reference: str  # the reference that puts this year's figure into the text


def rules(design: DesignFiles) -> PastRules:
    return read_rules(design.find("templates", "common", RULES_FILE))


@design_cache("pages")
@functools.cache
def read_rules(path: Path) -> PastRules:
    return PastRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def chapter_passages(file: str, local: str, tokens: list[Token]) -> Iterator[Passage]:
    """Each inline run of a chapter (paragraph, heading, list item, footnote) as a passage."""
    for token in tokens:
        if token.type == "inline" and token.map:
            yield Passage(local, file, token.map[0] + 1, inline_plain(token.children or []))


def inline_plain(children: list[Token]) -> str:
    """The text a reader reads, one "\n" per line break; a figure put in by reference is a
    blank (it is this year's figure, whatever it says)."""
    parts = []
    for child in children:
        if child.type in LINE_BREAKS:
            parts.append("\n")
        elif child.type == "text":
            parts.append(child.content)
        elif child.type == "xref":
            parts.append(" ")
    return "".join(parts)


def plainly_past(text: str, start: int, end: int, checked: PastRules) -> bool:
    """A year whose neighbours say it is about the past (rules: davor, danach)."""
    touching = text[:start].lower()
    before = SPACE.sub(" ", touching).rstrip(" :")
    after = SPACE.sub(" ", text[end:]).lstrip(" :").lower()
    for phrase in (p.lower() for p in checked.before):
        if not any(c.isalpha() for c in phrase):
            if touching.endswith(phrase):
                return True
        elif before.endswith(phrase) and not before[: -len(phrase)][-1:].isalpha():
            return True
    return any(
        after.startswith(p.lower()) and not after[len(p) : len(p) + 1].isalpha()
        for p in checked.after
    )


def year_warnings(
    passages: Iterable[Passage], year: int, confirmed: list[str], checked: PastRules
) -> list[Problem]:
    """Every mention of last year that is not plainly about last year, unless confirmed."""
    last = str(year - 1)
    found: list[Problem] = []
    for passage in passages:
        for match in YEAR.finditer(passage.text):
            if match[0] != last or plainly_past(passage.text, *match.span(), checked):
                continue
            if is_confirmed(passage.file, last, confirmed):
                continue
            message = (
                f"„{last}“ ist das Vorjahr des Programms {year} "
                f"(„{excerpt(passage.text, *match.span())}“). Gilt der Satz für {year}, die "
                f"Jahreszahl ändern; spricht er vom Vorjahr, unter „vorjahr: bestaetigt:“ "
                f"„{passage.file}/{last}“ eintragen."
            )
            found.append(Problem(passage.shown, line_of(passage, match.start()), message))
    return found


def number_warnings(
    passages: Iterable[Passage],
    old: dict[str, OldFigure],
    current: set[str],
    confirmed: list[str],
    checked: PastRules,
) -> list[Problem]:
    """Every number in the text that was a figure of last year's tables and is no figure of
    this year's, unless confirmed."""
    found: list[Problem] = []
    for passage in passages:
        for start, number in numbers(passage.text, checked):
            figure = old.get(number)
            if figure is None or number in current:
                continue
            if is_confirmed(passage.file, number, confirmed):
                continue
            now = f"; dort steht jetzt {figure.now}" if figure.now else ""
            message = (
                f"Die Zahl „{number}“ im Text ist eine Zahl des Vorjahres ({figure.cell}{now}). "
                f"Die Zahl aus der Tabelle nimmt „{figure.reference}“; stimmt „{number}“, unter "
                f"„vorjahr: bestaetigt:“ „{passage.file}/{number}“ eintragen."
            )
            found.append(Problem(passage.shown, line_of(passage, start), message))
    return found


def numbers(text: str, checked: PastRules) -> Iterator[tuple[int, str]]:
    """The numbers a sentence states (without sign), long enough to tell (zahlen_ab_ziffern);
    years are left to year_warnings."""
    seen: set[int] = set()
    for pattern in (NUMBER, NUMBER_PLAIN):
        for match in pattern.finditer(text):
            if match.start() in seen or YEAR.fullmatch(match[0]):
                continue
            seen.add(match.start())
            number = match[0].lstrip(SIGNS)
            if "," in number or sum(c.isdigit() for c in number) >= checked.min_digits:
                yield match.start(), number


def figure_number(text: str) -> str:
    """A table cell's number as a sentence would write it: "−19,0 %" → "19,0"."""
    match = re.search(r"\d[\d.]*(?:,\d+)?", text)
    return match[0] if match else ""


def is_confirmed(file: str, finding: str, confirmed: list[str]) -> bool:
    return any(entry.strip() in (file, f"{file}/{finding}") for entry in confirmed)


def line_of(passage: Passage, offset: int) -> int:
    return passage.line + passage.text.count("\n", 0, offset)


def excerpt(text: str, start: int, end: int) -> str:
    """The finding with a little of the text around it, on one line."""
    left, right = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    if left:  # whole words only
        left = next((i + 1 for i in range(left, start) if text[i].isspace()), left)
    if right < len(text):
        right = next((i for i in range(right, end, -1) if text[i].isspace()), right)
    shown = SPACE.sub(" ", text[left:right]).strip()
    return ("…" if left else "") + shown + ("…" if right < len(text) else "")
