"""The loader keeps the line of every key and list item and reads YAML safely."""

from __future__ import annotations

from aipgen.base.errors import Collector
from aipgen.content.load import parse_yaml


def test_lines_of_keys_and_items() -> None:
    errors = Collector()
    doc = parse_yaml("a: 1\nb:\n  - x: 2\n    y: [1, 2]\n  - 3\n", "f.yaml", errors)
    assert doc is not None and errors.problems == []
    assert doc.data == {"a": 1, "b": [{"x": 2, "y": [1, 2]}, 3]}
    assert doc.line(("b", 0, "y")) == 4
    assert doc.line(("b", 1)) == 5
    assert doc.line(("b", 0, "gibtsnicht")) == 3  # nearest known ancestor


def test_python_tags_are_refused() -> None:
    errors = Collector()
    doc = parse_yaml("a: !!python/object/apply:os.system ['true']\n", "f.yaml", errors)
    assert doc is None
    assert [str(p) for p in errors.problems] == [
        "f.yaml:1: Ungültiges YAML: Markierungen wie !!python sind nicht erlaubt, "
        "nur Texte, Zahlen, Listen und Zuordnungen."
    ]


def test_empty_file_is_an_empty_mapping() -> None:
    errors = Collector()
    doc = parse_yaml("", "f.yaml", errors)
    assert doc is not None and doc.data == {}
