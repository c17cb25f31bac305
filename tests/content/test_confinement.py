"""Content is read only from regular files inside the programme folder, before anything else.

A real `aipgen build` process runs with an audit hook that notes every file it opens: a chapter,
an image, a logo and a CSV file that are links to a file outside the programme folder are
refused with file and line, and the outside file is never opened, not even by the build record
that fingerprints the folder before anything is validated. A named pipe in the folder, which
would block whoever opens it, is passed over the same way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from aipgen.build import buildcache

from ..helpers import PROJECT, edit

# Run the CLI with an audit hook that writes every opened path whose real path is watched to
# a log (os.write raises no audit event of its own).
AUDITED = """
import os, sys
watched = set(sys.argv[1].split(os.pathsep))
log = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_APPEND)
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        name = os.path.realpath(os.fsdecode(args[0]))
        if name in watched:
            os.write(log, (name + "\\n").encode())
sys.addaudithook(hook)
from aipgen.cli.main import run
sys.argv = ["aipgen", *sys.argv[3:]]
run()
"""
OUTSIDE = "liegt außerhalb des Programmordners"
LINKED = {
    "kapitel/02-arbeitsmarkt.md": "Die Datei „kapitel/02-arbeitsmarkt.md“",
    "bilder/foto.png": "Das Bild „bilder/foto.png“",
    "bilder/logo.svg": "Die Logodatei „bilder/logo.svg“",
    "tabellen/svb.csv": "Die CSV-Datei „tabellen/svb.csv“",
}


def link_outside(mini: Path, outside: Path) -> None:
    """Every file of LINKED becomes a link to `outside`; chapter 1 shows the photo."""
    edit(mini / "kapitel/01-vorwort.md", "Sehr", "![Foto](bilder/foto.png)\n\nSehr")
    for rel in LINKED:
        (mini / rel).unlink(missing_ok=True)
        (mini / rel).symlink_to(outside)


def audited_build(data: Path, watched: list[Path], tmp_path: Path) -> tuple[int, str, list[str]]:
    log = tmp_path / "geoeffnet.log"
    command = [sys.executable, "-c", AUDITED, os.pathsep.join(map(str, watched)), str(log)]
    args = ["build", "--data-dir", str(data), "--output-dir", str(tmp_path / "output")]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    done = subprocess.run(
        [*command, *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    opened = log.read_text().split() if log.exists() else []
    return done.returncode, done.stderr, opened


def test_links_that_leave_the_folder_are_refused_and_never_opened(
    mini: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "gross.bin"  # larger than every limit; sparse, so cheap to make
    with outside.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)
    link_outside(mini, outside)
    os.mkfifo(mini / "kapitel/notizen.md")  # named by nothing: the loaders never look at it

    code, err, opened = audited_build(mini.parent, [outside.resolve()], tmp_path)

    assert code == 1, err
    assert "Traceback" not in err
    reported = [line for line in err.splitlines() if line.startswith("Fehler: ")]
    assert len(reported) == len(LINKED), err
    for name in LINKED.values():
        assert any(name + f" {OUTSIDE}." in line for line in reported), (name, err)
    assert all(":" in line.split(" ")[1] for line in reported)  # file:line
    assert opened == []


def test_the_build_record_fingerprints_links_without_opening_them(tmp_path: Path) -> None:
    """A link inside the folder counts with its content; a link that leaves it, a pipe and a
    link to a folder only with their names, so a changed outside file changes nothing."""
    folder, outside = tmp_path / "programm", tmp_path / "draussen.txt"
    (folder / "kapitel").mkdir(parents=True)
    (folder / "kapitel/a.md").write_text("A", encoding="utf-8")
    (folder / "kapitel/b.md").symlink_to(folder / "kapitel/a.md")
    (folder / "kapitel/c.md").symlink_to(outside)
    (folder / "ordner").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(folder / "pipe")
    outside.write_text("vorher", encoding="utf-8")
    before = buildcache.folder_key(folder)

    outside.write_text("nachher", encoding="utf-8")
    assert buildcache.folder_key(folder) == before
    (folder / "kapitel/a.md").write_text("B", encoding="utf-8")  # also seen through b.md
    changed = buildcache.folder_key(folder)
    assert changed != before
    (folder / "kapitel/b.md").unlink()
    assert buildcache.folder_key(folder) != changed
