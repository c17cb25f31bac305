"""Turn ordinal numbers into the labels of a numbering style (I, II … / a, b … / 1, 2 …).

Styles are a registry: table group rows (`gruppen_nummern`) and appendix chapters
(`anhang`) look their style up by name instead of naming one.
"""

from __future__ import annotations

from collections.abc import Callable

ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman(n: int) -> str:
    """1 → I, 4 → IV, 14 → XIV."""
    out = []
    for value, letters in ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def letters(n: int) -> str:
    """1 → a, 26 → z, 27 → aa."""
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


STYLES: dict[str, Callable[[int], str]] = {
    "roemisch": roman,
    "arabisch": str,
    "buchstaben": letters,
}

# How a group label is written in front of the group's text: "I." / "1." / "a)".
GROUP_FORMS: dict[str, str] = {"roemisch": "{}.", "arabisch": "{}.", "buchstaben": "{})"}


def group_label(style: str, n: int) -> str:
    return GROUP_FORMS[style].format(STYLES[style](n))
