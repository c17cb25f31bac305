"""What `aipgen build` and `aipgen check` do behind their options: choose the programmes, build
them (batch.py), report and write each as it is ready, and sum up in a `Report`.

A library without a command line: a call that cannot be carried out raises `CallError` (German),
and `build` and `check` return their report; the command line presents both and decides the
exit code.

A run of several programmes shows its progress (display.py): on a terminal a progress bar with
the programmes being built, in logs plain lines; at the end a summary of every programme.
"""

from __future__ import annotations

import datetime
import errno
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from aipgen.base import interrupt
from aipgen.base.errors import blame
from aipgen.base.formats import FORMATS, OutputFormat, known_formats, owner
from aipgen.base.numbers import format_number
from aipgen.base.paths import DesignFiles
from aipgen.base.scratch import write_file
from aipgen.build.buildcache import Record, input_key
from aipgen.build.buildcache import remember as keep
from aipgen.build.buildcache import unchanged as cached
from aipgen.build.write import UnsafeOutputError, check_output_dir, output_locked, write_tree

if TYPE_CHECKING:  # the pipeline's imports are slow; they load when the build begins
    from aipgen.build.pipeline import Result


WRITTEN = "geschrieben"


@dataclass(frozen=True)
class Line:
    """One programme in the summary."""

    name: str
    status: str  # German: geschrieben, in Ordnung, Fehler
    ok: bool
    problems: int
    warnings: int
    seconds: float

    @property
    def time(self) -> str:
        return format_number(self.seconds, 1, "s")


class Display(Protocol):
    def started(self, name: str) -> None: ...

    def finished(self, name: str) -> None: ...

    def say(self, text: str, err: bool = False) -> None: ...

    def summary(self, lines: list[Line]) -> None: ...


class CallError(Exception):
    """The call cannot be carried out as asked: an unknown programme or format, an output
    folder that is not safe. The message is German; nothing was built or written."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option  # the option whose value is wrong, e.g. "--nur"


@dataclass(frozen=True)
class Report:
    """What a run of `build` or `check` did: a line per programme, and why writing failed."""

    lines: list[Line]
    write_error: str | None = None  # German; the previous output was kept

    @property
    def failed(self) -> list[str]:
        return sorted(line.name for line in self.lines if not line.ok)

    @property
    def ok(self) -> bool:
        return not self.failed and self.write_error is None


@dataclass(frozen=True)
class Request:
    """One run of `build` (or of `check`, with `check_only`) of programmes with these design
    files (paths.project_design)."""

    roots: list[Path]
    design: DesignFiles
    only: tuple[str, ...] = ()
    jobs: int | None = None
    strict: bool = False
    check_only: bool = False
    draft: datetime.date | None = None
    cache: Path | None = None  # the cache folder (buildcache.py); None: no records
    rebuild: bool = False  # build also what is unchanged
    proof: bool = True  # write the conformance report of the cheap checks (media/proof.py)

    @property
    def settings(self) -> tuple[str, ...]:
        """What, besides the files, the output depends on."""
        draft = self.draft.isoformat() if self.draft else ""
        return (*sorted(self.only), draft, "pruefung" if self.proof else "")


def programme_folders(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.iterdir() if (p / "programm.yaml").is_file())


def select(data_dir: Path, names: tuple[str, ...]) -> list[Path]:
    """The programme folders named (all in the data folder when none is)."""
    if not data_dir.is_dir():
        raise CallError(f"Den Datenordner „{data_dir}“ gibt es nicht.")
    available = programme_folders(data_dir)
    if not names:
        if not available:
            raise CallError(f"In „{data_dir}“ liegt kein Programm (programm.yaml fehlt).")
        return available
    roots = []
    for name in names:
        root = data_dir / name
        if not (root / "programm.yaml").is_file():
            known = ", ".join(p.name for p in available) or "keine"
            raise CallError(f"Das Programm „{name}“ gibt es nicht (vorhanden: {known}).")
        roots.append(root)
    return roots


def parse_formats(value: str | None) -> tuple[str, ...]:
    """`--nur web,pdf` → ("web", "pdf"); every registered format when not given."""
    if value is None:
        return tuple(FORMATS)
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise CallError(
            f"Unbekannte Ausgabe „{unknown[0] if unknown else value}“ "
            f"(möglich sind: {known_formats()}).",
            option="--nur",
        )
    return names


def build(request: Request, data_dir: Path, output_dir: Path, display: Display) -> Report:
    """Build and write the programmes, showing the progress on `display`; what happened to
    each."""
    try:
        check_output_dir(output_dir, [*request.roots, *programme_folders(data_dir), data_dir])
    except UnsafeOutputError as exc:
        raise CallError(str(exc)) from None
    timings: dict[str, dict[str, float]] = {}
    keys = input_keys(request)
    kept = unchanged(request, output_dir, keys)
    todo = replace(request, roots=[r for r in request.roots if r.name not in kept])
    lines: list[Line] = []
    try:
        lines += [replay(name, r, request, output_dir, display) for name, r in kept.items()]
        for result in run_all(todo, display, output_dir):
            timings[result.name] = result.timings
            lines.append(handle(result, request, output_dir, display, keys.get(result.name)))
        written = any(line.ok and line.status == WRITTEN for line in lines)
        if written or (kept and foreign(output_dir)):
            write_overview(output_dir, request.design, display)
        display.summary(lines)
    except OSError as exc:
        return Report(lines, f"Fehler beim Schreiben nach „{output_dir}“: {os_reason(exc)}.")
    save_timings(timings)
    return Report(lines)


def input_keys(request: Request) -> dict[str, str]:
    """Each programme's input key, when the build keeps records."""
    if request.cache is None:
        return {}
    return {root.name: input_key(root, request.settings, request.design) for root in request.roots}


def unchanged(request: Request, output_dir: Path, keys: dict[str, str]) -> dict[str, Record]:
    """The programmes whose last build had these inputs and whose output is untouched."""
    if request.cache is None or request.rebuild:
        return {}
    found = {name: cached(request.cache, output_dir, name, key) for name, key in keys.items()}
    return {name: record for name, record in found.items() if record is not None}


def replay(name: str, record: Record, request: Request, output_dir: Path, display: Display) -> Line:
    """An unchanged programme: its warnings again, nothing built or written."""
    display.finished(name)
    for warning in record.warnings:
        display.say(f"Warnung: {warning}", err=True)
    if request.strict and record.warnings:
        return Line(name, "Fehler", False, 0, len(record.warnings), 0.0)
    display.say(f"{name}: unverändert ({output_dir / name}/)")
    return Line(name, "unverändert", True, 0, len(record.warnings), 0.0)


def remember(cache: Path, output_dir: Path, result: Result, key: str) -> None:
    with blame(f"{result.name} (Zwischenspeicher)", expected=(OSError,)):
        keep(cache, output_dir, result.name, key, list(result.files), result.warnings)


def check(request: Request, display: Display) -> Report:
    """Check the programmes, write nothing; what was found in each."""
    lines = []
    for result in run_all(request, display):
        failed = report(result, request.strict, display)
        if not failed:
            display.say(f"{result.name}: in Ordnung.")
        lines.append(line_of(result, "Fehler" if failed else "in Ordnung", not failed))
    display.summary(lines)
    return Report(lines)


def handle(
    result: Result, request: Request, output_dir: Path, display: Display, key: str | None
) -> Line:
    """Report one programme's result and write it unless it failed; with a `key`, record
    what was written. What the output held before is read, the new output written and the
    record kept while no other build writes to the output folder: the record is of this
    output, and a file carried over is not missed in another build's switch."""
    if report(result, request.strict, display):
        return line_of(result, "Fehler", False)
    interrupt.check()
    with output_locked(output_dir, display.say):
        with blame(result.name, expected=(OSError,)):
            stale = stale_sizes(output_dir / result.name, request.only, result.files)
            result.files.update(carried(output_dir / result.name, request.only, result.files))
            target = write_tree(output_dir, result.name, result.files)
        if request.cache and key:
            remember(request.cache, output_dir, result, key)
    display.say(f"{result.name}: geschrieben nach {target}/")
    if result.proof:
        display.say(f"{result.name}: {result.proof}")
    for fmt, file, before, now in stale:
        display.say(
            f"Hinweis: Die Ausgabe „{fmt.label}“ von {result.name} wurde nicht neu gebaut und "
            f"nennt für {file} noch die bisherige Größe ({before}, jetzt {now}); "
            f"„aipgen build {result.name} --nur {fmt.name}“ bringt sie auf den Stand."
        )
    return line_of(result, WRITTEN, True)


def stale_sizes(
    folder: Path, only: tuple[str, ...], built: dict[str, bytes]
) -> list[tuple[OutputFormat, str, str, str]]:
    """The downloads whose size a format listing them, kept from before (not built now),
    states wrongly once these files are written: format, file, size stated, size now."""
    from aipgen.media.overview import (  # loaded by the build
        MANIFEST,
        changed_sizes,
        entry_of,
        parsed_entry,
    )

    listing = [f for f in FORMATS.values() if f.lists_downloads and f.name not in only]
    kept = [f for f in listing if (folder / f.file(folder.name)).is_file()]
    if not kept or MANIFEST not in built:
        return []
    changed = changed_sizes(entry_of(folder / MANIFEST), parsed_entry(built[MANIFEST]))
    return [(fmt, *change) for fmt in kept for change in changed]


def kept_sizes(request: Request, output_dir: Path | None) -> Iterator[tuple[Path, dict[str, int]]]:
    """Per programme, the files of downloadable formats not built now that lie in its output."""
    others = [f for f in FORMATS.values() if f.downloadable and f.name not in request.only]
    if output_dir is None or not others:
        return
    for root in request.roots:
        files = [output_dir / root.name / f.file(root.name) for f in others]
        yield root, {path.name: path.stat().st_size for path in files if path.is_file()}


def carried(folder: Path, only: tuple[str, ...], built: dict[str, bytes]) -> dict[str, bytes]:
    """The files of the formats not built now, from the output as it was: `--nur` builds
    some formats and never deletes the others (a PDF, or the website with its assets). Each
    format names the files it owns; what no format owns is the build's own and is not kept."""
    if not folder.is_dir() or folder.is_symlink():
        return {}

    def stays(rel: str) -> bool:
        fmt = owner(folder.name, rel)
        return rel not in built and fmt is not None and fmt.name not in only

    old = (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return {
        rel: path.read_bytes() for path in old if stays(rel := path.relative_to(folder).as_posix())
    }


def line_of(result: Result, status: str, ok: bool) -> Line:
    seconds = sum(result.timings.values())
    return Line(result.name, status, ok, len(result.problems), len(result.warnings), seconds)


def run_all(request: Request, display: Display, output_dir: Path | None = None) -> Iterator[Result]:
    """The programmes' results as they are ready (batch.py: one process each, `jobs` at once)."""
    if not request.roots:  # all unchanged: not even the pipeline's imports
        return iter(())
    from aipgen.build.batch import build_each, default_jobs

    jobs = request.jobs or default_jobs()
    return build_each(
        request.roots,
        request.design,
        request.only,
        request.check_only,
        jobs,
        request.draft,
        proof=request.proof,
        started=display.started,
        kept={root.name: sizes for root, sizes in kept_sizes(request, output_dir)},
    )


def report(result: Result, strict: bool, display: Display) -> bool:
    """Print a programme's problems and warnings; whether it failed."""
    display.finished(result.name)
    for problem in result.problems:
        display.say(f"Fehler: {problem}", err=True)
    for warning in result.warnings:
        display.say(f"Warnung: {warning}", err=True)
    return bool(result.problems or (strict and result.warnings))


def foreign(output_dir: Path) -> bool:
    """Whether the overview is missing or not a file of ours (a link elsewhere)."""
    overview = output_dir / "index.html"
    return overview.is_symlink() or not overview.is_file()


def write_overview(output_dir: Path, design: DesignFiles, display: Display) -> None:
    """The overview of every programme in the output folder, read and written while no other
    build writes there: the last overview written lists every programme written before."""
    from aipgen.media.overview import overview_files

    with output_locked(output_dir, display.say), blame("Übersicht index.html", expected=(OSError,)):
        for name, data in overview_files(output_dir, design).items():
            write_file(output_dir / name, data)


OS_REASONS = {
    errno.ENOTDIR: "ein Teil des Pfades ist kein Ordner",
    errno.EACCES: "keine Schreibberechtigung",
    errno.EPERM: "keine Schreibberechtigung",
    errno.ENOSPC: "kein Speicherplatz mehr frei",
    errno.EROFS: "das Laufwerk ist schreibgeschützt",
    errno.EEXIST: "dort liegt schon eine Datei",
    errno.EDQUOT: "das Speicherkontingent ist erschöpft",
    errno.EIO: "Ein-/Ausgabefehler des Laufwerks",
}


def os_reason(exc: OSError) -> str:
    return OS_REASONS.get(exc.errno or 0, f"Systemfehler {exc.errno}")


def save_timings(timings: dict[str, dict[str, float]]) -> None:
    """For tools/benchmark.py: per-stage seconds as JSON, if AIPGEN_TIMINGS names a file."""
    target = os.environ.get("AIPGEN_TIMINGS")
    if target:
        import json

        Path(target).write_text(json.dumps(timings))
