"""The content kinds placed in chapters by directives (`::tabelle name`), as a registry.

Each kind is one entry holding what the stages need to know of it: the folder its YAML files
live in, whether it may be placed only once, the model its files are checked against (and any
checks beyond the model), how the compute stage turns a checked file into what the templates
show, and the template macro that shows it. The loader, the validator, the compute stage and
the renderer look a kind up here and name none of them. A new kind is one `register` call and
one macro; test_directives.py adds one from test code alone.

The registry sits in the content room because the loader and the validator use it. What
happens in the rooms above (compute, media) is named as "module:function" and imported when
first used, as the output formats name their renderers (base/formats.py), so no room imports
one above it; code that registers a kind of its own may hand the functions themselves.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from aipgen.base.errors import Collector
from aipgen.content.model import ChartFile, KeyFiguresFile, TableFile
from aipgen.content.safe.csvdata import attach_csv
from aipgen.content.tablechecks import check_table

if TYPE_CHECKING:
    from aipgen.content.load import YamlDoc

# a function, or where to find it: "module:function", imported when first used
Ref = str | Callable[..., Any]


@dataclass(frozen=True)
class Kind:
    """One directive kind; the functions' arguments are described at each field."""

    name: str  # the directive's word: `::tabelle name`
    folder: str  # one YAML file per item, named like the item
    once: bool  # placed only once: numbered in the order placed, its computed item has .number
    model: type[BaseModel]  # what a file of the folder must hold
    macro: str  # "template:macro" showing the computed item, e.g. "parts.html.j2:table"
    loaded: Callable[[Path, YamlDoc, Collector], None] | None = None  # (root, doc, errors)
    check: Callable[[Any, YamlDoc, Collector], None] | None = None  # (model, doc, errors)
    compute: Ref | None = None  # (name, model, Computing) → item or None; None: the model
    render: Ref | None = None  # (macro, item, Placing) → markup; None: macro(item)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind (or replace the kind of that name)."""
    KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    KINDS.pop(name, None)


def resolve(ref: Ref) -> Callable[..., Any]:
    """The function a reference names."""
    if not isinstance(ref, str):
        return ref
    module, _, function = ref.partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), function)
    return found


def choices() -> str:
    """The directives there are, for messages: "::tabelle, ::diagramm, ::kennzahlen"."""
    return ", ".join(f"::{name}" for name in KINDS)


register(
    Kind(
        "tabelle",
        "tabellen",
        once=True,
        model=TableFile,
        macro="parts.html.j2:table",
        loaded=attach_csv,
        check=check_table,
        compute="aipgen.compute.document:table_item",
        render="aipgen.media.render:show_table",
    )
)
register(
    Kind(
        "diagramm",
        "diagramme",
        once=True,
        model=ChartFile,
        macro="parts.html.j2:chart",
        compute="aipgen.compute.document:chart_item",
        render="aipgen.media.render:show_chart",
    )
)
register(
    Kind(
        "kennzahlen",
        "kennzahlen",
        once=False,
        model=KeyFiguresFile,
        macro="parts.html.j2:keyfigures",
        compute="aipgen.compute.document:key_box_item",
    )
)
