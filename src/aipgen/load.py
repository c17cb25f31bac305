"""Turn a programme folder into raw data that remembers file and line of every value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .csvdata import attach_csv
from .errors import Collector

Path_ = tuple[str | int, ...]
# libyaml's safe loader when PyYAML was built with it (faster), else the pure-Python one.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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
}


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
    tables: dict[str, YamlDoc] = field(default_factory=dict)
    charts: dict[str, YamlDoc] = field(default_factory=dict)
    keyfigures: dict[str, YamlDoc] = field(default_factory=dict)


def load_programme(root: Path, errors: Collector) -> RawProgramme:
    """Read programm.yaml, the files it names, and the table/chart/key-figure folders."""
    name = root.name
    prog = read_yaml(root, "programm.yaml", errors)
    raw = RawProgramme(name=name, root=root, programme=prog)
    if prog is not None:
        for rel in referenced_texts(prog):
            text = read_text(root, rel, errors, prog)
            if text is not None:
                raw.texts[rel] = text
    raw.tables = read_folder(root, "tabellen", errors)
    for doc in raw.tables.values():
        attach_csv(root, doc, errors)
    raw.charts = read_folder(root, "diagramme", errors)
    raw.keyfigures = read_folder(root, "kennzahlen", errors)
    return raw


def referenced_texts(prog: YamlDoc) -> list[str]:
    """Relative paths of the Markdown files the programme file names."""
    chapters = prog.data.get("kapitel") if isinstance(prog.data, dict) else None
    if not isinstance(chapters, list):
        return []
    return [c["datei"] for c in chapters if isinstance(c, dict) and isinstance(c.get("datei"), str)]


def display_name(root: Path, rel: str) -> str:
    return f"{root.name}/{rel}"


def inside(root: Path, rel: str) -> Path | None:
    """The file for rel if it lies inside root, else None."""
    path = (root / rel).resolve()
    return path if path.is_relative_to(root.resolve()) else None


def read_text(root: Path, rel: str, errors: Collector, prog: YamlDoc) -> TextFile | None:
    path = inside(root, rel)
    where = prog.line(("kapitel",))
    if path is None:
        errors.add(prog.file, where, f"Die Datei „{rel}“ liegt außerhalb des Programmordners.")
        return None
    if not path.is_file():
        for i, entry in enumerate(prog.data.get("kapitel", [])):
            if isinstance(entry, dict) and entry.get("datei") == rel:
                where = prog.line(("kapitel", i, "datei"))
        errors.add(prog.file, where, f"Die Kapiteldatei „{rel}“ gibt es nicht.")
        return None
    text = decode(path, display_name(root, rel), errors)
    return None if text is None else TextFile(display_name(root, rel), text)


def decode(path: Path, shown: str, errors: Collector) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        errors.add(shown, line, "Die Datei ist nicht UTF-8-kodiert.")
        return None


def read_folder(root: Path, folder: str, errors: Collector) -> dict[str, YamlDoc]:
    docs: dict[str, YamlDoc] = {}
    base = root / folder
    if not base.is_dir():
        return docs
    for path in sorted(base.glob("*.yaml")):
        doc = read_yaml(root, f"{folder}/{path.name}", errors)
        if doc is not None:
            docs[path.stem] = doc
    return docs


def read_yaml(root: Path, rel: str, errors: Collector) -> YamlDoc | None:
    shown = display_name(root, rel)
    path = root / rel
    if not path.is_file():
        errors.add(shown, 0, f"Die Datei „{rel}“ fehlt.")
        return None
    text = decode(path, shown, errors)
    if text is None:
        return None
    return parse_yaml(text, shown, errors)


def parse_yaml(text: str, shown: str, errors: Collector) -> YamlDoc | None:
    """Parse YAML safely; record the line of every key and list item."""
    try:
        node, data = compose(text, SAFE_LOADER)
    except yaml.YAMLError:
        try:  # the pure-Python parser explains errors best; it only runs on broken files
            compose(text, yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            errors.add(shown, line, f"Ungültiges YAML: {yaml_hint(exc)}.")
            return None
        except yaml.YAMLError:
            pass
        errors.add(shown, 0, "Ungültiges YAML.")
        return None
    if node is None:
        return YamlDoc(shown, {}, {(): 1})
    doc = YamlDoc(shown, data)
    record_lines(node, (), doc.lines, errors, shown)
    return doc


def compose(text: str, loader_class: type[yaml.SafeLoader]) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


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
