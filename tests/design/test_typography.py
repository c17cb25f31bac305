"""German typesetting rules for prose: ties and words kept whole."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest

from aipgen.base.paths import BUILT_IN, BUILTIN, project_design
from aipgen.design import typography
from aipgen.design.typography import NBSP, NNBSP, pieces, tie


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("um 2,7 % gestiegen", f"um 2,7{NNBSP}% gestiegen"),
        ("etwa 19,8 Mio. € Budget", f"etwa 19,8{NBSP}Mio.{NBSP}€ Budget"),
        ("nach § 16 Abs. 2 SGB II", f"nach §{NBSP}16 Abs.{NBSP}2 SGB{NBSP}II"),
        ("§§ 45 und 16d", f"§§{NBSP}45 und 16d"),
        ("am 1. März 2025 beginnt", f"am 1.{NBSP}März{NBSP}2025 beginnt"),
        ("4.528.558 € für", f"4.528.558{NNBSP}€ für"),
        ("Im Jahr 2023 sind es", "Im Jahr 2023 sind es"),
    ],
)
def test_ties(text: str, expected: str) -> None:
    assert tie(text) == expected


def test_the_shortest_word_kept_whole_is_the_stylesheets_hyphenation_limit(
    tmp_path: Path,
) -> None:
    """The limit lives once, in templates/common/seiten.css: a project's own stylesheet with
    `hyphenate-limit-chars: 9` lets the 7-letter ALLEGRO be hyphenated like any word."""
    css = (BUILTIN / "templates/common/seiten.css").read_text(encoding="utf-8")
    assert "p, li { hyphenate-limit-chars: 7 3 4; }" in css
    own = tmp_path / "templates/common/seiten.css"
    own.parent.mkdir(parents=True)
    own.write_text(css.replace("hyphenate-limit-chars: 7 3 4", "hyphenate-limit-chars: 9 3 4"))
    text = "mit ALLEGRO und VerBISneu."
    assert ("ALLEGRO", True) in pieces(text, False, BUILT_IN)
    design = project_design(tmp_path)
    assert typography.shortest_hyphenated(design) == 9
    assert pieces(text, False, design) == [
        ("mit ALLEGRO und ", False),
        ("VerBISneu", True),
        (".", False),
    ]


def test_words_with_inner_capitals_stay_whole() -> None:
    assert pieces("mit ALLEGRO und VerBISneu sowie JobSpeed-Dating.", False, BUILT_IN) == [
        ("mit ", False),
        ("ALLEGRO", True),
        (" und ", False),
        ("VerBISneu", True),
        (" sowie ", False),
        ("JobSpeed-Dating", True),
        (".", False),
    ]
    assert pieces("SGB II und VerBIS", False, BUILT_IN) == [("SGB II und VerBIS", False)]  # short


def test_ordinary_compounds_may_be_hyphenated() -> None:
    assert pieces("das Bürgergeld-Gesetz wirkt", False, BUILT_IN) == [
        ("das Bürgergeld-Gesetz wirkt", False)
    ]


def test_last_word_of_a_paragraph_stays_whole() -> None:
    assert pieces("neue Formate.", True, BUILT_IN) == [("neue ", False), ("Formate.", True)]
    assert pieces("mit ALLEGRO", True, BUILT_IN) == [("mit ", False), ("ALLEGRO", True)]
    assert pieces(".", True, BUILT_IN) == [(".", False)]  # punctuation after a link stays plain


def test_pieces_never_repeat_text() -> None:
    for text in ("Eingliederungstitel (EGT)", "im JobCenter.", "(ALLEGRO)", "a b"):
        assert "".join(t for t, _ in pieces(text, True, BUILT_IN)) == text
    assert pieces("Eingliederungstitel (EGT)", True, BUILT_IN) == [
        ("Eingliederungstitel ", False),
        ("(EGT)", True),
    ]


def test_listed_compound_breaks_only_at_its_seams() -> None:
    assert typography.listed_breaks(BUILT_IN)["lohnkostenzuschuss"] == (10,)
    assert pieces("Der Lohnkostenzuschuss wirkt lange.", False, BUILT_IN) == [
        ("Der ", False),
        ("Lohnkosten\u00adzuschuss", True),
        (" wirkt lange.", False),
    ]


def test_an_entry_covers_the_words_it_begins_in_either_case() -> None:
    """ "sozial-versicherungs-pflichtig" is listed: its inflected and capitalised forms break at
    the same seams; a word the list does not begin stays as it was."""
    shy = "\u00ad"
    assert pieces("Sozialversicherungspflichtige arbeiten hier", False, BUILT_IN)[0] == (
        f"Sozial{shy}versicherungs{shy}pflichtige",
        True,
    )
    listed, shortest = typography.listed_breaks(BUILT_IN), typography.shortest_hyphenated(BUILT_IN)

    def seams(word: str) -> tuple[int, ...] | None:
        return typography.seams(word, listed, shortest)

    assert seams("sozialversicherungspflichtigen") == (6, 19)
    assert seams("Sozialamt") is None
    assert seams("Teilqualifizierungen") == seams("Teilqualifizierung")


PATHOLOGICAL = [
    "a" * 20_000 + " x",  # a long word before the last one
    "1" * 20_000,  # a long last word without letters
    "ab-" * 7_000,  # a long word without capitals inside
    "lohnkostenzuschuss" * 1_100 + " x",  # a long word that begins with a listed compound
]
CPU_LIMIT = 0.5  # seconds; linear work takes 3 to 15 ms here, the backtracking patterns minutes
FRESH = itertools.count()  # a new prefix for each run: past the texts kept per process


def cpu_seconds(text: str) -> float:
    """The processor time this process spends in pieces() on the text (set anew, not from the
    cache): work of its own, whatever else the machine is doing."""
    fresh = f"{next(FRESH)} {text}"
    start = time.process_time()
    pieces(fresh, True, BUILT_IN)
    return time.process_time() - start


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=lambda t: repr(t[:3]))
def test_pathological_text_is_set_in_time_linear_in_its_length(text: str) -> None:
    """20 000 letters in shapes that made the former patterns backtrack (cubic: seconds per
    thousand letters) are set within a bound some 30 times what linear work needs."""
    assert cpu_seconds(text) < CPU_LIMIT


class Counted(typography.Listed):
    """A compound list that counts its look-ups."""

    lookups = 0

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self.lookups += 1
        return super().get(key, default)


def test_a_long_word_is_looked_up_in_the_compound_list_as_often_as_its_longest_entry() -> None:
    listed = Counted({"lohnkostenzuschuss": (10,)})
    listed.longest = len("lohnkostenzuschuss")
    shortest = typography.shortest_hyphenated(BUILT_IN)
    assert typography.seams("lohnkostenzuschuss" * 1000, listed, shortest) == (10,)
    assert typography.seams("x" * 100_000, listed, shortest) is None
    assert listed.lookups <= 2 * listed.longest


def test_listed_compound_as_last_word_stays_whole() -> None:
    assert pieces("Es gibt den Lohnkostenzuschuss", True, BUILT_IN)[-1] == (
        "Lohnkostenzuschuss",
        True,
    )


def test_a_changed_compound_list_is_read_again_once_the_design_is_forgotten(
    tmp_path: Path,
) -> None:
    """A project's own list, edited while the preview runs: the texts set before were kept with
    the old list; once the preview forgets the design files, the new list counts."""
    from aipgen.base import paths

    own = tmp_path / "templates" / "common" / "trennungen.txt"
    own.parent.mkdir(parents=True)
    own.write_text("Lohn-kosten-zuschuss\n", encoding="utf-8")
    design, shy, text = project_design(tmp_path), "\u00ad", "Der Lohnkostenzuschuss wirkt."
    assert pieces(text, False, design)[1][0] == f"Lohn{shy}kosten{shy}zuschuss"
    own.write_text("Lohnkosten-zuschuss\n", encoding="utf-8")
    assert pieces(text, False, design)[1][0] == f"Lohn{shy}kosten{shy}zuschuss"
    paths.forget_design({"pages"})
    assert pieces(text, False, design)[1][0] == f"Lohnkosten{shy}zuschuss"
    paths.forget_design({"pages"})
