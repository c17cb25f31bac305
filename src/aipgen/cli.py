"""Command line: `aipgen build`, `aipgen check` and `aipgen neu`, with German help and messages.

The current folder is the project folder (project.py): its data/ and output/ (or the folders its
aipgen.toml names) are the defaults, its templates/ and charts/ come before the built-in ones.

Exit codes: 0 ok, 1 content errors (or warnings with --strict) or an internal error, 2 usage
errors, 130/143 stopped by SIGINT/SIGTERM. `run` is the entry point: it handles signals from
before the slow imports on and turns an unexpected exception into a German message (with the
traceback only when AIPGEN_DEBUG=1).
"""

from __future__ import annotations

import datetime
import errno
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__, cli_de, interrupt, paths, scratch
from .errors import InternalError, blame
from .formats import FORMATS, known_formats
from .project import ProjectError, load_project
from .write import UnsafeOutputError, check_output_dir, write_file, write_tree

if TYPE_CHECKING:  # slow imports load later, after run() has installed the signal handlers
    from collections.abc import Iterator

    from .pipeline import Result

cli_de.install()
CONTEXT = {"help_option_names": ["-h", "--hilfe", "--help"]}
OPTIONS = "[OPTIONEN]"
HELP_OPTION = {"help": "Diese Hilfe zeigen und beenden."}


@click.group(
    context_settings=CONTEXT, options_metavar=OPTIONS, subcommand_metavar="BEFEHL [ARGUMENTE] ..."
)
@click.help_option(*CONTEXT["help_option_names"], **HELP_OPTION)
@click.version_option(
    __version__, "--version", message="aipgen %(version)s", help="Version zeigen und beenden."
)
def main() -> None:
    """Arbeitsmarkt- und Integrationsprogramme als Website und PDF erzeugen."""
    paths.use_project(Path.cwd())


def project_folders(data_dir: Path | None, output_dir: Path | None = None) -> tuple[Path, Path]:
    """The data and output folder: as given, else as the project's aipgen.toml names them."""
    try:
        project = load_project(Path.cwd())
    except ProjectError as exc:
        raise click.UsageError(str(exc)) from None
    return data_dir or project.data, output_dir or project.output


JOBS = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    metavar="ANZAHL",
    help="So viele Programme gleichzeitig bauen [Standard: so viele wie Prozessorkerne].",
)
DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Ordner mit den Programmordnern [Standard: data, oder wie aipgen.toml sagt].",
)


def common(func: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.argument("programme", nargs=-1, metavar="[PROGRAMM ...]"),
        DATA_DIR,
        click.option(
            "--strict", is_flag=True, help="Warnungen als Fehler behandeln (Exit-Code 1)."
        ),
        JOBS,
        click.help_option(*CONTEXT["help_option_names"], **HELP_OPTION),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@common
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Zielordner für Website und PDF [Standard: output, oder wie aipgen.toml sagt].",
)
@click.option(
    "--nur",
    "only",
    metavar="AUSGABEN",
    callback=lambda _ctx, _param, value: parse_formats(value),
    help=f"Nur diese Ausgaben erzeugen, durch Komma getrennt ({known_formats()}).",
)
@click.option("--ohne-pdf", "no_pdf", is_flag=True, help="Veraltet, wie „--nur web“.")
@click.option(
    "--entwurf",
    "draft",
    is_flag=True,
    help="Als Entwurf mit Datum kennzeichnen und aenderungen.html (Vergleich mit dem Vorjahr) "
    "dazulegen.",
)
def build(
    programme: tuple[str, ...],
    data_dir: Path | None,
    output_dir: Path | None,
    strict: bool,
    jobs: int | None,
    only: tuple[str, ...],
    no_pdf: bool,
    draft: bool,
) -> None:
    """Programme bauen (ohne Angabe: alle Programme im Datenordner)."""
    data_dir, output_dir = project_folders(data_dir, output_dir)
    roots = select(data_dir, programme)
    try:
        check_output_dir(output_dir, [*roots, *programme_folders(data_dir), data_dir])
    except UnsafeOutputError as exc:
        raise click.UsageError(str(exc)) from None
    failed: set[str] = set()
    timings: dict[str, dict[str, float]] = {}
    try:
        formats = ("web",) if no_pdf else only
        dated = datetime.date.today() if draft else None
        for result in run_all(roots, formats, jobs, check_only=False, draft=dated):
            timings[result.name] = result.timings
            if report(result, strict):
                failed.add(result.name)
                continue
            interrupt.check()
            with blame(result.name, expected=(OSError,)):
                target = write_tree(output_dir, result.name, result.files)
            click.echo(f"{result.name}: geschrieben nach {target}/")
        if len(failed) < len(roots):
            write_overview(output_dir)
    except OSError as exc:
        click.echo(
            f"Fehler beim Schreiben nach „{output_dir}“: {os_reason(exc)}. "
            "Die bisherige Ausgabe bleibt erhalten.",
            err=True,
        )
        sys.exit(1)
    save_timings(timings)
    finish(failed, len(roots))


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument("name", metavar="NAME")
@click.option(
    "--jobcenter", help="Name des Jobcenters [Standard: aus NAME, z. B. „Jobcenter Musterstadt“]."
)
@click.option(
    "--jahr",
    "year",
    type=click.IntRange(2000, 2100),
    help="Jahr des Programms [Standard: aus NAME, sonst nächstes Jahr].",
)
@click.option(
    "--von",
    "previous",
    metavar="VORJAHR",
    help="Als Kopie dieses Programms anlegen (z. B. „herne-2023“), ein Jahr weiter.",
)
@DATA_DIR
@click.help_option(*CONTEXT["help_option_names"], **HELP_OPTION)
def neu(
    name: str,
    jobcenter: str | None,
    year: int | None,
    previous: str | None,
    data_dir: Path | None,
) -> None:
    """Ein neues Programm anlegen (z. B. „musterstadt-2027“): ein Gerüst, das sofort baut, oder
    mit --von eine Kopie des Vorjahresprogramms."""
    from .newprogramme import NewProgrammeError, copy_programme, create_programme, placeholders

    data_dir, _ = project_folders(data_dir)
    if previous and jobcenter:
        raise click.UsageError("--jobcenter gilt nur für ein neues Gerüst, nicht mit --von.")
    try:
        if previous:
            target = copy_programme(data_dir, name, previous, year)
        else:
            target = create_programme(data_dir, name, placeholders(name, jobcenter, year))
    except NewProgrammeError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{name}: angelegt in {target}/")
    if previous:
        click.echo(
            f"Weiter mit: aipgen check {name} (zeigt jede Zahl, die noch wie im Vorjahr ist)"
        )
    else:
        click.echo(f"Weiter mit: aipgen build {name}")


def write_overview(output_dir: Path) -> None:
    from .overview import render_overview

    with blame("Übersicht index.html", expected=(OSError,)):
        write_file(output_dir / "index.html", render_overview(output_dir).encode("utf-8"))


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@common
def check(
    programme: tuple[str, ...], data_dir: Path | None, strict: bool, jobs: int | None
) -> None:
    """Programme nur prüfen, nichts schreiben; meldet alle Fehler."""
    data_dir, _ = project_folders(data_dir)
    roots = select(data_dir, programme)
    failed = set()
    for result in run_all(roots, (), jobs, check_only=True):
        if report(result, strict):
            failed.add(result.name)
        else:
            click.echo(f"{result.name}: in Ordnung.")
    finish(failed, len(roots))


def programme_folders(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.iterdir() if (p / "programm.yaml").is_file())


def select(data_dir: Path, names: tuple[str, ...]) -> list[Path]:
    if not data_dir.is_dir():
        raise click.UsageError(f"Den Datenordner „{data_dir}“ gibt es nicht.")
    available = programme_folders(data_dir)
    if not names:
        if not available:
            raise click.UsageError(f"In „{data_dir}“ liegt kein Programm (programm.yaml fehlt).")
        return available
    roots = []
    for name in names:
        root = data_dir / name
        if not (root / "programm.yaml").is_file():
            known = ", ".join(p.name for p in available) or "keine"
            raise click.UsageError(f"Das Programm „{name}“ gibt es nicht (vorhanden: {known}).")
        roots.append(root)
    return roots


def parse_formats(value: str | None) -> tuple[str, ...]:
    """`--nur web,pdf` → ("web", "pdf"); every registered format when not given."""
    if value is None:
        return tuple(FORMATS)
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise click.BadParameter(
            f"Unbekannte Ausgabe „{unknown[0] if unknown else value}“ "
            f"(möglich sind: {known_formats()}).",
            param_hint="'--nur'",
        )
    return names


def run_all(
    roots: list[Path],
    only: tuple[str, ...],
    jobs: int | None,
    check_only: bool,
    draft: datetime.date | None = None,
) -> Iterator[Result]:
    """The programmes' results as they are ready (batch.py: one process each, `jobs` at once)."""
    from .batch import build_each, default_jobs

    return build_each(roots, only, check_only, jobs or default_jobs(), draft)


def report(result: Result, strict: bool) -> bool:
    """Print a programme's problems and warnings; whether it failed."""
    for problem in result.problems:
        click.echo(f"Fehler: {problem}", err=True)
    for warning in result.warnings:
        click.echo(f"Warnung: {warning}", err=True)
    return bool(result.problems or (strict and result.warnings))


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


def finish(failed: set[str], total: int) -> None:
    if failed:
        names = ", ".join(sorted(failed))
        click.echo(
            f"{len(failed)} von {total} Programmen mit Fehlern: {names}. "
            "Für diese wurde nichts geschrieben.",
            err=True,
        )
        sys.exit(1)


AFTERMATH = (
    "Halb Geschriebenes wurde entfernt; jede Ausgabe ist die bisherige oder eine vollständige neue."
)


def run() -> None:
    """Entry point: `main` with signals and unexpected exceptions as German messages."""
    interrupt.install()
    try:
        main(prog_name="aipgen")
    except interrupt.Interrupted as exc:
        stop(exc, exc.message, exc.exit_code)
    except Exception as exc:  # the last resort: a bug must not end in a traceback
        stop(exc, internal_message(exc), 1)


def internal_message(exc: Exception) -> str:
    where, kind = (
        (f" bei „{exc.where}“", exc.kind)
        if isinstance(exc, InternalError)
        else ("", type(exc).__name__)
    )
    return (
        f"Interner Fehler{where} ({kind}). Das ist ein Fehler in aipgen, nicht im Inhalt – "
        "bitte melden; Einzelheiten zeigt derselbe Aufruf mit AIPGEN_DEBUG=1. " + AFTERMATH
    )


def stop(exc: BaseException, message: str, code: int) -> None:
    """Remove what is left, say why in German (traceback only for developers), and exit."""
    interrupt.ignore()
    scratch.remove_all()
    if os.environ.get("AIPGEN_DEBUG") == "1":
        detail = exc.detail if isinstance(exc, InternalError) else None
        sys.stderr.write(detail or "".join(traceback.format_exception(exc)))
    click.echo(f"Fehler: {message}" if code == 1 else message, err=True)
    sys.exit(code)


if __name__ == "__main__":
    run()
