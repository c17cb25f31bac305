"""Turn the programmes in an output folder into output/index.html, the overview page.

Each programme's folder carries programm.json (written with it): jobcenter, year, title and
the files to download with their sizes, so the overview lists programmes of earlier builds too.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import jinja2

from .paths import design
from .render import Download

MANIFEST = "programm.json"


@dataclass(frozen=True)
class Entry:
    """One programme on the overview page."""

    folder: str
    jobcenter: str
    year: int
    title: str
    downloads: list[Download] = field(default_factory=list)


def manifest(entry: Entry) -> bytes:
    """programm.json for one programme's output folder."""
    return json.dumps(asdict(entry), ensure_ascii=False, indent=1, sort_keys=True).encode()


def entries(output_dir: Path) -> list[Entry]:
    """Every programme in the output folder, sorted by jobcenter and year."""
    found = []
    for path in sorted(output_dir.glob(f"*/{MANIFEST}")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            data["downloads"] = [Download(**d) for d in data["downloads"]]
            found.append(Entry(**data))
        except (OSError, ValueError, TypeError, KeyError):
            continue  # not written by aipgen, or by an older version: left out
    return sorted(found, key=lambda e: (e.jobcenter.casefold(), e.year, e.folder))


def render_overview(output_dir: Path) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in design().folders("templates", "common")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("overview.html.j2").render(entries=entries(output_dir))
