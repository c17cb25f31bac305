"""Adding a programme needs no change in src/: every programme in data/ builds under another
folder name and jobcenter from data and templates alone, and the engine names no jobcenter."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..helpers import DATA, PROGRAMMES, PROJECT

SRC = PROJECT / "src" / "aipgen"
# The jobcenters of the reference documents and of every programme folder in data/.
JOBCENTERS = {"Herne", "Herford", "Bochum", "Duisburg"} | {
    name.split("-")[0].capitalize() for name in PROGRAMMES
}


def test_src_names_no_jobcenter() -> None:
    pattern = re.compile("|".join(sorted(JOBCENTERS)), re.IGNORECASE)
    found = [
        f"{path.relative_to(PROJECT)}:{number}: {line.strip()}"
        for path in sorted(SRC.rglob("*"))
        if path.is_file() and path.suffix in (".py", ".yaml", ".j2", ".css", ".txt")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []


def test_guard_would_find_a_name(tmp_path: Path) -> None:
    pattern = re.compile("|".join(sorted(JOBCENTERS)), re.IGNORECASE)
    assert pattern.search('if meta.jobcenter == "Jobcenter Duisburg":')
    assert not pattern.search("if meta.layout == 'bericht':")


@pytest.mark.parametrize("name", PROGRAMMES)
def test_programme_copied_under_a_new_name_builds(tmp_path: Path, name: str) -> None:
    data = tmp_path / "data"
    copy = data / "musterstadt-2031"
    shutil.copytree(DATA / name, copy)
    meta = copy / "programm.yaml"
    text = meta.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^jobcenter: .*$", "jobcenter: Jobcenter Musterstadt", text)
    text = re.sub(r"(?m)^jahr: .*$", "jahr: 2031", text)
    text = re.sub(r"(?m)^((?:unter)?titel: .*)\b20\d\d\b", r"\g<1>2031", text)  # and titles
    meta.write_text(text, encoding="utf-8")
    output = tmp_path / "output"
    command = [sys.executable, "-m", "aipgen.cli.main", "build", "--data-dir", str(data)]
    command += ["--output-dir", str(output), "--nur", "web", "--strict"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (output / "musterstadt-2031" / "index.html").read_text(encoding="utf-8")
    assert "Jobcenter Musterstadt" in page
