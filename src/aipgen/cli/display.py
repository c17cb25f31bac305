"""How a run of `build` or `check` shows itself (a `build.command.Display`): on a terminal, a
progress bar naming the programmes being built and a summary table (rich); otherwise (CI logs,
pipes) plain lines.

A single programme needs neither bar nor summary: its lines are the same in both displays.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import click

from aipgen.base.numbers import format_number
from aipgen.build.command import Display, Line


@dataclass
class Plain:
    """Lines only; with several programmes a summary line for each at the end."""

    count: int
    begun: float = field(default_factory=time.perf_counter)

    def started(self, name: str) -> None:
        pass

    def finished(self, name: str) -> None:
        pass

    def say(self, text: str, err: bool = False) -> None:
        click.echo(text, err=err)

    def summary(self, lines: list[Line]) -> None:
        if self.count < 2:
            return
        click.echo(f"Zusammenfassung: {totals(lines, time.perf_counter() - self.begun)}")
        for line in lines:
            click.echo(
                f"  {line.name}: {line.status}, {line.problems} Fehler, "
                f"{line.warnings} Warnungen, {line.time}"
            )


def totals(lines: list[Line], seconds: float) -> str:
    good = sum(line.ok for line in lines)
    warnings = sum(line.warnings for line in lines)
    return (
        f"{len(lines)} Programme, {good} ohne Fehler, {len(lines) - good} mit Fehlern, "
        f"{warnings} Warnungen, {format_number(seconds, 1, 's')}"
    )


class Bar:
    """A progress bar (rich) on the terminal's error stream; messages scroll above it."""

    def __init__(self, count: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.console = Console(stderr=True, highlight=False)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.task = self.progress.add_task("", total=count)
        self.running: list[str] = []
        self.begun = time.perf_counter()

    def __enter__(self) -> Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.stop()

    def started(self, name: str) -> None:
        self.running.append(name)
        self.describe()

    def finished(self, name: str) -> None:
        if name in self.running:
            self.running.remove(name)
        self.progress.advance(self.task)
        self.describe()

    def describe(self) -> None:
        names = ", ".join(self.running)
        self.progress.update(self.task, description=f"Baue {names}" if names else "", refresh=True)

    def say(self, text: str, err: bool = False) -> None:
        self.console.print(text, style="red" if text.startswith("Fehler") else None, markup=False)

    def summary(self, lines: list[Line]) -> None:
        from rich.table import Table

        table = Table(title="Zusammenfassung", title_justify="left")
        for heading, justify in SUMMARY_COLUMNS:
            table.add_column(heading, justify=justify)
        for line in lines:
            style = None if line.ok else "red"
            cells = (line.name, line.status, str(line.problems), str(line.warnings), line.time)
            table.add_row(*cells, style=style)
        self.progress.stop()
        self.console.print(table)
        self.console.print(totals(lines, time.perf_counter() - self.begun))


SUMMARY_COLUMNS: tuple[tuple[str, Literal["left", "right"]], ...] = (
    ("Programm", "left"),
    ("Ergebnis", "left"),
    ("Fehler", "right"),
    ("Warnungen", "right"),
    ("Zeit", "right"),
)


@contextmanager
def open_display(count: int) -> Iterator[Display]:
    """The progress bar for several programmes on a terminal, else plain lines."""
    if count > 1 and sys.stderr.isatty():
        with Bar(count) as bar:
            yield bar
    else:
        yield Plain(count)
