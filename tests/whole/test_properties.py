"""Property tests: generated input gives a valid result or a collected content problem, never
another exception (YAML loader, German number parser, formula evaluator, CSV reader).

CI runs 200 examples per property; a thorough run: AIPGEN_HYPOTHESIS_EXAMPLES=10000.
"""

from __future__ import annotations

import math
import os
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from aipgen.base.errors import Collector
from aipgen.base.numbers import MINUS, NumberError, format_number, parse_number, round_half_up
from aipgen.compute.formula import FormulaError, parse_formula
from aipgen.content.load import parse_yaml
from aipgen.content.safe.csvdata import parse_csv

EXAMPLES = settings(
    max_examples=int(os.environ.get("AIPGEN_HYPOTHESIS_EXAMPLES", "200")), deadline=None
)


def pieces(*alternatives: str) -> st.SearchStrategy[str]:
    """Text joined from pieces that matter to a parser, mixed with arbitrary characters."""
    return st.lists(st.sampled_from(alternatives) | st.text(max_size=3), max_size=40).map("".join)


def plain(value: Any) -> bool:
    """Only what the content model knows: finite numbers, texts, dates, lists, mappings."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(plain(k) and plain(v) for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return all(plain(v) for v in value)
    return True


YAML = pieces(
    "\n", "  ", "- ", ": ", "a", "b", "[", "]", "{", "}", ", ", "&x ", "*x", "&y ", "*y",
    "<<: ", ".inf", "-.inf", ".nan", "1e400", "1.0e+400", "9" * 320, "2023-02-30", "2023-12-01",
    "2023-12-01T25:61:00", "!!float ", "!!int ", "!!bool ", "!!timestamp ", "!!binary ",
    "!!python/name:os.system ", "!!set ", "!!omap ", '"', "'", "#", "|", ">", "\t", "?", "\ufeff",
    "0x1F", "0o17", "1_000", "190:20:30", "~", "yes", "\x07",
)  # fmt: skip


@EXAMPLES
@given(YAML)
def test_yaml_loader_gives_data_or_problems(text: str) -> None:
    errors = Collector()
    doc = parse_yaml(text, "f.yaml", errors)
    if doc is None:
        assert errors.problems
    else:
        assert plain(doc.data)
    assert all(p.file == "f.yaml" and p.line >= 0 for p in errors.problems)


@EXAMPLES
@given(pieces("1", "0", "9", ".", ",", "-", MINUS, "e", "inf", "nan", "١", " ", "999" * 110))
def test_number_parser_gives_number_none_or_error(text: str) -> None:
    try:
        number = parse_number(text)
    except NumberError as exc:
        assert str(exc).endswith("ist keine brauchbare Zahl (zu groß).")
        return
    assert number is None or math.isfinite(number)


@EXAMPLES
@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(0, 6))
def test_formatted_numbers_parse_back(value: float, decimals: int) -> None:
    text = format_number(value, decimals)
    assert parse_number(text) == float(round_half_up(value, decimals))


# Mostly valid pieces (so formulas get evaluated), some that must be refused.
ATOMS = st.sampled_from(
    ["a", "b", "1", "0", "2.5", "1e308"] * 4 + ["c", "1e999", "True", "9" * 400]
)
OPERATORS = st.sampled_from([" + ", " - ", " * ", " / "] * 4 + [" ** ", " % "])


def combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(inner, OPERATORS, inner).map(lambda t: f"({''.join(t)})") | inner.map(
        lambda x: f"-{x}"
    )


GRAMMAR = st.recursive(ATOMS, combine, max_leaves=12)
FORMULA = GRAMMAR | GRAMMAR | GRAMMAR | pieces(
    "a", "b", " + ", " * ", "(", ")", "anteil(", "1e308", "**", "__import__", "'x'", "[", ",",
    "lambda", "-" * 300,
)  # fmt: skip
VALUES = st.none() | st.floats(allow_nan=False, allow_infinity=False)
ROW = st.fixed_dictionaries({"a": VALUES, "b": VALUES})


@EXAMPLES
@given(FORMULA, ROW, st.none() | ROW)
def test_formula_gives_value_none_or_error(
    text: str, row: dict[str, float | None], reference: dict[str, float | None] | None
) -> None:
    try:
        formula = parse_formula(text, {"a", "b"})
        value = formula.evaluate(row, reference)
    except FormulaError as exc:
        assert str(exc).startswith("Die Formel „")
        return
    assert value is None or math.isfinite(value)


CELL = st.sampled_from(
    ["gruppe", "summe", "gesamt", "bezug", "bezug,hervorgehoben", "x", "-", "=", "1.234", "1,5",
     "−2", "inf", "nan", "9" * 400, "", '"', "a;b", "\x00", "\ufeff"]
) | st.text(max_size=4)  # fmt: skip
HEADER = st.lists(st.sampled_from(["art", "id", "merkmal", "a", "b", ""]), max_size=5)
CSV = st.tuples(
    HEADER.map(";".join), st.lists(st.lists(CELL, max_size=6).map(";".join), max_size=6)
).map(lambda t: "\n".join([t[0], *t[1]])) | pieces(";", "\n", "\r\n", '"', "art", "x", "1,5")


@EXAMPLES
@given(CSV)
def test_csv_reader_gives_rows_or_problems(text: str) -> None:
    errors = Collector()
    parsed = parse_csv(text, "t.csv", errors)
    if parsed is None:
        assert errors.problems
        return
    rows, lines = parsed
    assert len(rows) == len(lines)
    assert all(plain(row) for row in rows)
    assert all(p.file == "t.csv" for p in errors.problems)
