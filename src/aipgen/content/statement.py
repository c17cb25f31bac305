"""Turn programm.yaml's `barrierefreiheit` and the design's registries into what the
accessibility statement needs: the parts aipgen knows are not accessible, the enforcement route
for the body's kind and Land, and the checks of these settings with file and line.

The registries are design files a project may replace: templates/common/barrierefreiheit.yaml
(reasons, generated gaps, automated checks) and templates/common/durchsetzung.yaml (kinds of
body, the federal route, the routes of the Länder).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field

from aipgen.base.errors import Collector
from aipgen.base.formats import FORMATS
from aipgen.base.paths import DesignFiles, design_cache
from aipgen.content.load import RawProgramme
from aipgen.content.model import ProgrammeFile, Route, Strict

GAPS_FILE = "barrierefreiheit.yaml"
ROUTES_FILE = "durchsetzung.yaml"
EASY_LANGUAGE_GAP = "leichte_sprache"
SIGN_LANGUAGE_GAP = "gebaerdensprache"


class KnownGap(Strict):
    part: str = Field(alias="inhalt")
    criteria: list[str] = Field(alias="kriterien", min_length=1)
    reason: Literal["unvereinbar", "unverhaeltnismaessig", "nicht_anwendbar"] = Field(alias="grund")
    explanation: str = Field("", alias="begruendung")
    alternative: str
    files: bool = Field(False, alias="dateien")  # the accessible downloads are alternatives too


class GapRegistry(Strict):
    reasons: dict[str, str] = Field(alias="gruende")
    checks: list[str] = Field(alias="automatische_pruefungen")
    gaps: dict[str, KnownGap] = Field(alias="luecken")


class Body(Strict):
    label: str = Field(alias="bezeichnung")
    law: Literal["bund", "land"] = Field(alias="recht")


class Office(Route):
    heading: str = Field("Durchsetzungsverfahren", alias="ueberschrift")


class RouteRegistry(Strict):
    bodies: dict[str, Body] = Field(alias="traeger")
    federal: Office = Field(alias="bund")
    states: dict[str, Office] = Field(default_factory=dict, alias="laender")


def gap_registry(design: DesignFiles) -> GapRegistry:
    return read_gaps(design.find("templates", "common", GAPS_FILE))


def route_registry(design: DesignFiles) -> RouteRegistry:
    return read_routes(design.find("templates", "common", ROUTES_FILE))


@design_cache("pages")
@functools.cache
def read_gaps(path: Path) -> GapRegistry:
    return GapRegistry.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@design_cache("pages")
@functools.cache
def read_routes(path: Path) -> RouteRegistry:
    return RouteRegistry.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def generated_gaps(meta: ProgrammeFile) -> list[str]:
    """The registry's gaps that apply: a format the website offers that is not accessible,
    and the BITV 2.0 § 4 explanations the programme does not have."""
    offered = [FORMATS[n] for n in meta.outputs if n in FORMATS and FORMATS[n].downloadable]
    found = [fmt.gap for fmt in offered if fmt.gap]
    website = meta.website
    if website is not None and not website.easy_language:
        found.append(EASY_LANGUAGE_GAP)
    if website is not None and not website.sign_language:
        found.append(SIGN_LANGUAGE_GAP)
    return found


def route_of(meta: ProgrammeFile, design: DesignFiles) -> Office | None:
    """The office users turn to: the one programm.yaml names, else the one of the body's law
    (the federal one, or the Land's); None when the registry has none (a checked error)."""
    statement = meta.accessibility
    if statement is None:
        return None
    if statement.route is not None:
        return Office.model_validate(statement.route.model_dump())
    routes = route_registry(design)
    body = routes.bodies.get(statement.body)
    if body is None:
        return None
    return routes.federal if body.law == "bund" else routes.states.get(statement.state)


def check_statement(
    raw: RawProgramme, meta: ProgrammeFile, design: DesignFiles, errors: Collector
) -> None:
    """A kind of body and a Land the design's registries know, unless programm.yaml names the
    route."""
    statement, doc = meta.accessibility, raw.programme
    if statement is None or doc is None:
        return
    unknown = [gap for gap in generated_gaps(meta) if gap not in gap_registry(design).gaps]
    if unknown:
        errors.add(doc.file, doc.line(("ausgaben",)), unknown_gap_problem(unknown[0]))
        return
    if statement.status == "vollstaendig" and (statement.gaps or generated_gaps(meta)):
        problem = complete_problem(meta, design)
        errors.add(doc.file, doc.line(("barrierefreiheit", "status")), problem)
    if statement.route is not None:
        return
    routes = route_registry(design)
    body = routes.bodies.get(statement.body)
    if body is None:
        errors.add(
            doc.file,
            doc.line(("barrierefreiheit", "traeger")),
            f"Unbekannte Art des Trägers „{statement.body}“ "
            f"(möglich sind: {', '.join(routes.bodies)}).",
        )
    elif body.law == "land" and statement.state not in routes.states:
        errors.add(
            doc.file,
            doc.line(("barrierefreiheit", "land" if statement.state else "traeger")),
            state_problem(statement.state, routes),
        )


def state_problem(state: str, routes: RouteRegistry) -> str:
    known = ", ".join(routes.states)
    what = f"Für das Land „{state}“ kennt aipgen" if state else "Ohne „land“ kennt aipgen"
    return (
        f"{what} keine Stelle für Beschwerden zur Barrierefreiheit (bekannt: {known}); "
        "bitte „land“ angeben oder die Stelle unter „durchsetzung“ mit „name“ und „url“ nennen."
    )


def complete_problem(meta: ProgrammeFile, design: DesignFiles) -> str:
    registry, statement = gap_registry(design), meta.accessibility
    parts = [registry.gaps[g].part for g in generated_gaps(meta)]
    parts += [gap.part for gap in statement.gaps] if statement else []
    return (
        f"„status: vollstaendig“ passt nicht zu dem, was nicht barrierefrei ist: "
        f"{'; '.join(parts)}. Bitte „status“ weglassen (dann gilt „teilweise“) oder "
        "„teilweise“ angeben."
    )


def unknown_gap_problem(gap: str) -> str:
    return (
        f"Die Erklärung zur Barrierefreiheit kennt die Lücke „{gap}“ einer Ausgabe nicht; sie "
        f"gehört unter „luecken“ in templates/common/{GAPS_FILE}."
    )
