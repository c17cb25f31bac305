"""Turn YAML text into a node graph and plain data, refusing what cannot be content.

Part of the load stage. Only the safe loader's types (texts, numbers, dates, lists, mappings);
numbers must be finite, dates must exist, and aliases (*name) may neither blow a small file up
("billion laughs") nor refer to the entry they stand in. Every refusal is a German message with
its line, so the loader reports it like any other content problem.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from aipgen.base.limits import MAX_YAML_DEPTH, MAX_YAML_ENTRIES, german_count

try:  # libyaml's parser when PyYAML was built with it (about five times faster)
    from yaml import CSafeLoader as FastBase
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as FastBase  # type: ignore[assignment]

Problems = list[tuple[int, str]]
TAG = "tag:yaml.org,2002:"


def finite(value: Any) -> bool:
    return math.isfinite(value)


def fits_float(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def always(value: Any) -> bool:
    return True


# Scalar types: which constructed values are acceptable, and what to say when one is not.
SCALARS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "float": (finite, "„{text}“ ist keine endliche Zahl (unendlich oder keine Zahl)."),
    "int": (fits_float, "„{text}“ ist keine brauchbare Zahl (zu groß)."),
    "timestamp": (
        always,
        "„{text}“ ist kein gültiges Datum (den Tag gibt es nicht; Form JJJJ-MM-TT).",
    ),
    "bool": (always, "„{text}“ ist kein Wahrheitswert (true oder false)."),
    "binary": (always, "„{text}“ sind keine gültigen Binärdaten."),
}


class FastLoader(FastBase):
    """The fast safe loader; constructs only acceptable scalars and collects the others."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: Problems = []


class ExplainingLoader(yaml.SafeLoader):
    """The pure-Python safe loader: slower, but its error messages say more."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: Problems = []


def checked(name: str) -> Callable[[Any, yaml.Node], Any]:
    construct = SafeConstructor.yaml_constructors[TAG + name]
    acceptable, message = SCALARS[name]

    def run(loader: Any, node: yaml.Node) -> Any:
        try:
            value = construct(loader, node)
            if acceptable(value):
                return value
        except (ValueError, LookupError, TypeError, ArithmeticError, AttributeError):
            pass  # PyYAML's scalar constructors fail this way on text that does not fit the tag
        loader.problems.append((node.start_mark.line + 1, message.format(text=short(node))))
        return None

    return run


def short(node: yaml.Node) -> str:
    text = str(node.value)
    return text if len(text) <= 30 else text[:29] + "…"


for _loader in (FastLoader, ExplainingLoader):
    for _name in SCALARS:
        _loader.add_constructor(TAG + _name, checked(_name))


class Refused(Exception):
    """The node graph is too large, too deep or refers to itself; carries line and message."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def compose(text: str, loader_class: type[FastLoader] | type[ExplainingLoader]) -> Any:
    """Node graph, checked size and data of one YAML document; (None, None, []) when empty."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None, []
        try:
            check_expansion(node)
        except Refused as refused:
            raise locate(text, loader_class) or refused from None
        data = loader.construct_document(node)
        return node, data, loader.problems
    finally:
        loader.dispose()


def check_expansion(root: yaml.Node) -> None:
    """Refuse graphs that, aliases written out, exceed the entry or depth limit or loop."""
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (entries, height)
    measure(root, 1, sizes, set())


LOOP = "Ein Verweis (*) zeigt auf den Eintrag, in dem er selbst steht."
TOO_DEEP = f"Die Einträge sind tiefer als {MAX_YAML_DEPTH} Ebenen verschachtelt (Grenze)."
TOO_MANY = (
    f"Mit allen Verweisen (*) ausgeschrieben hätte die Datei mehr als "
    f"{german_count(MAX_YAML_ENTRIES)} Einträge (Grenze)."
)


def measure(
    node: yaml.Node, depth: int, sizes: dict[int, tuple[int, int]], open_: set[int]
) -> tuple[int, int]:
    key = id(node)
    line = node.start_mark.line + 1
    if key in open_:
        raise Refused(line, LOOP)
    entries, height = sizes.get(key) or measure_children(node, depth, sizes, open_)
    if depth + height - 1 > MAX_YAML_DEPTH:
        raise Refused(line, TOO_DEEP)
    if entries > MAX_YAML_ENTRIES:
        raise Refused(line, TOO_MANY)
    sizes[key] = (entries, height)
    return entries, height


def measure_children(
    node: yaml.Node, depth: int, sizes: dict[int, tuple[int, int]], open_: set[int]
) -> tuple[int, int]:
    if depth > MAX_YAML_DEPTH:
        return 1, 1  # reported by the caller's depth check
    open_.add(id(node))
    results = [measure(child, depth + 1, sizes, open_) for child in children(node)]
    open_.discard(id(node))
    return 1 + sum(e for e, _ in results), 1 + max((h for _, h in results), default=0)


def children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


# ------------------------------------------------------------- where a refused file goes wrong
# The node graph has lost where each alias stands (an alias is its anchor's node again), so a
# refused file is read once more as events: the refusal is reported at the line of the alias
# (or entry) that passes the limit. Only refused files pay for this second reading.


@dataclass
class Opened:
    """A list or mapping being read: its anchor, the entry count before it, its depth and the
    deepest level below it so far."""

    anchor: str | None
    before: int
    depth: int
    deepest: int


@dataclass
class Walk:
    """Entries and depth of the events so far, with every alias written out."""

    total: int = 0
    opened: list[Opened] = field(default_factory=list)
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # anchor → entries, height

    def add(self, entries: int, deepest: int, line: int) -> None:
        """Count entries reaching down to level `deepest`; refuse where a limit is passed."""
        self.total += entries
        if deepest > MAX_YAML_DEPTH:
            raise Refused(line, TOO_DEEP)
        if self.total > MAX_YAML_ENTRIES:
            raise Refused(line, TOO_MANY)
        if self.opened:
            self.opened[-1].deepest = max(self.opened[-1].deepest, deepest)

    def alias(self, event: yaml.AliasEvent, line: int) -> None:
        if any(o.anchor == event.anchor for o in self.opened):
            raise Refused(line, LOOP)
        entries, height = self.sizes.get(event.anchor or "", (1, 1))
        self.add(entries, len(self.opened) + height, line)

    def scalar(self, event: yaml.ScalarEvent, line: int) -> None:
        self.add(1, len(self.opened) + 1, line)
        if event.anchor:
            self.sizes[event.anchor] = (1, 1)

    def start(self, event: yaml.CollectionStartEvent, line: int) -> None:
        depth = len(self.opened) + 1
        self.add(1, depth, line)
        self.opened.append(Opened(event.anchor, self.total - 1, depth, depth))

    def end(self, event: yaml.CollectionEndEvent, line: int) -> None:
        done = self.opened.pop()
        if done.anchor:
            self.sizes[done.anchor] = (self.total - done.before, done.deepest - done.depth + 1)
        if self.opened:
            self.opened[-1].deepest = max(self.opened[-1].deepest, done.deepest)


STEPS: dict[type, Callable[[Walk, Any, int], None]] = {
    yaml.AliasEvent: Walk.alias,
    yaml.ScalarEvent: Walk.scalar,
    yaml.SequenceStartEvent: Walk.start,
    yaml.MappingStartEvent: Walk.start,
    yaml.SequenceEndEvent: Walk.end,
    yaml.MappingEndEvent: Walk.end,
}


def locate(text: str, loader_class: type[FastLoader] | type[ExplainingLoader]) -> Refused | None:
    """The refusal of a file the node graph refused, at the line where it passes a limit."""
    loader = loader_class(text)
    walk = Walk()
    try:
        while loader.check_event():
            event: Any = loader.get_event()
            step = STEPS.get(type(event))
            if step is not None:
                step(walk, event, event.start_mark.line + 1)
    except Refused as refused:
        return refused
    finally:
        loader.dispose()
    return None
