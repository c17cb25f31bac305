"""Turn numbers into German display text (Babel, de_DE): 1.234.567; 12,5 %; −3,2.

And back: German number text (1.234,5 in CSV files) into numbers.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

from babel.dates import format_date as format_babel_date
from babel.numbers import format_decimal

LOCALE = "de_DE"
MINUS = "\u2212"
NBSP = "\u202f"  # narrow no-break space: German unit spacing, present in Carlito
GERMAN_NUMBER = re.compile(r"[−-]?(\d{1,3}(\.\d{3})*|\d+)(,\d+)?", re.ASCII)
# Enough digits for every finite float at up to six decimals (the largest is about 1.8e308).
PRECISION = 330


class NumberError(ValueError):
    """Text that looks like a number but cannot be one; the message is German."""


def parse_number(text: str) -> int | float | None:
    """German number text → number ("1.234" → 1234, "−1,5" → -1.5); None if it is no number.

    >>> parse_number("1.234,5")
    1234.5
    """
    if not GERMAN_NUMBER.fullmatch(text):
        return None
    number = float(text.replace("−", "-").replace(".", "").replace(",", "."))
    if not math.isfinite(number):
        shown = text if len(text) <= 30 else text[:29] + "…"
        raise NumberError(f"„{shown}“ ist keine brauchbare Zahl (zu groß).")
    return int(number) if number.is_integer() and "," not in text else number


def format_number(
    value: float,
    decimals: int = 0,
    unit: str = "",
    signed: bool = False,
) -> str:
    """Format a number the German way, with a real minus sign and an optional unit.

    >>> format_number(2923965, unit="€")
    '2.923.965\\u202f€'

    A negative value keeps its minus when it rounds to zero, as the statistics print it:

    >>> format_number(-0.04, 1, signed=True)
    '\u22120,0'
    """
    # the cache takes -0.0 for 0.0 (they are equal), so the sign goes in as an argument
    return _formatted(value, decimals, unit, signed, math.copysign(1.0, value) < 0)


@functools.lru_cache(maxsize=16384)  # every format shows the same figures; the preview, again
def _formatted(value: float, decimals: int, unit: str, signed: bool, negative: bool) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    rounded = round_half_up(value, decimals)
    with localcontext(prec=PRECISION):
        text = format_decimal(abs(rounded), format=pattern, locale=LOCALE)
    # a change that rounds to zero keeps its direction where decimals show it: −0,0 and +0,0
    # (and a stated "-0,0"), as the statistics print them; a whole zero is plain 0
    directed = rounded != 0 or decimals > 0
    if negative and directed:
        text = MINUS + text
    elif signed and value > 0 and directed:
        text = "+" + text
    if unit:
        text = f"{text}{NBSP}{unit}"
    return text


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    """Round as statistics offices do: halves away from zero (2,25 → 2,3; −0,05 → −0,1)."""
    exponent = Decimal(1).scaleb(-decimals)
    with localcontext(prec=PRECISION):
        rounded = Decimal(repr(float(value))).quantize(exponent, rounding=ROUND_HALF_UP)
        return rounded if rounded != 0 else Decimal(0).quantize(exponent)


def format_date(value: datetime.date) -> str:
    """A date the German way: 15.12.2022."""
    return format_babel_date(value, format="dd.MM.yyyy", locale=LOCALE)


SIZE_UNITS = ((1_000_000, 1, "MB"), (1_000, 0, "KB"))


def format_size(size: int) -> str:
    """A file size for download links: 1,2 MB; 320 KB (decimal units, as browsers show them)."""
    for factor, decimals, unit in SIZE_UNITS:
        if size >= factor:
            return format_number(size / factor, decimals, unit)
    return format_number(size, 0, "Byte")
