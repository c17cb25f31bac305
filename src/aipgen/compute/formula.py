"""Turn a table formula ("okt22 - sep22", "anteil(elb)") into a checked, evaluable expression.

Only arithmetic on column ids and numbers is allowed; nothing else of Python is reachable.
"""

from __future__ import annotations

import ast
import math
import operator
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass

BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
FUNCTIONS = ("anteil",)
# in row formulas (names are row ids): the row's value in the column before
ROW_FUNCTIONS = ("vorspalte",)


class FormulaError(ValueError):
    """A formula that cannot be used; the message is German."""


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.expr
    names: frozenset[str]

    @property
    def needs_reference(self) -> bool:
        """Whether the formula takes shares of a reference row (`anteil(...)`)."""
        return any(isinstance(node, ast.Call) for node in ast.walk(self.tree))

    def evaluate(
        self, row: Mapping[str, float | None], reference: Mapping[str, float | None] | None
    ) -> float | None:
        """Value for one row; None when an input is missing or a division by zero occurs.

        Raises FormulaError when the result is too large to be a number (overflow).
        """
        try:
            value = _eval(self.tree, row, reference)
        except (_Missing, ZeroDivisionError):
            return None
        except OverflowError:
            value = math.inf
        if not math.isfinite(value):
            raise FormulaError(f"Die Formel „{self.text}“ ergibt eine zu große Zahl")
        return value


class _Missing(Exception):
    pass


def parse_formula(
    text: str, columns: set[str], functions: tuple[str, ...] = FUNCTIONS, what: str = "Spalte"
) -> Formula:
    """A checked formula over the given names (column ids, or row ids in a row formula)."""
    try:
        with warnings.catch_warnings():  # e.g. "2okt": Python warns before the SyntaxError
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(text, mode="eval").body
        names = _check(tree, columns, text, functions, what)
    except FormulaError:
        raise
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise FormulaError(f"Die Formel „{text}“ ist nicht lesbar") from exc
    return Formula(text, tree, frozenset(names))


def _check(
    node: ast.expr,
    columns: set[str],
    text: str,
    functions: tuple[str, ...] = FUNCTIONS,
    what: str = "Spalte",
) -> set[str]:
    if isinstance(node, ast.Constant) and is_number(node.value):
        return set()
    if isinstance(node, ast.Name):
        if node.id not in columns:
            raise FormulaError(f"Die Formel „{text}“ nennt die unbekannte {what} „{node.id}“")
        return {node.id}
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        return _check(node.left, columns, text, functions, what) | _check(
            node.right, columns, text, functions, what
        )
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return _check(node.operand, columns, text, functions, what)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in functions
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Name)
    ):
        return _check(node.args[0], columns, text, functions, what)
    allowed = ", ".join(functions)
    raise FormulaError(
        f"Die Formel „{text}“ enthält Unerlaubtes (erlaubt: {what}n, Zahlen, + - * / ( ), "
        f"{allowed})"
    )


def is_number(value: object) -> bool:
    """A finite int or float constant (not True/False, not 1e999, not a 400-digit int)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _eval(
    node: ast.expr, row: Mapping[str, float | None], ref: Mapping[str, float | None] | None
) -> float:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)
        return float(node.value)
    if isinstance(node, ast.Name):
        value = row.get(node.id)
        if value is None:
            raise _Missing
        return value
    if isinstance(node, ast.BinOp):
        return BINARY[type(node.op)](_eval(node.left, row, ref), _eval(node.right, row, ref))
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, row, ref)
        return -value if isinstance(node.op, ast.USub) else value
    assert isinstance(node, ast.Call) and isinstance(node.args[0], ast.Name)
    if ref is None:
        raise _Missing
    assert isinstance(node.func, ast.Name)
    if node.func.id == "vorspalte":
        return _eval(node.args[0], ref, None)
    return _eval(node.args[0], row, ref) / _eval(node.args[0], ref, None) * 100
