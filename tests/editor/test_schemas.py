"""The JSON Schemas an editor checks YAML with while typing (`aipgen schema`, the first line
`aipgen neu` writes): every file of the skeleton and of the sample programmes passes, a
misspelt key and text in place of a number are named, the shipped schemas are current."""

from __future__ import annotations

import datetime
import json
import shutil
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from aipgen.editor.schemas import (
    MARK,
    SCHEMA_FOLDER,
    schema,
    schema_files,
    schema_for,
    write_schemas,
)

from ..helpers import DATA, PROJECT, aipgen

SHIPPED = PROJECT / SCHEMA_FOLDER  # the schemas of a checkout, current with the models


def as_the_editor_reads(value: Any) -> Any:
    """The YAML as an editor's YAML server hands it to the schema: dates are strings there."""
    if isinstance(value, dict):
        return {key: as_the_editor_reads(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_the_editor_reads(item) for item in value]
    return value.isoformat() if isinstance(value, datetime.date) else value


def problems(path: Path, schema_path: Path) -> list[str]:
    data = as_the_editor_reads(YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")))
    validator = jsonschema.Draft202012Validator(json.loads(schema_path.read_text("utf-8")))
    return [error.message for error in validator.iter_errors(data)]


def checked_files(programme: Path) -> list[tuple[Path, str]]:
    """Each YAML file of a programme folder with the name of the schema that checks it."""
    found = []
    for path in sorted(programme.rglob("*.yaml")):
        spec = schema_for(PurePosixPath(path.relative_to(programme).as_posix()))
        if spec is not None:
            found.append((path, spec.filename))
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The schemas as the models give them now."""
    folder = tmp_path_factory.mktemp("schemas")
    write_schemas(folder)
    return folder


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder in which `aipgen neu` made a programme."""
    folder = tmp_path_factory.mktemp("project")
    made = aipgen(folder, "neu", "musterstadt-2027")
    assert made.returncode == 0, made.stderr
    assert f"Schemas für den Editor in {SCHEMA_FOLDER}/" in made.stdout
    return folder


def test_every_file_neu_writes_names_its_schema_and_passes_it(project: Path) -> None:
    programme = project / "data/musterstadt-2027"
    files = checked_files(programme)
    kinds = {name for _, name in files}
    assert kinds == {"programm.schema.json", "tabelle.schema.json", "diagramm.schema.json"}
    for path, name in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MARK), path
        named = (path.parent / first.removeprefix(MARK)).resolve()
        assert named == (project / SCHEMA_FOLDER / name).resolve()
        assert problems(path, named) == [], path


@pytest.mark.parametrize("programme", sorted(p.parent.name for p in DATA.glob("*/programm.yaml")))
def test_every_file_of_the_samples_passes_its_schema(programme: str, generated: Path) -> None:
    files = checked_files(DATA / programme)
    assert len(files) > 1
    for path, name in files:
        assert problems(path, generated / name) == [], path


def test_next_years_programme_passes_with_last_year_named_alone(
    generated: Path, tmp_path: Path
) -> None:
    shutil.copytree(DATA / "herne-2023", tmp_path / "data/herne-2023")
    made = aipgen(tmp_path, "neu", "herne-2024", "--von", "herne-2023")
    assert made.returncode == 0, made.stderr
    programme = tmp_path / "data/herne-2024/programm.yaml"
    assert "vorjahr: herne-2023\n" in programme.read_text(encoding="utf-8")
    assert problems(programme, generated / "programm.schema.json") == []


def test_a_misspelt_key_is_named(project: Path, generated: Path, tmp_path: Path) -> None:
    table = tmp_path / "budget.yaml"
    text = (project / "data/musterstadt-2027/tabellen/budget.yaml").read_text(encoding="utf-8")
    table.write_text(text.replace("quelle:", "qulle:"), encoding="utf-8")
    found = problems(table, generated / "tabelle.schema.json")
    assert len(found) == 1
    assert "'qulle'" in found[0]


def test_text_in_place_of_a_number_is_named(project: Path, generated: Path, tmp_path: Path) -> None:
    programme = tmp_path / "programm.yaml"
    text = (project / "data/musterstadt-2027/programm.yaml").read_text(encoding="utf-8")
    programme.write_text(text.replace("jahr: 2027", 'jahr: "2027"'), encoding="utf-8")
    found = problems(programme, generated / "programm.schema.json")
    assert found == ["'2027' is not of type 'integer'"]


def test_the_guides_aipgen_toml_passes_and_a_wrong_key_is_named(generated: Path) -> None:
    guide = (PROJECT / "docs/anleitung.md").read_text(encoding="utf-8")
    example = guide.split("```toml\n", 1)[1].split("```", 1)[0]
    validator = jsonschema.Draft202012Validator(
        json.loads((generated / "aipgen-toml.schema.json").read_text("utf-8"))
    )
    assert list(validator.iter_errors(tomllib.loads(example))) == []
    wrong = [e.message for e in validator.iter_errors(tomllib.loads('ausgaben = "web"'))]
    assert len(wrong) == 1 and "'ausgaben'" in wrong[0]


def test_the_shipped_schemas_are_current(tmp_path: Path) -> None:
    made = aipgen(tmp_path, "schema", "neu")
    assert made.returncode == 0, made.stderr
    names = sorted(p.name for p in (tmp_path / "neu").iterdir())
    assert names == sorted(spec.filename for spec in schema_files())
    for name in names:
        assert (tmp_path / "neu" / name).read_bytes() == (SHIPPED / name).read_bytes(), (
            f"{name} ist veraltet: „aipgen schema“ im Projektordner ausführen"
        )


def test_every_key_has_its_german_description() -> None:
    for spec in schema_files():
        for part in [schema(spec), *schema(spec).get("$defs", {}).values()]:
            for key, field in part.get("properties", {}).items():
                assert field.get("description"), f"{spec.name}: {key}"


def test_a_schema_folder_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    (tmp_path / SCHEMA_FOLDER).write_text("eine Datei", encoding="utf-8")
    made = aipgen(tmp_path, "schema")
    assert made.returncode == 1
    assert (
        f"{tmp_path / SCHEMA_FOLDER}: Die Schemas lassen sich dort nicht schreiben" in made.stderr
    )
    assert "Traceback" not in made.stderr
