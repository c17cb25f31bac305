"""Turn a programme folder into raw data that remembers file and line of every value.

A file with problems does not stop loading: its problems travel in `RawProgramme.problems`
and its name in `RawProgramme.failed`, so the validate stage still checks every other file and
says nothing more about a file that could not be read, and the pipeline reports the loader's
problems together with validation's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aipgen.base.errors import Collector, Outcome, Problem
from aipgen.base.limits import MAX_YAML_DEPTH
from aipgen.content.kinds import KINDS
from aipgen.content.safe import yamlsafe
from aipgen.content.safe.files import MISSING, OUTSIDE, Entry, locate, read_text

Path_ = tuple[str | int, ...]

YAML_HINTS = {
    "mapping values are not allowed here": "Doppelpunkt an unerwarteter Stelle "
    "(Text mit Doppelpunkt in Anführungszeichen setzen)",
    "found character '\\t' that cannot start any token": "Tabulatorzeichen sind nicht erlaubt, "
    "bitte mit Leerzeichen einrücken",
    "could not find expected ':'": "Doppelpunkt nach dem Schlüssel fehlt",
    "found undefined alias": "unbekannter Verweis (*)",
    "expected <block end>, but found": "Einrückung passt nicht zur Zeile davor",
    "did not find expected key": "Einrückung passt nicht zur Zeile davor",
    "found unexpected end of stream": "Anführungszeichen nicht geschlossen",
    "did not find expected '-' indicator": "Listeneintrag (-) erwartet",
    "could not determine a constructor": "Markierungen wie !!python sind nicht erlaubt, "
    "nur Texte, Zahlen, Listen und Zuordnungen",
    "exceeded maximum nesting depth": f"zu tief verschachtelt (höchstens {MAX_YAML_DEPTH} Ebenen)",
}
TOO_DEEP = f"Ungültiges YAML: zu tief verschachtelt (höchstens {MAX_YAML_DEPTH} Ebenen)."


@dataclass
class YamlDoc:
    """A YAML file's data and the line of every key and list item."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    files: dict[Path_, str] = field(default_factory=dict)  # parts read from other files (CSV)

    def line(self, path: Path_) -> int:
        """Line of the value at path, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def where(self, path: Path_) -> tuple[str, int]:
        """File and line of the value at path (a CSV row lives in the CSV file)."""
        for prefix, other in self.files.items():
            if path[: len(prefix)] == prefix and path in self.lines:
                return other, self.lines[path]
            if path[: len(prefix)] == prefix and path[: len(prefix) + 1] in self.lines:
                return other, self.lines[path[: len(prefix) + 1]]
        return self.file, self.line(path)


@dataclass
class TextFile:
    file: str
    text: str


@dataclass
class RawProgramme:
    """Everything read from one programme folder, nothing interpreted yet."""

    name: str
    root: Path
    programme: YamlDoc | None
    texts: dict[str, TextFile] = field(default_factory=dict)
    items: dict[str, dict[str, YamlDoc]] = field(default_factory=dict)  # kind → name → file
    problems: list[Problem] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # "tabelle:name" of files that did not load
    easy_language: TextFile | None = None  # the editor's text in Leichte Sprache, if any

    def docs(self, kind: str) -> dict[str, YamlDoc]:
        """The loaded files of a directive kind."""
        return self.items.setdefault(kind, {})

    def outcome(self) -> Outcome[RawProgramme]:
        """The load stage's outcome: this data, with the problems it carries."""
        return Outcome(self, tuple(self.problems))


def load_programme(root: Path) -> RawProgramme:
    """Read programm.yaml, the chapters it names, and the table/chart/key-figure folders;
    the problems of files that could not be read go to raw.problems (see above)."""
    errors = Collector()
    prog = read_yaml(root, "programm.yaml", errors)
    raw = RawProgramme(name=root.name, root=root, programme=prog)
    if prog is not None:
        raw.texts = read_chapters(root, prog, errors)
    else:
        raw.texts = read_named_anyway(root, errors)
    for kind, spec in KINDS.items():
        docs, failed = read_folder(root, spec.folder, errors)
        raw.docs(kind).update(docs)
        raw.failed |= {f"{kind}:{name}" for name in failed}
    for spec in KINDS.values():
        for doc in raw.docs(spec.name).values():
            if spec.loaded is not None:
                spec.loaded(root, doc, errors)
    raw.easy_language = read_optional(root, EASY_LANGUAGE_FILE, errors)
    raw.problems = errors.problems
    return raw


EASY_LANGUAGE_FILE = "leichte-sprache.md"  # the page in Leichte Sprache, in the editor's words


def read_optional(root: Path, rel: str, errors: Collector) -> TextFile | None:
    """A text file the programme folder may hold; None when it has none."""
    path, absent = locate(root, rel)
    if path is None:
        if absent != MISSING:
            errors.add(display_name(root, rel), 0, f"Die Datei „{rel}“ {absent}.")
        return None
    text = read_text(path, display_name(root, rel), errors)
    return None if text is None else TextFile(display_name(root, rel), text)


def chapter_entries(prog: YamlDoc) -> list[tuple[int, str]]:
    """Position and relative path of every Markdown file the programme file names."""
    chapters = prog.data.get("kapitel") if isinstance(prog.data, dict) else None
    if not isinstance(chapters, list):
        return []
    return [
        (i, c["datei"])
        for i, c in enumerate(chapters)
        if isinstance(c, dict) and isinstance(c.get("datei"), str)
    ]


def read_chapters(root: Path, prog: YamlDoc, errors: Collector) -> dict[str, TextFile]:
    texts: dict[str, TextFile] = {}
    first: dict[str, int] = {}
    for i, rel in chapter_entries(prog):
        line = prog.line(("kapitel", i, "datei"))
        if rel in first:
            errors.add(prog.file, line, f"Das Kapitel „{rel}“ steht schon in Zeile {first[rel]}.")
            continue
        first[rel] = line
        text = read_chapter(root, Entry(prog.file, line, rel), errors)
        if text is not None:
            texts[rel] = text
    return texts


# A chapter entry on a line of its own ("  - datei: kapitel/01-vorwort.md  # comment").
CHAPTER_LINE = re.compile(r"""^\s*-?\s*datei:\s*(["']?)([^"'#\s]+\.md)\1\s*(?:#.*)?$""")


def read_named_anyway(root: Path, errors: Collector) -> dict[str, TextFile]:
    """The chapters a programm.yaml that does not parse names on lines of their own, so its
    syntax error does not hide their problems. Only files that exist are read: a name that
    leads nowhere may be part of the broken text and is not reported."""
    found = [entry for entry in named_in_broken(root) if is_file_inside(root, entry.name)]
    texts = {entry.name: read_chapter(root, entry, errors) for entry in found}
    return {rel: text for rel, text in texts.items() if text is not None}


def named_in_broken(root: Path) -> list[Entry]:
    """The chapter files named on lines of their own in programm.yaml, each at its first line."""
    path, _ = locate(root, "programm.yaml")
    text = read_text(path, "", Collector()) if path is not None else None
    shown = display_name(root, "programm.yaml")
    entries: dict[str, Entry] = {}
    for number, line in enumerate((text or "").splitlines(), 1):
        found = CHAPTER_LINE.match(line)
        if found:
            entries.setdefault(found.group(2), Entry(shown, number, found.group(2)))
    return list(entries.values())


def is_file_inside(root: Path, rel: str) -> bool:
    return locate(root, rel)[0] is not None


def display_name(root: Path, rel: str) -> str:
    return f"{root.name}/{rel}"


def read_chapter(root: Path, entry: Entry, errors: Collector) -> TextFile | None:
    """A chapter file; what keeps it from being read is reported at its entry."""
    rel = entry.name
    path, absent = locate(root, rel)
    if path is None:
        noun = "Datei" if absent == OUTSIDE else "Kapiteldatei"
        errors.add(entry.file, entry.line, f"Die {noun} „{rel}“ {absent}.")
        return None
    text = read_text(path, display_name(root, rel), errors, entry)
    return None if text is None else TextFile(display_name(root, rel), text)


def read_folder(root: Path, folder: str, errors: Collector) -> tuple[dict[str, YamlDoc], set[str]]:
    """The YAML files of a folder by name, and the names of those that could not be read."""
    docs: dict[str, YamlDoc] = {}
    failed: set[str] = set()
    base = root / folder
    if not base.is_dir():
        return docs, failed
    for path in sorted(base.glob("*.yaml")):
        doc = read_yaml(root, f"{folder}/{path.name}", errors)
        if doc is None:
            failed.add(path.stem)
        else:
            docs[path.stem] = doc
    return docs, failed


def read_yaml(root: Path, rel: str, errors: Collector) -> YamlDoc | None:
    shown = display_name(root, rel)
    path, absent = locate(root, rel)
    if absent == OUTSIDE:
        errors.add(shown, 1, "Die Datei verweist auf eine Datei außerhalb des Programmordners.")
    elif path is None:
        errors.add(shown, 0, f"Die Datei „{rel}“ {'fehlt' if absent == MISSING else absent}.")
    if path is None:
        return None
    text = read_text(path, shown, errors)
    if text is None:
        return None
    return parse_yaml(text, shown, errors)


def parse_yaml(text: str, shown: str, errors: Collector) -> YamlDoc | None:
    """Parse YAML safely; record the line of every key and list item."""
    try:
        node, data, problems = yamlsafe.compose(text, yamlsafe.FastLoader)
    except yamlsafe.Refused as exc:
        errors.add(shown, exc.line, exc.message)
        return None
    except RecursionError:
        errors.add(shown, 0, TOO_DEEP)
        return None
    except yaml.YAMLError as exc:
        explain(text, shown, exc, errors)
        return None
    for line, message in problems:
        errors.add(shown, line, message)
    if problems:
        return None
    if node is None:
        return YamlDoc(shown, {}, {(): 1})
    doc = YamlDoc(shown, data)
    record_lines(node, (), doc.lines, errors, shown)
    return doc


def explain(text: str, shown: str, fast: yaml.YAMLError, errors: Collector) -> None:
    """Report a syntax error; the pure-Python parser, run only on broken files, says more."""
    exc: yaml.YAMLError = fast
    try:
        yamlsafe.compose(text, yamlsafe.ExplainingLoader)
    except yaml.YAMLError as slow:
        exc = slow
    except (RecursionError, yamlsafe.Refused):
        pass
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        errors.add(shown, mark.line + 1 if mark else 0, f"Ungültiges YAML: {yaml_hint(exc)}.")
    elif isinstance(exc, yaml.reader.ReaderError):
        line = text[: exc.position].count("\n") + 1
        sign = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "?"
        errors.add(shown, line, f"Ungültiges YAML: unerlaubtes Steuerzeichen ({sign}).")
    else:
        errors.add(shown, 0, "Ungültiges YAML.")


def yaml_hint(exc: yaml.MarkedYAMLError) -> str:
    problem = f"{exc.problem or ''} {exc.context or ''}"
    for english, german in YAML_HINTS.items():
        if english in problem:
            return german
    return "Einrückung, Doppelpunkte und Anführungszeichen prüfen"


def record_lines(
    node: yaml.Node, path: Path_, lines: dict[Path_, int], errors: Collector, shown: str
) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                errors.add(shown, key_node.start_mark.line + 1, f"Schlüssel „{key}“ doppelt.")
            seen.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            record_lines(value_node, path + (key,), lines, errors, shown)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            record_lines(item, path + (i,), lines, errors, shown)
