"""A function run in a process forked beside this one, what it yields sent back as it comes:
the batch's workers (build/batch.py), the charts drawn while a build goes on
(build/charting.py).

Forked, the process starts with this one's imports already loaded. It forgets this process's
temporary paths and, on a signal, removes its own and exits (scratch.install_worker). What it
yields, and the exception it ends with, come back pickled; a process that dies without a word
(killed, out of memory) raises Died with its exit code.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from aipgen.base import scratch

FORK = multiprocessing.get_context("fork")


class Died(Exception):
    """The process ended without sending what was asked of it."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__(f"exit code {exitcode}")
        self.exitcode = exitcode


@dataclass
class Forked:
    process: Any  # multiprocessing.Process of the fork context
    connection: Connection  # the receiving end; ready (multiprocessing.connection.wait) on news

    def receive(self) -> Any:
        """The next value the process yields; its exception raised here; Died when it ended
        without a word."""
        try:
            kind, value = self.connection.recv()
        except EOFError:
            self.process.join()
            raise Died(self.process.exitcode) from None
        if kind == "error":
            raise value
        return value

    def finish(self) -> None:
        """Wait for the process to end (after its last value)."""
        self.connection.close()
        self.process.join()

    def stop(self) -> None:
        """End the process now (SIGTERM: it removes its temporary files and exits)."""
        self.process.terminate()
        self.finish()


def start(name: str, produce: Callable[..., Iterator[Any]], *args: Any) -> Forked:
    """`produce(*args)` in a forked process named `name`."""
    receiving, sending = FORK.Pipe(duplex=False)
    process = FORK.Process(target=run, args=(sending, produce, args), name=name)
    process.start()
    sending.close()  # the process holds the only sending end: its death ends the pipe
    return Forked(process, receiving)


def run(sending: Connection, produce: Callable[..., Iterator[Any]], args: tuple[Any, ...]) -> None:
    """In the forked process: send each value, or the exception that ended it."""
    scratch.install_worker()
    try:
        for value in produce(*args):
            sending.send(("value", value))
    except Exception as exc:
        sending.send(("error", exc))
    sending.close()
