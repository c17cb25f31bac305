"""Resolved chart data: what the charts stage turns into SVG.

Built by the compute stage from a chart file (inline data or columns of a table).
"""

from __future__ import annotations

from dataclasses import dataclass

# Chart types the charts stage draws, with their German names (for alt texts and messages).
CHART_KINDS = {
    "saeulen": "Säulendiagramm",
    "balken": "Balkendiagramm",
    "linie": "Liniendiagramm",
    "kreis": "Kreisdiagramm",
    "ring": "Ringdiagramm",
}
# Chart types whose parts make up one whole: their rows must add up to the table's whole.
WHOLE_KINDS = frozenset({"kreis", "ring"})
BARS = "balken"  # what a pie or ring short of its whole is drawn as instead


@dataclass(frozen=True)
class Series:
    """One data series: a name and one value per category (None: no value)."""

    name: str
    values: tuple[float | None, ...]
    estimated: tuple[bool, ...]


@dataclass(frozen=True)
class ChartData:
    """Everything needed to draw one chart; hashable, so it can key a cache."""

    kind: str  # registered chart type: saeulen, balken, linie, kreis, ring
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    stacked: bool = False
    unit: str = ""
    decimals: int = 0
    axis_label: str = ""
    alt: str = ""  # author's alt text; empty: generated from the data
    # the whole the parts belong to (a table's reference row); a pie's rows must add up to it
    total: float | None = None
