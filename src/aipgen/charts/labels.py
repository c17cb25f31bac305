"""Place value labels where nothing else is drawn: beside a point of a line chart, inside a
pie or ring segment or led out of it with a line. Works on the laid-out figure (display
coordinates of matplotlib's renderer), so what it avoids is what will be drawn.

Imported by charts.draw only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import cast

from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Wedge
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

Point = tuple[float, float]
# Offsets (points) of a label from its point, tried in this order; the label's alignment
# follows from the direction, so it always grows away from the point.
ABOVE, BELOW = (0.0, 1.0), (0.0, -1.0)
BESIDE = ((1.0, 0.7), (-1.0, 0.7), (1.0, -0.7), (-1.0, -0.7))


def renderer(figure: Figure) -> RendererBase:
    """The renderer that measures text as it will be laid out (one canvas per figure)."""
    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else None
    agg = canvas or FigureCanvasAgg(figure)
    return cast(RendererBase, agg.get_renderer())  # type: ignore[no-untyped-call]


def segment_hits(box: Bbox, p: Point, q: Point) -> bool:
    """Whether the segment p–q passes through the box (Liang–Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    for d, low, high, start in (
        (q[0] - p[0], box.x0, box.x1, p[0]),
        (q[1] - p[1], box.y0, box.y1, p[1]),
    ):
        if abs(d) < 1e-9:
            if not low <= start <= high:
                return False
            continue
        a, b = (low - start) / d, (high - start) / d
        t0, t1 = max(t0, min(a, b)), min(t1, max(a, b))
        if t0 > t1:
            return False
    return True


def crossings(box: Bbox, lines: Iterable[Sequence[Point]], boxes: Iterable[Bbox]) -> int:
    hits = sum(
        any(segment_hits(box, p, q) for p, q in zip(line, line[1:], strict=False)) for line in lines
    )
    return hits + sum(box.overlaps(other) for other in boxes)


def padded(box: Bbox, by: float) -> Bbox:
    return Bbox.from_extents(box.x0 - by, box.y0 - by, box.x1 + by, box.y1 + by)


def directions(values: Sequence[float | None], i: int) -> list[tuple[float, float]]:
    """Above a peak, below a trough; a point on a slope tries first where its line is not."""
    here = values[i]
    near = [
        v
        for v in (values[i - 1] if i else None, values[i + 1] if i + 1 < len(values) else None)
        if v is not None
    ]
    first = (
        [BELOW, ABOVE]
        if here is not None and near and all(v > here for v in near)
        else [ABOVE, BELOW]
    )
    return first + list(BESIDE)


class LinePlacer:
    """Value labels of a line chart, each put where it crosses no line, marker, axis or label."""

    def __init__(self, ax: Axes, gap: float, marker: float) -> None:
        self.ax, self.gap, self.marker = ax, gap, marker
        self.render = renderer(ax.figure)  # type: ignore[arg-type]
        self.taken: list[Bbox] = []
        self.lines: list[list[Point]] = []

    def add_line(self, points: Sequence[Point]) -> None:
        """A drawn line (data coordinates) and its markers become obstacles."""
        shown = [tuple(self.ax.transData.transform(p)) for p in points]
        self.lines.append(shown)
        radius = self.marker * self.ax.figure.dpi / 72
        for x, y in shown:
            self.taken.append(Bbox.from_extents(x - radius, y - radius, x + radius, y + radius))

    def place(
        self, text: str, point: Point, order: list[tuple[float, float]], **style: object
    ) -> Annotation:
        """The label at the first position in `order` where it collides with nothing (else the
        one with the fewest collisions); it stays within the axes."""
        frame = self.ax.get_window_extent(self.render)
        best: tuple[int, Annotation] | None = None
        for dx, dy in order:
            label = self.ax.annotate(
                text,
                point,
                textcoords="offset points",
                xytext=(dx * self.gap, dy * self.gap),
                ha="center" if dx == 0 else ("left" if dx > 0 else "right"),
                va="bottom" if dy > 0 else "top",
                **style,  # type: ignore[arg-type]
            )
            box = padded(label.get_window_extent(self.render), 1.0)
            outside = not (
                frame.x0 <= box.x0
                and box.x1 <= frame.x1
                and frame.y0 <= box.y0
                and box.y1 <= frame.y1
            )
            score = crossings(box, self.lines, self.taken) + 100 * outside
            if best is None or score < best[0]:
                if best is not None:
                    best[1].remove()
                best = (score, label)
            else:
                label.remove()
            if score == 0:
                break
        assert best is not None
        self.taken.append(padded(best[1].get_window_extent(self.render), 1.0))
        return best[1]


def fits_inside(wedge: Wedge, box: Bbox) -> bool:
    """Whether the box lies within the wedge (its corners and edge midpoints, display units)."""
    xs, ys = (box.x0, (box.x0 + box.x1) / 2, box.x1), (box.y0, (box.y0 + box.y1) / 2, box.y1)
    return all(wedge.contains_point((x, y)) for x in xs for y in ys if (x, y) != (xs[1], ys[1]))


def mid_angle(wedge: Wedge) -> float:
    return math.radians((wedge.theta1 + wedge.theta2) / 2)


def make_room(ax: Axes, texts: Sequence[Text], horizontal: bool, pad: float = 3.0) -> None:
    """Widen the value axis until every value label (at a bar's end) lies within the axes, so
    no axis line crosses it; `pad` in points beyond the outermost label."""
    shown = [t for t in texts if t.get_text()]
    if not shown:
        return
    render = renderer(ax.figure)  # type: ignore[arg-type]
    pixels = pad * ax.figure.dpi / 72
    for _ in range(3):
        boxes = [t.get_window_extent(render) for t in shown]
        to_data = ax.transData.inverted()
        if horizontal:
            low = to_data.transform((min(b.x0 for b in boxes) - pixels, 0))[0]
            high = to_data.transform((max(b.x1 for b in boxes) + pixels, 0))[0]
            start, end = ax.get_xlim()
            ax.set_xlim(min(start, low), max(end, high))
        else:
            low = to_data.transform((0, min(b.y0 for b in boxes) - pixels))[1]
            high = to_data.transform((0, max(b.y1 for b in boxes) + pixels))[1]
            start, end = ax.get_ylim()
            ax.set_ylim(min(start, low), max(end, high))
