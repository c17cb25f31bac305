"""The rules that tell a mention of last year that is plainly about last year from one left
over from last year's text (templates/common/vorjahr-text.yaml), on sentences as editors write
them; the walk through a next year's programme is in tests/editor/test_next_year.py."""

from __future__ import annotations

import pytest

from aipgen.base.paths import BUILT_IN
from aipgen.compute.staletext import Passage, rules, year_warnings

from ..helpers import said

PLAINLY_PAST = [
    "Seit 2023 gilt das Bürgergeld.",
    "Bis Ende 2023 ersetzt der Kooperationsplan die Eingliederungsvereinbarung.",
    "Gegenüber 2023 stieg die Zahl.",
    "Im Vorjahr 2023 waren es weniger.",
    "Eckwerte zum Stand: 10/2023",
    "Am 31.12.2023 endete das Projekt.",
    "Im Oktober 2023 waren 12.415 Menschen arbeitslos.",
    "Entwicklung der Beschäftigung (3.Q. 2023 zum VJ)",
    "Das Programm läuft 2023 bis 2025.",
    "Der Bestand 2024 ist höher.",
]
LEFT_OVER = [
    "Für 2023 planen wir 484 Förderungen.",
    "Das Projektteam konzentriert sich 2023 auf Alleinerziehende.",
    "Die Ziele sind erreicht. 2023 startet ein neues Projekt.",
    "Bildungszielplanung 2023",
    "Arbeitsmarkt- und Integrationsprogramm 2023",
]


def warnings(text: str) -> list[str]:
    passage = Passage("kapitel/01.md", "p/kapitel/01.md", 7, text)
    return said(year_warnings([passage], 2024, [], rules(BUILT_IN)))


@pytest.mark.parametrize("text", PLAINLY_PAST)
def test_a_year_plainly_about_the_past_is_not_reported(text: str) -> None:
    assert warnings(text) == []


@pytest.mark.parametrize("text", LEFT_OVER)
def test_a_year_left_over_from_last_years_text_is_reported_at_its_line(text: str) -> None:
    (found,) = warnings(text)
    assert found.startswith("p/kapitel/01.md:7: „2023“ ist das Vorjahr des Programms 2024 (")


def test_the_line_is_the_one_the_year_stands_on_and_a_confirmation_silences_it() -> None:
    passage = Passage("kapitel/01.md", "p/kapitel/01.md", 7, "Erste Zeile,\nfür 2023 geplant.")
    (found,) = year_warnings([passage], 2024, [], rules(BUILT_IN))
    assert (found.file, found.line) == ("p/kapitel/01.md", 8)
    assert year_warnings([passage], 2024, ["kapitel/01.md/2023"], rules(BUILT_IN)) == []
    assert year_warnings([passage], 2024, ["kapitel/01.md"], rules(BUILT_IN)) == []
