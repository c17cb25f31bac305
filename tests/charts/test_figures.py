"""One figure, one truth: a chart fed from a table prints that table's figures, in its labels,
its alt text and its data table; pie shares are those of the table, over the same total."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from aipgen.charts import parts
from aipgen.charts import svg as charts

from ..helpers import DATA, PROGRAMMES, document

NUMBER = re.compile(r"[−+-]?\d{1,3}(?:\.\d{3})*(?:,\d+)?")


def printed_figures(alt: str, series: list[str], categories: tuple[str, ...] = ()) -> list[str]:
    """The numbers of an alt text's items (after the title, the series names and the category
    labels, which may hold numbers of their own such as "U25"), without the derived "übrige"."""
    body = alt.split("“: ", 1)[1].rstrip(".")
    for name in series:
        body = body.replace(f"{name}: ", "")
    items = re.split(r"; | – ", body)
    kept = [
        next((item[len(c) + 1 :] for c in categories if item.startswith(f"{c} ")), item)
        for item in items
        if not item.startswith(parts.REMAINDER)
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


def test_pie_shares_are_over_the_tables_total() -> None:
    doc = document(DATA / "herne-2023")
    alt = charts.alt_text(doc.charts["integrationsprognose"].data).replace("\u202f", " ")
    assert "nicht marktnah 9.513 (61,7 %)" in alt  # as in the table, not 65,2 % of the parts
    assert "übrige 814 (5,3 %)" in alt  # 15.406 − (380 + 9.513 + 2.988 + 1.711)
    svg = charts.render_svg(doc.charts["integrationsprognose"].data).replace("\u202f", " ")
    assert "nicht marktnah (61,7 %)" in svg and "65,2" not in svg
