"""Markdown parsing: directives, unnumbered headings, footnotes, no raw HTML."""

from __future__ import annotations

from aipgen.content.markdown import PARSER, inline_text, parse


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
