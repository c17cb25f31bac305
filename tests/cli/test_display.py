"""Progress of a run of several programmes: plain lines and a summary in logs, a progress bar
and a summary table on a terminal."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

from ..helpers import PROJECT, edit, run


def two_programmes(data_dir: Path) -> None:
    """mini, and a copy of it with a content error."""
    shutil.copytree(data_dir / "mini", data_dir / "mini-kaputt")
    edit(data_dir / "mini-kaputt/programm.yaml", "jahr: 2024", "jahr: zwanzig")


def test_plain_lines_end_with_a_summary_of_each_programme(data_dir: Path) -> None:
    two_programmes(data_dir)
    code, out, err = run("check", "--data-dir", str(data_dir), "--jobs", "1")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "mini: in Ordnung."
    assert lines[1].startswith(
        "Zusammenfassung: 2 Programme, 1 ohne Fehler, 1 mit Fehlern, 0 Warnungen, "
    )
    assert lines[2].startswith("  mini: in Ordnung, 0 Fehler, 0 Warnungen, ")
    assert lines[3].startswith("  mini-kaputt: Fehler, 1 Fehler, 0 Warnungen, ")
    assert len(lines) == 4 and "\x1b[" not in out + err  # no terminal codes in logs
    assert "1 von 2 Programmen mit Fehlern: mini-kaputt." in err


def test_one_programme_has_no_summary(data_dir: Path) -> None:
    code, out, _ = run("check", "--data-dir", str(data_dir))
    assert code == 0 and out == "mini: in Ordnung.\n"


def test_a_terminal_gets_a_progress_bar_and_a_summary_table(data_dir: Path) -> None:
    two_programmes(data_dir)
    shown = on_terminal(
        [sys.executable, "-m", "aipgen.cli.entry", "check", "--data-dir", str(data_dir)]
    )
    assert "Baue mini" in shown  # the programmes being built
    assert "Fehler: mini-kaputt/programm.yaml:2: „jahr“ muss eine ganze Zahl sein." in shown
    table = shown[shown.index("Zusammenfassung") :]
    for heading in ("Programm", "Ergebnis", "Fehler", "Warnungen", "Zeit"):
        assert heading in table
    assert "mini-kaputt" in table and "in Ordnung" in table
    assert "2 Programme, 1 ohne Fehler, 1 mit Fehlern" in table


def on_terminal(command: list[str]) -> str:
    """What `command` shows on a terminal (its output streams are a pseudo-terminal)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm"}
    process = subprocess.Popen(
        command, stdout=follower, stderr=follower, cwd=PROJECT, env=env, close_fds=True
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", errors="replace")
