"""The colour table of charts/palette.yaml: every colour with its sRGB (screen) and CMYK (print)
values, so print output uses the brand's CMYK exactly instead of converting sRGB back."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from aipgen.base.paths import DesignFiles, design_cache

CMYK = tuple[float, float, float, float]  # percent, 0–100


@dataclass(frozen=True)
class Colour:
    srgb: str  # "#rrggbb", lower case
    cmyk: CMYK


@dataclass(frozen=True)
class Palette:
    series: tuple[Colour, ...]
    neutral: Colour
    text: Colour
    hatch: str

    def all(self) -> tuple[Colour, ...]:
        return (*self.series, self.neutral, self.text)


def colour(entry: dict[str, Any]) -> Colour:
    return Colour(str(entry["srgb"]).lower(), as_cmyk(entry["cmyk"]))


def as_cmyk(values: Sequence[float]) -> CMYK:
    """Four percentages as CMYK."""
    c, m, y, k = (float(v) for v in values)
    return (c, m, y, k)


def palette_file(design: DesignFiles) -> Path:
    return design.find("charts", "palette.yaml")


def palette(design: DesignFiles) -> Palette:
    return read_palette(palette_file(design))


@design_cache("charts")
@functools.cache
def read_palette(path: Path) -> Palette:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Palette(
        series=tuple(colour(c) for c in spec["farben"]),
        neutral=colour(spec["neutral"]),
        text=colour(spec["text"]),
        hatch=str(spec["geschaetzt_schraffur"]),
    )


def device_cmyk(cmyk: CMYK | list[float]) -> str:
    """CSS Color 4 device-cmyk() from percentages, the syntax WeasyPrint writes as DeviceCMYK."""
    return "device-cmyk(" + " ".join(f"{v / 100:g}" for v in cmyk) + ")"


def srgb_to_cmyk(design: DesignFiles) -> dict[str, CMYK]:
    """Lookup from each palette colour's sRGB hex to its CMYK values."""
    return cmyk_lookup(palette_file(design))


@design_cache("charts")
@functools.cache
def cmyk_lookup(path: Path) -> dict[str, CMYK]:
    return {c.srgb: c.cmyk for c in read_palette(path).all()}


HEX = re.compile(r"#[0-9a-fA-F]{6}(?![0-9a-zA-Z_-])")


def print_colours(svg: str, design: DesignFiles) -> str:
    """The SVG with every colour of the design's palette written as its device-cmyk() value."""
    table = srgb_to_cmyk(design)

    def swap(match: re.Match[str]) -> str:
        cmyk = table.get(match.group(0).lower())
        return device_cmyk(cmyk) if cmyk else match.group(0)

    return HEX.sub(swap, svg)
