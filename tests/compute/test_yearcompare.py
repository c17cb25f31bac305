"""The change report's changes: figures in their unit, percentages in percentage points."""

from __future__ import annotations

from aipgen.compute.yearcompare import Change, Figure


def figure(value: float, text: str, unit: str = "", share: bool = False) -> Figure:
    return Figure(
        "t", "T", "r", "Zeile", "c", "Spalte", 1, value, text, True, share, 1, unit, "t.yaml", 3
    )


def test_a_change_of_a_percentage_is_in_percentage_points() -> None:
    quota = Change(figure(8.7, "8,7\u202f%", "%"), figure(8.2, "8,2\u202f%", "%"))
    assert quota.difference == "+0,5\u202fProzentpunkte"
    assert quota.relative_text == ""  # no "+6,1 %" of a percentage
    share = Change(figure(52.5, "52,5", share=True), figure(53.0, "53,0", share=True))
    assert share.difference == "\u22120,5\u202fProzentpunkte"


def test_a_change_of_a_count_is_in_its_unit_and_in_percent() -> None:
    count = Change(figure(12500, "12.500"), figure(12415, "12.415"))
    assert count.difference == "+85,0"
    assert count.relative_text == "+0,7\u202f%"
