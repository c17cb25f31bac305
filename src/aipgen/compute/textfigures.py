"""Turn references to figures in the text into the figures, as their table or box prints them.

`[](#wert:tabelle/zeile/spalte)` names a cell of a table: the table by its name, the row by its
id (else by its text, as `vorjahr: bestaetigt` names rows), the column by its id. It may be a
stated number, a formula cell or a sum; the sentence shows the cell's text, so number, unit,
sign and rounding are the table's. `[](#kennzahl:kasten/nr)` names a figure of a key-figure box
by its id or its position (1, 2 …). Each kind of figure reference is one entry in
FIGURE_KINDS; a reference that names nothing is a German problem with a suggestion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from markdown_it.token import Token

from aipgen.base.errors import nearest
from aipgen.compute.tables import Cell, ComputedTable, row_keys


@dataclass(frozen=True)
class Found:
    """A reference resolved: the figure's text, or why there is none."""

    text: str = ""
    problem: str = ""
    value: float | None = None  # the figure as a number, where it is one


Lookup = Callable[[list[str], dict[str, dict[str, Any]]], Found]


def parts_of(meta: dict[str, Any]) -> list[str]:
    return [unquote(part) for part in str(meta["name"]).split("/")]


def table_figure(parts: list[str], items: dict[str, dict[str, Any]]) -> Found:
    """A cell of a computed table, as the table prints it."""
    if len(parts) != 3:
        return Found(problem=shape("wert", "tabelle/zeile/spalte"))
    name, row_name, column_id = parts
    tables: dict[str, ComputedTable] = items.get("tabelle", {})
    if name not in tables:
        return Found(problem=missing("Die Tabelle {} gibt es nicht", name, tables))
    table = tables[name]
    keys = {key: i for i, key in enumerate(row_keys(table.rows))}
    keys.update({row.id: i for i, row in enumerate(table.rows) if row.id})
    if row_name not in keys:
        return Found(problem=missing(f"Die Tabelle „{name}“ hat keine Zeile {{}}", row_name, keys))
    ids = [column.id for column in table.columns]
    if column_id not in ids:
        return Found(problem=missing(f"Die Tabelle „{name}“ hat keine Spalte {{}}", column_id, ids))
    row = table.rows[keys[row_name]]
    at = ids.index(column_id)
    cell = row.cells[at] if at < len(row.cells) else Cell()
    if not cell.text:
        return Found(
            problem=f"Die Zelle „{row_name}“, „{column_id}“ der Tabelle „{name}“ ist leer."
        )
    return Found(cell.text, value=cell.value)


def key_figure(parts: list[str], items: dict[str, dict[str, Any]]) -> Found:
    """A figure of a key-figure box, by its id or its position from 1, as the box prints it."""
    if len(parts) != 2:
        return Found(problem=shape("kennzahl", "kasten/nr"))
    name, which = parts
    boxes = items.get("kennzahlen", {})
    if name not in boxes:
        return Found(problem=missing("Einen Kennzahlen-Kasten {} gibt es nicht", name, boxes))
    figures = boxes[name].items
    by_name = {str(k): item for k, item in enumerate(figures, 1)}
    by_name.update({item.id: item for item in figures if item.id})
    if which not in by_name:
        known = [str(k) for k in range(1, len(figures) + 1)] + [f.id for f in figures if f.id]
        return Found(problem=missing(f"Der Kasten „{name}“ hat keine Kennzahl {{}}", which, known))
    item = by_name[which]
    return Found(str(item.value), value=item.number)


# reference kind → how it is looked up, and the table-like item kind it names (for files with
# errors of their own, which are not reported again)
FIGURE_KINDS: dict[str, tuple[Lookup, str]] = {
    "wert": (table_figure, "tabelle"),
    "kennzahl": (key_figure, "kennzahlen"),
}
FEW = 8  # the known names a message lists when none is near
EXAMPLES = ("„[](#wert:tabelle/zeile/spalte)“", "„[](#kennzahl:kasten/nr)“")


def shape(kind: str, form: str) -> str:
    return f"Ein Verweis auf eine Zahl hat die Form „[](#{kind}:{form})“."


def missing(sentence: str, name: str, known: Any) -> str:
    """The sentence with the name put in, and the nearest known name as a suggestion."""
    names = [str(k) for k in known]
    near = nearest(name, names)
    hint = f" – meinten Sie „{near}“?" if near else "."
    if not near and 0 < len(names) <= FEW:
        hint = f" (möglich: {', '.join(names)})."
    head, _, tail = sentence.rpartition("{}")
    return f"{head}„{name}“{tail}{hint}"


def resolve(meta: dict[str, Any], items: dict[str, dict[str, Any]], failed: set[str]) -> Found:
    """The figure a reference names; nothing (no text, no problem) when it names a file that
    has errors of its own."""
    lookup, item_kind = FIGURE_KINDS[meta["kind"]]
    parts = parts_of(meta)
    if f"{item_kind}:{parts[0]}" in failed:
        return Found()
    if meta["text"]:
        return Found(
            problem=f"Ein Verweis auf eine Zahl bekommt seinen Text von selbst; "
            f"bitte „[](#{meta['kind']}:{meta['name']})“ mit leeren eckigen Klammern "
            "schreiben."
        )
    found = lookup(parts, items)
    if found.problem:
        where = f"„#{meta['kind']}:{'/'.join(parts)}“"
        return Found(problem=f"Der Verweis {where} zeigt ins Leere: {found.problem}")
    return found


def figure_text(reference: str, items: dict[str, dict[str, Any]]) -> str:
    """What a reference written as "kind:name" prints (empty if it names nothing)."""
    return figure(reference, items).text


def figure(reference: str, items: dict[str, dict[str, Any]]) -> Found:
    """The figure a reference written as "kind:name" (as in the text, without brackets) names."""
    kind, _, name = reference.partition(":")
    if kind not in FIGURE_KINDS:
        return Found(problem=f"„{reference}“ ist kein Verweis auf eine Zahl.")
    return resolve({"kind": kind, "name": name, "text": ""}, items, set())


def resolved_figures(
    given: dict[str, float | str], items: dict[str, dict[str, Any]]
) -> tuple[dict[str, float], dict[str, str]]:
    """Figures given as numbers or as references ("wert:…", "kennzahl:…"): each as a number,
    and for each reference that gives none, why (German)."""
    figures: dict[str, float] = {}
    problems: dict[str, str] = {}
    for key, value in given.items():
        found = figure(value, items) if isinstance(value, str) else Found(value=value)
        if found.value is not None:
            figures[key] = found.value
        else:
            problems[key] = found.problem or f"„{value}“ ist keine Zahl, sondern „{found.text}“."
    return figures, problems


Report = Callable[[int, str], None]


def filled(
    children: list[Token], items: dict[str, dict[str, Any]], failed: set[str], report: Report
) -> Iterator[Token]:
    """The inline children with each figure reference replaced by the figure as text (inside
    image descriptions too, for their alt text); problems go to `report` with their line."""
    for child in children:
        if child.type == "xref" and child.meta["kind"] in FIGURE_KINDS:
            found = resolve(child.meta, items, failed)
            if found.problem:
                report(child.meta["line"], found.problem)
            yield Token("text", "", 0, content=found.text)
        elif child.children:
            copy = child.copy()
            copy.children = joined(filled(child.children, items, failed, report))
            yield copy
        else:
            yield child


def fill_tokens(
    tokens: list[Token], items: dict[str, dict[str, Any]], failed: set[str], report: Report
) -> list[Token]:
    """A chapter's tokens, copied where they hold a figure reference, with the figures in."""
    result = []
    for token in tokens:
        if token.children and any(holds_figure(c) for c in token.children):
            copy = token.copy()
            copy.children = joined(filled(token.children, items, failed, report))
            token = copy
        result.append(token)
    return result


def joined(children: Iterable[Token]) -> list[Token]:
    """Neighbouring texts as one, so the figure and the words around it are typeset together
    (a unit tied to its number: "−19,0 %")."""
    result: list[Token] = []
    for child in children:
        if child.type == "text" and result and result[-1].type == "text":
            result[-1] = Token("text", "", 0, content=result[-1].content + child.content)
        else:
            result.append(child)
    return result


def holds_figure(token: Token) -> bool:
    if token.type == "xref":
        return token.meta["kind"] in FIGURE_KINDS
    return any(holds_figure(c) for c in token.children or [])
