"""What drawing a chart and describing it share: its colours, value labels and pie slices."""

from __future__ import annotations

from dataclasses import dataclass

from aipgen.base.numbers import format_number
from aipgen.content.chartdata import ChartData


@dataclass(frozen=True)
class Colours:
    series: tuple[str, ...]
    neutral: str
    text: str
    hatch: str


def label(data: ChartData, value: float, signed: bool = False) -> str:
    return format_number(value, data.decimals, data.unit, signed)


REMAINDER = "übrige"  # the part of a stated whole that the shown parts leave


def pie_parts(data: ChartData) -> list[tuple[str, float, bool]]:
    """Name, value and estimate flag of each slice; what the parts leave of the stated whole
    (data.total) becomes one more slice, so shares are those of the source table."""
    series = data.series[0]
    parts = [
        (k, v, e)
        for k, v, e in zip(data.categories, series.values, series.estimated, strict=True)
        if v is not None and v > 0
    ]
    rest = (data.total or 0.0) - sum(v for _, v, _ in parts)
    if rest > 1e-9 * max(1.0, data.total or 1.0):
        parts.append((REMAINDER, rest, False))
    return parts
