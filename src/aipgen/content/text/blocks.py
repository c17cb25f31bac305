"""Blocks in chapter Markdown: `::: block` … `:::` groups headings, lists, tables into one unit
that the PDFs never split across pages (a slide of a handout, a box of a brochure).

Options after the name are a registry: each names the CSS class the block gets, so a layout
decides what it means; `neue-seite` starts a new page in the PDFs in every layout.
The parse step marks blocks without their closing `:::`; the check reports them, unknown
options and stray `:::` lines with file and line.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.container import container_plugin

NAME = "block"
FENCE = ":::"
OPEN, CLOSE = f"container_{NAME}_open", f"container_{NAME}_close"
# option → CSS class of the block (besides "block")
OPTIONS = {"neue-seite": "new-page"}


def is_block(params: str, *_: Any) -> bool:
    words = params.split()
    return bool(words) and words[0] == NAME


def mark_unclosed(state: StateCore) -> None:
    """Core rule: a block whose closing line is not `:::` ran to the end of the chapter."""
    lines = state.src.split("\n")
    for token in state.tokens:
        if token.type == OPEN and token.map:
            end = token.map[1]
            closed = end < len(lines) and lines[end].strip().startswith(FENCE)
            token.meta = {**token.meta, "unclosed": not closed}


def use(md: MarkdownIt) -> None:
    md.use(container_plugin, name=NAME, marker=":", validate=is_block)
    md.core.ruler.push("blocks", mark_unclosed)


def options(info: str) -> list[str]:
    return info.split()[1:]


def classes(info: str) -> str:
    """The CSS classes of a block from its opening line's options (unknown ones left out)."""
    return " ".join([NAME, *(OPTIONS[o] for o in options(info) if o in OPTIONS)])


def stray(first: str) -> str:
    if first.strip(":") == "":
        return f"„{first}“ beendet keinen Block (ein Block beginnt mit „{FENCE} {NAME}“)."
    return (
        f"„{first}“ ist kein Block; ein Block beginnt mit „{FENCE} {NAME}“ und endet mit „{FENCE}“."
    )


def problems(tokens: list[Any]) -> list[tuple[int, str]]:
    """(line, German message) for every unknown option, unclosed block and stray fence."""
    found = []
    known = ", ".join(OPTIONS)
    for token in tokens:
        line = token.map[0] + 1 if token.map else 0
        if token.type == OPEN:
            for option in options(token.info):
                if option not in OPTIONS:
                    found.append(
                        (line, f"Unbekannte Angabe „{option}“ am Block (möglich: {known}).")
                    )
            if token.meta.get("unclosed"):
                message = f"Der Block „{FENCE} {NAME}“ endet nicht mit einer Zeile „{FENCE}“."
                found.append((line, message))
        elif token.type == "inline" and token.content.startswith(FENCE):
            first = token.content.split("\n")[0].strip()
            found.append((line, stray(first)))
    return found
