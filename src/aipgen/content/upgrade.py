"""programm.yaml as an earlier aipgen's guide described it: keys this version names otherwise
or no longer needs are read the current way, each with a warning at its line that says what to
write instead (an error only with --strict), so last year's folder still builds."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from aipgen.content.load import Path_, YamlDoc

Finding = tuple[Path_, str]  # where in programm.yaml, and what to write instead


@dataclass(frozen=True)
class Retired:
    """A key of an earlier version: where it stood, what takes its value now (None: nothing),
    and the advice ({value}: its value)."""

    parent: tuple[str, ...]
    key: str
    successor: str | None
    advice: str


RETIRED = (
    Retired(
        ("barrierefreiheit",),
        "stand",
        "erstellt",
        "„stand“ heißt in der Erklärung zur Barrierefreiheit jetzt „erstellt“ (dazu kommt "
        "„ueberprueft“): bitte „stand: {value}“ in „erstellt: {value}“ umbenennen.",
    ),
    Retired(
        ("barrierefreiheit",),
        "schlichtungsstelle",
        None,
        "„schlichtungsstelle“ entfällt: die Stelle für Beschwerden folgt aus „traeger“ und "
        "„land“, eine andere nennt „durchsetzung: {{name: …, url: …}}“. Bitte löschen.",
    ),
)

GAP_ADVICE = (
    "Ein nicht barrierefreier Inhalt ist jetzt ein Eintrag mit „inhalt“, „kriterien“, „grund“ "
    "und „alternative“, z. B. „- {{inhalt: Das Video im Vorwort, kriterien: [WCAG 1.2.2], "
    "grund: unverhaeltnismaessig, alternative: eine Abschrift unter dem Video}}“; die Druckfassung "
    "und fehlende Leichte Sprache nennt aipgen selbst. Bis dahin bleibt „{value}“ unerwähnt."
)


def upgraded(doc: YamlDoc) -> tuple[YamlDoc, list[Finding]]:
    """The file read the current way, and what to change in it."""
    if not isinstance(doc.data, dict):
        return doc, []
    data = copy.deepcopy(doc.data)
    found: list[Finding] = []
    lines = dict(doc.lines)
    for upgrade in UPGRADES:
        found += upgrade(data, lines)
    return replace(doc, data=data, lines=lines), found


def retired_keys(data: dict[str, Any], lines: dict[Path_, int]) -> list[Finding]:
    found: list[Finding] = []
    for retired in RETIRED:
        parent = nested(data, retired.parent)
        if parent is None or retired.key not in parent:
            continue
        value = parent.pop(retired.key)
        if retired.successor is not None:
            parent.setdefault(retired.successor, value)
        found.append(((*retired.parent, retired.key), retired.advice.format(value=value)))
    return found


def plain_gaps(data: dict[str, Any], lines: dict[Path_, int]) -> list[Finding]:
    """Gaps written as plain sentences (an earlier version's list): left out, each named."""
    where = ("barrierefreiheit", "nicht_barrierefrei")
    parent = nested(data, where[:-1])
    gaps = parent.get(where[-1]) if parent is not None else None
    if not isinstance(gaps, list) or parent is None:
        return []
    kept = [(n, gap) for n, gap in enumerate(gaps) if not isinstance(gap, str)]
    found: list[Finding] = [
        ((*where, n), GAP_ADVICE.format(value=gap))
        for n, gap in enumerate(gaps)
        if isinstance(gap, str)
    ]
    parent[where[-1]] = [gap for _, gap in kept]
    renumber(lines, where, [n for n, _ in kept])
    return found


def renumber(lines: dict[Path_, int], where: Path_, kept: list[int]) -> None:
    """The lines of a list's kept items under their new positions (for later messages)."""
    moved = {}
    for new, old in enumerate(kept):
        prefix = (*where, old)
        for path, line in lines.items():
            if path[: len(prefix)] == prefix:
                moved[(*where, new, *path[len(prefix) :])] = line
    for path in [p for p in lines if p[: len(where)] == where and len(p) > len(where)]:
        del lines[path]
    lines.update(moved)


def nested(data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any] | None:
    for key in path:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, dict):
            return None
        data = value
    return data


UPGRADES: tuple[Callable[[dict[str, Any], dict[Path_, int]], list[Finding]], ...] = (
    retired_keys,
    plain_gaps,
)
