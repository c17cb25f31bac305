"""Turn numbered tables and figures into targets: the entries of the lists of tables and
figures a layout asks for, and what a cross-reference in the text points at.

Target kinds (tabelle, abb) are named by the `label` macro in parts.html.j2; list kinds
(tabellen, abbildungen) are titled by document.html.j2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from aipgen.content.layouts import LayoutSettings


class Numbered(Protocol):
    """A table or figure once the compute stage has numbered it (0: not placed)."""

    number: int
    title: str

    @property
    def anchor(self) -> str: ...


@dataclass(frozen=True)
class Target:
    kind: str  # tabelle | abb
    number: str
    title: str
    anchor: str  # the HTML id it links to


@dataclass(frozen=True)
class Listing:
    kind: str  # tabellen | abbildungen
    entries: list[Target]


Targets = dict[str, dict[str, Target]]  # target kind → name → target

# What a reference names for each target kind: the thing, and the directive that places it.
REFERENCE_KINDS = {"tabelle": ("Tabelle", "tabelle"), "abb": ("Abbildung", "diagramm")}

# Which target kind each list of the layout setting `verzeichnisse` shows.
LISTS = {"tabellen": "tabelle", "abbildungen": "abb"}


def targets_of(kind: str, items: Mapping[str, Numbered]) -> dict[str, Target]:
    """The placed items of one kind as targets, by name, in the order of their numbers."""
    placed = sorted((item.number, name) for name, item in items.items() if item.number)
    return {
        name: Target(kind, str(number), items[name].title, items[name].anchor)
        for number, name in placed
    }


def listings(layout: LayoutSettings, targets: Targets) -> list[Listing]:
    """The lists the layout wants, in its order; a list with fewer entries than the layout's
    minimum (verzeichnis_ab) is left out."""
    found = [Listing(kind, list(targets[LISTS[kind]].values())) for kind in layout.lists]
    return [listing for listing in found if len(listing.entries) >= layout.list_minimum]


def reference_problem(
    meta: dict[str, str], targets: Targets, others: tuple[str, ...] = ()
) -> str | None:
    """Why a cross-reference (an xref token's meta) cannot be resolved, or None; `others`
    are the forms of the other references the text knows, for the message."""
    kind, name = meta["kind"], meta["name"]
    if kind not in REFERENCE_KINDS:
        forms = [f"„[](#{k}:name)“" for k in REFERENCE_KINDS] + list(others)
        choices = ", ".join(forms[:-1]) + " und " + forms[-1]
        return f"Unbekanntes Verweisziel „#{kind}:{name}“ (möglich sind {choices})."
    if meta["text"]:
        return (
            f"Ein Verweis auf „#{kind}:{name}“ bekommt seinen Text von selbst; "
            f"bitte „[](#{kind}:{name})“ mit leeren eckigen Klammern schreiben."
        )
    if name not in targets[kind]:
        thing, directive = REFERENCE_KINDS[kind]
        return (
            f"Der Verweis „#{kind}:{name}“ zeigt ins Leere: Keine {thing} „{name}“ "
            f"steht mit „::{directive} {name}“ im Text."
        )
    return None
