"""Many programmes in one `aipgen build`: each in a worker of its own, written as soon as it is
built; a worker that dies loses its programme only."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..helpers import FIXTURES, PROJECT

# The CLI with the build of programme "b" held up for a while, so the test can look meanwhile.
SLOW_B = """
import sys, time
import aipgen.build.pipeline as target
original = target.build_programme
def slow(root, *args, **kwargs):
    if root.name == "b":
        time.sleep(60)
    return original(root, *args, **kwargs)
target.build_programme = slow
from aipgen.cli.main import run
sys.argv = ["aipgen", *sys.argv[1:]]
run()
"""


def start(root: Path, *args: str, code: str | None = None) -> subprocess.Popen[str]:
    start = ["-c", code] if code else ["-m", "aipgen.cli.entry"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    env.pop("AIPGEN_DEBUG", None)
    command = [sys.executable, *start, "build", "--data-dir", str(root / "data")]
    return subprocess.Popen(
        [*command, "--output-dir", str(root / "output"), "--nur", "web", *args],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def children(process: subprocess.Popen[str]) -> list[int]:
    path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def until(condition: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.05)
    assert condition(), "timed out"  # type: ignore[operator]


@pytest.fixture
def three(tmp_path: Path) -> Path:
    for name in ("a", "b", "c"):
        shutil.copytree(FIXTURES / "mini", tmp_path / "data" / name)
    return tmp_path


def test_a_killed_worker_loses_only_its_programme(three: Path) -> None:
    build = start(three, "--jobs", "2", code=SLOW_B)
    until(lambda: len(children(build)) == 2)
    workers = children(build)
    until(lambda: (three / "output/a/index.html").is_file())  # a is done, b waits
    # a's worker may take a moment to end after its result is written: until only b's is left
    until(lambda: len([pid for pid in children(build) if pid in workers]) == 1)
    still = [pid for pid in children(build) if pid in workers]
    os.kill(still[0], signal.SIGKILL)
    _, err = build.communicate(timeout=120)
    assert build.returncode == 1, err
    assert "b: Der Arbeitsprozess für dieses Programm endete unerwartet (Signal 9" in err
    assert "1 von 3 Programmen mit Fehlern: b." in err
    assert "Traceback" not in err
    written = sorted(p.name for p in (three / "output").iterdir() if p.is_dir())
    assert written == ["a", "c"]
    assert "a/index.html" in (three / "output/index.html").read_text(encoding="utf-8")


def test_each_programme_is_written_as_soon_as_it_is_built(three: Path) -> None:
    """With one job at a time, a is written while b is still being built."""
    build = start(three, "--jobs", "1", code=SLOW_B)
    until(lambda: (three / "output/a/index.html").is_file())
    assert build.poll() is None and not (three / "output/b").exists()
    build.send_signal(signal.SIGTERM)
    build.communicate(timeout=60)
    assert build.returncode == 143
    assert (three / "output/a/index.html").is_file()  # kept: it was complete


def test_jobs_must_be_a_positive_number(three: Path) -> None:
    build = start(three, "--jobs", "0")
    _, err = build.communicate(timeout=60)
    assert build.returncode == 2 and "--jobs" in err and "Traceback" not in err


# In a fresh interpreter: what a forked worker would start with after the parent's preload.
PRELOADED = """
import json, sys
import pyphen
from aipgen.build import batch
from aipgen.design import hyphendict
batch.preload(tuple(sys.argv[1].split(",")))
german = hyphendict.pattern_file(pyphen, hyphendict.LANGUAGE)
print(json.dumps({"matplotlib": "matplotlib.figure" in sys.modules,
                  "weasyprint": "weasyprint" in sys.modules,
                  "patterns": german in pyphen.hdcache}))
"""


@pytest.mark.parametrize(
    ("only", "loaded"),
    [
        ("web,pdf,druck", {"matplotlib": True, "weasyprint": True, "patterns": True}),
        ("web", {"matplotlib": True, "weasyprint": False, "patterns": False}),
    ],
)
def test_workers_start_with_the_drawing_and_the_hyphenation_loaded(
    only: str, loaded: dict[str, bool], tmp_path: Path
) -> None:
    """Each programme's worker is forked from the parent: what the parent loaded before, no
    worker loads again (matplotlib ~0.45 s, the hyphenation patterns, per programme)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", PRELOADED, only], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == loaded


def test_the_largest_programmes_are_started_first(three: Path) -> None:
    """So that at the end no worker builds a long programme alone while the others idle."""
    from aipgen.base.paths import BUILT_IN
    from aipgen.build.batch import build_each

    for name, sentences in (("a", 0), ("b", 40), ("c", 200)):
        chapter = three / "data" / name / "kapitel" / "01-vorwort.md"
        with chapter.open("a", encoding="utf-8") as out:
            out.write("\nDas Jobcenter berät und vermittelt. " * sentences)
    roots = [three / "data" / name for name in ("a", "b", "c")]
    started: list[str] = []
    results = list(build_each(roots, BUILT_IN, (), True, jobs=2, started=started.append))
    assert started == ["c", "b", "a"]
    assert sorted(r.name for r in results) == ["a", "b", "c"]
