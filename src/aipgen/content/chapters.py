"""Turn chapter texts into parsed chapters and check what they hold.

Part of the validate stage: the opening heading, footnotes, images and the directives that
place tables, charts and key-figure boxes. Each check is one function in a registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from aipgen.base.errors import Collector, Problem
from aipgen.base.limits import MAX_MARKDOWN_DEPTH, MAX_WORD_MARKS
from aipgen.content.kinds import KINDS, choices
from aipgen.content.load import RawProgramme, TextFile
from aipgen.content.model import Signature
from aipgen.content.safe.files import MISSING, locate
from aipgen.content.safe.images import image_problem
from aipgen.content.text import blocks, markdown

FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")


@dataclass
class Chapter:
    file: str
    tokens: list[Token]
    env: dict[str, Any]
    signature: Signature | None


def parse_chapters(
    texts: list[tuple[TextFile, Signature | None]], errors: Collector, warnings: list[Problem]
) -> list[Chapter]:
    chapters = []
    for text, signature in texts:
        tokens, env = markdown.parse(text.text)
        chapter = Chapter(text.file, tokens, env, signature)
        for check in CHAPTER_CHECKS:
            check(chapter, errors, warnings)
        chapters.append(chapter)
    return chapters


def check_heading(chapter: Chapter, errors: Collector, warnings: list[Problem]) -> None:
    tokens = chapter.tokens
    if not tokens or tokens[0].type != "heading_open" or tokens[0].tag != "h1":
        errors.add(chapter.file, 1, "Das Kapitel muss mit einer Überschrift „# Titel“ beginnen.")


def check_footnotes(chapter: Chapter, errors: Collector, warnings: list[Problem]) -> None:
    """Each footnote defined once, every reference defined, every definition referenced."""
    defined: dict[str, int] = {}
    for label, line in chapter.env.get("footnote_lines", []):
        if label in defined:
            errors.add(
                chapter.file,
                line,
                f"Die Fußnote „[^{label}]“ ist schon in Zeile {defined[label]} festgelegt.",
            )
        defined.setdefault(label, line)
    used: set[str] = set()
    for line, child in inline_children(chapter):
        if child.type == "footnote_ref":
            used.add(str(child.meta.get("label", "")))
        elif child.type == "text":
            for label in FOOTNOTE_REF.findall(child.content):
                errors.add(
                    chapter.file,
                    line,
                    f"Die Fußnote „[^{label}]“ wird verwendet, aber nirgends festgelegt "
                    f"(es fehlt eine Zeile „[^{label}]: Text“).",
                )
    for label, line in defined.items():
        if label not in used:
            warnings.append(
                Problem(
                    chapter.file, line, f"Die Fußnote „[^{label}]“ wird im Text nicht verwendet."
                )
            )


def inline_children(chapter: Chapter) -> Iterator[tuple[int, Token]]:
    """Every inline child token with the line of its block."""
    for token in chapter.tokens:
        line = token.map[0] + 1 if token.map else 0
        for child in token.children or []:
            yield line, child


def check_depth(chapter: Chapter, errors: Collector, warnings: list[Problem]) -> None:
    """Nesting within bounds (limits.py), reported once, where it first goes too deep."""
    line = markdown.too_deep(chapter.tokens, MAX_MARKDOWN_DEPTH)
    if line is not None:
        errors.add(
            chapter.file,
            line,
            "Listen, Zitate, Blöcke, Hervorhebungen und Links sind hier tiefer als "
            f"{MAX_MARKDOWN_DEPTH} Ebenen ineinander verschachtelt (Grenze).",
        )


def check_words(chapter: Chapter, errors: Collector, warnings: list[Problem]) -> None:
    """No word crowded with marks (limits.py), reported once, at the first."""
    line = markdown.crowded_word(chapter.tokens, MAX_WORD_MARKS)
    if line is not None:
        errors.add(
            chapter.file,
            line,
            f"Ein Wort (Text ohne Leerzeichen) enthält hier mehr als {MAX_WORD_MARKS} "
            "Hervorhebungen, Links, Code-Stellen, Bilder oder Fußnoten (Grenze).",
        )


def check_blocks(chapter: Chapter, errors: Collector, warnings: list[Problem]) -> None:
    for line, problem in blocks.problems(chapter.tokens):
        errors.add(chapter.file, line, problem)


CHAPTER_CHECKS: tuple[Callable[[Chapter, Collector, list[Problem]], None], ...] = (
    check_heading,
    check_footnotes,
    check_blocks,
    check_depth,
    check_words,
)


def check_images(chapters: list[Chapter], root: Path, errors: Collector) -> list[str]:
    """Images in the Markdown must be usable files inside the programme folder."""
    images: list[str] = []
    for chapter in chapters:
        for line, child in inline_children(chapter):
            if child.type != "image":
                continue
            src = str(child.attrs.get("src", ""))
            problem = file_problem(root, src)
            if problem:
                errors.add(chapter.file, line, problem)
            elif src not in images:
                images.append(src)
    return images


def file_problem(root: Path, src: str) -> str | None:
    """Why an image path cannot be used, or None."""
    path, absent = locate(root, src) if ":" not in src else (None, MISSING)
    if absent == MISSING:
        return f"Das Bild „{src}“ gibt es nicht im Programmordner (Bilder liegen z. B. in bilder/)."
    return f"Das Bild „{src}“ {absent}." if path is None else image_problem(path, src)


def check_directives(
    chapters: list[Chapter], raw: RawProgramme, errors: Collector, warnings: list[Problem]
) -> None:
    """Directives name existing items, and an item with a number and ids is placed only once.

    A file that exists but has problems of its own is not reported again here.
    """
    placed: dict[str, str] = {}
    for chapter in chapters:
        for token in chapter.tokens:
            if token.type != "directive":
                continue
            line = token.map[0] + 1 if token.map else 0
            kind, name = token.meta["kind"], token.meta["name"]
            problem = directive_problem(kind, name, raw, placed)
            if problem:
                errors.add(chapter.file, line, problem)
            placed.setdefault(f"{kind}:{name}", f"{chapter.file}:{line}")
    for kind, spec in KINDS.items():
        for name in raw.docs(kind):
            if f"{kind}:{name}" not in placed:
                file = f"{raw.name}/{spec.folder}/{name}.yaml"
                warnings.append(Problem(file, 0, "wird in keinem Kapitel verwendet."))


def directive_problem(
    kind: str, name: str, raw: RawProgramme, placed: dict[str, str]
) -> str | None:
    key = f"{kind}:{name}"
    if kind not in KINDS:
        return unknown_directive(kind)
    if not name:
        return f"„::{kind}“ braucht einen Namen, z. B. „::{kind} name“."
    if key in placed and KINDS[kind].once:
        return f"„{kind} {name}“ steht schon in {placed[key]}; es kann nur einmal vorkommen."
    if name not in raw.docs(kind) and key not in raw.failed:
        return f"„{kind} {name}“: Die Datei „{KINDS[kind].folder}/{name}.yaml“ gibt es nicht."
    return None


def unknown_directive(kind: str) -> str:
    return f"Unbekannte Anweisung „::{kind}“ (möglich sind {choices()} mit einem Namen)."
