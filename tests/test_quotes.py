"""Typographic quotes: as markdown-it sets them, in time linear in the paragraph."""

from __future__ import annotations

import random
import time

import pytest
from markdown_it.rules_core.smartquotes import smartquotes as markdown_it_smartquotes

from aipgen.content.markdown import make_parser

PIECES = [*"'\"a1.,-()*_[]`!?’„é \n\t", "**", "[x](y)", "`c`", "\\'", "&quot;", "''", '""', '1""']


def test_quotes_are_set_as_markdown_it_sets_them() -> None:
    """Generated text with quotes between letters, digits, punctuation, marks and line breaks
    comes out as with markdown-it's own rule."""
    ours, theirs = make_parser(), make_parser()
    theirs.core.ruler.at("smartquotes", markdown_it_smartquotes)
    generator = random.Random(28)
    for _ in range(3000):
        text = "".join(generator.choice(PIECES) for _ in range(generator.randint(0, 40)))
        assert ours.render(text) == theirs.render(text), text


def test_german_quotes_and_apostrophes() -> None:
    html = make_parser().render("Sie sagte \"ja\" und 'nein', es ist's.")
    assert html == "<p>Sie sagte „ja“ und ‚nein‘, es ist’s.</p>\n"


def least_seconds(text: str) -> float:
    parser, times = make_parser(), []
    for _ in range(3):
        start = time.perf_counter()
        parser.parse(text)
        times.append(time.perf_counter() - start)
    return min(times)


SHAPES = {  # (opening piece, closing piece, how many of each in the smaller text)
    "apostrophes": ("'a", "", 10_000),  # each replaced: markdown-it rebuilt the text each time
    "openers-then-closers": (" 'a", ' b"', 2_500),  # open quotes, then closing ones of the
    # other kind: markdown-it searched all open quotes for each
}


@pytest.mark.parametrize(("opening", "closing", "small"), SHAPES.values(), ids=SHAPES.keys())
def test_four_times_the_quotes_take_about_four_times_as_long(
    opening: str, closing: str, small: int
) -> None:
    """Measured against the same shape a quarter as long, on the same machine: quadratic work
    takes 16 times as long (markdown-it's rule: 18 to 30 times), linear work about 4."""
    quarter = least_seconds(opening * small + closing * small)
    assert least_seconds(opening * 4 * small + closing * 4 * small) < 8 * quarter
