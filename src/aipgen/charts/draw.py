"""Draw charts with matplotlib: the chart types, the figure sizes, the SVG cleaned for the page,
and PNG images for the Word file.

Imported only when a chart is drawn (a chart found in the cache needs none of it; see
charts.py). Chart types register themselves by name. Output bytes are deterministic: fixed hash
salt, no dates. Ids are scoped to the chart, so several charts on one page never share one.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import matplotlib
import matplotlib.lines
import matplotlib.style
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from aipgen.base.numbers import format_number
from aipgen.base.paths import DesignFiles, design_cache
from aipgen.charts.parts import REMAINDER, Colours, label, pie_parts
from aipgen.content.chartdata import ChartData

matplotlib.use("Agg")
# Figures this narrow (inches) are for phones: pie legends below the pie, long labels wrapped,
# bar names above their bars.
NARROW_WIDTH = 4.5


Drawer = Callable[[Figure, ChartData, Colours], None]
CHART_TYPES: dict[str, Drawer] = {}


def register(name: str) -> Callable[[Drawer], Drawer]:
    def add(func: Drawer) -> Drawer:
        CHART_TYPES[name] = func
        return func

    return add


@design_cache("charts")
@functools.cache
def add_fonts(files: DesignFiles) -> None:
    """Make the design's fonts known to matplotlib (once per process and set of design files)."""
    for font in files.files("templates/fonts", "*.ttf"):
        font_manager.fontManager.addfont(str(font))


@design_cache("charts")
@functools.lru_cache(maxsize=256)
def render(
    data: ChartData, narrow: bool, styles: tuple[Path, ...], tints: Colours, files: DesignFiles
) -> str:
    """The chart drawn with the style sheets `styles` and the fonts of `files`, as SVG."""
    buffer = io.StringIO()
    saved(data, narrow, styles, tints, files, buffer, format="svg", metadata=SVG_METADATA)
    return scope_ids(clean_svg(buffer.getvalue()))


def render_png(
    data: ChartData, styles: tuple[Path, ...], tints: Colours, files: DesignFiles, dpi: int
) -> bytes:
    """The chart at page width as a PNG image of `dpi` dots per inch (for the Word file)."""
    buffer = io.BytesIO()
    saved(data, False, styles, tints, files, buffer, format="png", dpi=dpi, metadata=PNG_METADATA)
    return buffer.getvalue()


SVG_METADATA = {"Date": None, "Creator": None}  # no build time, no version: same input, same file
PNG_METADATA = {"Software": None}


def saved(
    data: ChartData,
    narrow: bool,
    styles: tuple[Path, ...],
    tints: Colours,
    files: DesignFiles,
    target: IO[Any],
    **options: Any,
) -> None:
    """Draw the chart and save it to `target` (matplotlib's savefig `options`)."""
    add_fonts(files)
    with matplotlib.rc_context(), matplotlib.style.context([str(s) for s in styles]):
        figure = draw(data, figure_size(data), tints)
        if narrow:  # labels outside the axes must not widen the drawing beyond a phone's width
            figure = fit_width(data, figure, tints)
        figure.savefig(target, **options)


def draw(data: ChartData, size: tuple[float, float], tints: Colours) -> Figure:
    figure = Figure(figsize=size)
    CHART_TYPES[data.kind](figure, data, tints)
    return figure


def fit_width(data: ChartData, figure: Figure, tints: Colours, rounds: int = 3) -> Figure:
    """Redraw narrower until the saved drawing (axes plus outside labels) has the style's width."""
    target = figure.get_figwidth()
    for _ in range(rounds):
        width = figure.get_tightbbox().width + 2 * float(matplotlib.rcParams["savefig.pad_inches"])
        if width <= target * 1.01:
            break
        size = (figure.get_figwidth() - (width - target), figure.get_figheight())
        figure = draw(data, size, tints)
    return figure


def clean_svg(svg: str) -> str:
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    return re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", svg, count=1).strip() + "\n"


ID = re.compile(r'\sid="([^"]+)"')
REFERENCE = re.compile(r'(url\(#|href="#)([^)"]+)')


def scope_ids(svg: str) -> str:
    """Drop the ids nothing refers to; prefix the others with a hash of the chart."""
    referenced = {m.group(2) for m in REFERENCE.finditer(svg)}
    prefix = "c" + hashlib.sha256(svg.encode()).hexdigest()[:8] + "-"

    def keep(match: re.Match[str]) -> str:
        return f' id="{prefix}{match.group(1)}"' if match.group(1) in referenced else ""

    return REFERENCE.sub(lambda m: m.group(1) + prefix + m.group(2), ID.sub(keep, svg))


def figure_size(data: ChartData) -> tuple[float, float]:
    """Width from the style sheet (page or phone); height from the kind and amount of data."""
    width, height = (float(v) for v in matplotlib.rcParams["figure.figsize"])
    if data.kind == "balken":
        bars = len(data.categories) * (1 if data.stacked else max(1, len(data.series)))
        per_bar = 0.62 if width <= NARROW_WIDTH else 0.28  # narrow: room for the name above
        return width, max(2.2, per_bar * bars + 0.9)
    if data.kind in ("kreis", "ring"):
        return width, height * 0.9 if width > NARROW_WIDTH else width + 1.4
    return width, height


def is_narrow(figure: Figure) -> bool:
    return figure.get_figwidth() <= NARROW_WIDTH


def label_size() -> float:
    """Value labels in charts: the tick label size of the style sheet."""
    return float(matplotlib.rcParams["xtick.labelsize"])


def wrap_label(text: str) -> str:
    """Long category names wrap on narrow charts (width from the style sheet)."""
    width = float(matplotlib.rcParams["figure.figsize"][0])
    return text if width > NARROW_WIDTH else textwrap.fill(text, 22, break_long_words=False)


def tick_formatter(data: ChartData) -> FuncFormatter:
    def fmt(value: float, _: object) -> str:
        places = 0 if float(value).is_integer() else data.decimals
        return format_number(value, places)

    return FuncFormatter(fmt)


def long_ticks(data: ChartData) -> bool:
    """Whether the value axis labels are long (millions), too wide for many ticks on a phone."""
    largest = max((abs(v) for s in data.series for v in s.values if v is not None), default=0)
    return len(format_number(largest, 0)) > 7


def values(series_values: tuple[float | None, ...]) -> list[float]:
    return [0.0 if v is None else v for v in series_values]


def estimated_note(ax: Axes, data: ChartData, c: Colours, handles: list[Any]) -> None:
    if any(any(s.estimated) for s in data.series):
        handles.append(Patch(facecolor=c.neutral, hatch=c.hatch, label="geschätzt"))


def finish_legend(ax: Axes, data: ChartData, handles: list[Any]) -> None:
    if len(data.series) > 1 or len(handles) > len(data.series):
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=min(4, len(handles)),
        )


def bars(figure: Figure, data: ChartData, c: Colours, horizontal: bool) -> None:
    ax = figure.add_subplot()
    count, n = len(data.categories), len(data.series)
    names_above = horizontal and is_narrow(figure)  # phones: the name above its bar, full width
    group = 0.45 if names_above else 0.8
    width = group if data.stacked else group / n
    base = [0.0] * count
    handles: list[Any] = []
    positions = list(range(count))[::-1] if horizontal else list(range(count))
    signed = any(v is not None and v < 0 for s in data.series for v in s.values)
    for i, series in enumerate(data.series):
        colour = c.series[i % len(c.series)]
        offset = 0.0 if data.stacked else (i - (n - 1) / 2) * width
        where = [p + offset for p in positions]
        heights = values(series.values)
        draw = ax.barh if horizontal else ax.bar
        container = draw(
            where, heights, width, base if data.stacked else 0.0, color=colour, label=series.name
        )
        for patch, est in zip(container.patches, series.estimated, strict=True):
            if est:
                patch.set_hatch(c.hatch)
        if count * (1 if data.stacked else n) <= 15:
            texts = ["" if v is None else label(data, v, signed) for v in series.values]
            ax.bar_label(
                container,
                texts,
                padding=2,
                fontsize=label_size(),
                color=c.text,
                label_type="center" if data.stacked else "edge",
            )
        handles.append(container)
        if data.stacked:
            base = [b + h for b, h in zip(base, heights, strict=True)]
    axis = ax.yaxis if horizontal else ax.xaxis
    ticks = ax.set_yticks if horizontal else ax.set_xticks
    if names_above:
        names_over_bars(ax, data, positions, group, c)
    else:
        ticks(positions, [wrap_label(c) for c in data.categories])
    (ax.xaxis if horizontal else ax.yaxis).set_major_formatter(tick_formatter(data))
    if horizontal and is_narrow(figure) and long_ticks(data):
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3))  # millions side by side would collide
    if horizontal:
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.axvline(0, color=c.neutral, linewidth=0.6)
        ax.margins(x=0.15)
        if data.axis_label:
            ax.set_xlabel(data.axis_label)
    else:
        ax.axhline(0, color=c.neutral, linewidth=0.6)
        ax.margins(y=0.12)
        if data.axis_label:
            ax.set_ylabel(data.axis_label)
        if max((len(x) for x in data.categories), default=0) > 12:
            for tick in axis.get_ticklabels():
                tick.set_rotation(30)
                tick.set_horizontalalignment("right")
    estimated_note(ax, data, c, handles)
    finish_legend(ax, data, handles)


def names_over_bars(
    ax: Axes, data: ChartData, positions: list[int], group: float, c: Colours
) -> None:
    """Category names written above their bars, from the left edge, instead of beside them."""
    ax.set_yticks(positions, [""] * len(positions))
    where = blended_transform_factory(ax.transAxes, ax.transData)
    for pos, name in zip(positions, data.categories, strict=True):
        ax.text(
            0,
            pos + group / 2 + 0.04,
            textwrap.fill(name, 50, break_long_words=False),
            transform=where,
            ha="left",
            va="bottom",
            fontsize=label_size(),
            color=c.text,
        )


@register("linie")
def lines(figure: Figure, data: ChartData, c: Colours) -> None:
    ax = figure.add_subplot()
    x = list(range(len(data.categories)))
    handles: list[Any] = []
    for i, series in enumerate(data.series):
        colour = c.series[i % len(c.series)]
        points = [(xi, v) for xi, v in zip(x, series.values, strict=True) if v is not None]
        (line,) = ax.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            color=colour,
            marker="o",
            markersize=4,
            linewidth=1.8,
            label=series.name,
        )
        for xi, v, est in zip(x, series.values, series.estimated, strict=True):
            if v is not None and est:
                ax.plot(
                    [xi],
                    [v],
                    marker="o",
                    markersize=7,
                    markerfacecolor="white",
                    markeredgecolor=colour,
                )
            if v is not None and len(x) * len(data.series) <= 24:
                ax.annotate(
                    label(data, v),
                    (xi, v),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                    fontsize=label_size(),
                    color=c.text,
                )
        handles.append(line)
    ax.set_xticks(x, list(data.categories))
    ax.yaxis.set_major_formatter(tick_formatter(data))
    ax.margins(y=0.18)
    if data.axis_label:
        ax.set_ylabel(data.axis_label)
    if any(any(s.estimated) for s in data.series):
        handles.append(
            matplotlib.lines.Line2D(
                [],
                [],
                marker="o",
                markerfacecolor="white",
                markeredgecolor=c.neutral,
                linestyle="none",
                label="geschätzt",
            )
        )
    finish_legend(ax, data, handles)


def pie(figure: Figure, data: ChartData, c: Colours, ring: bool) -> None:
    ax = figure.add_subplot()
    pairs = pie_parts(data)
    total = sum(v for _, v, _ in pairs)
    colours = [
        c.neutral if k == REMAINDER else c.series[i % len(c.series)]
        for i, (k, _, _) in enumerate(pairs)
    ]
    wedges, *_ = ax.pie(
        [v for _, v, _ in pairs],
        colors=colours,
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.42 if ring else 1, "edgecolor": "white", "linewidth": 1},
        autopct=lambda pct: format_number(pct, 1, "%") if pct >= 3 else "",
        pctdistance=0.79 if ring else 0.65,
        textprops={"fontsize": label_size(), "color": "white"},
    )
    handles: list[Any] = []
    for wedge, (name, value, est) in zip(wedges, pairs, strict=True):
        if est:
            wedge.set_hatch(c.hatch)
        share = format_number(value / total * 100, 1, "%")
        wedge.set_label(f"{name} ({share})")
        handles.append(wedge)
    ax.set_aspect("equal")
    ax.grid(False)
    estimated_note(ax, data, c, handles)
    if not is_narrow(figure):
        ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5))
    else:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=1)


register("saeulen")(functools.partial(bars, horizontal=False))
register("balken")(functools.partial(bars, horizontal=True))
register("kreis")(functools.partial(pie, ring=False))
register("ring")(functools.partial(pie, ring=True))
