"""German texts for click's own messages (usage errors, help headings).

click asks gettext for its strings; we answer from this table instead of a compiled catalogue,
so the command line speaks German without locale files on the machine.
"""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

TEXTS = {
    "Error: {message}": "Fehler: {message}",
    "Try '{command} {option}' for help.": "Hilfe mit „{command} {option}“.",
    "Invalid value: {message}": "Ungültiger Wert: {message}",
    "Invalid value for {param_hint}: {message}": "Ungültiger Wert für {param_hint}: {message}",
    "Missing argument": "Es fehlt das Argument",
    "Missing option": "Es fehlt die Option",
    "Missing parameter": "Es fehlt die Angabe",
    "Missing parameter: {param_name}": "Es fehlt die Angabe: {param_name}",
    "No such option {name!r}.": "Die Option {name!r} gibt es nicht.",
    "No such command {name!r}.": "Den Befehl {name!r} gibt es nicht.",
    "Option {name!r} does not take a value.": "Die Option {name!r} nimmt keinen Wert.",
    "Aborted!": "Abgebrochen.",
    "Options": "Optionen",
    "Commands": "Befehle",
    "Positional arguments": "Argumente",
    "Missing command.": "Es fehlt ein Befehl (build oder check).",
    "default: {default}": "Standard: {default}",
    "Usage:": "Aufruf:",
    "Show this message and exit.": "Diese Hilfe zeigen und beenden.",
    "Did you mean {possibility}?": "Meinten Sie {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Meinten Sie eines davon: {possibilities}?)",
    "Option {name!r} requires an argument.": "Die Option {name!r} braucht einen Wert.",
    "Option {name!r} requires {nargs} arguments.": "Die Option {name!r} braucht {nargs} Werte.",
    "Got unexpected extra argument ({args})": "Unerwartetes Argument ({args})",
    "Got unexpected extra arguments ({args})": "Unerwartete Argumente ({args})",
    "{name} {filename!r} is a file.": "{name} {filename!r} ist eine Datei, kein Ordner.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} gibt es nicht.",
    "directory": "Ordner",
    "file": "Datei",
    "path": "Pfad",
}


def gettext(message: str) -> str:
    return TEXTS.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return gettext(singular if count == 1 else plural)


def install() -> None:
    """Point click's message lookups at the German table."""
    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.types,
    ):
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
