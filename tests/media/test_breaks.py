"""Page breaks in the laid-out PDF pages: a table split across pages keeps at least three rows
on either side, and a chart is never split."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from weasyprint.formatting_structure import boxes

from ..helpers import PROGRAMMES, screen_layout

MIN_ROWS = 3


def fragments(pages: Any, keep: Any) -> dict[int, dict[int, Any]]:
    """The box of each element that `keep` selects on each page it is on, by element."""
    found: dict[int, dict[int, Any]] = defaultdict(dict)
    for number, page in enumerate(pages):
        for box in page._page_box.descendants():
            if box.element is not None and keep(box):
                found[id(box.element)].setdefault(number, box)
    return found


def body_rows(table: Any) -> int:
    groups = [g for g in table.children if isinstance(g, boxes.TableRowGroupBox)]
    return sum(len(g.children) for g in groups if not g.is_header and not g.is_footer)


@pytest.fixture(scope="module", params=PROGRAMMES)
def pages(request: pytest.FixtureRequest) -> Any:
    return screen_layout(request.param).pages


def test_split_tables_keep_three_rows_on_each_page(pages: Any) -> None:
    def is_data_table(box: Any) -> bool:
        return isinstance(box, boxes.TableBox) and "data" in box.element.get("class", "")

    split = [parts for parts in fragments(pages, is_data_table).values() if len(parts) > 1]
    counts = [[body_rows(part) for part in parts.values()] for parts in split]
    assert all(min(rows) >= MIN_ROWS for rows in counts), counts


def test_charts_are_never_split(pages: Any) -> None:
    def is_chart(box: Any) -> bool:
        return isinstance(box, boxes.BlockBox) and "chart" in box.element.get("class", "").split()

    split = [len(parts) for parts in fragments(pages, is_chart).values() if len(parts) > 1]
    assert split == []


def test_rule_moves_rows_to_keep_three_on_either_side() -> None:
    """A 14-row table after a block that leaves room for one row: without the rule, one row
    would stand on the first page and one on the last."""
    import weasyprint

    from aipgen.base.paths import design

    rows = "".join(f"<tr><td>Zeile {n}</td></tr>" for n in range(1, 15))
    page = f"""<html lang="de"><head>
<link rel="stylesheet" href="{design().find("templates", "common", "seiten.css").as_uri()}">
<style>@page {{ size: 100mm 148mm; margin: 10mm }} body {{ margin: 0 }}
td {{ height: 10mm; padding: 0; border: 0 }} table {{ border-spacing: 0 }}</style></head>
<body><div style="height: 110mm"></div><table class="data"><tbody>{rows}</tbody></table></body>
</html>"""
    pages = weasyprint.HTML(string=page).render().pages

    def is_table(box: Any) -> bool:
        return isinstance(box, boxes.TableBox)

    (parts,) = fragments(pages, is_table).values()
    counts = [body_rows(part) for part in parts.values()]
    assert sum(counts) == 14 and min(counts) >= MIN_ROWS, counts
