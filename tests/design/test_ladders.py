"""Hyphenation ladders: a third hyphenated line in a row is found in WeasyPrint's layout, and
the word broken there is kept whole in the next layout."""

from __future__ import annotations

import functools
import re

import pyphen
import pytest
import weasyprint

from aipgen.design.ladders import Break, keep_whole, ladder_breaks

# A narrow justified column of long compounds: WeasyPrint hyphenates line after line.
PAGE = """<html lang="de"><head><style>
@page {{ size: 60mm 200mm; margin: 5mm }}
p {{ font-size: 10pt; text-align: justify; hyphens: auto; hyphenate-character: "-" }}
.keep {{ hyphens: manual }}
</style></head><body><p>{text}</p></body></html>"""
SHY = "\u00ad"
NARROW = PAGE.replace("60mm", "56mm")
TEXT = (
    "Die Eingliederungsleistungen und Arbeitsmarktdienstleistungen sowie "
    "Beschäftigungsmaßnahmen und Qualifizierungsangebote für Langzeitleistungsbeziehende "
    "verbessern Integrationschancen, Vermittlungsaussichten und Beschäftigungsperspektiven."
)


def hyphenated_runs(document: weasyprint.Document) -> list[int]:
    """The lengths of the runs of lines that end in a hyphen."""
    runs, run = [], 0
    for page in document.pages:
        for line in page._page_box.descendants():
            if type(line).__name__ != "LineBox":
                continue
            text = "".join(t.text for t in line.descendants() if hasattr(t, "text") and t.text)
            run = run + 1 if text.endswith("-") else 0
            runs.append(run)
    return runs


def test_third_hyphenated_line_is_found_and_kept_whole() -> None:
    page = PAGE.format(text=TEXT)
    document = weasyprint.HTML(string=page).render()
    assert max(hyphenated_runs(document)) > 2  # the column does make a ladder
    breaks = ladder_breaks(document)
    assert breaks and all(b.word in TEXT and b.before for b in breaks)
    for _ in range(3):
        kept = keep_whole(page, ladder_breaks(document))
        if kept == page:
            break
        page = kept
        document = weasyprint.HTML(string=page).render()
    assert '<span class="keep">' in page
    assert max(hyphenated_runs(document)) <= 2


def test_word_is_marked_only_where_its_context_is_unique() -> None:
    page = "<p>und Arbeitsmarkt\nhier und Arbeitsmarkt</p>"
    assert keep_whole(page, [Break("und ", "Arbeitsmarkt")]) == page  # twice: left alone
    marked = keep_whole(page, [Break("hier und ", "Arbeitsmarkt")])
    assert marked == '<p>und Arbeitsmarkt\nhier und <span class="keep">Arbeitsmarkt</span></p>'


def test_a_listed_compound_breaking_at_its_seams_counts_and_is_kept_whole() -> None:
    """Kept runs with soft hyphens (typography's list) break with hyphens: manual; a third such
    line in a row is found, the word named whole even when it spans three lines, and the next
    layout gets it without its soft hyphens."""
    words = [
        "Langzeit-leistungs-beziehende",
        "Schwangerschafts-beratungs-stellen",
        "Vermittlungs-fach-kräfte",
        "Eingliederungs-leistungen",
        "Arbeits-markt-nähe",
        "Bereichs-besprechungen",
        "Migrations-hintergrund",
    ]
    text = " ".join(f'<span class="keep">{w.replace("-", SHY)}</span>' for w in words)
    page = NARROW.format(text=f"Die {text} enden hier.")
    document = weasyprint.HTML(string=page).render()
    assert max(hyphenated_runs(document)) > 2
    breaks = ladder_breaks(document)
    assert breaks and {b.word for b in breaks} <= {w.replace("-", "") for w in words}
    for _ in range(3):
        kept = keep_whole(page, ladder_breaks(document))
        if kept == page:
            break
        assert kept.count(SHY) < page.count(SHY)
        page = kept
        document = weasyprint.HTML(string=page).render()
    assert max(hyphenated_runs(document)) <= 2


def test_context_reaches_across_tags_in_the_html() -> None:
    page = f'<p>Alle<span class="keep"> Eingliederungs{SHY}leistungen</span> und mehr</p>'
    marked = keep_whole(page, [Break("Alle ", "Eingliederungsleistungen")])
    assert marked == (
        '<p>Alle<span class="keep"> <span class="keep">Eingliederungsleistungen</span></span>'
        " und mehr</p>"
    )


@functools.cache
def kept() -> str:
    """The same words as listed compounds: kept runs that break only at their soft hyphens.
    Made when a test asks (reading pyphen's patterns takes seconds), not when tests are
    collected."""
    german = pyphen.Pyphen(lang="de")
    return re.sub(
        r"\w{13,}",
        lambda m: '<span class="keep">' + german.inserted(m.group(), SHY) + "</span>",
        TEXT,
    )


def test_lines_are_broken_with_at_most_two_hyphenated_in_a_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Inside limited(), WeasyPrint breaks the line after two hyphenated ones without
    hyphenation: the column that makes a ladder makes none, in one layout; outside, WeasyPrint
    is as it was. Soft hyphens (listed compounds) count as hyphenation too. (However loose
    the lines: this column of long compounds would otherwise get its exceptions.)"""
    from aipgen.design import hyphenlimit
    from aipgen.design.hyphenlimit import limited

    monkeypatch.setattr(hyphenlimit, "LOOSEST", float("inf"))

    for text in (TEXT, kept()):
        with limited():
            document = weasyprint.HTML(string=PAGE.format(text=text)).render()
        assert max(hyphenated_runs(document)) == 2  # hyphenated still, two at most
        assert ladder_breaks(document) == []
        rendered = "".join(
            t.text for page in document.pages for t in page._page_box.descendants()
            if hasattr(t, "text") and t.text
        )  # fmt: skip
        shown = "".join(rendered.replace("-", "").replace(SHY, "").split())
        assert shown == "".join(re.sub("<[^>]+>", "", text).replace(SHY, "").split())
    for text in (TEXT, kept()):  # without: ladders
        assert max(hyphenated_runs(weasyprint.HTML(string=PAGE.format(text=text)).render())) > 2


def test_a_third_hyphenated_line_is_allowed_where_the_gap_would_be_too_wide() -> None:
    """A line broken unhyphenated that leaves more than LOOSEST of its width empty (a long word
    moved down whole) is too loose to justify: then the third hyphenation is the lesser fault;
    past the third (no line width given), never."""
    from aipgen.design.hyphenlimit import LOOSEST, too_loose

    line = 300.0
    room = LOOSEST * line
    assert too_loose((None, 0, 5, 200 - room - 1, 0, 0), 200.0, line)
    assert not too_loose((None, 0, 5, 200 - room + 1, 0, 0), 200.0, line)
    assert not too_loose((None, 0, None, 20.0, 0, 0), 200.0, line)  # all of it fits
    assert not too_loose((None, 0, 5, 20.0, 0, 0), float("inf"), line)  # measuring widths
    assert not too_loose((None, 0, 5, 20.0, 0, 0), 200.0, -1.0)  # a fourth in a row
