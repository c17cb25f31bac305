"""The layouts in templates/: which exist, and the settings a layout declares in layout.yaml
(what a layout asks of the media beyond its CSS, e.g. page counts for saddle stitching)."""

from __future__ import annotations

import functools
from typing import Literal

import yaml
from pydantic import Field

from .model import Strict
from .paths import TEMPLATES

SETTINGS_FILE = "layout.yaml"


class LayoutPrint(Strict):
    page_multiple: int = Field(1, alias="seitenzahl_vielfaches", ge=1, le=16)


class LayoutSettings(Strict):
    print_options: LayoutPrint = Field(LayoutPrint(), alias="druck")
    # lists after the table of contents, in this order (see targets.LISTS)
    lists: list[Literal["tabellen", "abbildungen"]] = Field(
        default_factory=list, alias="verzeichnisse"
    )
    # where a chapter begins in the PDFs: on a new page, a new right-hand page, or straight on
    chapter_start: Literal["neue_seite", "rechte_seite", "fortlaufend"] = Field(
        "neue_seite", alias="kapitelanfang"
    )


def available_layouts() -> list[str]:
    """Layouts are the template folders that carry a style sheet."""
    return sorted(p.parent.name for p in TEMPLATES.glob("*/style.css"))


@functools.cache
def layout_settings(layout: str) -> LayoutSettings:
    """The layout's layout.yaml (part of the project's own design files), or the defaults."""
    path = TEMPLATES / layout / SETTINGS_FILE
    if not path.is_file():
        return LayoutSettings()
    return LayoutSettings.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
