"""The wheel as a jobcenter's IT installs it: built from this repository, installed into a fresh
virtual environment outside the source tree, used in an empty folder to create, theme and build
a programme. Nothing may come from the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from ..helpers import PROJECT, THEME_CSS, add_theme


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["SOURCE_DATE_EPOCH"] = "0"
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtual environment holding only the wheel and its needs."""
    root = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    run(*pip, "wheel", "--no-deps", "--quiet", "--wheel-dir", root / "dist", PROJECT, cwd=root)
    (wheel,) = (root / "dist").glob("aipgen-*.whl")
    # without a pip of its own, as pipx makes it: one pip installs into every environment
    # (--python); installing pip into it would take a quarter of the install
    venv.create(root / "venv", with_pip=False)
    bin_dir = root / "venv" / "bin"
    constraints = PROJECT / "constraints.txt"
    # --no-compile: pip's byte-compiling of every installed module is 40 % of the install;
    # Python compiles what the tests import as it imports it
    install = ["install", "--quiet", "--no-compile", "-c", constraints, wheel]
    run(*pip, "--python", bin_dir / "python", *install, cwd=root)
    return bin_dir


def test_installed_wheel_carries_its_design_files(installed: Path, tmp_path: Path) -> None:
    where = run(
        installed / "python",
        "-c",
        "import aipgen, aipgen.base.paths as p; print(aipgen.__file__); print(p.BUILTIN)",
        cwd=tmp_path,
    ).stdout.split()
    venv_root = installed.parent
    assert all(Path(w).is_relative_to(venv_root) for w in where), where
    assert (Path(where[1]) / "templates/bericht/style.css").is_file()
    assert (Path(where[1]) / "templates/neu/programm/programm.yaml").is_file()


def test_installed_wheel_offers_the_sample_programmes(installed: Path, tmp_path: Path) -> None:
    listed = run(installed / "aipgen", "beispiel", cwd=tmp_path).stdout
    samples = sorted(p.name for p in (PROJECT / "data").iterdir() if p.is_dir())
    assert listed.splitlines()[0] == "Beispiele: " + ", ".join(samples)
    run(installed / "aipgen", "beispiel", "herford-2022", cwd=tmp_path)
    assert run(installed / "aipgen", "check", "herford-2022", cwd=tmp_path).returncode == 0


def test_new_user_creates_themes_and_builds_a_programme(installed: Path, tmp_path: Path) -> None:
    version = run(installed / "aipgen", "--version", cwd=tmp_path).stdout
    assert version.startswith("aipgen ")
    run(installed / "aipgen", "neu", "musterstadt-2027", cwd=tmp_path)
    add_theme(tmp_path)
    run(installed / "aipgen", "build", "--strict", cwd=tmp_path)
    site = tmp_path / "output" / "musterstadt-2027"
    for name in ("index.html", "musterstadt-2027.pdf", "musterstadt-2027-druck.pdf"):
        made = (site / name).read_bytes()
        assert len(made) > 10_000 and str(PROJECT).encode() not in made, name
    assert (site / "assets/css/common-eigen.css").read_text() == THEME_CSS
    assert "#8a1538" in (site / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (site / "assets/fonts").iterdir())  # fonts from the wheel
