"""German number formats."""

from __future__ import annotations

import pytest

from aipgen.base.numbers import NumberError, format_number, parse_number


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((2923965, 0, "€"), "2.923.965\u202f€"),
        ((1234567,), "1.234.567"),
        ((12.5, 1, "%"), "12,5\u202f%"),
        ((-3.25, 1), "\u22123,3"),
        ((-0.04, 1), "\u22120,0"),  # a decrease that rounds to zero keeps its sign
        ((-0.0, 1, "%"), "\u22120,0\u202f%"),  # as stated: "-0,0"
        ((0.04, 1, "", True), "+0,0"),  # and an increase its plus ("+0,0 %" in Herne's SvB)
        ((2.25, 1), "2,3"),
        ((286, 0, "", True), "+286"),
        ((0, 0, "", True), "0"),
        ((19.8, 1, "Mio. €"), "19,8\u202fMio. €"),
    ],
)
def test_format_number(args: tuple[float, ...], expected: str) -> None:
    assert format_number(*args) == expected  # type: ignore[arg-type]


def test_huge_finite_numbers_format() -> None:
    assert format_number(1e30) == "1.000.000.000.000.000.000.000.000.000.000"
    assert format_number(-1.7976931348623157e308, 6).startswith("\u2212179.769.313")


@pytest.mark.parametrize(
    ("text", "number"),
    [("1.234", 1234), ("1.234,5", 1234.5), ("−3,2", -3.2), ("-0,0", 0.0), ("12", 12)],
)
def test_parse_german_numbers(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["inf", "nan", "1,2,3", "1.23", "12e5", "", "x", "١٢"])
def test_parse_refuses_what_is_no_number(text: str) -> None:
    assert parse_number(text) is None


def test_parse_refuses_overflow() -> None:
    with pytest.raises(NumberError, match="ist keine brauchbare Zahl"):
        parse_number("9" * 400)


def test_zero_and_negative_zero_are_told_apart() -> None:
    """The cache of formatted figures takes -0.0 for 0.0 unless the sign is part of its key."""
    assert format_number(-0.0, 1) == "\u22120,0"
    assert format_number(0.0, 1) == "0,0"


def test_a_whole_zero_has_no_direction() -> None:
    assert format_number(-0.4) == "0"
    assert format_number(0.4, 0, "", True) == "0"
