"""Start the command line: the signal handlers first, every other import after them, so Ctrl-C
or SIGTERM during start-up already ends with a German message and a clean exit code."""

from __future__ import annotations

import sys


def run() -> None:
    from aipgen.base import interrupt

    interrupt.install()
    try:
        from aipgen.cli.main import run as run_cli
    except interrupt.Interrupted as exc:  # while the rest of aipgen was still loading
        interrupt.ignore()
        sys.stderr.write(exc.message + "\n")
        sys.exit(exc.exit_code)
    run_cli()


if __name__ == "__main__":
    run()
