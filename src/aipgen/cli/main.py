"""Command line: `aipgen build`, `aipgen check`, `aipgen neu`, the imports, the preview and the
editors' schemas, with German help and messages.

The current folder is the project folder (project.py): its data/ and output/ (or the folders its
aipgen.toml names) are the defaults, its templates/ and charts/ come before the built-in ones.

Exit codes: 0 ok, 1 content errors (or warnings with --strict) or an internal error, 2 usage
errors, 130/143 stopped by SIGINT/SIGTERM. `run` is the entry point: it handles signals from
before the slow imports on and turns an unexpected exception into a German message (with the
traceback only when AIPGEN_DEBUG=1).
"""

from __future__ import annotations

import datetime
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click

from aipgen import __version__
from aipgen.base import interrupt, paths, scratch
from aipgen.base.errors import InternalError
from aipgen.base.formats import FORMATS, known_formats
from aipgen.build.project import ProjectError, load_project

if TYPE_CHECKING:
    from aipgen.build.command import Report
from aipgen.cli import german as cli_de

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
    paths.use_cache(Path.cwd() / paths.CACHE_FOLDER)


def project_design() -> paths.DesignFiles:
    """The design files of the project folder (the current folder)."""
    return paths.project_design(Path.cwd())


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
# the jobcenter and year of a new programme (neu, import-word)
JOBCENTER = click.option(
    "--jobcenter", help="Name des Jobcenters [Standard: aus NAME, z. B. „Jobcenter Musterstadt“]."
)
YEAR = click.option(
    "--jahr",
    "year",
    type=click.IntRange(2000, 2100),
    help="Jahr des Programms [Standard: aus NAME, sonst nächstes Jahr].",
)


def formats_named(value: str | None) -> tuple[str, ...]:
    from aipgen.build.command import CallError, parse_formats

    try:
        return parse_formats(value)
    except CallError as exc:
        raise click.BadParameter(str(exc), param_hint=f"'{exc.option}'") from None


def unpaged() -> tuple[str, ...]:
    """What the deprecated `--ohne-pdf` builds: every format not laid out in pages (the
    website)."""
    return tuple(name for name, fmt in FORMATS.items() if not fmt.paged)


def chosen(data_dir: Path, names: tuple[str, ...]) -> list[Path]:
    """The programme folders named (all when none is); a German usage error if one is not."""
    from aipgen.build.command import CallError, select

    try:
        return select(data_dir, names)
    except CallError as exc:
        raise click.UsageError(str(exc)) from None


def present(report: Report) -> None:
    """The end of a build or check: what failed, and exit code 1 if anything did."""
    if report.write_error:
        click.echo(f"{report.write_error} Die bisherige Ausgabe bleibt erhalten.", err=True)
    elif report.failed:
        click.echo(
            f"{len(report.failed)} von {len(report.lines)} Programmen mit Fehlern: "
            f"{', '.join(report.failed)}. Für diese wurde nichts geschrieben.",
            err=True,
        )
    if not report.ok:
        sys.exit(1)


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
    callback=lambda _ctx, _param, value: formats_named(value),
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
@click.option(
    "--alles-neu",
    "rebuild",
    is_flag=True,
    help="Auch Programme neu bauen, deren Dateien sich seit dem letzten Bau nicht geändert haben.",
)
@click.option(
    "--ohne-pruefung",
    "no_proof",
    is_flag=True,
    help="Keinen Prüfbericht (pruefbericht.html) schreiben; spart die Prüfung der PDFs.",
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
    rebuild: bool,
    no_proof: bool,
) -> None:
    """Programme bauen (ohne Angabe: alle Programme im Datenordner)."""
    from aipgen.build import command as buildcommand

    data_dir, output_dir = project_folders(data_dir, output_dir)
    request = buildcommand.Request(
        chosen(data_dir, programme),
        project_design(),
        only=unpaged() if no_pdf else only,
        jobs=jobs,
        strict=strict,
        draft=datetime.date.today() if draft else None,
        cache=paths.cache(),
        rebuild=rebuild,
        proof=not no_proof,
    )
    from aipgen.cli.display import open_display

    try:
        with open_display(len(request.roots)) as display:
            report = buildcommand.build(request, data_dir, output_dir, display)
    except buildcommand.CallError as exc:
        raise click.UsageError(str(exc)) from None
    present(report)


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument("name", metavar="NAME")
@JOBCENTER
@YEAR
@click.option(
    "--von",
    "previous",
    metavar="VORJAHR",
    help="Als Kopie dieses Programms anlegen (z. B. „musterstadt-2026“), ein Jahr weiter.",
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
    """Ein neues Programm anlegen: ein Gerüst, das sofort baut, oder mit --von eine Kopie des
    Vorjahresprogramms (NAME z. B. „musterstadt-2027“)."""
    from aipgen.editor.newprogramme import (
        NewProgrammeError,
        copy_programme,
        create_programme,
        placeholders,
    )
    from aipgen.editor.schemas import SCHEMA_FOLDER

    data_dir, _ = project_folders(data_dir)
    if previous and jobcenter:
        raise click.UsageError("--jobcenter gilt nur für ein neues Gerüst, nicht mit --von.")
    try:
        if previous:
            target = copy_programme(data_dir, name, previous, year)
        else:
            target = create_programme(
                data_dir,
                name,
                placeholders(name, jobcenter, year),
                project_design(),
                schemas=Path.cwd() / SCHEMA_FOLDER,
            )
    except NewProgrammeError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{name}: angelegt in {target}/")
    if previous:
        click.echo(
            f"Weiter mit: aipgen check {name} (zeigt jede Zahl, die noch wie im Vorjahr ist)"
        )
    else:
        click.echo(
            f"Schemas für den Editor in {SCHEMA_FOLDER}/: prüfen die YAML-Dateien beim Tippen "
            "(siehe Anleitung, „Fehler schon beim Tippen“)"
        )
        click.echo(f"Weiter mit: aipgen build {name}")


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument(
    "folder", required=False, type=click.Path(file_okay=False, path_type=Path), metavar="[ORDNER]"
)
@click.help_option(*CONTEXT["help_option_names"], **HELP_OPTION)
def schema(folder: Path | None) -> None:
    """Die JSON-Schemas von programm.yaml, Tabellen, Diagrammen, Kennzahlen und aipgen.toml
    schreiben, mit denen ein Editor die Dateien beim Tippen prüft [Standard: schemas im
    Projektordner]."""
    from aipgen.editor.schemas import SCHEMA_FOLDER, write_schemas

    target = folder or Path.cwd() / SCHEMA_FOLDER
    try:
        written = write_schemas(target)
    except OSError as exc:
        raise click.ClickException(
            f"{target}: Die Schemas lassen sich dort nicht schreiben ({exc.strerror})."
        ) from None
    click.echo(f"Geschrieben in {written[0].parent}/: {', '.join(p.name for p in written)}")
    click.echo(
        "Eine YAML-Datei nennt ihr Schema in der ersten Zeile, z. B. "
        "„# yaml-language-server: $schema=../../schemas/tabelle.schema.json“."
    )


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument("name", required=False, metavar="[NAME]")
@DATA_DIR
@click.help_option(*CONTEXT["help_option_names"], **HELP_OPTION)
def beispiel(name: str | None, data_dir: Path | None) -> None:
    """Ein mitgeliefertes Beispielprogramm in den Datenordner kopieren, zum Ansehen oder als
    Vorlage (ohne NAME: die Beispiele nennen)."""
    from aipgen.editor.newprogramme import NewProgrammeError, copy_sample, samples

    if name is None:
        click.echo("Beispiele: " + ", ".join(samples()))
        click.echo("Kopieren mit: aipgen beispiel NAME")
        return
    data_dir, _ = project_folders(data_dir)
    try:
        target = copy_sample(data_dir, name)
    except NewProgrammeError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{name}: angelegt in {target}/")
    click.echo(f"Weiter mit: aipgen build {name}")


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument("programme", required=False, metavar="[PROGRAMM]")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    metavar="PORT",
    help="Port auf 127.0.0.1 [Standard: ein freier].",
)
@click.option("--oeffnen", "open_browser", is_flag=True, help="Die Vorschau im Browser öffnen.")
@DATA_DIR
@click.help_option(*CONTEXT["help_option_names"], **HELP_OPTION)
def vorschau(programme: str | None, port: int, open_browser: bool, data_dir: Path | None) -> None:
    """Die Website eines Programms beim Schreiben zeigen; jedes Speichern lädt sie neu."""
    from aipgen.editor.preview import PreviewError, serve

    data_dir, _ = project_folders(data_dir)
    roots = chosen(data_dir, (programme,) if programme else ())
    if len(roots) > 1:
        known = ", ".join(r.name for r in roots)
        raise click.UsageError(f"Welches Programm? Die Vorschau zeigt eines (vorhanden: {known}).")
    try:
        serve(
            roots[0],
            project_design(),
            port,
            open_browser,
            ready=lambda url: click.echo(f"Vorschau: {url} – beenden mit Strg+C"),
        )
    except PreviewError as exc:
        raise click.UsageError(str(exc)) from None
    except interrupt.Interrupted:
        # Strg+C is the way to end a preview: a goodbye, not an alarm (it writes no output)
        interrupt.ignore()
        scratch.remove_all()
        click.echo("Vorschau beendet.")


@main.command("import", context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument(
    "source",
    metavar="DATEI",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--tabelle",
    "table",
    required=True,
    metavar="TABELLE",
    help="Die Tabelle, z. B. musterstadt-2027/tabellen/svb.yaml (im Datenordner) oder "
    "tabellen/svb.yaml mit --programm; gibt es sie nicht, wird sie angelegt.",
)
@click.option("--programm", "programme", metavar="PROGRAMM", help="Das Programm der Tabelle.")
@click.option("--blatt", "sheet", help="Blatt der xlsx-Datei [Standard: das erste mit Zahlen].")
@click.option("--probe", "dry_run", is_flag=True, help="Nur zeigen, was sich ändern würde.")
@click.option(
    "--streng", "strict", is_flag=True, help="Zeilen oder Spalten ohne Gegenstück: Exit-Code 1."
)
@click.option(
    "--zeitraum",
    "periods",
    multiple=True,
    metavar="ALT=NEU",
    callback=lambda _ctx, _param, values: [period_pair(v) for v in values],
    help="Zeitraum ALT in den Spaltentiteln der Tabelle in NEU umbenennen, z. B. "
    '"Sep 2022=Sep 2023" (mehrfach möglich): Zahlen eines neuen Zeitraums übernehmen.',
)
@DATA_DIR
@click.help_option(*CONTEXT["help_option_names"], **HELP_OPTION)
def import_(
    source: Path,
    table: str,
    programme: str | None,
    sheet: str | None,
    dry_run: bool,
    strict: bool,
    periods: list[tuple[str, str]],
    data_dir: Path | None,
) -> None:
    """Zahlen aus einem Export der Statistik der BA (xlsx, csv) in eine Tabelle übernehmen."""
    from aipgen.editor.baexport import StatImportCallError, StatImportError
    from aipgen.editor.statimport import import_table

    data_dir, _ = project_folders(data_dir)
    try:
        found = table_file(data_dir, programme, table)
        report = import_table(source, found, sheet, dry_run, periods)
    except StatImportCallError as exc:
        raise click.UsageError(str(exc)) from None
    except StatImportError as exc:
        click.echo(f"Fehler: {exc}", err=True)
        sys.exit(1)
    for line in report.lines():
        click.echo(line)
    if dry_run:
        click.echo("Probelauf: nichts geschrieben.")
    sys.exit(1 if strict and not report.complete else 0)


@main.command("import-word", context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument(
    "source", metavar="DATEI", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.argument("name", metavar="NAME")
@JOBCENTER
@YEAR
@DATA_DIR
@click.help_option(*CONTEXT["help_option_names"], **HELP_OPTION)
def import_word(
    source: Path, name: str, jobcenter: str | None, year: int | None, data_dir: Path | None
) -> None:
    """Ein Programm aus einer Word-Datei (.docx) anlegen: Überschriften werden Kapitel und
    Abschnitte, Tabellen Tabellendateien, Bilder kommen nach bilder/; was sich nicht übernehmen
    ließ, steht mit seiner Stelle im Bericht (NAME z. B. „musterstadt-2027“)."""
    from aipgen.editor.newprogramme import NewProgrammeError
    from aipgen.editor.wordimport import WordImportError
    from aipgen.editor.wordimport import import_word as run_import

    data_dir, _ = project_folders(data_dir)
    try:
        report = run_import(source, data_dir, name, project_design(), jobcenter, year)
    except NewProgrammeError as exc:
        raise click.UsageError(str(exc)) from None
    except WordImportError as exc:
        click.echo(f"Fehler: {exc}", err=True)
        sys.exit(1)
    for line in report.lines():
        click.echo(line)
    click.echo(f"Weiter mit: aipgen build {name} (Diagramme statt der Bilder aus Word setzen)")


def period_pair(text: str) -> tuple[str, str]:
    """--zeitraum "Sep 2022=Sep 2023" as ("Sep 2022", "Sep 2023")."""
    old, equals, new = text.partition("=")
    if not equals or not old.strip() or not new.strip():
        raise click.BadParameter(
            f'„{text}“: ALT=NEU erwartet, z. B. --zeitraum "Sep 2022=Sep 2023".',
            param_hint="--zeitraum",
        )
    return old.strip(), new.strip()


def table_file(data_dir: Path, programme: str | None, table: str) -> Path:
    """The table's file: in the programme named, else as given below the data folder or the
    current folder (inside a programme folder, tabellen/NAME.yaml is enough)."""
    if programme:
        return chosen(data_dir, (programme,))[0] / table
    given = Path(table)
    for base in (data_dir, Path.cwd()):
        if (base / given).parent.is_dir():
            return base / given
    return data_dir / given


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@common
def check(
    programme: tuple[str, ...], data_dir: Path | None, strict: bool, jobs: int | None
) -> None:
    """Programme nur prüfen, nichts schreiben; meldet alle Fehler."""
    from aipgen.build import command as buildcommand

    data_dir, _ = project_folders(data_dir)
    request = buildcommand.Request(
        chosen(data_dir, programme), project_design(), jobs=jobs, strict=strict, check_only=True
    )
    from aipgen.cli.display import open_display

    with open_display(len(request.roots)) as display:
        report = buildcommand.check(request, display)
    present(report)


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument("programme", nargs=-1, metavar="[PROGRAMM ...]")
@DATA_DIR
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Ordner mit den gebauten Programmen [Standard: output, oder wie aipgen.toml sagt].",
)
@click.help_option(*CONTEXT["help_option_names"], **HELP_OPTION)
def pruefen(programme: tuple[str, ...], data_dir: Path | None, output_dir: Path | None) -> None:
    """Gebaute Programme mit allen Prüfungen prüfen (PDF/UA-1, PDF/X-4, Nu Html Checker,
    axe-core) und pruefbericht.html daneben schreiben (ohne Angabe: alle gebauten)."""
    from aipgen.build.command import CallError
    from aipgen.build.proofcommand import prove_outputs
    from aipgen.cli.display import open_display

    data_dir, output_dir = project_folders(data_dir, output_dir)
    try:
        with open_display(len(programme) or 1) as display:
            report = prove_outputs(programme, data_dir, output_dir, project_design(), display)
    except CallError as exc:
        raise click.UsageError(str(exc)) from None
    if report.write_error:
        click.echo(report.write_error, err=True)
        sys.exit(1)
    if report.failed:
        click.echo(
            f"{len(report.failed)} von {len(report.lines)} Programmen mit Befunden: "
            f"{', '.join(report.failed)} (siehe pruefbericht.html).",
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
