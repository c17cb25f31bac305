"""What `aipgen pruefen` does: run every check of the conformance report (media/proof.py) on
programmes already built in the output folder, write `pruefbericht.html` and
`pruefbericht.json` beside their output, and sum up in a `Report`.

Nothing is built: the checks read the files as they lie in output/<programme>/. A programme
passes when no check found anything; a check that could not run is named, not failed.
"""

from __future__ import annotations

import time
from pathlib import Path

from aipgen.base.clock import build_date
from aipgen.base.errors import blame
from aipgen.base.paths import DesignFiles
from aipgen.base.scratch import write_file
from aipgen.build.command import CallError, Display, Line, Report, os_reason
from aipgen.build.write import output_locked
from aipgen.content.printprofile import stated_ink_limit
from aipgen.media.overview import MANIFEST, entry_of
from aipgen.media.proof import (
    REPORT,
    REPORT_DATA,
    ProofReport,
    Subject,
    prove,
    report_files,
    said,
)

# Programmes checked together (their output in memory at once, the checkers started once)
TOGETHER = 8


def built_programmes(output_dir: Path, names: tuple[str, ...]) -> list[str]:
    """The programmes named (all built in the output folder when none is), each built."""
    if not output_dir.is_dir():
        raise CallError(f"Den Ausgabeordner „{output_dir}“ gibt es nicht; zuerst „aipgen build“.")
    built = sorted(p.parent.name for p in output_dir.glob(f"*/{MANIFEST}") if p.is_file())
    missing = [name for name in names if name not in built]
    if missing:
        known = ", ".join(built) or "keines"
        raise CallError(
            f"Das Programm „{missing[0]}“ ist in „{output_dir}“ nicht gebaut (gebaut: {known}); "
            f"zuerst „aipgen build {missing[0]}“."
        )
    if not built:
        raise CallError(f"In „{output_dir}“ ist kein Programm gebaut; zuerst „aipgen build“.")
    return list(names) or built


def output_files(folder: Path) -> dict[str, bytes]:
    """The programme's output as it lies there, without an earlier report."""
    files = (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return {
        rel: path.read_bytes()
        for path in files
        if (rel := path.relative_to(folder).as_posix()) not in (REPORT, REPORT_DATA)
    }


def prove_outputs(
    names: tuple[str, ...],
    data_dir: Path,
    output_dir: Path,
    design: DesignFiles,
    display: Display,
) -> Report:
    """Check the programmes built in the output folder with every check; what each found (the
    report written with these design files' template). They are checked TOGETHER at a time, so
    a checker that starts a process of its own (Java, a browser) starts once for them; more at
    once would hold more output in memory."""
    programmes = built_programmes(output_dir, names)
    lines: list[Line] = []
    try:
        for first in range(0, len(programmes), TOGETHER):
            group = programmes[first : first + TOGETHER]
            lines += prove_group(group, data_dir, output_dir, design, display)
    except OSError as exc:
        return Report(lines, f"Fehler beim Schreiben nach „{output_dir}“: {os_reason(exc)}.")
    display.summary(lines)
    return Report(lines)


def prove_group(
    names: list[str], data_dir: Path, output_dir: Path, design: DesignFiles, display: Display
) -> list[Line]:
    """Some programmes' reports, written beside their output; their lines in the summary."""
    start = time.perf_counter()
    for name in names:
        display.started(name)
    subjects = [subject_of(name, data_dir / name, output_dir / name) for name in names]
    reports = prove(subjects, build_date(), True)
    seconds = (time.perf_counter() - start) / len(names)
    return [written(report, output_dir, design, display, seconds) for report in reports]


def subject_of(name: str, root: Path, folder: Path) -> Subject:
    return Subject(name, output_files(folder), stated_ink_limit(root))


def written(
    report: ProofReport, output_dir: Path, design: DesignFiles, display: Display, seconds: float
) -> Line:
    """One programme's report, written beside its output; its line in the summary (with its
    share of its group's time)."""
    name = report.programme
    folder = output_dir / name
    entry = entry_of(folder / MANIFEST)
    title = f"{entry.title}, {entry.jobcenter}" if entry else name
    files = report_files(report, title, design)
    with output_locked(output_dir, display.say), blame(f"{name} ({REPORT})", expected=(OSError,)):
        for file, data in files.items():
            write_file(folder / file, data)
    display.finished(name)
    for line in said(report):
        display.say(f"{name}: {line}", err=False)
    display.say(f"{name}: Prüfbericht geschrieben nach {folder / REPORT}")
    failed, left = len(report.failed), len(report.not_run)
    status = "Befunde" if failed else "bestanden"
    status += f", {left} nicht ausgeführt" if left else ""
    return Line(name, status, not failed, failed, 0, seconds)
