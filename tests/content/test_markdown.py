"""Markdown parsing: directives, unnumbered headings, footnotes, no raw HTML."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aipgen.base.limits import MAX_MARKDOWN_DEPTH, MAX_WORD_MARKS
from aipgen.content.text.markdown import PARSER, crowded_word, inline_text, parse, too_deep


def types(text: str) -> list[str]:
    return [t.type for t in parse(text)[0]]


def test_directive_line_becomes_token_with_position() -> None:
    tokens, _ = parse("Text\n\n::tabelle eckwerte\n\n::diagramm svb-branchen\n")
    directives = [(t.meta, t.map) for t in tokens if t.type == "directive"]
    assert directives == [
        ({"kind": "tabelle", "name": "eckwerte"}, [2, 3]),
        ({"kind": "diagramm", "name": "svb-branchen"}, [4, 5]),
    ]


def test_directive_needs_its_own_line_and_no_code_indent() -> None:
    assert "directive" not in types("Siehe ::tabelle eckwerte im Text.\n")
    assert "directive" not in types("    ::tabelle eckwerte\n")
    assert "directive" not in types("```\n::tabelle eckwerte\n```\n")


def test_unnumbered_marker_is_stripped() -> None:
    tokens, _ = parse("## Alleinerziehende Kund\\*innen {.unnummeriert}\n")
    assert tokens[0].meta == {"unnumbered": True}
    assert inline_text(tokens[1]) == "Alleinerziehende Kund*innen"


def test_footnotes_are_collected() -> None:
    _, env = parse("Text[^a] und[^b].\n\n[^a]: Eins.\n[^b]: Zwei.\n")
    assert sorted(env["footnotes"]["list"]) == [0, 1]


def test_raw_html_is_text_and_quotes_are_german() -> None:
    html = PARSER.render('<script>x</script> "Zitat"\n')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "„Zitat“" in html


def test_reference_link_becomes_xref_token_with_its_line() -> None:
    tokens, _ = parse("# T\n\nSiehe [](#tabelle:eckwerte) und\n[Abb.](#abb:svb), [a](#kap-1).\n")
    children = tokens[4].children or []
    refs = [c.meta for c in children if c.type == "xref"]
    assert refs == [
        {"kind": "tabelle", "name": "eckwerte", "line": 3, "text": ""},
        {"kind": "abb", "name": "svb", "line": 4, "text": "Abb."},
    ]
    assert [c.attrGet("href") for c in children if c.type == "link_open"] == ["#kap-1"]


def nested_list(levels: int, indent: str = "") -> str:
    return "\n".join(f"{indent}{'  ' * i}- Punkt" for i in range(levels))


# Markdown nested `levels` deep, each way a reader sees as levels.
NESTINGS: dict[str, Callable[[int], str]] = {
    "lists": nested_list,
    "list-markers-in-one-line": lambda levels: "- " * levels + "Punkt",
    "numbered-lists": lambda levels: "\n".join(f"{'   ' * i}1. Punkt" for i in range(levels)),
    "quotes": lambda levels: "> " * levels + "Zitat",
    "quoted-lists": lambda levels: nested_list(levels - 1, indent="> "),
    "block-with-lists": lambda levels: f"::: block\n\n{nested_list(levels - 1)}\n\n:::",
    "footnote-with-lists": lambda levels: (
        f"Text.[^a]\n\n[^a]: Fuß\n\n{nested_list(levels, indent='    ')}"
    ),
    "emphasis": lambda levels: "*a " * levels + "b" + "*" * levels,
    "emphasis-link": lambda levels: "*a " * (levels - 1) + "[b](c)" + "*" * (levels - 1),
}


@pytest.mark.parametrize("nest", NESTINGS.values(), ids=NESTINGS.keys())
def test_nesting_is_refused_before_markdown_it_drops_text(nest: Callable[[int], str]) -> None:
    """Up to the limit all text is kept; deeper is refused, in particular wherever markdown-it
    would silently drop the rest of the chapter (at 20 token levels)."""
    for levels in range(1, 30):
        tokens, _ = parse(f"# T\n\nAnfang.\n\n{nest(levels)}\n\nEnde.\n")
        refused = too_deep(tokens, MAX_MARKDOWN_DEPTH)
        assert (refused is None) == (levels <= MAX_MARKDOWN_DEPTH), levels
        if refused is None:
            assert any(t.content == "Ende." for t in tokens), levels


def test_too_deep_names_the_line_where_the_nesting_goes_too_deep() -> None:
    text = f"# T\n\nAnfang\nund {'*' * 20_000}mehr{'*' * 20_000}\n"
    assert too_deep(parse(text)[0], MAX_MARKDOWN_DEPTH) == 4
    assert too_deep(parse(f"# T\n\n{nested_list(20)}\n")[0], MAX_MARKDOWN_DEPTH) == 11


@pytest.mark.parametrize(
    ("mark", "apart"),
    [
        ("*a*.", False),  # emphasis
        ("**a**.", False),  # strong emphasis
        ("[a](b).", False),  # link
        ("`a`.", False),  # code
        ("![a](b).", False),  # image
        ("[a](b)-", False),  # a hyphen is no space
        ("*a* ", True),  # a space ends a word
        ("*a*\n", True),  # so does a line break
    ],
)
def test_a_word_holds_a_limited_number_of_marks(mark: str, apart: bool) -> None:
    """One mark more than the limit in one word is refused; marks in words apart are not."""
    fits, crowded = mark * MAX_WORD_MARKS, mark * (MAX_WORD_MARKS + 1)
    assert crowded_word(parse(f"# T\n\n{fits}\n")[0], MAX_WORD_MARKS) is None
    found = crowded_word(parse(f"# T\n\nVorab\n{crowded}\n")[0], MAX_WORD_MARKS)
    assert found == (None if apart else 4)
