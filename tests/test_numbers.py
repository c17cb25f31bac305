"""German number formats."""

from __future__ import annotations

import pytest

from aipgen.numbers import format_number


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((2923965, 0, "€"), "2.923.965\u202f€"),
        ((1234567,), "1.234.567"),
        ((12.5, 1, "%"), "12,5\u202f%"),
        ((-3.25, 1), "\u22123,3"),
        ((-0.04, 1), "0,0"),
        ((2.25, 1), "2,3"),
        ((286, 0, "", True), "+286"),
        ((0, 0, "", True), "0"),
        ((19.8, 1, "Mio. €"), "19,8\u202fMio. €"),
    ],
)
def test_format_number(args: tuple[float, ...], expected: str) -> None:
    assert format_number(*args) == expected  # type: ignore[arg-type]
