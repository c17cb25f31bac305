"""Command line: `aipgen build` and `aipgen check`, with German help and messages.

Exit codes: 0 ok, 1 content errors (or warnings with --strict), 2 usage errors.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import click

from . import cli_de
from .formats import FORMATS, known_formats
from .overview import render_overview
from .pipeline import Result, build_programme
from .write import UnsafeOutputError, check_output_dir, write_file, write_tree

cli_de.install()
CONTEXT = {"help_option_names": ["-h", "--hilfe", "--help"]}
OPTIONS = "[OPTIONEN]"
HELP_OPTION = {"help": "Diese Hilfe zeigen und beenden."}


@click.group(
    context_settings=CONTEXT, options_metavar=OPTIONS, subcommand_metavar="BEFEHL [ARGUMENTE] ..."
)
@click.help_option(*CONTEXT["help_option_names"], **HELP_OPTION)
def main() -> None:
    """Arbeitsmarkt- und Integrationsprogramme als Website und PDF erzeugen."""


def common(func: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.argument("programme", nargs=-1, metavar="[PROGRAMM ...]"),
        click.option(
            "--data-dir",
            default="data",
            show_default=True,
            type=click.Path(file_okay=False, path_type=Path),
            help="Ordner mit den Programmordnern.",
        ),
        click.option(
            "--strict", is_flag=True, help="Warnungen als Fehler behandeln (Exit-Code 1)."
        ),
        click.help_option(*CONTEXT["help_option_names"], **HELP_OPTION),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@common
@click.option(
    "--output-dir",
    default="output",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Zielordner für Website und PDF.",
)
@click.option(
    "--nur",
    "only",
    metavar="AUSGABEN",
    callback=lambda _ctx, _param, value: parse_formats(value),
    help=f"Nur diese Ausgaben erzeugen, durch Komma getrennt ({known_formats()}).",
)
@click.option("--ohne-pdf", "no_pdf", is_flag=True, help="Veraltet, wie „--nur web“.")
def build(
    programme: tuple[str, ...],
    data_dir: Path,
    output_dir: Path,
    strict: bool,
    only: tuple[str, ...],
    no_pdf: bool,
) -> None:
    """Programme bauen (ohne Angabe: alle Programme im Datenordner)."""
    roots = select(data_dir, programme)
    try:
        check_output_dir(output_dir, [*roots, *programme_folders(data_dir), data_dir])
    except UnsafeOutputError as exc:
        raise click.UsageError(str(exc)) from None
    results = run_all(roots, ("web",) if no_pdf else only, check_only=False)
    failed = report(results, strict)
    save_timings(results)
    good = [r for r in results if r.name not in failed]
    try:
        for result in good:
            target = write_tree(output_dir, result.name, result.files)
            click.echo(f"{result.name}: geschrieben nach {target}/")
        if good:
            write_file(output_dir / "index.html", render_overview(output_dir).encode("utf-8"))
    except OSError as exc:
        click.echo(
            f"Fehler beim Schreiben nach „{output_dir}“: {os_reason(exc)}. "
            "Die bisherige Ausgabe bleibt erhalten.",
            err=True,
        )
        sys.exit(1)
    finish(failed, len(results))


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@common
def check(programme: tuple[str, ...], data_dir: Path, strict: bool) -> None:
    """Programme nur prüfen, nichts schreiben; meldet alle Fehler."""
    results = run_all(select(data_dir, programme), (), check_only=True)
    failed = report(results, strict)
    for result in results:
        if result.name not in failed:
            click.echo(f"{result.name}: in Ordnung.")
    finish(failed, len(results))


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


def run_all(roots: list[Path], only: tuple[str, ...], check_only: bool) -> list[Result]:
    if len(roots) == 1:
        return [build_programme(roots[0], only, check_only)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(build_programme, r, only, check_only) for r in roots]
        return [f.result() for f in futures]


def report(results: list[Result], strict: bool) -> set[str]:
    """Print problems and warnings; return the names of programmes that failed."""
    failed = set()
    for result in results:
        for problem in result.problems:
            click.echo(f"Fehler: {problem}", err=True)
        for warning in result.warnings:
            click.echo(f"Warnung: {warning}", err=True)
        if result.problems or (strict and result.warnings):
            failed.add(result.name)
    return failed


OS_REASONS = {
    errno.ENOTDIR: "ein Teil des Pfades ist kein Ordner",
    errno.EACCES: "keine Schreibberechtigung",
    errno.EPERM: "keine Schreibberechtigung",
    errno.ENOSPC: "kein Speicherplatz mehr frei",
    errno.EROFS: "das Laufwerk ist schreibgeschützt",
    errno.EEXIST: "dort liegt schon eine Datei",
}


def os_reason(exc: OSError) -> str:
    return OS_REASONS.get(exc.errno or 0, f"Systemfehler {exc.errno}")


def save_timings(results: list[Result]) -> None:
    """For tools/benchmark.py: per-stage seconds as JSON, if AIPGEN_TIMINGS names a file."""
    target = os.environ.get("AIPGEN_TIMINGS")
    if target:
        Path(target).write_text(json.dumps({r.name: r.timings for r in results}))


def finish(failed: set[str], total: int) -> None:
    if failed:
        names = ", ".join(sorted(failed))
        click.echo(
            f"{len(failed)} von {total} Programmen mit Fehlern: {names}. "
            "Für diese wurde nichts geschrieben.",
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
