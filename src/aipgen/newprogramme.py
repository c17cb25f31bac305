"""`aipgen neu NAME`: a new programme folder from the documented skeleton in
templates/neu/programm/ (the project's own skeleton, if it has one), ready to build.

The skeleton's programm.yaml and chapters carry placeholders for the jobcenter's name, the
programme's year and today's date; everything else is copied as it is. The folder is made
under a temporary name and renamed when complete, so a failure leaves nothing half made.
"""

from __future__ import annotations

import datetime
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import scratch
from .paths import design

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


def create_programme(data_dir: Path, name: str, values: Placeholders) -> Path:
    """The new folder data_dir/name, complete."""
    if not NAME.fullmatch(name):
        raise NewProgrammeError(
            f"„{name}“ taugt nicht als Programmname: nur Kleinbuchstaben, Ziffern und "
            "Bindestriche, z. B. „musterstadt-2027“."
        )
    if not PLAIN.fullmatch(values.jobcenter):
        raise NewProgrammeError(
            f"„{values.jobcenter}“ taugt nicht als Name des Jobcenters: ohne Anführungszeichen, "
            "Backslash und Zeilenumbruch."
        )
    target = data_dir / name
    if target.exists():
        raise NewProgrammeError(f"„{target}“ gibt es schon; es bleibt unverändert.")
    data_dir.mkdir(parents=True, exist_ok=True)
    partial = data_dir / f".{name}.neu"
    scratch.track(partial)
    try:
        shutil.copytree(design().find("templates", *SKELETON), partial)
        for path in partial.rglob("*"):
            if path.suffix in FILLED:
                path.write_text(values.fill(path.read_text(encoding="utf-8")), encoding="utf-8")
        partial.rename(target)
    finally:
        scratch.remove(partial)  # gone after the rename; half made after a failure
    return target
