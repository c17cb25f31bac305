"""Turn the programmes in an output folder into output/index.html, the overview page.

Each programme's folder carries programm.json (written with it): jobcenter, year, title and
the files to download with their sizes, so the overview lists programmes of earlier builds too.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import jinja2

from aipgen.base.paths import design
from aipgen.media.render import Download
from aipgen.media.webmeta import favicon_url

MANIFEST = "programm.json"


@dataclass(frozen=True)
class Entry:
    """One programme on the overview page."""

    folder: str
    jobcenter: str
    year: int
    title: str
    downloads: list[Download] = field(default_factory=list)
    # the programme's website: its privacy link ("" without a website), its page in Leichte
    # Sprache; the overview links them with the imprint and the accessibility statement
    privacy: str = ""
    easy_language: bool = False


@dataclass(frozen=True)
class Legal:
    """The legal links of one jobcenter on the overview page (from its newest programme)."""

    jobcenter: str
    folder: str
    privacy: str
    easy_language: bool


OVERVIEW_COLOUR = "#00529f"  # the overview's own colour (overview.html.j2), for its favicon


def manifest(entry: Entry) -> bytes:
    """programm.json for one programme's output folder."""
    return json.dumps(asdict(entry), ensure_ascii=False, indent=1, sort_keys=True).encode()


def entries(output_dir: Path) -> list[Entry]:
    """Every programme in the output folder, sorted by jobcenter and year."""
    found = [entry_of(path) for path in sorted(output_dir.glob(f"*/{MANIFEST}"))]
    return sorted(
        (e for e in found if e is not None),
        key=lambda e: (e.jobcenter.casefold(), e.year, e.folder),
    )


def entry_of(path: Path) -> Entry | None:
    """A programme's programm.json; None when it is not there or not written by this version
    of aipgen."""
    try:
        return parsed_entry(path.read_bytes())
    except OSError:
        return None


def parsed_entry(text: bytes) -> Entry | None:
    try:
        data = json.loads(text)
        data["downloads"] = [Download(**d) for d in data["downloads"]]
        return Entry(**data)
    except (ValueError, TypeError, KeyError):
        return None


def changed_sizes(old: Entry | None, new: Entry | None) -> list[tuple[str, str, str]]:
    """The downloads whose stated size differs between two manifests: file, old, new."""
    if old is None or new is None:
        return []
    before = {d.file: d.size for d in old.downloads}
    return [
        (d.file, before[d.file], d.size)
        for d in new.downloads
        if before.get(d.file, d.size) != d.size
    ]


def legal_links(found: list[Entry]) -> list[Legal]:
    """Each jobcenter with a website once, with the links of its newest programme."""
    newest: dict[str, Entry] = {}
    for entry in found:  # sorted by jobcenter and year: the last one is the newest
        if entry.privacy:
            newest[entry.jobcenter] = entry
    return [
        Legal(e.jobcenter, e.folder, from_overview(e.folder, e.privacy), e.easy_language)
        for e in newest.values()
    ]


def from_overview(folder: str, link: str) -> str:
    """A link of a programme's page as the overview page reaches it."""
    return link if "://" in link or link.startswith(("/", "mailto:")) else f"{folder}/{link}"


def render_overview(output_dir: Path) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in design().folders("templates", "common")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    found = entries(output_dir)
    return env.get_template("overview.html.j2").render(
        entries=found,
        legal=legal_links(found),
        favicon=favicon_url(env, "A", OVERVIEW_COLOUR),
    )
