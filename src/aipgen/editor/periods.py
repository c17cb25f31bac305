"""Find the periods (months and years) named in column titles, compare those of a BA export
with those of the table it goes into, and rename a table's periods as `--zeitraum ALT=NEU`
asks: next year's export must not slip into last year's columns unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from aipgen.editor.baexport import MONTHS

MONTH_NUMBERS = {
    "jan": 1,
    "feb": 2,
    "mär": 3,
    "mae": 3,
    "apr": 4,
    "mai": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "nov": 11,
    "dez": 12,
}
MONTH_NAMES = (
    r"Jan(?:uar)?|Feb(?:ruar)?|Mär(?:z)?|Maerz|Apr(?:il)?|Mai|Jun(?:i)?|Jul(?:i)?|Aug(?:ust)?|"
    r"Sep(?:t|tember)?|Okt(?:ober)?|Nov(?:ember)?|Dez(?:ember)?"
)
MONTH = rf"(?P<month>{MONTH_NAMES})\.?\s*(?P<year>(?:19|20)\d\d)"
NUMERIC = r"(?P<mm>0?[1-9]|1[0-2])\s*/\s*(?P<myear>(?:19|20)\d\d)"
YEAR = r"(?P<alone>(?:19|20)\d\d)"
PERIOD = re.compile(rf"\b(?:{MONTH}|{NUMERIC}|{YEAR})\b", re.IGNORECASE)

Period = tuple[int, int]  # year, month (0: the whole year)


def period_of(found: re.Match[str]) -> Period:
    if found["month"]:
        return int(found["year"]), MONTH_NUMBERS[found["month"][:3].casefold()]
    if found["mm"]:
        return int(found["myear"]), int(found["mm"])
    return int(found["alone"]), 0


def periods_in(text: str) -> dict[Period, str]:
    """The periods a title names, each with its text as written ("Sep 2022", "2021")."""
    out: dict[Period, str] = {}
    for found in PERIOD.finditer(text):
        out.setdefault(period_of(found), found[0])
    return out


def periods_of(titles: Iterable[str]) -> dict[Period, str]:
    out: dict[Period, str] = {}
    for title in titles:
        for period, text in periods_in(title).items():
            out.setdefault(period, text)
    return out


def period_text(period: Period) -> str:
    year, month = period
    return f"{MONTHS[month - 1]} {year}" if month else str(year)


def shown(periods: dict[Period, str]) -> str:
    """Newest first: „Sep 2023“, „Sep 2022“."""
    return ", ".join(f"„{periods[p]}“" for p in sorted(periods, reverse=True))


@dataclass(frozen=True)
class Mismatch:
    """The export names periods the table does not, and the table periods the export
    does not: the figures belong to another period than the columns."""

    theirs: dict[Period, str]
    ours: dict[Period, str]

    def suggestion(self) -> str:
        """The options that map the table's periods to the export's, newest to newest, when
        both name as many; else the option's form."""
        if len(self.theirs) != len(self.ours):
            return '--zeitraum "ALT=NEU" (je Zeitraum der Tabelle einmal)'
        pairs = zip(sorted(self.ours, reverse=True), sorted(self.theirs, reverse=True), strict=True)
        return " ".join(f'--zeitraum "{self.ours[a]}={self.theirs[b]}"' for a, b in pairs)


def mismatch(theirs: dict[Period, str], ours: dict[Period, str]) -> Mismatch | None:
    new = set(theirs) - set(ours)
    old = set(ours) - set(theirs)
    return Mismatch(theirs, ours) if new and old else None


class PeriodError(ValueError):
    """A mapping --zeitraum ALT=NEU that cannot be applied; the German message says why."""


def parse_mapping(pairs: Iterable[tuple[str, str]]) -> dict[Period, str]:
    """ALT=NEU pairs as period → new text; each side must name one period."""
    out: dict[Period, str] = {}
    for old, new in pairs:
        olds, news = periods_in(old), periods_in(new)
        if len(olds) != 1 or len(news) != 1:
            raise PeriodError(
                f"--zeitraum „{old}={new}“: Links und rechts steht je ein Zeitraum, z. B. "
                "„Sep 2022=Sep 2023“ oder „2022=2023“."
            )
        out[next(iter(olds))] = next(iter(news.values()))
    return out


def renamed(text: str, mapping: dict[Period, str]) -> str:
    """The title with each mapped period replaced, all at once (Sep 2022 → Sep 2023 and
    Sep 2021 → Sep 2022 do not chain)."""

    def swap(found: re.Match[str]) -> str:
        return mapping.get(period_of(found), found[0])

    return PERIOD.sub(swap, text)
