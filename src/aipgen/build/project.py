"""A project folder: where a jobcenter keeps its programmes (data/), gets its output (output/)
and may keep design files of its own (templates/, charts/; see paths.py).

The project folder is the current folder. An optional aipgen.toml there names other folders:

    daten = "programme"
    ausgabe = "website"

Relative paths count from the project folder.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

CONFIG_FILE = "aipgen.toml"


class Settings(BaseModel):
    """What aipgen.toml may hold (its JSON Schema: editor/schemas.py); read_config checks it
    with messages of its own."""

    model_config = ConfigDict(extra="forbid")
    data: str = Field(
        "data", alias="daten", min_length=1, description="Ordner mit den Programmordnern."
    )
    output: str = Field(
        "output", alias="ausgabe", min_length=1, description="Zielordner für Website und PDF."
    )


# key: default folder
KEYS = {str(field.alias): str(field.default) for field in Settings.model_fields.values()}
LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


class ProjectError(Exception):
    """aipgen.toml cannot be used; the message is German and names file and line."""


@dataclass(frozen=True)
class Project:
    folder: Path
    data: Path
    output: Path


def load_project(folder: Path) -> Project:
    """The project in this folder, with the folders its aipgen.toml names (or the defaults)."""
    settings = read_config(folder / CONFIG_FILE)
    paths = {key: folder / settings.get(key, default) for key, default in KEYS.items()}
    return Project(folder, paths["daten"], paths["ausgabe"])


def read_config(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProjectError(f"{path}{where(exc)}: kein gültiges TOML.") from None
    unknown = sorted(set(settings) - set(KEYS))
    if unknown:
        raise ProjectError(
            f"{path}: unbekannter Schlüssel „{unknown[0]}“ (erlaubt: {', '.join(KEYS)})."
        )
    wrong = [key for key, value in settings.items() if not isinstance(value, str) or not value]
    if wrong:
        raise ProjectError(f"{path}: „{wrong[0]}“ muss ein Ordnername in Anführungszeichen sein.")
    return settings


def where(exc: Exception) -> str:
    found = LINE.search(str(exc))
    return f", Zeile {found[1]}, Spalte {found[2]}" if found else ""
