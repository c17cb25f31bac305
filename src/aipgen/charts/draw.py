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
import math
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
from matplotlib.patches import Patch, Wedge
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox, blended_transform_factory

from aipgen.base.numbers import format_number
from aipgen.base.paths import DesignFiles, design_cache
from aipgen.charts import labels
from aipgen.charts.parts import Colours, label, pie_parts
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
        figure = fit_width(data, figure_size(data), tints)
        figure.savefig(target, bbox_inches=full_width(figure), **options)


def draw(
    data: ChartData, size: tuple[float, float], tints: Colours, sides: tuple[float, float]
) -> Figure:
    """The chart on a figure of `size` (inches), its axes between `sides` (figure fractions)."""
    figure = Figure(figsize=size)
    figure.subplots_adjust(left=sides[0], right=sides[1])
    CHART_TYPES[data.kind](figure, data, tints)
    return figure


def fit_width(
    data: ChartData, size: tuple[float, float], tints: Colours, rounds: int = 8
) -> Figure:
    """The chart drawn so that axes and outside labels fill the style's width and no more:
    what sticks out on one side moves the axes' edge in (the figure keeps its size), so every
    chart of a document is shown at one scale, its text at the style's sizes."""
    pad = float(matplotlib.rcParams["savefig.pad_inches"])
    left = float(matplotlib.rcParams["figure.subplot.left"])
    right = float(matplotlib.rcParams["figure.subplot.right"])
    for _ in range(rounds):
        figure = draw(data, size, tints, (left, right))
        tight = figure.get_tightbbox()
        over_left, over_right = max(0.0, pad - tight.x0), max(0.0, tight.x1 + pad - size[0])
        if over_left + over_right <= 0.005 * size[0] or right - left < 0.2:
            break
        left, right = left + over_left / size[0], right - over_right / size[0]
    return figure


def full_width(figure: Figure) -> Bbox:
    """The saved area: the drawn content's height, the figure's full width (at least), so a
    narrow drawing (a pie and its legend) is not scaled up to the page's width."""
    pad = float(matplotlib.rcParams["savefig.pad_inches"])
    tight = figure.get_tightbbox()
    return Bbox.from_extents(
        min(tight.x0 - pad, 0.0),
        tight.y0 - pad,
        max(tight.x1 + pad, figure.get_figwidth()),
        tight.y1 + pad,
    )


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
        narrow = width <= NARROW_WIDTH  # narrow: the name above its bar
        wrap = functools.partial(textwrap.fill, width=WRAP_ABOVE) if narrow else wrap_label
        lines = max((wrap(c).count("\n") + 1 for c in data.categories), default=1)
        per_bar = 0.42 + 0.18 * lines if narrow else max(0.28, 0.05 + 0.125 * lines)
        return width, max(2.2, per_bar * bars + 0.9)
    if data.kind in ("kreis", "ring"):
        return width, height * 0.9 if width > NARROW_WIDTH else width + 1.4
    return width, height


def is_narrow(figure: Figure) -> bool:
    """Drawn for a phone: decided by the style sheet's width, not by the figure's (which
    a test or a project may vary)."""
    return float(matplotlib.rcParams["figure.figsize"][0]) <= NARROW_WIDTH


def label_size() -> float:
    """Value labels in charts: the tick label size of the style sheet."""
    return float(matplotlib.rcParams["xtick.labelsize"])


# Category names wrap after this many characters (phone, page, phone above the bar).
WRAP_NARROW, WRAP_WIDE, WRAP_ABOVE = 22, 55, 50
WRAP_TITLE_NARROW, WRAP_TITLE_WIDE = 45, 110  # axis titles


def wrap_label(text: str) -> str:
    """Long category names wrap, on narrow charts sooner (width from the style sheet)."""
    width = float(matplotlib.rcParams["figure.figsize"][0])
    limit = WRAP_NARROW if width <= NARROW_WIDTH else WRAP_WIDE
    return textwrap.fill(text, limit, break_long_words=False)


def axis_title(data: ChartData) -> str:
    """The axis title, wrapped where it would be wider than a phone's drawing."""
    width = float(matplotlib.rcParams["figure.figsize"][0])
    limit = WRAP_TITLE_NARROW if width <= NARROW_WIDTH else WRAP_TITLE_WIDE
    return textwrap.fill(data.axis_label, limit, break_long_words=False)


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


# Bars (all series) up to which every value is written on the chart.
MAX_LABELLED_BARS = 15


def bars(figure: Figure, data: ChartData, c: Colours, horizontal: bool) -> None:
    ax = figure.add_subplot()
    count, n = len(data.categories), len(data.series)
    names_above = horizontal and is_narrow(figure)  # phones: the name above its bar, full width
    group = 0.45 if names_above else 0.8
    width = group if data.stacked else group / n
    base = [0.0] * count
    handles: list[Any] = []
    written: list[Text] = []
    positions = list(range(count))[::-1] if horizontal else list(range(count))
    labelled = count * (1 if data.stacked else n) <= MAX_LABELLED_BARS
    for i, series in enumerate(data.series):
        offset = 0.0 if data.stacked else (i - (n - 1) / 2) * width * (-1 if horizontal else 1)
        draw = ax.barh if horizontal else ax.bar
        container = draw(
            [p + offset for p in positions],
            values(series.values),
            width,
            base if data.stacked else 0.0,
            color=c.series[i % len(c.series)],
            label=series.name,
        )
        for patch, est in zip(container.patches, series.estimated, strict=True):
            if est:
                patch.set_hatch(c.hatch)
        if labelled:
            written += bar_values(ax, data, container, series.values, c)
        handles.append(container)
        if data.stacked:
            base = [b + h for b, h in zip(base, values(series.values), strict=True)]
    if names_above:
        names_over_bars(ax, data, positions, group, c)
    else:
        (ax.set_yticks if horizontal else ax.set_xticks)(
            positions, [wrap_label(c) for c in data.categories]
        )
    value_axis(ax, data, c, horizontal, labelled)
    zero_line(ax, positions, group, c, horizontal)
    labels.make_room(ax, written, horizontal)
    estimated_note(ax, data, c, handles)
    finish_legend(ax, data, handles)


def zero_line(ax: Axes, positions: list[int], group: float, c: Colours, horizontal: bool) -> None:
    """The zero line, drawn where the bars are: a name written above a bar stays uncrossed."""
    spans = [(p - group / 2 - 0.05, p + group / 2 + 0.05) for p in positions]
    lines = ax.vlines if horizontal else ax.hlines
    lines(
        [0.0] * len(spans),
        [a for a, _ in spans],
        [b for _, b in spans],
        color=c.neutral,
        linewidth=0.6,
    )


def bar_values(
    ax: Axes, data: ChartData, container: Any, shown: tuple[float | None, ...], c: Colours
) -> list[Text]:
    """Each bar's value written at its end (stacked: in its middle)."""
    signed = any(v is not None and v < 0 for s in data.series for v in s.values)
    return list(
        ax.bar_label(
            container,
            ["" if v is None else label(data, v, signed) for v in shown],
            padding=2,
            fontsize=label_size(),
            color=c.text,
            label_type="center" if data.stacked else "edge",
        )
    )


def value_axis(ax: Axes, data: ChartData, c: Colours, horizontal: bool, labelled: bool) -> None:
    """The value axis: its numbers, its zero line, its title; a grid only where the values
    are not written (a grid line would cross their labels)."""
    (ax.xaxis if horizontal else ax.yaxis).set_major_formatter(tick_formatter(data))
    if horizontal:
        if is_narrow(ax.figure) and long_ticks(data):  # type: ignore[arg-type]
            ax.xaxis.set_major_locator(MaxNLocator(nbins=3))  # millions side by side collide
        ax.grid(axis="x", visible=not labelled)
        ax.grid(axis="y", visible=False)
        ax.margins(x=0.05)
        if data.axis_label:
            ax.set_xlabel(axis_title(data))
        return
    ax.grid(axis="y", visible=not labelled)
    ax.margins(y=0.05)
    if data.axis_label:
        ax.set_ylabel(axis_title(data))
    if max((len(x) for x in data.categories), default=0) > 12:
        for tick in ax.xaxis.get_ticklabels():
            tick.set_rotation(30)
            tick.set_horizontalalignment("right")


def names_over_bars(
    ax: Axes, data: ChartData, positions: list[int], group: float, c: Colours
) -> None:
    """Category names written above their bars, from the left edge, instead of beside them."""
    ax.set_yticks(positions, [""] * len(positions))
    ax.spines["left"].set_visible(False)  # the names start where it would run
    where = blended_transform_factory(ax.transAxes, ax.transData)
    for pos, name in zip(positions, data.categories, strict=True):
        ax.text(
            0,
            pos + group / 2 + 0.04,
            textwrap.fill(name, WRAP_ABOVE, break_long_words=False),
            transform=where,
            ha="left",
            va="bottom",
            fontsize=label_size(),
            color=c.text,
        )


MARKER = 4.0  # points: the dot of a value on a line
LABEL_GAP = 3.5  # points between a value label and its dot


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
            markersize=MARKER,
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
        handles.append(line)
    ax.set_xticks(x, list(data.categories))
    ax.yaxis.set_major_formatter(tick_formatter(data))
    from_zero(ax, data, 0.18)
    if data.axis_label:
        ax.set_ylabel(axis_title(data))
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
    if len(x) * len(data.series) <= 24:
        ax.grid(False)  # every value is written out: no grid line to cross a label
        line_labels(ax, data, x, c)


def from_zero(ax: Axes, data: ChartData, headroom: float) -> None:
    """The value axis starts at zero (or ends there, for negative values), so a small change
    does not look like a large one; room above (below) the extreme for its label."""
    shown = [v for s in data.series for v in s.values if v is not None] or [0.0]
    low, high = min(0.0, *shown), max(0.0, *shown)
    span = high - low or 1.0
    ax.set_ylim(low - (headroom * span if low < 0 else 0), high + headroom * span)


def line_labels(ax: Axes, data: ChartData, x: list[int], c: Colours) -> None:
    """Each value written beside its dot, where no line, dot or other label is."""
    placer = labels.LinePlacer(ax, LABEL_GAP, MARKER / 2 + 0.5)
    for series in data.series:
        placer.add_line([(xi, v) for xi, v in zip(x, series.values, strict=True) if v is not None])
    for series in data.series:
        for i, (xi, v) in enumerate(zip(x, series.values, strict=True)):
            if v is not None:
                placer.place(
                    label(data, v),
                    (xi, v),
                    labels.directions(series.values, i),
                    fontsize=label_size(),
                    color=c.text,
                )


def pie(figure: Figure, data: ChartData, c: Colours, ring: bool) -> None:
    ax = figure.add_subplot()
    pairs = pie_parts(data)
    total = sum(v for _, v, _ in pairs)
    wedges, *_ = ax.pie(
        [v for _, v, _ in pairs],
        colors=[c.series[i % len(c.series)] for i in range(len(pairs))],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": RING_WIDTH if ring else 1, "edgecolor": "white", "linewidth": 1},
    )
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_xlim(-1.45, 1.45)  # room for the labels led out of small segments
    ax.set_ylim(-1.3, 1.3)
    ax.apply_aspect()
    handles: list[Any] = []
    shares = [format_number(value / total * 100, 1, "%") for _, value, _ in pairs]
    for wedge, (name, _, est), share in zip(wedges, pairs, shares, strict=True):
        if est:
            wedge.set_hatch(c.hatch)
        wedge.set_label(f"{name} ({share})")
        handles.append(wedge)
    share_labels(ax, list(wedges), shares, c, 1 - RING_WIDTH / 2 if ring else 0.62)
    estimated_note(ax, data, c, handles)
    if not is_narrow(figure):
        ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5))
    else:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=1)


RING_WIDTH = 0.42


def share_labels(ax: Axes, wedges: list[Wedge], shares: list[str], c: Colours, at: float) -> None:
    """Each share inside its segment in white where it fits, else beside it in the text colour,
    led out with a line; led-out labels move outwards until they clear each other."""
    render = labels.renderer(ax.figure)  # type: ignore[arg-type]
    taken: list[Bbox] = []
    for wedge, share in zip(wedges, shares, strict=True):
        angle = labels.mid_angle(wedge)
        cos, sin = math.cos(angle), math.sin(angle)
        inside = ax.text(
            at * cos,
            at * sin,
            share,
            ha="center",
            va="center",
            fontsize=label_size(),
            color="white",
        )
        box = labels.padded(inside.get_window_extent(render), 2.0)
        if labels.fits_inside(wedge, box):
            continue
        inside.remove()
        for step in range(6):
            r = 1.16 + 0.1 * step
            outside = ax.text(
                r * cos,
                r * sin,
                share,
                ha="left" if cos >= 0 else "right",
                va="center",
                fontsize=label_size(),
                color=c.text,
            )
            box = labels.padded(outside.get_window_extent(render), 1.0)
            if not any(box.overlaps(t) for t in taken):
                break
            outside.remove()
        taken.append(box)
        ax.plot(
            [1.02 * cos, (r - 0.06) * cos],
            [1.02 * sin, (r - 0.06) * sin],
            color=c.neutral,
            linewidth=0.6,
        )


register("saeulen")(functools.partial(bars, horizontal=False))
register("balken")(functools.partial(bars, horizontal=True))
register("kreis")(functools.partial(pie, ring=False))
register("ring")(functools.partial(pie, ring=True))
