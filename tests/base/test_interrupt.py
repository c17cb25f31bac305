"""Signals and unexpected errors end a real `aipgen build` process cleanly.

Each test starts `python -m aipgen.cli.main build` on a copy of the mini programme over a previous
good build, with a private TMPDIR, and stops it (SIGINT or SIGTERM) at a chosen moment: after a
delay, or when a patched stage says it has begun. The process must exit with 130/143 and the
German message, without a traceback, leave the previous output byte-identical (or, after the
swap, a complete new one) and leave no temporary path behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aipgen.base import interrupt, scratch

from ..helpers import FIXTURES, INTERRUPTED, PROJECT, files_of

MARK = "STUFE-BEGONNEN"
# Run the CLI with one function replaced: on its first call it announces itself on stderr (the
# mark and its newline in one write, so the workers' marks stay whole lines), then
# waits until the process has received a signal (at most the given pause) and goes on. A signal that
# aipgen acts on at once ends the wait with `Interrupted`; one held for later lets it go on.
LAUNCHER = """
import os, sys, time
from aipgen.base import interrupt
import {module} as target
original = target.{function}
def announced(*args, **kwargs):
    if not interrupt.received():
        os.write(2, b"{mark}\\n")  # one write: two workers' marks never interleave
        deadline = time.monotonic() + {pause}
        while not interrupt.received() and time.monotonic() < deadline:
            time.sleep(0.01)
    return original(*args, **kwargs)
target.{function} = announced
from aipgen.cli.main import run
sys.argv = ["aipgen", *sys.argv[1:]]
run()
"""


class Build:
    """One `aipgen build` process over a data folder, an output folder and its own TMPDIR."""

    def __init__(self, root: Path, *names: str, hook: tuple[str, str, float] | None = None):
        self.data, self.output, self.tmp = root / "data", root / "output", root / "tmp"
        self.tmp.mkdir(exist_ok=True)
        args = ["build", "--data-dir", str(self.data), "--output-dir", str(self.output), *names]
        start = ["-m", "aipgen.cli.entry"]  # what the console script `aipgen` runs
        if hook:
            module, function, pause = hook
            code = LAUNCHER.format(module=module, function=function, mark=MARK, pause=pause)
            start = ["-c", code]
        env = {**os.environ, "TMPDIR": str(self.tmp), "SOURCE_DATE_EPOCH": "0"}
        env.pop("AIPGEN_DEBUG", None)
        self.process = subprocess.Popen(
            [sys.executable, *start, *args],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_for_mark(self) -> None:
        assert self.process.stderr is not None
        line = self.process.stderr.readline()
        assert line.strip() == MARK, line

    def wait_for_handlers(self) -> None:
        """Until aipgen's handlers are installed: SIGTERM (bit 15) in the caught mask."""
        status = Path(f"/proc/{self.process.pid}/status")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            caught = next(
                (
                    line.split()[1]
                    for line in status.read_text().splitlines()
                    if line.startswith("SigCgt:")
                ),
                "0",
            )
            if int(caught, 16) & (1 << (signal.SIGTERM - 1)):
                return
            time.sleep(0.005)
        raise AssertionError("signal handlers never installed")

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def finish(self, timeout: float = 60) -> tuple[int, str]:
        _, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, err


def leftovers(build: Build) -> list[str]:
    """Temporary paths: hidden entries in the output folder, anything in TMPDIR."""
    hidden = [p.name for p in build.output.rglob(".*")] if build.output.exists() else []
    return sorted(hidden + [p.name for p in build.tmp.iterdir()])


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with data/mini and output/ holding a good build of all formats."""
    root = tmp_path_factory.mktemp("previous")
    shutil.copytree(FIXTURES / "mini", root / "data/mini")
    code, err = Build(root).finish()
    assert code == 0, err
    return root


@pytest.fixture
def site(previous: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(previous, root)
    return root


def assert_stopped(build: Build, signum: int, before: dict[str, bytes] | None) -> None:
    code, err = build.finish()
    assert code == 128 + signum, err
    assert err.replace(MARK + "\n", "") == INTERRUPTED[signum] + "\n"
    assert "Traceback" not in err
    if before is not None:
        assert files_of(build.output) == before
    assert leftovers(build) == []


# Where in the build a signal arrives: a stage announces that it has begun and waits for the
# signal, so the moment does not depend on how fast or loaded the machine is. None: at once
# after aipgen's handlers are installed, before the slow imports.
STAGES = {
    "start-up": None,
    "load": ("aipgen.build.pipeline", "load_programme"),
    "compute": ("aipgen.build.pipeline", "compute_document"),
    "charts": ("aipgen.build.charting", "render_charts"),
    "print-finish": ("aipgen.media.printpdf", "finish_opened"),
}
WAIT_FOR_SIGNAL = 300.0


@pytest.mark.parametrize(
    ("signum", "stage"),
    [
        (signal.SIGINT, "start-up"),
        (signal.SIGTERM, "start-up"),
        (signal.SIGTERM, "load"),
        (signal.SIGINT, "compute"),
        (signal.SIGINT, "charts"),
        (signal.SIGTERM, "print-finish"),
    ],
)
def test_signal_at_each_stage_keeps_previous_output(signum: int, stage: str, site: Path) -> None:
    """The signal comes when the build reports that a stage has begun, however fast or loaded
    the machine is."""
    before = files_of(site / "output")
    where = STAGES[stage]
    build = Build(site, hook=(*where, WAIT_FOR_SIGNAL) if where else None)
    if where:
        build.wait_for_mark()
    else:
        build.wait_for_handlers()
    build.process.send_signal(signum)
    assert_stopped(build, signum, before)


def test_signal_while_weasyprint_draws_an_svg_adds_no_warning(site: Path) -> None:
    """WeasyPrint catches every exception while it draws an SVG, the interruption too, and
    logs that the image failed: the build must still stop, with no such warning."""
    before = files_of(site / "output")
    build = Build(site, hook=("weasyprint.svg", "SVG.draw", WAIT_FOR_SIGNAL))
    build.wait_for_mark()
    build.process.send_signal(signal.SIGINT)
    assert_stopped(build, signal.SIGINT, before)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_while_weasyprint_renders(signum: int, site: Path) -> None:
    """WeasyPrint's temporary font folder goes too (it lies in the private TMPDIR)."""
    before = files_of(site / "output")
    build = Build(site, hook=("weasyprint.document", "Document._render", WAIT_FOR_SIGNAL))
    build.wait_for_mark()
    build.process.send_signal(signum)
    assert_stopped(build, signum, before)


def test_signal_just_before_the_swap_keeps_previous_output(site: Path) -> None:
    before = files_of(site / "output")
    build = Build(
        site, hook=("aipgen.build.write", "swap", WAIT_FOR_SIGNAL)
    )  # staging is full, swap not begun
    build.wait_for_mark()
    build.process.send_signal(signal.SIGTERM)
    assert_stopped(build, signal.SIGTERM, before)


def test_signal_during_the_swap_finishes_it(site: Path, previous: Path) -> None:
    """A signal inside the swap waits for it: the new output is complete, then the build stops."""
    (site / "data/mini/kapitel/01-vorwort.md").write_text("# Vorwort\n\nNeu.\n", "utf-8")
    before = files_of(site / "output")
    build = Build(site, hook=("pathlib", "Path.rename", WAIT_FOR_SIGNAL))  # old output moved aside
    build.wait_for_mark()
    build.process.send_signal(signal.SIGINT)
    assert_stopped(build, signal.SIGINT, None)
    after = files_of(build.output)
    assert sorted(after) == sorted(before)
    assert b"Neu." in after["mini/index.html"]
    assert after["index.html"] == before["index.html"]  # the overview comes after the swap


def test_signal_during_the_write_phase(site: Path) -> None:
    """Signal while the staging folder is filled: staging removed, old output kept."""
    before = files_of(site / "output")
    build = Build(site, hook=("pathlib", "Path.write_bytes", WAIT_FOR_SIGNAL))
    build.wait_for_mark()
    build.process.send_signal(signal.SIGTERM)
    assert_stopped(build, signal.SIGTERM, before)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_stops_worker_processes(signum: int, site: Path) -> None:
    shutil.copytree(site / "data/mini", site / "data/zweites")
    before = files_of(site / "output")
    # Both workers report that they compute, then wait for the signal.
    build = Build(site, hook=("aipgen.build.pipeline", "compute_document", WAIT_FOR_SIGNAL))
    build.wait_for_mark()
    build.wait_for_mark()
    workers = build.children()
    assert len(workers) == 2
    build.process.send_signal(signum)
    assert_stopped(build, signum, before)
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()


# ---------------------------------------------------------------- internal errors


INTERNAL = (
    "Fehler: Interner Fehler bei „mini“ (RuntimeError). Das ist ein Fehler in aipgen, nicht im "
    "Inhalt – bitte melden; Einzelheiten zeigt derselbe Aufruf mit AIPGEN_DEBUG=1. Halb "
    "Geschriebenes wurde entfernt; jede Ausgabe ist die bisherige oder eine vollständige neue.\n"
)
BROKEN = """
import sys
import aipgen.{module} as target
def broken(*args, **kwargs):
    raise RuntimeError("kaputt")
target.{function} = broken
from aipgen.cli.main import run
sys.argv = ["aipgen", *sys.argv[1:]]
run()
"""


def run_broken(site: Path, module: str, function: str, *extra: str, debug: bool = False):
    env = {**os.environ, "TMPDIR": str(site / "tmp")}
    env.pop("AIPGEN_DEBUG", None)
    if debug:
        env["AIPGEN_DEBUG"] = "1"
    args = ["build", "--data-dir", str(site / "data"), "--output-dir", str(site / "output")]
    code = BROKEN.format(module=module, function=function)
    return subprocess.run(
        [sys.executable, "-c", code, *args, *extra],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("module", "function"),
    [("compute", "compute_document"), ("media.pdf", "write_pdf"), ("build.write", "swap")],
)
def test_internal_error_is_a_german_message(module: str, function: str, site: Path) -> None:
    before = files_of(site / "output")
    (site / "tmp").mkdir(exist_ok=True)
    target = "build.pipeline" if module == "compute" else module
    done = run_broken(site, target, function)
    assert done.returncode == 1
    assert done.stderr == INTERNAL
    assert files_of(site / "output") == before
    assert [p.name for p in (site / "output").rglob(".*")] == []
    assert list((site / "tmp").iterdir()) == []


def test_internal_error_in_a_worker_names_the_programme(site: Path) -> None:
    shutil.copytree(site / "data/mini", site / "data/zweites")
    before = files_of(site / "output")
    done = run_broken(site, "build.pipeline", "compute_document", "--nur", "web")
    assert done.returncode == 1
    # Both workers fail; the first to report ends the run and is named.
    assert done.stderr in (INTERNAL, INTERNAL.replace("„mini“", "„zweites“"))
    assert files_of(site / "output") == before


def test_debug_shows_the_traceback(site: Path) -> None:
    done = run_broken(site, "build.pipeline", "compute_document", "--nur", "web", debug=True)
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "RuntimeError: kaputt" in done.stderr
    assert done.stderr.endswith(INTERNAL)


# ---------------------------------------------------------------- the pieces


def test_held_defers_a_signal_to_the_end_of_the_section() -> None:
    previous = signal.getsignal(signal.SIGTERM)
    interrupt.install()
    done = []
    try:
        with pytest.raises(interrupt.Interrupted) as caught, interrupt.held():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            done.append("Abschnitt zu Ende")
        assert done == ["Abschnitt zu Ende"]
        assert caught.value.exit_code == 143
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, previous)


def test_private_tempdir_catches_library_temp_files() -> None:
    import tempfile

    with scratch.private_tempdir() as folder:
        made = Path(tempfile.mkdtemp(prefix="weasyprint-"))
        assert made.parent == folder
        assert scratch.leftovers() == [folder]
    assert not folder.exists()
    assert scratch.leftovers() == []


def test_a_swallowed_signal_is_acted_on_at_the_next_check() -> None:
    """Python only prints an exception raised in a __del__; the next check raises it again."""
    try:
        with pytest.raises(interrupt.Interrupted):
            interrupt._on_signal(signal.SIGINT, None)  # as if it hit a __del__ and was lost
        with pytest.raises(interrupt.Interrupted) as caught:
            interrupt.check()
        assert caught.value.exit_code == 130
    finally:
        interrupt._State.received = None


SWALLOWED = """
import os, signal, sys, time
from aipgen.base import interrupt
interrupt.install()
class Slow:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler runs here, inside __del__
Slow()
try:
    interrupt.check()
except interrupt.Interrupted as stop:
    print(stop.exit_code)
"""


def test_a_signal_inside_a_finaliser_prints_nothing() -> None:
    """Python would print "Exception ignored in ..." with a traceback; aipgen keeps quiet and
    acts on the signal at the next check."""
    done = subprocess.run(
        [sys.executable, "-c", SWALLOWED], cwd=PROJECT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "130"
    assert done.stderr == ""
