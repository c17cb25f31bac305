"""Check a text in Leichte Sprache against a few basic rules (templates/common/
leichte-sprache.yaml): short sentences, one statement each (no subordinate clause), no
abbreviations to write out, abbreviations explained, numbers as digits. Each finding is a
German warning with file and line.

The rules are a first sieve; they do not replace a check by readers of Leichte Sprache.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import Field

from aipgen.base.errors import Problem
from aipgen.base.paths import DesignFiles, design_cache
from aipgen.content.load import TextFile
from aipgen.content.model import Strict

RULES_FILE = "leichte-sprache.yaml"
# after a word of two letters or more ("z. B." is no end), before a capital or digit
SENTENCE_END = re.compile(r"(?<=[A-Za-zÄÖÜäöüß0-9)“\"]{2}[.!?:])\s+(?=[A-ZÄÖÜ0-9„])")
WORD = re.compile(r"[0-9A-Za-zÄÖÜäöüß]+(?:[-–][0-9A-Za-zÄÖÜäöüß]+)*")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
MARKUP = re.compile(r"[*_`#>\[\]]|^\s*(?:[-+]|\d+\.)\s+")
BLOCK_START = re.compile(r"^\s*(#|[-+*]\s|\d+\.\s)")
EXPLAINED = ("heißt", "bedeutet", "Abkürzung")


class Rules(Strict):
    max_words: int = Field(alias="hoechstens_woerter", ge=1)
    write_out: list[str] = Field(alias="ausschreiben")
    explain: list[str] = Field(alias="erklaeren")
    number_words: list[str] = Field(alias="zahlwoerter")
    clause_words: list[str] = Field(alias="nebensatz")


@dataclass(frozen=True)
class Sentence:
    line: int  # where it begins in the file
    text: str


def rules(design: DesignFiles) -> Rules:
    return read_rules(design.find("templates", "common", RULES_FILE))


@design_cache("pages")
@functools.cache
def read_rules(path: Path) -> Rules:
    return Rules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def easy_language_warnings(text: TextFile, design: DesignFiles) -> list[Problem]:
    """Every finding of the design's rules in the text, in the order of its lines."""
    found = sentences(text.text)
    checked = rules(design)
    problems = [*long_sentences(found, checked), *number_words(found, checked)]
    problems += clauses(found, checked)
    problems += [*written_out(found, checked), *unexplained(found, checked)]
    return [Problem(text.file, line, f"Leichte Sprache: {said}") for line, said in sorted(problems)]


def sentences(text: str) -> list[Sentence]:
    """The sentences of a Markdown text with the line each begins on; headings, list items
    and paragraphs are blocks of their own, so a sentence never runs across them."""
    found = []
    for block in blocks(text):
        joined, starts = "", []
        for number, plain in block:
            starts.append((len(joined), number))
            joined += plain + " "
        ends = [(m.start(), m.end()) for m in SENTENCE_END.finditer(joined)]
        begin = 0
        for end, after in [*ends, (len(joined), len(joined))]:
            line = max(number for offset, number in starts if offset <= begin)
            found.append(Sentence(line, joined[begin:end].strip()))
            begin = after
    return found


def blocks(text: str) -> list[list[tuple[int, str]]]:
    """Paragraphs, headings and list items as their lines of plain text, with line numbers."""
    result: list[list[tuple[int, str]]] = [[]]
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or BLOCK_START.match(raw):
            result.append([])
        plain = MARKUP.sub("", LINK_TARGET.sub("]", raw)).strip()
        if plain:
            result[-1].append((number, plain))
    return [block for block in result if block]


def long_sentences(found: list[Sentence], checked: Rules) -> list[tuple[int, str]]:
    problems = []
    for sentence in found:
        count = len(WORD.findall(sentence.text))
        if count > checked.max_words:
            problems.append(
                (
                    sentence.line,
                    f"Der Satz hat {count} Wörter, höchstens {checked.max_words} sind gut zu "
                    f"lesen („{opening(sentence.text)}“).",
                )
            )
    return problems


def clauses(found: list[Sentence], checked: Rules) -> list[tuple[int, str]]:
    """Sentences with a subordinate clause (a comma, then a word that begins one)."""
    pattern = re.compile(r",\s*(" + "|".join(map(re.escape, checked.clause_words)) + r")\b")
    return [
        (
            s.line,
            f"Der Satz hat einen Nebensatz („, {match.group(1)} …“); besser zwei Sätze mit "
            "je einer Aussage.",
        )
        for s in found
        if (match := pattern.search(s.text))
    ]


def number_words(found: list[Sentence], checked: Rules) -> list[tuple[int, str]]:
    pattern = whole_words(checked.number_words, re.IGNORECASE)
    return [
        (s.line, f"Zahlen als Ziffern schreiben: „{match}“.")
        for s in found
        for match in pattern.findall(s.text)
    ]


def written_out(found: list[Sentence], checked: Rules) -> list[tuple[int, str]]:
    return [
        (s.line, f"Die Abkürzung „{short}“ bitte ausschreiben.")
        for s in found
        for short in checked.write_out
        if short in s.text
    ]


def unexplained(found: list[Sentence], checked: Rules) -> list[tuple[int, str]]:
    """The first use of each listed abbreviation, unless a sentence explains it."""
    problems = []
    for short in checked.explain:
        pattern = whole_words([short])
        uses = [s for s in found if pattern.search(s.text)]
        if uses and not any(explains(s.text, short) for s in uses):
            problems.append((uses[0].line, f"Die Abkürzung „{short}“ wird nicht erklärt."))
    return problems


def explains(text: str, short: str) -> bool:
    return f"{short} (" in text or any(word in text for word in EXPLAINED)


def whole_words(words: list[str], flags: int = 0) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b", flags)


def opening(text: str, words: int = 6) -> str:
    return " ".join(text.split()[:words]) + " …"
