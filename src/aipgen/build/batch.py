"""Build many programmes: one at a time in this process, or each in a worker process of its
own, at most `jobs` at once (the largest first), every result handed on as soon as it is
ready.

A worker is forked per programme, so it starts with the parent's imports already loaded and
ends with its programme: memory does not grow with the number of programmes, and a worker that
dies (killed, out of memory) loses its programme only, which comes back as a failed result. An
internal error in a worker (a bug) ends the whole run, as it does in this process. On a signal
the workers are stopped (they remove their temporary files) before the exception goes on.
"""

from __future__ import annotations

import datetime
import gc
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from aipgen.base import forked, interrupt
from aipgen.base.errors import Problem
from aipgen.base.formats import select
from aipgen.base.paths import DesignFiles
from aipgen.build.pipeline import Result, build_guarded

# The garbage collector during a build (the largest sample programme, whole build in one
# process, paired runs on 2 noisy cores): Python's default thresholds make 11 full collections
# over the libraries' long-lived objects (peak 235 MiB); frozen after the imports and with
# these thresholds, 4 (241 MiB), the build 0-20 % faster in each pair. Rarer still (10 000)
# saved a little more but lifted a batch worker's peak over 300 MiB (307 MiB measured).
GC_THRESHOLDS = (3_000, 10, 10)


def default_jobs() -> int:
    """As many workers as this process may use cores."""
    return max(1, len(os.sched_getaffinity(0)))


@dataclass
class Worker:
    root: Path
    work: forked.Forked


def build_each(
    roots: list[Path],
    design: DesignFiles,
    only: tuple[str, ...],
    check_only: bool,
    jobs: int,
    draft: datetime.date | None = None,
    started: Callable[[str], None] = lambda name: None,
    kept: Mapping[str, Mapping[str, int]] | None = None,
    proof: bool = False,
) -> Iterator[Result]:
    """The results, built with these design files, in the order the programmes finish;
    `started` hears of each programme as its build begins; `kept`: per programme, the files of
    formats not built that stay; `proof`: with the conformance report of the cheap checks."""
    kept = kept or {}
    here = jobs <= 1 or len(roots) <= 1  # in this process, else in workers
    if not here:
        preload(only)
    tune_collector()
    if here:
        beside = jobs > 1  # with a core to spare, the charts are drawn beside the build
        for root in roots:
            started(root.name)
            yield build_guarded(
                root, design, only, check_only, draft, kept.get(root.name), proof, beside
            )
        return
    waiting = sorted(roots, key=size, reverse=True)[::-1]  # popped: the largest first
    running: dict[Any, Worker] = {}  # by the connection its result comes through
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                root = waiting.pop()
                options = (design, only, check_only, draft, kept.get(root.name), proof)
                worker = start(root, options)
                started(worker.root.name)
                running[worker.work.connection] = worker
            for ready in wait(list(running)):
                yield collect(running.pop(ready))
    except BaseException:
        with interrupt.held():
            stop(list(running.values()))
        raise


def size(root: Path) -> int:
    """A programme's bytes, as a measure of its build time: starting the largest first, no
    worker is left alone with a long one at the end while the others idle."""
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file())


def preload(only: tuple[str, ...]) -> None:
    """Load the heavy libraries once, here: every forked worker starts with them loaded
    (matplotlib when anything is built; what each format to build asks to preload, e.g.
    WeasyPrint and its hyphenation patterns for the PDFs; `check` needs neither)."""
    if only:
        from aipgen.charts import draw as chartdraw  # noqa: F401  (matplotlib)
    for fmt in select(only):
        fmt.load()


def tune_collector() -> None:
    """What is loaded so far stays (frozen: not scanned again, and forked workers share its
    memory pages); collections run less often (see GC_THRESHOLDS)."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def start(root: Path, options: tuple[Any, ...]) -> Worker:
    """A worker building `root` with these arguments of build_guarded."""
    return Worker(root, forked.start(f"aipgen {root.name}", built, root, options))


def built(root: Path, options: tuple[Any, ...]) -> Iterator[Result]:
    """In the worker: the programme built (an internal error, an InternalError naming the
    programme, goes to the parent, which raises it)."""
    yield build_guarded(root, *options)


def collect(worker: Worker) -> Result:
    """The worker's result; a worker that died without one fails its programme."""
    try:
        result: Result = worker.work.receive()
    except forked.Died as died_early:
        return died(worker.root, died_early.exitcode)
    finally:
        worker.work.finish()
    return result


def died(root: Path, exitcode: int | None) -> Result:
    cause = f"Signal {-exitcode}" if exitcode and exitcode < 0 else f"Exit-Code {exitcode}"
    message = (
        f"Der Arbeitsprozess für dieses Programm endete unerwartet ({cause}, z. B. zu wenig "
        "Arbeitsspeicher oder von außen beendet); die anderen Programme sind davon nicht "
        "betroffen."
    )
    return Result(root.name, problems=[Problem(root.name, 0, message)])


def stop(workers: list[Worker]) -> None:
    for worker in workers:
        worker.work.process.terminate()  # SIGTERM: the worker removes its temporary files, exits
    for worker in workers:
        worker.work.finish()
