"""One figure, one truth: a chart fed from a table prints that table's figures, in its labels,
its alt text and its data table; a pie shows its rows and no rest of its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from aipgen.base.paths import BUILT_IN
from aipgen.charts import parts
from aipgen.charts import svg as charts

from ..helpers import DATA, PROGRAMMES, document

NUMBER = re.compile(r"[−+-]?\d{1,3}(?:\.\d{3})*(?:,\d+)?")


def printed_figures(alt: str, series: list[str], categories: tuple[str, ...] = ()) -> list[str]:
    """The numbers of an alt text's items (after the title, the series names and the category
    labels, which may hold numbers of their own such as "U25")."""
    body = alt.split("“: ", 1)[1].rstrip(".")
    for name in series:
        body = body.replace(f"{name}: ", "")
    items = re.split(r"; | – ", body)
    kept = [
        next((item[len(c) + 1 :] for c in categories if item.startswith(f"{c} ")), item)
        for item in items
    ]
    return [n.lstrip("+").replace("−", "-") for item in kept for n in NUMBER.findall(item)]


def table_charts(root: Path) -> list[tuple[str, str]]:
    found = []
    for path in sorted((root / "diagramme").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "aus_tabelle" in spec:
            found.append((path.stem, spec["aus_tabelle"]["tabelle"]))
    return found


@pytest.mark.parametrize("name", PROGRAMMES)
def test_charts_print_the_figures_of_their_tables(name: str) -> None:
    doc = document(DATA / name)
    checked = 0
    for chart, table in table_charts(DATA / name):
        texts = {
            number.replace("−", "-").lstrip("+")
            for row in doc.tables[table].rows
            for cell in row.cells
            for number in NUMBER.findall(cell.text)
        }
        data = doc.charts[chart].data
        names = [s.name for s in data.series]
        printed = printed_figures(charts.alt_text(data), names, data.categories)
        missing = [n for n in printed if n not in texts]
        assert missing == [], f"{chart}: {missing} stehen nicht in Tabelle „{table}“"
        checked += 1
    assert checked > 0 or not table_charts(DATA / name)


def test_a_ring_shows_its_rows_and_nothing_else() -> None:
    """The segments are the rows as given: no rest the source does not show ("übrige")."""
    doc = document(DATA / "bochum-2024")
    data = doc.charts["svb-arbeitszeit"].data
    assert [name for name, _, _ in parts.pie_parts(data)] == ["Vollzeit", "Teilzeit"]
    alt = charts.alt_text(data).replace("\u202f", " ")
    assert alt.endswith("Vollzeit 67,6 % (67,6 %); Teilzeit 32,4 % (32,4 %).")
    svg = charts.render_svg(data, BUILT_IN).replace("\u202f", " ")
    assert "Vollzeit (67,6 %)" in svg and "übrige" not in svg
