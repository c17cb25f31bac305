"""Turn numbers into German display text (Babel, de_DE): 1.234.567; 12,5 %; −3,2."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

LOCALE = "de_DE"
MINUS = "\u2212"
NBSP = "\u202f"  # narrow no-break space: German unit spacing, present in Carlito


def format_number(
    value: float,
    decimals: int = 0,
    unit: str = "",
    signed: bool = False,
) -> str:
    """Format a number the German way, with a real minus sign and an optional unit.

    >>> format_number(2923965, unit="€")
    '2.923.965\\u202f€'
    >>> format_number(-0.04, 1, signed=True)
    '0,0'
    """
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    rounded = round_half_up(value, decimals)
    text = format_decimal(abs(rounded), format=pattern, locale=LOCALE)
    if rounded < 0:
        text = MINUS + text
    elif signed and rounded > 0:
        text = "+" + text
    if unit:
        text = f"{text}{NBSP}{unit}"
    return text


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    """Round as statistics offices do: halves away from zero (2,25 → 2,3; −0,05 → −0,1)."""
    exponent = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(float(value))).quantize(exponent, rounding=ROUND_HALF_UP)
    return rounded if rounded != 0 else Decimal(0).quantize(exponent)
