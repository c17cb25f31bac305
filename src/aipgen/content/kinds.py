"""The content kinds placed in chapters by directives (`::tabelle name`), in one registry.

The loader reads each kind's folder, the validator checks the directives against it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    folder: str  # one YAML file per item, named like the item
    once: bool  # may be placed only once (it is numbered and carries HTML ids)


KINDS = {
    "tabelle": Kind("tabellen", once=True),
    "diagramm": Kind("diagramme", once=True),
    "kennzahlen": Kind("kennzahlen", once=False),
}
