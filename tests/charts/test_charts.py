"""Charts: every registered type draws real data as deterministic, inline-ready SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from aipgen.base.paths import BUILT_IN
from aipgen.charts import draw as chartdraw
from aipgen.charts import svg as charts
from aipgen.charts.cache import entry_key
from aipgen.content.chartdata import CHART_KINDS, ChartData, Series

from ..helpers import CHART_DATA, DATA, PROGRAMMES, document


@pytest.mark.parametrize("kind", sorted(chartdraw.CHART_TYPES))
def test_every_type_renders_scalable_svg(kind: str) -> None:
    svg = charts.render_svg(replace(CHART_DATA, kind=kind), BUILT_IN)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "viewBox" in root.attrib and "width" not in root.attrib
    assert "<?xml" not in svg and "DOCTYPE" not in svg and "<metadata>" not in svg


def test_registry_has_the_documented_types() -> None:
    assert sorted(chartdraw.CHART_TYPES) == sorted(CHART_KINDS)


def test_deterministic_across_cache_clear() -> None:
    first = charts.render_svg(CHART_DATA, BUILT_IN)
    chartdraw.render.cache_clear()
    assert charts.render_svg(CHART_DATA, BUILT_IN) == first


def test_estimated_values_are_hatched() -> None:
    plain = replace(
        CHART_DATA, series=tuple(replace(s, estimated=(False,) * 3) for s in CHART_DATA.series)
    )
    assert charts.render_svg(CHART_DATA, BUILT_IN) != charts.render_svg(plain, BUILT_IN)
    assert "<pattern" in charts.render_svg(CHART_DATA, BUILT_IN)  # hatch fill


def test_stacked_differs_from_grouped() -> None:
    assert charts.render_svg(CHART_DATA, BUILT_IN) != charts.render_svg(
        replace(CHART_DATA, stacked=True), BUILT_IN
    )


def test_print_variant_uses_cmyk_colours() -> None:
    screen, print_ = (
        charts.render_svg(CHART_DATA, BUILT_IN),
        charts.render_svg(CHART_DATA, BUILT_IN, "print"),
    )
    assert "#00529f" in screen and "#00529f" not in print_
    assert "device-cmyk(1 0.6 0 0.1)" in print_  # blau, exactly as in charts/palette.yaml
    assert "device-cmyk(0 0.65 1 0.2)" in print_  # orange


def test_alt_text_from_data() -> None:
    assert charts.alt_text(CHART_DATA) == (
        "Säulendiagramm „Eintritte“: Frauen: 2021 120; 2022 135; 2023 150 (geschätzt)"
        " – Männer: 2021 100; 2023 90."
    )


def test_alt_text_signed_units() -> None:
    data = ChartData(
        "balken",
        "Veränderung",
        ("Heime", "Bergbau"),
        (Series("in %", (6.0, -42.5), (False,) * 2),),
        unit="%",
        decimals=1,
    )
    assert charts.alt_text(data) == (
        "Balkendiagramm „Veränderung“: Heime +6,0\u202f%; Bergbau \u221242,5\u202f%."
    )


def test_author_alt_text_wins() -> None:
    assert (
        charts.alt_text(replace(CHART_DATA, alt="Eigene Beschreibung.")) == "Eigene Beschreibung."
    )


def test_unknown_type_is_refused_in_german() -> None:
    with pytest.raises(ValueError, match="Unbekannter Diagrammtyp „torte“"):
        charts.render_svg(replace(CHART_DATA, kind="torte"), BUILT_IN)


def test_chart_key_changes_with_data_and_style() -> None:
    design = BUILT_IN
    styles = charts.style_files(False, design)
    key = entry_key((CHART_DATA, False), styles, design)
    assert key == entry_key((CHART_DATA, False), styles, design)
    assert key != entry_key((replace(CHART_DATA, title="Andere"), False), styles, design)
    assert key != entry_key((CHART_DATA, True), styles, design)
    assert key != entry_key((CHART_DATA, False), charts.style_files(True, design), design)


def svg_ids(svg: str) -> list[str]:
    return [e.attrib["id"] for e in ET.fromstring(svg).iter() if "id" in e.attrib]


def test_text_is_text_in_the_document_font() -> None:
    root = ET.fromstring(charts.render_svg(CHART_DATA, BUILT_IN))
    texts = [e for e in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any("Frauen" in "".join(t.itertext()) for t in texts)
    assert all("Carlito" in t.attrib["style"] for t in texts)


def test_ids_are_unique_across_charts_and_references_resolve() -> None:
    svgs = [
        charts.render_svg(replace(CHART_DATA, kind=k), BUILT_IN)
        for k in sorted(chartdraw.CHART_TYPES)
    ]
    svgs.append(charts.render_svg(CHART_DATA, BUILT_IN, narrow=True))
    ids = [i for svg in svgs for i in svg_ids(svg)]
    assert ids and len(ids) == len(set(ids))
    for svg in svgs:
        for ref in chartdraw.REFERENCE.finditer(svg):
            assert ref.group(2) in svg_ids(svg)


def font_sizes(svg: str) -> list[float]:
    root = ET.fromstring(svg)
    return [
        float(t.attrib["style"].split("font-size: ")[1].split("px")[0])
        for t in root.iter("{http://www.w3.org/2000/svg}text")
    ]


LONG = replace(
    CHART_DATA,
    categories=("Verarbeitendes Gewerbe und Bergbau", "Gastgewerbe und Tourismus", "Handel"),
)


@pytest.mark.parametrize("data", [CHART_DATA, LONG], ids=["kurz", "lange Beschriftungen"])
@pytest.mark.parametrize("kind", sorted(chartdraw.CHART_TYPES))
def test_narrow_chart_fits_a_phone_with_legible_text(kind: str, data: ChartData) -> None:
    """At 330 CSS px, no text under 11 px: width (pt) and font sizes from the narrow style."""
    svg = charts.render_svg(replace(data, kind=kind), BUILT_IN, narrow=True)
    width = float(ET.fromstring(svg).attrib["viewBox"].split()[2])
    scale = 330 / width
    assert min(font_sizes(svg)) * scale >= 11


def test_many_columns_become_bars_on_phones() -> None:
    many = replace(
        CHART_DATA,
        categories=tuple(f"Bereich {i}" for i in range(8)),
        series=(Series("Anzahl", tuple(float(i) for i in range(8)), (False,) * 8),),
    )
    narrow = charts.render_svg(many, BUILT_IN, narrow=True)
    assert narrow == charts.render_svg(replace(many, kind="balken"), BUILT_IN, narrow=True)
    assert narrow != charts.render_svg(many, BUILT_IN)


def test_millions_on_a_phone_get_few_ticks() -> None:
    """Bars of millions: on a phone at most four value ticks, so their labels do not collide."""
    millions = replace(
        CHART_DATA,
        kind="balken",
        unit="€",
        categories=("Zuteilung", "Ausgabemittel", "Neufallbudget"),
        series=(Series("Betrag", (45901872.0, 38939674.59, 23878495.16), (False,) * 3),),
    )
    root = ET.fromstring(charts.render_svg(millions, BUILT_IN, narrow=True))
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    ticks = [t for t in texts if re.fullmatch(r"\d{1,3}(\.\d{3})*", t.strip())]
    assert 2 <= len(ticks) <= 4, ticks
    wide = ET.fromstring(charts.render_svg(millions, BUILT_IN))
    assert len([t for t in wide.iter("{http://www.w3.org/2000/svg}text")]) > len(texts)


def svg_width(svg: str) -> float:
    return float(ET.fromstring(svg).attrib["viewBox"].split()[2])


@pytest.mark.parametrize("name", PROGRAMMES)
def test_every_chart_is_saved_at_the_styles_width(name: str) -> None:
    """One scale per document: whatever the labels beside the axes need, each drawing is as
    wide as its style says (6,3 in, on phones 3,2 in), so the page shows its text at the
    style's size – neither a narrow pie scaled up nor wide names scaled down."""
    for info in document(DATA / name).charts.values():
        for narrow, inches in ((False, 6.3), (True, 3.2)):
            width = svg_width(charts.render_svg(info.data, BUILT_IN, narrow=narrow))
            assert width == pytest.approx(inches * 72, rel=0.011), (info.name, narrow)


def test_a_line_chart_counts_from_zero() -> None:
    """Values between 6.400 and 6.900 on an axis from zero: a small change looks small."""
    line = replace(
        CHART_DATA,
        kind="linie",
        categories=("2019", "2020", "2021"),
        series=(Series("Personen", (6456.0, 6862.0, 6452.0), (False,) * 3),),
    )
    texts = [
        (t.text or "").strip()
        for t in ET.fromstring(charts.render_svg(line, BUILT_IN)).iter(
            "{http://www.w3.org/2000/svg}text"
        )
    ]
    assert "0" in texts and "6.862" in texts
