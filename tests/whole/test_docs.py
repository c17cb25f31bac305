"""Every example in docs/ that names its file (```yaml datei=tabellen/x.yaml) is built as one
programme, so the user guide cannot go stale."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ..helpers import PROJECT

DOCS = PROJECT / "docs"
BLOCK = re.compile(r"^```[a-z]+ datei=(\S+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
PLACED = {"tabellen": "tabelle", "diagramme": "diagramm", "kennzahlen": "kennzahlen"}


def examples() -> dict[str, str]:
    """The named examples of all docs, by file name; a name used twice is an error."""
    found: dict[str, str] = {}
    for doc in sorted(DOCS.glob("*.md")):
        for match in BLOCK.finditer(doc.read_text(encoding="utf-8")):
            name, text = match[1], match[2]
            assert name not in found, f"{doc.name}: das Beispiel „{name}“ gibt es zweimal"
            found[name] = text
    return found


def write_programme(root: Path, files: dict[str, str]) -> None:
    """The examples as one programme; items no example chapter places get a chapter of their
    own, and example chapters programm.yaml does not list are appended to it."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    chapters = "\n".join(text for name, text in files.items() if name.startswith("kapitel/"))
    unplaced = [
        f"::{PLACED[folder]} {Path(name).stem}"
        for name in files
        for folder in [name.split("/")[0]]
        if folder in PLACED and f"::{PLACED[folder]} {Path(name).stem}" not in chapters
    ]
    meta = yaml.safe_load(files["programm.yaml"])
    listed = {ref["datei"] for ref in meta["kapitel"]}
    extra = sorted(n for n in files if n.startswith("kapitel/") and n not in listed)
    if unplaced:
        (root / "kapitel/99-beispiele.md").write_text(
            "# Beispiele\n\n" + "\n\n".join(unplaced) + "\n", encoding="utf-8"
        )
        extra.append("kapitel/99-beispiele.md")
    text = (root / "programm.yaml").read_text(encoding="utf-8")
    text += "".join(f"  - datei: {name}\n" for name in extra)
    (root / "programm.yaml").write_text(text, encoding="utf-8")


def test_docs_have_examples_for_every_kind() -> None:
    names = examples()
    assert "programm.yaml" in names
    for folder in ("kapitel", *PLACED):
        assert any(n.startswith(f"{folder}/") for n in names), folder


def test_docs_examples_build(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_programme(data / "beispiel", examples())
    output = tmp_path / "output"
    command = [sys.executable, "-m", "aipgen.cli.main", "build", "--data-dir", str(data)]
    command += ["--output-dir", str(output), "--strict", "--nur", "web,pdf"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (output / "beispiel" / "index.html").read_text(encoding="utf-8")
    assert "Anhang I" in page and "I. Aktivierung &amp; Berufliche Eingliederung" in page


def test_a_broken_example_fails(tmp_path: Path) -> None:
    files = examples()
    files["tabellen/eintritte.yaml"] = files["tabellen/eintritte.yaml"].replace("1250", "1200")
    data = tmp_path / "data"
    write_programme(data / "beispiel", files)
    command = [sys.executable, "-m", "aipgen.cli.main", "check", "--data-dir", str(data)]
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 1
    # the message the guide explains, with file and line
    assert (
        "beispiel/tabellen/eintritte.yaml:14: Tabelle „Geplante Eintritte 2025“, Spalte "
        "„Eintritte 2025“: angegeben 1.200, berechnet 1.250." in result.stdout + result.stderr
    )


@pytest.mark.parametrize("name", sorted(examples()))
def test_example_is_valid_yaml_or_markdown(name: str) -> None:
    text = examples()[name]
    if name.endswith(".yaml"):
        assert isinstance(yaml.safe_load(text), dict)
    else:
        assert text.startswith("# ")


def test_every_command_and_option_is_documented() -> None:
    """Each command and each of its options stands in the guide's table of commands, with
    an example using it; each command in the README."""
    import click

    from aipgen.cli.main import main

    guide = (DOCS / "anleitung.md").read_text(encoding="utf-8")
    table = guide.split("## Alle Befehle auf einen Blick")[1].split("\n## ")[0]
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        assert f"`aipgen {name}" in table and f"aipgen {name}" in readme, name
        examples = [line for line in table.splitlines() if f"`aipgen {name}" in line]
        for param in command.params:
            longest = max(param.opts, key=len)
            if isinstance(param, click.Option) and not param.is_eager:  # --hilfe, --version
                assert longest in table, f"{name} {longest}"
                used = [line for line in examples if longest in line.rsplit("|", 2)[-2]]
                assert used, f"kein Beispiel für aipgen {name} {longest}"


def test_readme_installs_the_wheel_of_this_version() -> None:
    """The install command names the wheel that `python3 -m pip wheel` builds of this version,
    and makes the command known to the shell."""
    from aipgen import __version__

    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert f"pipx install aipgen-{__version__}-py3-none-any.whl" in readme
    assert "pipx ensurepath" in readme
