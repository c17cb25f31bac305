"""Page breaks in the laid-out PDF pages: a table split across pages keeps at least three rows
on either side, and a chart is never split."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from aipgen.base.paths import BUILT_IN

from ..helpers import PROGRAMMES, edit, screen_layout

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

    rows = "".join(f"<tr><td>Zeile {n}</td></tr>" for n in range(1, 15))
    page = f"""<html lang="de"><head>
<link rel="stylesheet" href="{BUILT_IN.find("templates", "common", "seiten.css").as_uri()}">
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


def split_rows(rows: str, before: str = "110mm", caption: str = "") -> list[list[str]]:
    """The texts (without spaces) of the caption and the body rows on each page: a table after
    a block of height `before` on small pages (10 rows of 10 mm fit on a page), with the PDFs'
    stylesheet seiten.css."""
    import weasyprint

    sheet = BUILT_IN.find("templates", "common", "seiten.css").as_uri()
    page = f"""<html lang="de"><head><link rel="stylesheet" href="{sheet}">
<style>@page {{ size: 100mm 120mm; margin: 10mm }} body {{ margin: 0 }} caption {{ height: 8mm }}
td, th {{ height: 10mm; padding: 0; border: 0 }} table {{ border-spacing: 0 }}</style></head>
<body><div style="height: {before}"></div>
<table class="data">{caption}<tbody>{rows}</tbody></table></body></html>"""
    found: list[list[str]] = []
    for page_ in weasyprint.HTML(string=page).render().pages:
        texts = [
            "".join(
                t.text.replace(" ", "") for t in box.descendants() if isinstance(t, boxes.TextBox)
            )
            for box in page_._page_box.descendants()
            if isinstance(box, (boxes.TableRowBox, boxes.TableCaptionBox))
        ]
        found.append(texts)
    return found


def row(text: str, kind: str = "") -> str:
    cell = "th" if kind == "group" else "td"
    return f'<tr class="{kind}"><{cell}>{text}</{cell}></tr>'


def test_a_darunter_row_never_starts_a_page() -> None:
    """Room for five rows: the fifth has two "dar." rows below it, so it moves on with them."""
    rows = "".join(row(f"Zeile {n}") for n in range(1, 6))
    rows += row("dar. A", "below") + row("dar. B", "below")
    rows += "".join(row(f"Zeile {n}") for n in range(6, 12))
    pages = split_rows(rows, before="50mm")
    assert pages[0] == ["Zeile1", "Zeile2", "Zeile3", "Zeile4"]
    assert pages[1][:3] == ["Zeile5", "dar.A", "dar.B"]


def test_a_group_heading_never_ends_a_page() -> None:
    """Room for five rows: the fifth is a group heading, so it moves on with its first row."""
    rows = "".join(row(f"Zeile {n}") for n in range(1, 5))
    rows += row("Gruppe", "group") + "".join(row(f"Zeile {n}") for n in range(5, 12))
    pages = split_rows(rows, before="50mm")
    assert pages[0] == ["Zeile1", "Zeile2", "Zeile3", "Zeile4"]
    assert pages[1][:2] == ["Gruppe", "Zeile5"]


def test_a_table_title_never_stays_behind() -> None:
    """Room for the title and two rows: title and table move on together."""
    rows = "".join(row(f"Zeile {n}") for n in range(1, 9))
    pages = split_rows(rows, before="72mm", caption="<caption>Tabelle 1: Titel</caption>")
    assert pages[0] == [] and pages[1][:2] == ["Tabelle1:Titel", "Zeile1"]


def test_a_slide_names_the_table_it_continues(mini: Path) -> None:
    """The handout's slides: a table that runs on to the next slide is named there as
    "Tabelle N (Fortsetzung)"; the slide after the table's end names none."""
    from aipgen.build.pipeline import build_programme

    edit(mini / "programm.yaml", "layout: bericht\n", "layout: handout\n")
    rows = "".join(f"  - werte: [Maßnahme {n}, {n}]\n" for n in range(1, 31))
    (mini / "tabellen/lang.yaml").write_text(
        "titel: Lange Liste\nspalten:\n  - {id: name, titel: Name, typ: text}\n"
        f"  - {{id: zahl, titel: Zahl}}\nzeilen:\n{rows}",
        encoding="utf-8",
    )
    edit(mini / "kapitel/02-arbeitsmarkt.md", "Text.", "Text.\n\n::tabelle lang\n\nSchluss.")
    pdf = PdfReader(io.BytesIO(build_programme(mini, BUILT_IN, ("pdf",)).files["mini.pdf"]))
    texts = [page.extract_text() for page in pdf.pages]
    holding = [n for n, text in enumerate(texts) if "Maßnahme " in text]
    label = re.search(r"(Tabelle \d+): Lange Liste", texts[holding[0]])
    assert label and len(holding) >= 2
    named = [n for n, text in enumerate(texts) if f"{label.group(1)} (Fortsetzung)" in text]
    assert named == holding[1:]
