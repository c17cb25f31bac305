"""Typographic quotes: as markdown-it sets them, in time linear in the paragraph."""

from __future__ import annotations

import random
import time

import pytest
from markdown_it.rules_core.smartquotes import smartquotes as markdown_it_smartquotes

from aipgen.content.text.markdown import make_parser

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


def cpu_seconds(text: str) -> float:
    """The processor time this process spends parsing the text: work of its own, whatever
    else the machine is doing."""
    parser = make_parser()
    start = time.process_time()
    parser.parse(text)
    return time.process_time() - start


SHAPES = {  # (opening piece, closing piece, how many of each)
    "apostrophes": ("'a", "", 80_000),  # each replaced: markdown-it rebuilt the text each time
    "openers-then-closers": (" 'a", ' b"', 20_000),  # open quotes, then closing ones of the
    # other kind: markdown-it searched all open quotes for each
}
CPU_LIMIT = 3.0  # seconds; linear work takes 0.2 to 0.3 s here, markdown-it's rule 12 and 88 s


@pytest.mark.parametrize(("opening", "closing", "count"), SHAPES.values(), ids=SHAPES.keys())
def test_many_quotes_are_set_in_time_linear_in_their_number(
    opening: str, closing: str, count: int
) -> None:
    """Tens of thousands of quotes in shapes on which markdown-it's rule works quadratically
    are set within a bound some ten times what linear work needs."""
    assert cpu_seconds(opening * count + closing * count) < CPU_LIMIT
