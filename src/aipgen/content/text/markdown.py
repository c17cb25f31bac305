"""Turn chapter Markdown into markdown-it tokens: directives, footnotes, unnumbered headings,
lead paragraphs, cross-references.

A cross-reference is a link with empty text to `#kind:name`, e.g. `[](#tabelle:eckwerte)` or
`[](#wert:eckwerte/lza/okt22)` (a figure), also inside an image description; it becomes one
`xref` token (meta: kind, name, text, line), resolved by the compute stage.

Raw HTML is switched off: whatever HTML an author writes is shown as text.
The env of a parsed chapter also lists every footnote definition with its line
(`footnote_lines`), since markdown-it keeps only the last of two with the same label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.ruler import RuleOptionsType
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from aipgen.content.text import blocks, quotes

DIRECTIVE = re.compile(r"^::([A-Za-zäöüÄÖÜß]+)(?:\s+(\S+))?\s*$")
UNNUMBERED = re.compile(r"\s*\{\.unnummeriert\}\s*$")
LEAD = re.compile(r"\s*\{\.vorspann\}\s*$")
FOOTNOTE_DEF = re.compile(r"\[\^([^\]]+)\]:")
REFERENCE = re.compile(r"^#([A-Za-zäöüÄÖÜß]+):(.+)$")
LINE_BREAKS = ("softbreak", "hardbreak")
WHITE = re.compile(r"\s")
# The tokens that open a level a reader sees (a list item or paragraph is no level of its own).
LEVELS = frozenset(
    f"{kind}_open"
    for kind in ("bullet_list", "ordered_list", "blockquote", "em", "strong", "link", "s")
) | {blocks.OPEN}
FOOTNOTE_ALT: RuleOptionsType = {"alt": ["paragraph", "reference"]}  # as the plugin has it


def directive_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Block rule: a line `::tabelle name` becomes a `directive` token."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start] + state.tShift[start]
    match = DIRECTIVE.match(state.src[begin : state.eMarks[start]])
    if not match:
        return False
    if silent:
        return True
    token = state.push("directive", "", 0)
    token.meta = {"kind": match[1], "name": match[2] or ""}
    token.map = [start, start + 1]
    state.line = start + 1
    return True


def unnumbered_rule(state: StateCore) -> None:
    """Core rule: strip `{.unnummeriert}` from headings and remember it in the token meta."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[i + 1]
        token.meta = {"unnumbered": bool(UNNUMBERED.search(inline.content))}
        if token.meta["unnumbered"]:
            inline.content = UNNUMBERED.sub("", inline.content)
            last = inline.children[-1] if inline.children else None
            if last is not None and last.type == "text":
                last.content = UNNUMBERED.sub("", last.content)


def lead_rule(state: StateCore) -> None:
    """Core rule: a paragraph ending in `{.vorspann}` is a lead paragraph (class "lead")."""
    tokens = state.tokens
    for i, token in enumerate(tokens[:-1]):
        inline = tokens[i + 1]
        if token.type != "paragraph_open" or not LEAD.search(inline.content):
            continue
        token.attrSet("class", "lead")
        inline.content = LEAD.sub("", inline.content)
        last = inline.children[-1] if inline.children else None
        if last is not None and last.type == "text":
            last.content = LEAD.sub("", last.content)


def reference_rule(state: StateCore) -> None:
    """Core rule: a link to `#kind:name` becomes one `xref` token with the line it stands on."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            line = token.map[0] + 1 if token.map else 0
            token.children = list(references(token.children, line))


def references(children: list[Token], line: int) -> Iterator[Token]:
    """The inline children with each reference link (open, text, close) folded into an xref."""
    pending: Token | None = None
    text: list[str] = []
    for child in children:
        line += child.type in LINE_BREAKS
        match = REFERENCE.match(str(child.attrGet("href") or "")) if pending is None else None
        if child.type == "link_open" and match:
            pending, text = child, []
            pending.meta = {"kind": match[1], "name": match[2], "line": line}
        elif pending is None:
            if child.type == "image" and child.children:  # its description: the alt text
                child.children = list(references(child.children, line))
            yield child
        elif child.type == "link_close":
            yield Token("xref", "", 0, meta={**pending.meta, "text": "".join(text)})
            pending = None
        else:
            text.append(child.content)


def recording_footnote_def(original: Any) -> Any:
    """Wrap the plugin's footnote definition rule to note each definition's label and line."""

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        found = bool(original(state, start, end, silent))
        if found and not silent:
            match = FOOTNOTE_DEF.match(state.src, state.bMarks[start] + state.tShift[start])
            if match:
                state.env.setdefault("footnote_lines", []).append((match[1], start + 1))
        return found

    return rule


def make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["replacements", "smartquotes"])
    md.options["quotes"] = "„“‚‘"
    md.core.ruler.at("smartquotes", quotes.smartquotes)
    md.use(footnote_plugin)
    original = next(r.fn for r in md.block.ruler.__rules__ if r.name == "footnote_def")
    md.block.ruler.at("footnote_def", recording_footnote_def(original), FOOTNOTE_ALT)
    md.block.ruler.before(
        "paragraph", "directive", directive_rule, {"alt": ["paragraph", "blockquote"]}
    )
    blocks.use(md)
    md.core.ruler.push("unnumbered", unnumbered_rule)
    md.core.ruler.push("lead", lead_rule)
    md.core.ruler.push("references", reference_rule)
    return md


PARSER = make_parser()


def parse(text: str) -> tuple[list[Token], dict[str, object]]:
    """Parse one chapter; returns its tokens and the env holding its footnotes."""
    env: dict[str, object] = {}
    return PARSER.parse(text, env), env


def too_deep(tokens: list[Token], limit: int) -> int | None:
    """The line where lists, quotes, blocks, emphasis and links first nest deeper than
    `limit` levels, or None; one pass over the tokens."""
    depth = 0
    for token in tokens:
        depth += level(token)
        line = token.map[0] + 1 if token.map else 0
        inner = depth
        for child in token.children or []:
            line += child.type in LINE_BREAKS
            inner += level(child)
            if inner > limit:
                return line
        if depth > limit:
            return line
    return None


def crowded_word(tokens: list[Token], limit: int) -> int | None:
    """The line of the first word (text without a space) that holds more than `limit` marks
    (emphasis, links, code, images, footnote references), or None; one pass over the tokens."""
    for token in tokens:
        line = token.map[0] + 1 if token.map else 0
        marks = 0
        for child in token.children or []:
            line += child.type in LINE_BREAKS
            if child.type in LINE_BREAKS or (child.type == "text" and WHITE.search(child.content)):
                marks = 0
            elif child.type != "text" and child.nesting >= 0:
                marks += 1
                if marks > limit:
                    return line
    return None


def level(token: Token) -> int:
    """+1 where a token opens a level a reader sees, -1 where it closes one, else 0."""
    opening = token.type if token.nesting > 0 else token.type.replace("_close", "_open")
    return token.nesting if opening in LEVELS else 0


def inline_text(token: Token) -> str:
    """Plain text of an inline token (for headings in the table of contents)."""
    return "".join(
        child.content for child in token.children or [] if child.type in ("text", "code_inline")
    )
