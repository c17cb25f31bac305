"""Blocks (`::: block` … `:::`): one unit in the HTML of every format, kept on one page in the
PDFs, `neue-seite` starting a new page; unknown options, unclosed blocks and stray fences are
errors with file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aipgen.base.formats import FORMATS
from aipgen.content.text import blocks, markdown
from aipgen.media.pdf import document_fetcher
from aipgen.media.render import render_html

from ..helpers import SVG, document, edit, element_pages, html, problems

VORWORT = "kapitel/01-vorwort.md"
BLOCK = "\n\n::: block\n## Ein Thema {.unnummeriert}\n\n- erster Punkt\n- zweiter Punkt\n:::\n"


def test_block_tokens_carry_their_options() -> None:
    tokens, _ = markdown.parse("# A\n\n::: block neue-seite\nText\n:::\n")
    opening = next(t for t in tokens if t.type == blocks.OPEN)
    assert blocks.classes(opening.info) == "block new-page"
    assert not opening.meta["unclosed"]
    assert [t.type for t in tokens].count(blocks.CLOSE) == 1


@pytest.mark.parametrize("medium", ["web", "pdf", "druck"])
def test_block_is_one_unit_in_every_format(mini: Path, medium: str) -> None:
    edit(
        mini / VORWORT,
        "<b>HTML</b>.",
        "<b>HTML</b>." + BLOCK.replace("block", "block neue-seite", 1),
    )
    page = html(mini, medium)
    assert '<div class="block new-page">\n<h3 id="abschnitt-1">Ein Thema</h3>' in page
    assert '<li>zweiter <span class="keep">Punkt</span></li>\n</ul>\n</div>' in page


def test_block_problems_name_file_and_line(mini: Path) -> None:
    text = "# Vorwort\n\n::: block seitlich\nA\n:::\n\n::: kasten\nB\n\n:::\n\n::: block\nC\n"
    (mini / VORWORT).write_text(text, encoding="utf-8")
    assert problems(mini) == [
        "mini/kapitel/01-vorwort.md:3: Unbekannte Angabe „seitlich“ am Block "
        "(möglich: neue-seite).",
        "mini/kapitel/01-vorwort.md:7: „::: kasten“ ist kein Block; ein Block beginnt mit "
        "„::: block“ und endet mit „:::“.",
        "mini/kapitel/01-vorwort.md:10: „:::“ beendet keinen Block (ein Block beginnt mit "
        "„::: block“).",
        "mini/kapitel/01-vorwort.md:12: Der Block „::: block“ endet nicht mit einer Zeile „:::“.",
    ]


def rendered_pdf(root: Path) -> Any:
    import weasyprint

    doc = document(root)
    page = render_html(doc, {name: SVG for name in doc.charts}, FORMATS["pdf"])
    fetcher = document_fetcher(doc.root, doc.design)
    return weasyprint.HTML(string=page, base_url=f"{doc.root}/", url_fetcher=fetcher).render()


def is_block(element: Any) -> bool:
    return "block" in (element.get("class") or "").split()


def test_block_moves_whole_to_the_next_page_and_new_page_starts_one(mini: Path) -> None:
    filler = "\n\n".join(
        f"Absatz {n} mit etwas Text, damit die Seite voll wird." for n in range(54)
    )
    long_block = BLOCK.replace("- zweiter Punkt", "\n".join(f"- Punkt {n}" for n in range(12)))
    new_page = "\n\n::: block neue-seite\nKurz.\n:::\n"
    edit(mini / VORWORT, "<b>HTML</b>.", f"<b>HTML</b>.\n\n{filler}{long_block}{new_page}")
    found = sorted(sorted(p) for p in element_pages(rendered_pdf(mini), is_block).values())
    assert len(found) == 2
    first, second = found
    assert len(first) == 1, "der Block steht auf mehr als einer Seite"
    assert second[0] == first[0] + 1  # the short block follows on a page of its own
