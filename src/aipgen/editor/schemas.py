"""JSON Schemas of the files editors write (programm.yaml, tables, charts, key figures,
aipgen.toml), generated from their models, so that an editor with YAML support checks keys,
types and required fields while typing.

`aipgen schema` writes them into the project's schemas/ folder; `aipgen neu` writes them there
too and names each file's schema in its first line (`# yaml-language-server: $schema=…`, a path
relative to the file). The descriptions are the German ones on the model fields; what the
models check beyond keys and types (sums, references, "zeilen" or "daten") stays with
`aipgen check`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel

from aipgen.build.project import CONFIG_FILE, Settings
from aipgen.content.kinds import KINDS
from aipgen.content.model import ProgrammeFile

SCHEMA_FOLDER = "schemas"  # in the project folder
DIALECT = "https://json-schema.org/draft/2020-12/schema"
MARK = "# yaml-language-server: $schema="
PROGRAMME_FILE = "programm.yaml"


@dataclass(frozen=True)
class SchemaFile:
    name: str  # the file is NAME.schema.json
    model: type[BaseModel]
    title: str
    description: str
    # the YAML files of a programme folder it checks (a path relative to the folder): yes or no
    checks: Callable[[PurePosixPath], bool]

    @property
    def filename(self) -> str:
        return f"{self.name}.schema.json"


def schema_files() -> list[SchemaFile]:
    """programm.yaml, one per content kind (tables, charts, key figures), aipgen.toml."""
    found = [
        SchemaFile(
            "programm",
            ProgrammeFile,
            PROGRAMME_FILE,
            "Stammdaten des Programms (docs/anleitung.md, „programm.yaml“).",
            lambda rel: rel == PurePosixPath(PROGRAMME_FILE),
        )
    ]
    for kind in KINDS.values():
        found.append(
            SchemaFile(
                kind.name,
                kind.model,
                f"{kind.folder}/NAME.yaml",
                f"Eine Datei in {kind.folder}/, im Text gesetzt mit „::{kind.name} NAME“.",
                in_folder(kind.folder),
            )
        )
    found.append(
        SchemaFile(
            "aipgen-toml",
            Settings,
            CONFIG_FILE,
            "Andere Ordner für Daten und Ausgabe, relativ zum Projektordner.",
            lambda rel: False,
        )
    )
    return found


def in_folder(folder: str) -> Callable[[PurePosixPath], bool]:
    return lambda rel: rel.parent == PurePosixPath(folder)


def schema(spec: SchemaFile) -> dict[str, Any]:
    """The JSON Schema of one kind of file: the keys as editors write them (German), unknown
    keys refused (additionalProperties: false), the models' own descriptions left out (they
    are English, for developers)."""
    generated = spec.model.model_json_schema(by_alias=True, mode="validation")
    for part in [generated, *generated.get("$defs", {}).values()]:
        part.pop("description", None)
    generated.pop("title", None)
    return {"$schema": DIALECT, "title": spec.title, "description": spec.description, **generated}


def schema_text(spec: SchemaFile) -> str:
    return json.dumps(schema(spec), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Every schema file into `folder` (made if missing); a file already current stays
    untouched. The files written, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in schema_files():
        path = folder / spec.filename
        text = schema_text(spec)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def schema_for(rel: PurePosixPath) -> SchemaFile | None:
    """The schema checking this file of a programme folder, if any."""
    return next((spec for spec in schema_files() if spec.checks(rel)), None)


def mark_files(folder: Path, placed: Path, schemas: Path) -> None:
    """Name its schema in the first line of each YAML file in `folder`, a programme folder that
    will be at `placed`; the path is relative to the file there (a line already naming one is
    replaced)."""
    for path in sorted(folder.rglob("*.yaml")):
        rel = PurePosixPath(path.relative_to(folder).as_posix())
        spec = schema_for(rel)
        if spec is None:
            continue
        target = os.path.relpath(schemas.absolute() / spec.filename, (placed / rel).parent)
        text = path.read_text(encoding="utf-8")
        if text.startswith(MARK):
            text = text.partition("\n")[2]
        path.write_text(f"{MARK}{Path(target).as_posix()}\n{text}", encoding="utf-8")
