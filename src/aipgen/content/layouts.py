"""The layouts in templates/: which exist, and the settings a layout declares in layout.yaml
(what a layout asks of the media beyond its CSS, e.g. page counts for saddle stitching)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import Field, StringConstraints, field_validator

from aipgen.base.paths import DesignFiles, design_cache
from aipgen.content.model import CHAPTER_STARTS, ProgrammeFile, Strict, Theme, check_cmyk

SETTINGS_FILE = "layout.yaml"
HEX = r"^#[0-9a-fA-F]{6}$"
COLOURS_FILE = "farben.yaml"  # in templates/common/: the colours of a programme without its own


def each_cmyk(colours: dict[str, list[float]]) -> dict[str, list[float]]:
    for values in colours.values():
        check_cmyk(values)
    return colours


class LayoutPrint(Strict):
    page_multiple: int = Field(1, alias="seitenzahl_vielfaches", ge=1, le=16)
    # sRGB colours of the layout's style sheets ("#f7eef1") that print as these CMYK
    # percentages instead of through the colour profile (light tints, for example)
    colours: dict[Annotated[str, StringConstraints(pattern=HEX)], list[float]] = Field(
        default_factory=dict, alias="farben"
    )
    _cmyk = field_validator("colours")(each_cmyk)


class LayoutSettings(Strict):
    print_options: LayoutPrint = Field(LayoutPrint(), alias="druck")
    # lists after the table of contents, in this order (see targets.LISTS)
    lists: list[Literal["tabellen", "abbildungen"]] = Field(
        default_factory=list, alias="verzeichnisse"
    )
    # where a chapter begins in the PDFs: on a new page, a new right-hand page, straight on, or
    # "automatisch": on a new page, but straight on where page make-up finds that better (a
    # chapter's tail a stub, a short programme; design/makeup.py)
    chapter_start: CHAPTER_STARTS = Field("automatisch", alias="kapitelanfang")
    # where the imprint stands in the PDFs: after the contents and lists, or on the inside back
    # cover (the page before the back cover)
    imprint_page: Literal["nach_inhalt", "innen_hinten"] = Field(
        "nach_inhalt", alias="impressum_seite"
    )
    # a list of tables or figures only from this many entries on
    list_minimum: int = Field(3, alias="verzeichnis_ab", ge=1)
    # headings numbered 1, 2.1, 5.1.1 (a report) or shown without numbers (a brochure)
    chapter_numbers: bool = Field(True, alias="kapitelnummern")
    # chapters of running text only (no table or chart placed) set in two columns in the PDFs
    two_columns: bool = Field(False, alias="textkapitel_zweispaltig")
    # the running text of every chapter in two columns in the PDFs; tables, charts, boxes and
    # section headings span both (the layout's seiten.css, section.two-columns)
    columns_throughout: bool = Field(False, alias="zweispaltig")


# What programm.yaml may set in place of its layout's layout.yaml (ProgrammeFile, None: as the
# layout says).
OWN_SETTINGS = ("chapter_numbers", "chapter_start", "list_minimum")


def programme_layout(meta: ProgrammeFile, design: DesignFiles) -> LayoutSettings:
    """The layout's settings, with what the programme sets itself in their place."""
    own = {name: value for name in OWN_SETTINGS if (value := getattr(meta, name)) is not None}
    return layout_settings(meta.layout, design).model_copy(update=own)


def available_layouts(design: DesignFiles) -> list[str]:
    """Layouts are the template folders that carry a style sheet."""
    return sorted(p.parent.name for p in design.files("templates", "*/style.css"))


def layout_settings(layout: str, design: DesignFiles) -> LayoutSettings:
    """The layout's layout.yaml in these design files, or the defaults."""
    return read_settings(design.find("templates", layout, SETTINGS_FILE))


@design_cache("pages")
@functools.cache
def read_settings(path: Path) -> LayoutSettings:
    if not path.is_file():
        return LayoutSettings()
    return LayoutSettings.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


class DefaultColours(Strict):
    """The theme colours a programme has when programm.yaml names none: design values."""

    primary: str = Field(alias="farbe_primaer", pattern=HEX)
    accent: str = Field(alias="farbe_akzent", pattern=HEX)


def theme_colours(theme: Theme, design: DesignFiles) -> dict[str, str]:
    """The theme colours as sRGB ("primary", "accent"): the programme's, else the design's.
    The CSS takes these; the print PDF prints those the theme gives in CMYK as such."""
    defaults = default_colours(design)
    return {"primary": theme.primary or defaults.primary, "accent": theme.accent or defaults.accent}


def default_colours(design: DesignFiles) -> DefaultColours:
    """templates/common/farben.yaml of the project, else the built-in one."""
    return read_colours(design.find("templates", "common", COLOURS_FILE))


@design_cache("pages")
@functools.cache
def read_colours(path: Path) -> DefaultColours:
    return DefaultColours.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
