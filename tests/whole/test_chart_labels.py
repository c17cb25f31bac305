"""Chart labels as printed: in the screen PDF of every programme (tagged, so each chart's
content is one marked Figure), every text of every chart is measured as WeasyPrint set it –
its size in pt and its box – together with the lines and coloured areas drawn around it. No
label is smaller than print allows, none overlaps another, none is crossed by a line, an axis
or a marker, none straddles the edge of its bar or segment. The print PDF is made from the
same laid-out pages (`pages_of`), so what holds here holds there.

The browser test (test_browser.py) measures the same on the website at 375 and 1280 px.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from aipgen.base.paths import BUILT_IN

from ..helpers import (
    DATA,
    PROGRAMMES,
    ChartLabel,
    ChartShapes,
    Point,
    chart_collisions,
    parsed_pdf,
)

MIN_PRINT_PT = 6.5  # docs/gestaltung.md: chart text in print
SLACK_PT = 0.3  # a hairline touch is no collision
WHITE = {(1.0,), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0, 0.0)}


def colour(value: Any) -> tuple[float, ...]:
    return tuple(round(float(v), 3) for v in value) if isinstance(value, (list, tuple)) else ()


def outline(obj: dict[str, Any]) -> list[Point]:
    if obj["object_type"] == "rect":
        x0, top, x1, bottom = obj["x0"], obj["top"], obj["x1"], obj["bottom"]
        return [(x0, top), (x1, top), (x1, bottom), (x0, bottom), (x0, top)]
    return [(float(x), float(y)) for x, y in obj["pts"]]


def line_of(ch: dict[str, Any]) -> tuple[bool, float]:
    """Upright characters share a baseline; rotated ones (an axis title) a column."""
    return (True, round(ch["bottom"], 1)) if ch["upright"] else (False, round(ch["x0"], 1))


def labels_of(chars: list[dict[str, Any]]) -> list[ChartLabel]:
    """The texts of one chart: characters joined into runs along their line; a gap wider than
    a space starts another text. A rotated character's size is its width across the line."""
    runs: list[list[dict[str, Any]]] = []
    ordered = sorted(chars, key=lambda c: (line_of(c), c["x0"] if c["upright"] else -c["top"]))
    for ch in ordered:
        last = runs[-1][-1] if runs else None
        gap = (ch["x0"] - last["x1"]) if last and ch["upright"] else 0.0
        if last is None or line_of(last) != line_of(ch) or gap > 0.6 * ch["size"]:
            runs.append([ch])
        else:
            runs[-1].append(ch)
    return [
        ChartLabel(
            text(run),
            (
                min(c["x0"] for c in run),
                min(c["top"] for c in run),
                max(c["x1"] for c in run),
                max(c["bottom"] for c in run),
            ),
            min(c["size"] if c["upright"] else c["width"] for c in run),
        )
        for run in runs
    ]


def text(run: list[dict[str, Any]]) -> str:
    """The characters of a run, a space where the gap between two is one."""
    out = run[0]["text"]
    for before, ch in zip(run, run[1:], strict=False):
        out += (" " if ch["x0"] - before["x1"] > 0.15 * ch["size"] else "") + ch["text"]
    return out


def charts_of(pdf_path: Path) -> list[ChartShapes]:
    """Every chart of a tagged PDF, by page and marked-content id."""
    charts = []
    for number, page in enumerate(parsed_pdf(pdf_path).pages, start=1):
        mine: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for obj in page.chars + page.lines + page.curves + page.rects:
            if obj.get("tag") == "Figure":
                mine[obj["mcid"]].append(obj)
        for mcid, objs in sorted(mine.items()):
            chars = [o for o in objs if o["object_type"] == "char"]
            if not chars:
                continue  # a picture, not a chart
            drawn = [o for o in objs if o["object_type"] != "char"]
            charts.append(
                ChartShapes(
                    f"{pdf_path.name}, S. {number} (Abbildung {mcid})",
                    labels_of(chars),
                    [outline(o) for o in drawn if o.get("stroke")],
                    [
                        outline(o)
                        for o in drawn
                        if o.get("fill") and colour(o["non_stroking_color"]) not in WHITE
                    ],
                )
            )
    return charts


@pytest.mark.parametrize("name", PROGRAMMES)
def test_no_chart_label_collides_in_the_pdf(built: Path, name: str) -> None:
    charts = charts_of(built / name / f"{name}.pdf")
    assert len(charts) == len(list((DATA / name / "diagramme").glob("*.yaml")))
    problems = [p for chart in charts for p in chart_collisions(chart, MIN_PRINT_PT, SLACK_PT)]
    assert problems == []


# A drawing with every fault the check looks for: text below 6,5 pt, two texts overlapping, a
# line through a text, a text over the edge of a bar (6,3 in wide, like a chart).
BAD_CHART = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 453.6 120" version="1.1">
<text x="10" y="20" style="font-size: 4px; font-family: 'Carlito'">winzig</text>
<text x="10" y="50" style="font-size: 9px; font-family: 'Carlito'">Eins</text>
<text x="16" y="52" style="font-size: 9px; font-family: 'Carlito'">Zwei</text>
<path d="M 0 80 L 453 80" style="fill: none; stroke: #000000; stroke-width: 0.8"/>
<text x="10" y="83" style="font-size: 9px; font-family: 'Carlito'">Linie</text>
<path d="M 200 95 L 230 95 L 230 115 L 200 115 z" style="fill: #00529f"/>
<text x="190" y="108" style="font-size: 9px; font-family: 'Carlito'">Rand</text>
</svg>"""


def test_the_pdf_check_finds_every_fault(mini: Path, tmp_path: Path, monkeypatch: Any) -> None:
    """The mini programme's chart replaced by a faulty drawing, built into a real screen PDF."""
    from aipgen.build.pipeline import build_programme
    from aipgen.charts import svg as charts

    monkeypatch.setattr(charts, "render_svg", lambda *args, **kwargs: BAD_CHART)
    pdf = tmp_path / "mini.pdf"
    pdf.write_bytes(build_programme(mini, BUILT_IN, only=("pdf",)).files["mini.pdf"])
    (chart,) = charts_of(pdf)
    problems = [p.split(": ", 1)[1] for p in chart_collisions(chart, MIN_PRINT_PT, SLACK_PT)]
    assert problems[0].startswith("„winzig“ ist ") and "(mindestens 6.5)" in problems[0]
    assert problems[1:] == [
        "„Eins“ überdeckt „Zwei“",
        "eine Linie läuft durch „Linie“",
        "„Rand“ ragt über den Rand einer Fläche",
    ]
