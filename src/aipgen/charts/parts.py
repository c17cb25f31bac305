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


def pie_parts(data: ChartData) -> list[tuple[str, float, bool]]:
    """Name, value and estimate flag of each slice: the rows as given, nothing added (a part
    of the whole that the source does not show is not drawn; compute refuses a pie whose
    parts fall short of its table's whole)."""
    series = data.series[0]
    return [
        (k, v, e)
        for k, v, e in zip(data.categories, series.values, series.estimated, strict=True)
        if v is not None and v > 0
    ]
