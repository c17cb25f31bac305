"""Charts as SVG (screen: the palette's sRGB values; print: its CMYK values), at page width or
narrow for phones, and their alt texts.

A chart is a pure function of its data, the style sheets and the palette in charts/, the fonts
and the drawing code: it is looked up in the chart cache (chartcache.py) by that fingerprint and
drawn (chartdraw.py, matplotlib) only when it is not there, so a build whose charts are all
cached never imports matplotlib. Text stays text in the document's font (searchable, small).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from aipgen.base.formats import Variant
from aipgen.base.numbers import format_number
from aipgen.base.paths import DesignFiles, cache, design_cache
from aipgen.charts.cache import cached, entry_key
from aipgen.charts.parts import Colours, label, pie_parts
from aipgen.content.chartdata import CHART_KINDS, ChartData
from aipgen.design.palette import palette_file, print_colours, read_palette

STYLE = "aipgen.mplstyle"
NARROW_STYLE = "aipgen-schmal.mplstyle"  # added on top of STYLE for phones
# Column charts with more categories than this become horizontal bars when narrow.
NARROW_MAX_COLUMNS = 5


def style_files(narrow: bool, design: DesignFiles) -> tuple[Path, ...]:
    """The chart style sheets (charts/ of the project, else the built-in ones)."""
    names = (STYLE, NARROW_STYLE) if narrow else (STYLE,)
    return tuple(design.find("charts", name) for name in names)


def colours(design: DesignFiles) -> Colours:
    return colours_of(palette_file(design))


@design_cache("charts")
@functools.cache
def colours_of(path: Path) -> Colours:
    spec = read_palette(path)
    return Colours(
        series=tuple(c.srgb for c in spec.series),
        neutral=spec.neutral.srgb,
        text=spec.text.srgb,
        hatch=spec.hatch,
    )


def known_types() -> str:
    return ", ".join(sorted(CHART_KINDS))


COLOUR_VARIANTS: dict[Variant, Callable[[str, DesignFiles], str]] = {
    "screen": lambda svg, design: svg,
    "print": print_colours,
}


def render_svg(
    data: ChartData, design: DesignFiles, variant: Variant = "screen", narrow: bool = False
) -> str:
    """The chart as an inline-ready SVG string (no XML prolog, scalable), drawn with the
    design's chart styles, palette and fonts.

    narrow: drawn for a phone's width (about 330 CSS px) with text that stays legible there.
    """
    if data.kind not in CHART_KINDS:
        raise ValueError(f"Unbekannter Diagrammtyp „{data.kind}“ (bekannt: {known_types()}).")
    shown = narrow_data(data) if narrow else data
    styles, tints = style_files(narrow, design), colours(design)
    key = entry_key((shown, narrow, tints), styles, design)
    svg = cached(cache(), key, lambda: drawn(shown, narrow, styles, tints, design))
    return COLOUR_VARIANTS[variant](svg, design)


def drawn(
    data: ChartData, narrow: bool, styles: tuple[Path, ...], tints: Colours, design: DesignFiles
) -> str:
    from aipgen.charts import (
        draw as chartdraw,  # matplotlib loads only when a chart is not in the cache
    )

    return chartdraw.render(data, narrow, styles, tints, design)


def render_png(data: ChartData, design: DesignFiles, dpi: int) -> bytes:
    """The chart at page width as a PNG image in the screen colours (Word files; not cached:
    drawn only when a Word file is built)."""
    from aipgen.charts import draw as chartdraw

    return chartdraw.render_png(data, style_files(False, design), colours(design), design, dpi)


def narrow_data(data: ChartData) -> ChartData:
    """On a phone, many columns (counting each of a group) read better as horizontal bars:
    their labels then have the width of the chart, not of a column."""
    columns = len(data.categories) * (1 if data.stacked else len(data.series))
    if data.kind == "saeulen" and columns > NARROW_MAX_COLUMNS:
        return replace(data, kind="balken")
    return data


def alt_text(data: ChartData) -> str:
    """The author's alt text, or a German sentence built from the data."""
    if data.alt:
        return data.alt
    kind = CHART_KINDS.get(data.kind, "Diagramm")
    describe = ALT_DESCRIPTIONS.get(data.kind, series_description)
    return f"{kind} „{data.title}“: {describe(data)}."


def series_description(data: ChartData) -> str:
    """Every value of every series, named by its category."""
    signed = any(v is not None and v < 0 for s in data.series for v in s.values)
    parts = []
    for series in data.series:
        items = [
            f"{cat} {label(data, v, signed)}" + (" (geschätzt)" if est else "")
            for cat, v, est in zip(data.categories, series.values, series.estimated, strict=True)
            if v is not None
        ]
        prefix = f"{series.name}: " if len(data.series) > 1 else ""
        parts.append(prefix + "; ".join(items))
    return " – ".join(parts)


def pie_description(data: ChartData) -> str:
    """Every slice with its value and its share, as the chart labels them."""
    parts = pie_parts(data)
    total = sum(v for _, v, _ in parts)
    return "; ".join(
        f"{name} {label(data, value)} ({format_number(value / total * 100, 1, '%')}"
        + (", geschätzt)" if est else ")")
        for name, value, est in parts
    )


ALT_DESCRIPTIONS: dict[str, Callable[[ChartData], str]] = {
    "kreis": pie_description,
    "ring": pie_description,
}
