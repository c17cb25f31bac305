#!/usr/bin/env python3
"""Bootstrap for a fresh machine: set up .venv, then build the sample programmes or run the tests.

python3 build.py          set up, then build every programme in data/ into output/
python3 build.py test     set up, then run pytest, ruff, mypy and the import contract
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import threading
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
STAMP = VENV / ".aipgen-installed"
# Debian packages WeasyPrint needs (Pango for text layout, HarfBuzz for font subsetting).
DEBIAN_PACKAGES = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"]
LIBRARIES = ["pango-1.0", "pangoft2-1.0", "harfbuzz-subset"]


def run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


def system_packages() -> None:
    missing = [lib for lib in LIBRARIES if ctypes.util.find_library(lib) is None]
    if not missing:
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        sys.exit(
            "Es fehlen Systembibliotheken für WeasyPrint: "
            + ", ".join(missing)
            + ". Bitte installieren: "
            + " ".join(DEBIAN_PACKAGES)
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *DEBIAN_PACKAGES], check=True, env=env)


def python_packages() -> None:
    if not (BIN / "python").exists():
        print("+ python3 -m venv .venv", flush=True)
        venv.create(VENV, with_pip=True)
    inputs = (ROOT / "pyproject.toml").read_bytes() + (ROOT / "constraints.txt").read_bytes()
    wanted = hashlib.sha256(inputs).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-c", "constraints.txt", "-e", ".[dev]")
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "build"
    if command not in ("build", "test"):
        print("Aufruf: python3 build.py [test]", file=sys.stderr)
        return 2
    system_packages()
    python_packages()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    try:
        if command == "build":
            run(BIN / "aipgen", "build")
            # every check of the conformance report, the pages too (where Java and Chromium are)
            run(BIN / "aipgen", "pruefen")
        else:
            return test()
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1
    return 0


LINTERS = [
    ["ruff", "check", "src", "tests", "build.py", "tools"],
    ["ruff", "format", "--check", "src", "tests", "build.py", "tools"],
    ["mypy", "src"],
    ["lint-imports"],  # the import contract in pyproject.toml
]


def lint(said: list[str]) -> int:
    """Every linter in turn; what they say goes to `said`. The first exit code that is not 0."""
    failed = 0
    for command in LINTERS:
        done = subprocess.run(
            [str(BIN / command[0]), *command[1:]],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        said.append(f"+ {' '.join(command)}\n{done.stdout}")
        failed = failed or done.returncode
    return failed


def test() -> int:
    """pytest, and beside it the linters: the tests leave a core idle now and then (while they
    wait for Chromium or Java), the linters need one for a while. What the linters say is shown
    after the tests."""
    said: list[str] = []
    outcome: list[int] = []
    linting = threading.Thread(target=lambda: outcome.append(lint(said)))
    linting.start()
    # one test process per core; a test file stays in one process, with its fixtures
    command = [BIN / "python", "-m", "pytest", "-q", "-n", "auto", "--dist", "loadfile"]
    print("+", " ".join(str(a) for a in command), flush=True)
    # Python keeps what it compiled (and pytest its rewritten test modules) in __pycache__, as
    # after an installation: else every build process the tests start compiles aipgen again
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    tests = subprocess.run([str(a) for a in command], cwd=ROOT, env=env).returncode
    linting.join()
    print("".join(said), end="", flush=True)
    return tests or outcome[0]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
