"""Turn raw data into typed models; report every problem in German with file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from markdown_it.token import Token
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from . import markdown
from .errors import Collector
from .layouts import available_layouts
from .load import RawProgramme, YamlDoc, inside
from .model import ChartFile, KeyFiguresFile, ProgrammeFile, Signature, TableFile
from .printprofile import icc_problem

M = TypeVar("M", bound=BaseModel)

MESSAGES = {
    "missing": "Die Angabe „{key}“ fehlt.",
    "extra_forbidden": "Unbekannter Schlüssel „{key}“.",
    "string_type": "„{key}“ muss ein Text sein.",
    "int_type": "„{key}“ muss eine ganze Zahl sein.",
    "int_parsing": "„{key}“ muss eine ganze Zahl sein.",
    "int_from_float": "„{key}“ muss eine ganze Zahl sein.",
    "float_type": "„{key}“ muss eine Zahl sein.",
    "float_parsing": "„{key}“ muss eine Zahl sein.",
    "bool_type": "„{key}“ muss true oder false sein.",
    "bool_parsing": "„{key}“ muss true oder false sein.",
    "list_type": "„{key}“ muss eine Liste sein.",
    "dict_type": "„{key}“ muss aus Schlüsseln mit Werten bestehen.",
    "model_type": "„{key}“ muss aus Schlüsseln mit Werten bestehen.",
    "model_attributes_type": "„{key}“ muss aus Schlüsseln mit Werten bestehen.",
    "literal_error": "„{key}“ muss einer dieser Werte sein: {expected}.",
    "string_pattern_mismatch": "„{key}“ hat eine ungültige Form.",
    "too_short": "„{key}“ darf nicht leer sein.",
    "greater_than": "„{key}“ muss größer als {gt} sein.",
    "greater_than_equal": "„{key}“ muss mindestens {ge} sein.",
    "less_than_equal": "„{key}“ darf höchstens {le} sein.",
    "date_type": "„{key}“ muss ein Datum sein (JJJJ-MM-TT).",
    "date_parsing": "„{key}“ muss ein Datum sein (JJJJ-MM-TT).",
    "date_from_datetime_parsing": "„{key}“ muss ein Datum sein (JJJJ-MM-TT).",
}


@dataclass
class Chapter:
    file: str
    tokens: list[Token]
    env: dict[str, Any]
    signature: Signature | None


@dataclass
class Programme:
    """A validated programme: typed files plus parsed chapters; sources keep line numbers."""

    name: str
    root: Path
    meta: ProgrammeFile
    chapters: list[Chapter]
    tables: dict[str, TableFile] = field(default_factory=dict)
    charts: dict[str, ChartFile] = field(default_factory=dict)
    keyfigures: dict[str, KeyFiguresFile] = field(default_factory=dict)
    sources: dict[str, YamlDoc] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)


def validate_programme(raw: RawProgramme, errors: Collector) -> Programme | None:
    """Check everything; return the typed programme, or None if there were errors."""
    meta = check_model(raw.programme, ProgrammeFile, errors) if raw.programme else None
    tables = check_all(raw.tables, TableFile, errors)
    charts = check_all(raw.charts, ChartFile, errors)
    keyfigures = check_all(raw.keyfigures, KeyFiguresFile, errors)
    if meta is None or raw.programme is None:
        return None
    sources = {f"tabelle:{k}": v for k, v in raw.tables.items()}
    sources |= {f"diagramm:{k}": v for k, v in raw.charts.items()}
    sources["programm"] = raw.programme
    programme = Programme(raw.name, raw.root, meta, [], tables, charts, keyfigures, sources)
    programme.chapters = parse_chapters(raw, meta, errors)
    check_theme(raw, meta, errors)
    check_print(raw, meta, errors)
    check_layout(raw.programme, meta, errors)
    programme.images = check_images(programme.chapters, raw.root, errors)
    check_references(programme, raw, errors)
    return None if errors.problems else programme


def check_all(docs: dict[str, YamlDoc], model: type[M], errors: Collector) -> dict[str, M]:
    checked = {name: check_model(doc, model, errors) for name, doc in docs.items()}
    return {name: item for name, item in checked.items() if item is not None}


def check_model(doc: YamlDoc, model: type[M], errors: Collector) -> M | None:
    if not isinstance(doc.data, dict):
        errors.add(doc.file, 1, "Die Datei muss aus Schlüsseln mit Werten bestehen.")
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for detail in exc.errors():
            errors.add(*doc.where(tuple(detail["loc"])), german(detail))
        return None


def german(detail: ErrorDetails) -> str:
    """A German message for one pydantic error."""
    loc = [part for part in detail["loc"] if isinstance(part, str)]
    key = loc[-1] if loc else "Eintrag"
    ctx = detail.get("ctx", {})
    if detail["type"] == "value_error":
        return f"{ctx.get('error', detail['msg'])}."
    template = MESSAGES.get(detail["type"])
    if template is None:
        return f"„{key}“ ist ungültig."
    expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
    fields = {k: v for k, v in ctx.items() if k != "expected"}
    return template.format(key=key, expected=expected, **fields)


def parse_chapters(raw: RawProgramme, meta: ProgrammeFile, errors: Collector) -> list[Chapter]:
    chapters = []
    for ref in meta.chapters:
        text = raw.texts.get(ref.file)
        if text is None:
            continue  # reported by the loader
        tokens, env = markdown.parse(text.text)
        if not tokens or tokens[0].type != "heading_open" or tokens[0].tag != "h1":
            errors.add(text.file, 1, "Das Kapitel muss mit einer Überschrift „# Titel“ beginnen.")
        chapters.append(Chapter(text.file, tokens, env, ref.signature))
    return chapters


def check_theme(raw: RawProgramme, meta: ProgrammeFile, errors: Collector) -> None:
    logo = meta.theme.logo
    if logo is None or raw.programme is None:
        return
    path = inside(raw.root, logo)
    if path is None or not path.is_file():
        line = raw.programme.line(("theme", "logo"))
        errors.add(raw.programme.file, line, f"Die Logodatei „{logo}“ gibt es nicht.")


def check_print(raw: RawProgramme, meta: ProgrammeFile, errors: Collector) -> None:
    """The print shop's own colour profile must be a CMYK ICC file in the programme folder."""
    profile = meta.print_options.profile
    if profile is None or raw.programme is None:
        return
    line = raw.programme.line(("druck", "profil"))
    path = inside(raw.root, profile)
    if path is None or not path.is_file():
        problem: str | None = "gibt es nicht im Programmordner"
    else:
        problem = icc_problem(path)
    if problem:
        errors.add(raw.programme.file, line, f"Das Farbprofil „{profile}“ {problem}.")


def check_layout(doc: YamlDoc, meta: ProgrammeFile, errors: Collector) -> None:
    known = available_layouts()
    if meta.layout not in known:
        errors.add(
            doc.file,
            doc.line(("layout",)),
            f"Das Layout „{meta.layout}“ gibt es nicht (vorhanden: {', '.join(known)}).",
        )


def check_images(chapters: list[Chapter], root: Path, errors: Collector) -> list[str]:
    """Images in the Markdown must be files inside the programme folder."""
    images: list[str] = []
    for chapter in chapters:
        for token in chapter.tokens:
            for child in token.children or []:
                if child.type != "image":
                    continue
                src = str(child.attrs.get("src", ""))
                path = inside(root, src) if "://" not in src and ":" not in src else None
                if path is None or not path.is_file():
                    line = token.map[0] + 1 if token.map else 0
                    errors.add(
                        chapter.file,
                        line,
                        f"Das Bild „{src}“ gibt es nicht im "
                        "Programmordner (Bilder liegen z. B. in bilder/).",
                    )
                elif src not in images:
                    images.append(src)
    return images


def check_references(programme: Programme, raw: RawProgramme, errors: Collector) -> None:
    """Directives must name existing tables, charts and key-figure boxes.

    A file that exists but has errors of its own is not reported again here.
    """
    known: dict[str, tuple[dict[str, Any], str]] = {
        "tabelle": (raw.tables, "tabellen"),
        "diagramm": (raw.charts, "diagramme"),
        "kennzahlen": (raw.keyfigures, "kennzahlen"),
    }
    used: set[tuple[str, str]] = set()
    for chapter in programme.chapters:
        for token in chapter.tokens:
            if token.type != "directive":
                continue
            line = token.map[0] + 1 if token.map else 0
            kind, name = token.meta["kind"], token.meta["name"]
            if kind not in known:
                errors.add(chapter.file, line, unknown_directive(kind))
            elif name not in known[kind][0]:
                folder = known[kind][1]
                errors.add(
                    chapter.file,
                    line,
                    f"„{kind} {name}“: Die Datei „{folder}/{name}.yaml“ gibt es nicht.",
                )
            used.add((kind, name))
    for kind, (items, folder) in known.items():
        for name in items:
            if (kind, name) not in used:
                programme.warnings.append(
                    f"{programme.name}/{folder}/{name}.yaml: wird in keinem Kapitel verwendet."
                )


def unknown_directive(kind: str) -> str:
    choices = ", ".join(f"::{k}" for k in markdown.DIRECTIVE_KINDS)
    return f"Unbekannte Anweisung „::{kind}“ (möglich sind {choices} mit einem Namen)."
