"""Table formulas: arithmetic on column ids only; nothing else of Python is reachable."""

from __future__ import annotations

import pytest

from aipgen.compute.formula import FormulaError, parse_formula


def test_difference_and_change() -> None:
    f = parse_formula("(a - b) / b * 100", {"a", "b"})
    assert f.names == {"a", "b"}
    assert f.evaluate({"a": 12415, "b": 12339}, None) == pytest.approx(0.6159, abs=1e-4)


def test_share_uses_reference_row() -> None:
    f = parse_formula("anteil(a)", {"a"})
    assert f.evaluate({"a": 380}, {"a": 15406}) == pytest.approx(2.4666, abs=1e-4)
    assert f.evaluate({"a": 380}, None) is None


def test_missing_input_and_division_by_zero_give_none() -> None:
    f = parse_formula("a / b", {"a", "b"})
    assert f.evaluate({"a": 1, "b": None}, None) is None
    assert f.evaluate({"a": 1, "b": 0}, None) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('__import__("os")', "enthält Unerlaubtes"),
        ("a.real", "enthält Unerlaubtes"),
        ("a ** 2", "enthält Unerlaubtes"),
        ("[a]", "enthält Unerlaubtes"),
        ("anteil(a, a)", "enthält Unerlaubtes"),
        ("c + 1", "nennt die unbekannte Spalte „c“"),
        ("(a", "ist nicht lesbar"),
    ],
)
def test_rejected(text: str, message: str) -> None:
    with pytest.raises(FormulaError, match=message):
        parse_formula(text, {"a"})
