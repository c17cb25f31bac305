"""Edit an editor's YAML file in place: comments, key order, quoting and the list indentation
of the house's files stay as they were (ruamel.yaml's round trip)."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML


def round_trip() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # long lines stay as the editor wrote them
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load(text: str) -> Any:
    return round_trip().load(text)


def dump(data: Any) -> str:
    out = io.StringIO()
    round_trip().dump(data, out)
    return out.getvalue()
