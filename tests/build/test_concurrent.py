"""Builds of one project at the same time: two `aipgen build` processes (a batch and a build of
one process), a build beside a running preview, two writers of one record. Every output must be
complete and every record valid and true afterwards, whoever finished last.

The overlap is made certain, not hoped for: a build is held up where it switches an output
folder or stores a chart until the test has seen the other one arrive, or the test itself
holds the output folder.
"""

from __future__ import annotations

import fcntl
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pikepdf
import pytest

from aipgen.base import cachefiles
from aipgen.base.errors import Problem
from aipgen.build import buildcache
from aipgen.charts import cache as chartcache

from ..helpers import FIXTURES, INTERRUPTED, files_of, said

NAMES = ("a", "b")
WAITING = "Ein anderer Bau schreibt gerade nach"
MARK = "ANGEHALTEN"
TIMEOUT = 300.0
# The command line with one function held up: on each call for which `when` (an expression
# of `args`) holds, it announces itself on stderr and waits until the file named by $WEITER
# exists (at most TIMEOUT), then goes on.
HELD = """
import os, sys, time
from pathlib import Path
import {module} as target
original = target.{function}
def held(*args, **kwargs):
    if {when}:
        print("{mark}", os.getpid(), file=sys.stderr, flush=True)
        deadline = time.monotonic() + {timeout}
        while not Path(os.environ["WEITER"]).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    return original(*args, **kwargs)
target.{function} = held
from aipgen.cli.main import run
sys.argv = ["aipgen", *sys.argv[1:]]
run()
"""


class Run:
    """One aipgen process in the project folder (so all share its cache folder); its output
    goes to files, which the test reads while it runs."""

    def __init__(
        self, project: Path, tag: str, *args: str, hold: tuple[str, str, str] | None = None
    ) -> None:
        self.out, self.err = project / f"{tag}.out", project / f"{tag}.err"
        start = ["-m", "aipgen.cli.entry"]
        if hold:
            module, function, when = hold
            code = HELD.format(
                module=module, function=function, when=when, mark=MARK, timeout=TIMEOUT
            )
            start = ["-c", code]
        env = {**os.environ, "SOURCE_DATE_EPOCH": "0", "WEITER": str(project / "weiter")}
        env.pop("AIPGEN_DEBUG", None)
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, *start, *args], cwd=project, env=env, stdout=out, stderr=err
            )

    def said(self) -> str:
        return self.out.read_text(encoding="utf-8")

    def complained(self) -> str:
        return self.err.read_text(encoding="utf-8")

    def held(self) -> bool:
        return MARK in self.complained()

    def finish(self, timeout: float = TIMEOUT) -> tuple[int, str, str]:
        code = self.process.wait(timeout=timeout)
        return code, self.said(), self.complained()


def build(project: Path, tag: str, *args: str, hold: tuple[str, str, str] | None = None) -> Run:
    folders = ("--data-dir", str(project / "data"), "--output-dir", str(project / "output"))
    return Run(project, tag, "build", *folders, *args, hold=hold)


def until(condition: Callable[[], bool], runs: list[Run]) -> None:
    """Wait for the condition; fail at once when a process ended before it came true."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        ended = [r for r in runs if r.process.poll() is not None]
        assert not ended, f"beendet: {ended[0].complained()}"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with two programmes (copies of mini), never built."""
    import shutil

    for name in NAMES:
        shutil.copytree(FIXTURES / "mini", tmp_path / "data" / name)
    return tmp_path


def go(project: Path) -> None:
    (project / "weiter").touch()


def check_outputs(project: Path, pdf: bool = True) -> None:
    """Every programme's output complete, the overview listing both, every record valid and
    matching the files on disk, no temporary file anywhere."""
    output = project / "output"
    for name in NAMES:
        folder = output / name
        pages = sorted(folder.rglob("*.html"))
        assert len(pages) >= 2, pages
        for page in pages:
            assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
        json.loads((folder / "programm.json").read_text(encoding="utf-8"))
        pdfs = sorted(folder.glob("*.pdf"))
        assert len(pdfs) == (2 if pdf else 0), pdfs
        for path in pdfs:
            with pikepdf.open(path) as document:
                assert len(document.pages) > 1
        check_record(project, name)
    overview = (output / "index.html").read_text(encoding="utf-8")
    assert overview.rstrip().endswith("</html>")
    assert all(f'href="{name}/' in overview for name in NAMES), overview
    assert temporary(project) == []


def check_record(project: Path, name: str) -> None:
    """The record is valid JSON and states exactly the files of the output as they are."""
    output = project / "output"
    path = buildcache.record_file(project / ".aipgen-cache", output, name)
    record = json.loads(path.read_text(encoding="utf-8"))
    folder = output / name
    on_disk = {p.relative_to(folder).as_posix(): p.stat() for p in folder.rglob("*") if p.is_file()}
    stated = {rel: tuple(size_mtime) for rel, size_mtime in record["files"].items()}
    assert stated == {rel: (s.st_size, s.st_mtime_ns) for rel, s in on_disk.items()}


def temporary(project: Path) -> list[str]:
    """Temporary paths left in the output or the cache folder: hidden entries (aipgen's own
    temporary names) and *.tmp (Jinja's)."""
    found = [
        p
        for folder in (project / "output", project / ".aipgen-cache")
        for p in folder.rglob("*")
        if p.name.startswith(".") or p.name.endswith(".tmp")
    ]
    return sorted(str(p.relative_to(project)) for p in found)


def unchanged_afterwards(project: Path, *args: str) -> None:
    """A following build finds every record true to its output: nothing to build or write."""
    code, said, err = build(project, "danach", *args).finish()
    assert code == 0, err
    for name in NAMES:
        assert f"{name}: unverändert ({project / 'output' / name}/)" in said.splitlines()
    assert "geschrieben" not in said


# Where an output folder is switched: the staging folder renamed into its place (write.swap).
# Held there, a build has checked whether the folder is there and not yet put its own there.
AT_SWITCH = ("pathlib", "Path.rename", "'-neu-' in args[0].name")


def test_two_builds_of_one_project_at_once_leave_complete_outputs_and_true_records(
    project: Path,
) -> None:
    """A batch (a worker per programme) and a build in one process, of the same programmes
    into the same output folder. The first to switch an output folder is held in the middle
    of the switch until the other has finished building and arrived at the output folder too:
    it waits (and says so) rather than switching the same folder or writing the same record
    at the same time."""
    runs = [
        build(project, "stapel", "--jobs", "2", hold=AT_SWITCH),
        build(project, "einzeln", "--jobs", "1", hold=AT_SWITCH),
    ]

    def arrived(run: Run) -> bool:
        return run.held() or WAITING in run.said()

    until(lambda: any(r.held() for r in runs) and all(arrived(r) for r in runs), runs)
    go(project)
    for run in runs:
        code, said, err = run.finish()
        assert code == 0, err
        assert "Traceback" not in err
        assert all(f"{name}: geschrieben nach" in said for name in NAMES), said
    assert any(WAITING in run.said() for run in runs)
    check_outputs(project)
    unchanged_afterwards(project)


@contextmanager
def holding(output: Path) -> Iterator[None]:
    """The test holds the output folder as a build writing there does."""
    output.mkdir(parents=True, exist_ok=True)
    fd = os.open(output, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def test_a_signal_while_waiting_for_another_build_ends_the_build_cleanly(project: Path) -> None:
    """While another build writes to the output folder, this one waits and says so; Ctrl+C
    then ends it at once with the usual message, the output as it was, nothing left behind."""
    code, _, err = build(project, "zuerst", "--nur", "web").finish()
    assert code == 0, err
    before = files_of(project / "output")
    with holding(project / "output"):
        waiting = build(project, "wartend", "--nur", "web", "--alles-neu")
        until(lambda: WAITING in waiting.said(), [waiting])
        waiting.process.send_signal(signal.SIGINT)
        code, said, err = waiting.finish(timeout=60)  # not until the folder is free
    assert code == 130, err
    assert err == INTERRUPTED[signal.SIGINT] + "\n"
    assert said.splitlines() == [
        f"Ein anderer Bau schreibt gerade nach „{project / 'output'}“; dieser Bau wartet darauf."
    ]
    assert files_of(project / "output") == before
    assert temporary(project) == []


def test_two_writers_of_one_record_at_once_do_not_take_each_others_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both have written their whole record before either renames it into place: each under a
    name of its own, so both renames succeed and the record is one of the two, whole."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    (output / "a").mkdir(parents=True)
    (output / "a" / "index.html").write_text("<html></html>")
    both = threading.Barrier(2, timeout=30)
    rename = os.replace

    def meeting(source: str | Path, target: str | Path) -> None:
        both.wait()
        rename(source, target)

    monkeypatch.setattr(os, "replace", meeting)
    failures: list[BaseException] = []

    def writer(warning: str) -> None:
        try:
            warnings = [Problem("a/kapitel/01.md", 2, warning)]
            buildcache.remember(cache, output, "a", "key", ["index.html"], warnings)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in ("eins", "zwei")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    record = buildcache.read_record(buildcache.record_file(cache, output, "a"))
    assert record is not None and said(record.warnings) in (
        ["a/kapitel/01.md:2: eins"],
        ["a/kapitel/01.md:2: zwei"],
    )
    assert [p.name for p in buildcache.record_file(cache, output, "a").parent.iterdir()] == [
        "a.json"
    ]


def get(port: int) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def test_a_preview_beside_a_batch_build(project: Path) -> None:
    """A batch builds both programmes while a preview of one runs in the same project: the
    batch is held just before it stores its first chart, until the preview has built its
    page, storing the same charts and compiled templates in the shared cache folder. Both
    then go on: the preview's page and the batch's output complete, the cache valid."""
    batch = build(
        project,
        "stapel",
        "--jobs",
        "2",
        "--nur",
        "web",
        hold=("aipgen.charts.cache", "write_entry", "True"),
    )
    until(batch.held, [batch])
    charts = project / ".aipgen-cache" / chartcache.FOLDER
    assert not charts.exists() or not any(charts.iterdir())  # the batch stored none yet
    preview = Run(project, "vorschau", "vorschau", "a", "--data-dir", str(project / "data"))
    try:
        until(lambda: "Vorschau: http://" in preview.said(), [preview, batch])
        port = int(preview.said().split()[1].rsplit(":", 1)[1].strip("/"))
        status, page = get(port)
        assert status == 200 and page.rstrip().endswith("</html>")
        assert any(charts.glob("*.svg"))  # stored by the preview while the batch waits
        go(project)
        code, said, err = batch.finish()
        assert code == 0, err
        assert get(port)[0] == 200
    finally:
        preview.process.send_signal(signal.SIGINT)
        assert preview.finish()[0] == 0  # Strg+C ends a preview regularly
    assert all(cachefiles.read_entry(entry) is not None for entry in charts.glob("*.svg"))
    check_outputs(project, pdf=False)
    unchanged_afterwards(project, "--nur", "web")
