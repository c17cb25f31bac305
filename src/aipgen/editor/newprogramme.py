"""`aipgen neu NAME`: a new programme folder from the documented skeleton in
templates/neu/programm/ (the project's own skeleton, if it has one), ready to build.

The skeleton's programm.yaml and chapters carry placeholders for the jobcenter's name, the
programme's year and today's date; everything else is copied as it is. The folder is made
under a temporary name and renamed when complete, so a failure leaves nothing half made.
"""

from __future__ import annotations

import copy
import datetime
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from aipgen.base import paths, scratch
from aipgen.editor import yamledit
from aipgen.editor.schemas import mark_files, write_schemas

SKELETON = ("neu", "programm")  # below templates/
FILLED = {".yaml", ".md"}  # the files whose placeholders are replaced
NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
YEAR = re.compile(r"-(\d{4})$")
PLAIN = re.compile(r"[^\"\\\x00-\x1f]+")  # a jobcenter's name as the skeleton's YAML can take it


class NewProgrammeError(Exception):
    """The programme cannot be made; the message is German."""


@dataclass(frozen=True)
class Placeholders:
    jobcenter: str
    year: int
    issued: datetime.date

    def fill(self, text: str) -> str:
        values = {"jobcenter": self.jobcenter, "jahr": str(self.year), "stand": str(self.issued)}
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        return text


def placeholders(name: str, jobcenter: str | None, year: int | None) -> Placeholders:
    """The values for a programme folder named like "musterstadt-2027": the year from the
    name (else next year), the jobcenter's name from the town in it."""
    today = datetime.date.today()
    found = YEAR.search(name)
    year = year or (int(found[1]) if found else today.year + 1)
    town = YEAR.sub("", name).replace("-", " ").title()
    return Placeholders(jobcenter or f"Jobcenter {town}", year, today)


def create_programme(
    data_dir: Path,
    name: str,
    values: Placeholders,
    design: paths.DesignFiles,
    then: Callable[[Path], None] | None = None,
    schemas: Path | None = None,
) -> Path:
    """The new folder data_dir/name from the design's skeleton, complete; `then` adapts it further
    before it is renamed into place (import-word puts the imported content in). With
    `schemas`, the JSON Schemas are written into that folder and each of the skeleton's YAML
    files names its schema in its first line (schemas.py)."""
    if not PLAIN.fullmatch(values.jobcenter):
        raise NewProgrammeError(
            f"„{values.jobcenter}“ taugt nicht als Name des Jobcenters: ohne Anführungszeichen, "
            "Backslash und Zeilenumbruch."
        )

    def fill(folder: Path) -> None:
        for path in folder.rglob("*"):
            if path.suffix in FILLED:
                path.write_text(values.fill(path.read_text(encoding="utf-8")), encoding="utf-8")
        if schemas is not None:
            write_schemas(schemas)
            mark_files(folder, data_dir / name, schemas)
        if then is not None:
            then(folder)

    return make(data_dir, name, design.find("templates", *SKELETON), fill)


def copy_programme(data_dir: Path, name: str, previous: str, year: int | None = None) -> Path:
    """The new folder data_dir/name as a copy of last year's programme `previous`: the year
    advanced in programm.yaml (year, titles, "stand" dates) and in the chapters' headings,
    every table and chart kept, `vorjahr:` naming `previous` (check then lists each figure
    not yet updated)."""
    source = data_dir / previous
    if not (source / "programm.yaml").is_file():
        known = ", ".join(p.parent.name for p in sorted(data_dir.glob("*/programm.yaml")))
        raise NewProgrammeError(
            f"Das Vorjahresprogramm „{previous}“ gibt es in „{data_dir}“ nicht "
            f"(vorhanden: {known or 'keine'})."
        )
    return make(data_dir, name, source, lambda folder: next_year(folder, previous, year))


def samples() -> list[str]:
    """The sample programmes that come with aipgen."""
    if not paths.SAMPLES.is_dir():
        return []
    return sorted(p.name for p in paths.SAMPLES.iterdir() if (p / "programm.yaml").is_file())


def copy_sample(data_dir: Path, name: str) -> Path:
    """data_dir/name as a copy of the sample programme of that name."""
    known = samples()
    if name not in known:
        raise NewProgrammeError(
            f"Ein Beispiel „{name}“ gibt es nicht (vorhanden: {', '.join(known) or 'keine'})."
        )
    return make(data_dir, name, paths.SAMPLES / name, lambda folder: None)


def make(data_dir: Path, name: str, source: Path, finish: Callable[[Path], None]) -> Path:
    """data_dir/name as a copy of `source` that `finish` adapts; made under a temporary name
    and renamed when complete."""
    if not NAME.fullmatch(name):
        raise NewProgrammeError(
            f"„{name}“ taugt nicht als Programmname: nur Kleinbuchstaben, Ziffern und "
            "Bindestriche, z. B. „musterstadt-2027“."
        )
    target = data_dir / name
    if target.exists():
        raise NewProgrammeError(
            f"„{target}“ gibt es schon; es bleibt unverändert. Um es neu anzulegen, den Ordner "
            f"erst umbenennen (z. B. in „{name}-alt“) und den Befehl wiederholen; was sich darin "
            f"gegenüber dem Vorjahr geändert hat, zeigt „aipgen build {name} --entwurf“ "
            "in aenderungen.html."
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    partial = data_dir / f".{name}.neu"
    scratch.track(partial)
    try:
        shutil.copytree(source, partial, symlinks=True)
        finish(partial)
        partial.rename(target)
    finally:
        scratch.remove(partial)  # gone after the rename; half made after a failure
    return target


def next_year(folder: Path, previous: str, year: int | None) -> None:
    """Advance a copied programme by a year (or to `year`)."""
    file = folder / "programm.yaml"
    try:
        data = yamledit.load(file.read_text(encoding="utf-8"))
        old = int(data["jahr"])
    except (YAMLError, KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
        raise NewProgrammeError(
            f"„{previous}/programm.yaml“ lässt sich nicht lesen ({type(exc).__name__}); "
            f"erst mit „aipgen check {previous}“ die Fehler beheben."
        ) from None
    shift = YearShift(old, year or old + 1)
    advance(data, shift, previous)
    file.write_text(yamledit.dump(data), encoding="utf-8")
    for chapter in folder.rglob("*.md"):
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(shift.headings(text), encoding="utf-8")


@dataclass(frozen=True)
class YearShift:
    """From last year's programme year to the new one: years in titles move with it."""

    old: int
    new: int

    def text(self, text: str) -> str:
        """The programme's year and the year before it, moved by the difference."""
        step = self.new - self.old
        wanted = {str(self.old), str(self.old - 1)}
        return YEAR_WORD.sub(lambda m: str(int(m[0]) + step) if m[0] in wanted else m[0], text)

    def date(self, value: datetime.date) -> datetime.date:
        step = self.new - self.old
        try:
            return value.replace(year=value.year + step)
        except ValueError:  # 29 February
            return value.replace(year=value.year + step, day=28)

    def headings(self, markdown: str) -> str:
        return HEADING.sub(lambda m: self.text(m[0]), markdown)


YEAR_WORD = re.compile(r"\b(?:19|20)\d{2}\b")
HEADING = re.compile(r"^#{1,6} .*$", re.MULTILINE)
TITLES = ("titel", "untertitel")
DATES = (("stand",),)
# the statement's dates are of its own creation and review: next year's default to its build
STATEMENT_DATES = ("erstellt", "ueberprueft")


def advance(data: Any, shift: YearShift, previous: str) -> None:
    data["jahr"] = shift.new
    for key in TITLES:
        if isinstance(data.get(key), str):
            data[key] = shift.text(data[key])
    for path in DATES:
        holder = data
        for key in path[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and isinstance(holder.get(path[-1]), datetime.date):
            holder[path[-1]] = shift.date(holder[path[-1]])
    statement = data.get("barrierefreiheit")
    for key in STATEMENT_DATES if isinstance(statement, dict) else ():
        statement.pop(key, None)
    if "vorjahr" in data:
        data["vorjahr"] = previous  # last year's confirmations were for the year before
    else:
        keys = list(data)
        data.insert(keys.index("stand") + 1 if "stand" in keys else len(keys), "vorjahr", previous)
        if "stand" in keys:
            hand_on_comment(data, "stand", "vorjahr")


def hand_on_comment(data: Any, before: str, inserted: str) -> None:
    """Comment lines below `before` head the key that followed it: with `inserted` put right
    after `before`, they go below `inserted`, still above their key (a comment at the end of
    `before`'s own line stays there)."""
    comments = data.ca.items.get(before)
    token = comments[2] if comments and len(comments) > 2 else None
    if token is None or "\n" not in token.value.rstrip("\n"):
        return
    own, _, rest = token.value.partition("\n")
    token.value = own + "\n"
    moved = copy.copy(token)
    moved.value = "\n" + rest
    data.ca.items[inserted] = [None, None, moved, None]
