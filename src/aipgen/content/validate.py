"""Turn raw data into typed models; report every problem in German with file and line."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, get_args

from babel.numbers import format_decimal
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from aipgen.base.errors import Collector, Outcome, Problem, nearest
from aipgen.base.formats import FORMATS
from aipgen.base.numbers import LOCALE
from aipgen.base.paths import DesignFiles
from aipgen.content.chapters import Chapter, check_directives, check_images, parse_chapters
from aipgen.content.easylanguage import easy_language_warnings
from aipgen.content.kinds import KINDS
from aipgen.content.layouts import available_layouts
from aipgen.content.load import RawProgramme, TextFile, YamlDoc
from aipgen.content.model import ChartFile, KeyFiguresFile, ProgrammeFile, Signature, TableFile
from aipgen.content.printprofile import icc_problem
from aipgen.content.safe.files import MISSING, locate
from aipgen.content.safe.images import image_problem
from aipgen.content.statement import check_statement
from aipgen.content.upgrade import upgraded

M = TypeVar("M", bound=BaseModel)

MESSAGES = {
    "missing": "Die Angabe „{key}“ fehlt.",
    "extra_forbidden": "Unbekannter Schlüssel „{key}“.",
    "string_type": "„{key}“ muss ein Text sein.",
    "int_type": "„{key}“ muss eine ganze Zahl sein.",
    "int_parsing": "„{key}“ muss eine ganze Zahl sein.",
    "int_from_float": "„{key}“ muss eine ganze Zahl sein.",
    "float_type": "„{key}“ muss eine Zahl sein, ohne Anführungszeichen (z. B. 1234 oder 12.5).",
    "float_parsing": "„{key}“ muss eine Zahl sein.",
    "finite_number": "„{key}“ muss eine endliche Zahl sein.",
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
class Content:
    """The validated content files (chapters, and the items of every directive kind) as far as
    they are valid; sources keep line numbers. What validation hands on when programm.yaml
    itself is unusable, so the next stage still checks the sums, formulas and references it
    can."""

    name: str
    root: Path
    chapters: list[Chapter]
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # kind → name → model
    sources: dict[str, YamlDoc] = field(default_factory=dict)  # "tabelle:NAME" → its file
    warnings: list[Problem] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    # "tabelle:NAME" / "diagramm:NAME" of files that exist but failed validation: whatever
    # builds on them is skipped, so their own errors are not followed by others
    failed: set[str] = field(default_factory=set)
    easy_language: TextFile | None = None  # the editor's page in Leichte Sprache

    def of(self, kind: str) -> dict[str, Any]:
        """The valid items of a directive kind by name."""
        return self.items.get(kind, {})

    @property
    def tables(self) -> dict[str, TableFile]:
        return self.of("tabelle")

    @property
    def charts(self) -> dict[str, ChartFile]:
        return self.of("diagramm")

    @property
    def keyfigures(self) -> dict[str, KeyFiguresFile]:
        return self.of("kennzahlen")


@dataclass(kw_only=True)
class Programme(Content):
    """A validated programme: the content with programm.yaml's settings."""

    meta: ProgrammeFile


def validate_programme(
    raw: RawProgramme, design: DesignFiles, only: Collection[str] = tuple(FORMATS)
) -> Outcome[Content]:
    """Check everything, against these design files (layouts, registries, rules): the typed
    content as far as it is valid (a Programme when programm.yaml is usable too), so the next
    stage can check the valid parts, with validation's problems (the loader's stay in
    raw.problems). A format not in `only` is not built now and asks for nothing."""
    errors = Collector()
    return errors.outcome(checked_programme(raw, design, errors, only))


def checked_programme(
    raw: RawProgramme, design: DesignFiles, errors: Collector, only: Collection[str]
) -> Content:
    """validate_programme's checks, into the stage's own collector."""
    warnings: list[Problem] = []
    original = programme = raw.programme
    if original is not None:
        programme, retired = upgraded(original)
        warnings += [Problem(original.file, original.line(p), advice) for p, advice in retired]
    meta = check_model(programme, ProgrammeFile, errors) if programme else None
    items = {kind: checked_items(raw, kind, errors) for kind in KINDS}
    chapters = parse_chapters(chapter_texts(raw, meta), errors, warnings)
    images = check_images(chapters, raw.root, errors)
    check_directives(chapters, raw, errors, warnings)
    if raw.programme is not None and meta is not None:
        for check_setting in PROGRAMME_CHECKS:
            check_setting(raw, meta, errors)
        for check_design in DESIGN_CHECKS:
            check_design(raw, meta, design, errors)
        check_website(raw, meta, errors, only)
        warnings.extend(year_warnings(raw.programme, meta))
        warnings.extend(date_warnings(raw.programme, meta))
    if raw.easy_language is not None:
        warnings.extend(easy_language_warnings(raw.easy_language, design))
    sources = {f"{kind}:{k}": v for kind in KINDS for k, v in raw.docs(kind).items()}
    failed = {f"{kind}:{n}" for kind in KINDS for n in raw.docs(kind).keys() - items[kind].keys()}
    content = Content(
        raw.name,
        raw.root,
        chapters,
        items,
        sources,
        warnings,
        images,
        failed | set(raw.failed),
        raw.easy_language,
    )
    if meta is None or raw.programme is None:
        return content
    content.sources["programm"] = raw.programme
    return Programme(**vars(content), meta=meta)


def chapter_texts(
    raw: RawProgramme, meta: ProgrammeFile | None
) -> list[tuple[TextFile, Signature | None]]:
    """The loaded chapters in order, with their signatures (when programm.yaml is valid)."""
    if meta is None:
        return [(text, None) for text in raw.texts.values()]
    signatures: dict[str, Signature | None] = {}
    for ref in meta.chapters:  # a file listed twice is reported by the loader
        signatures.setdefault(ref.file, ref.signature)
    return [(raw.texts[f], s) for f, s in signatures.items() if f in raw.texts]


def checked_items(raw: RawProgramme, kind: str, errors: Collector) -> dict[str, Any]:
    """The files of a directive kind that fit its model and pass its checks, by name."""
    spec = KINDS[kind]
    items = check_all(raw.docs(kind), spec.model, errors)
    for name, item in items.items():
        if spec.check is not None:
            spec.check(item, raw.docs(kind)[name], errors)
    return items


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
            message = german(detail)
            note = NOTES.get(detail["type"])
            if note is not None:
                message += note(model, tuple(detail["loc"]))
            errors.add(*doc.where(tuple(detail["loc"])), message)
        return None


def required_note(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """Which keys are required where one is missing: " Pflicht sind hier: a, b, c."."""
    inner = submodel(model, loc[:-1])
    if inner is None:
        return ""
    keys = [f.alias or name for name, f in inner.model_fields.items() if f.is_required()]
    return f" Pflicht sind hier: {', '.join(keys)}." if keys else ""


def nearest_note(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    """The known key nearest to an unknown one: " Meinten Sie „quelle“?"."""
    inner = submodel(model, loc[:-1])
    if inner is None or not isinstance(loc[-1], str):
        return ""
    known = [f.alias or name for name, f in inner.model_fields.items()]
    near = nearest(loc[-1], known)
    return f" Meinten Sie „{near}“?" if near else ""


# What a message adds, by pydantic's error type: the keys that fit where one went wrong.
NOTES: dict[str, Callable[[type[BaseModel], tuple[int | str, ...]], str]] = {
    "missing": required_note,
    "extra_forbidden": nearest_note,
}


def submodel(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model of the mapping at `loc` below `model` (list positions skipped)."""
    for part in loc:
        if isinstance(part, int):
            continue
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        found = models_in(fields[part].annotation) if part in fields else []
        if not found:
            return None
        model = found[0]
    return model


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models a field's type names: Imprint, list[ChapterRef], Signature | None …"""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in models_in(arg)]


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
    fields = {k: german_number(v) for k, v in ctx.items() if k != "expected"}
    return template.format(key=key, expected=expected, **fields)


def german_number(value: object) -> object:
    """Limits in messages the German way: 0.0 → 0, 0.5 → 0,5."""
    if isinstance(value, float):
        return format_decimal(value, locale=LOCALE)
    return value


YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def year_warnings(doc: YamlDoc, meta: ProgrammeFile) -> list[Problem]:
    """A title that names a year, but not the programme's (`jahr: 2032` under "… 2023")."""
    found: list[Problem] = []
    for key, text in (("titel", meta.title), ("untertitel", meta.subtitle)):
        years = YEAR.findall(text)
        if years and str(meta.year) not in years:
            found.append(
                Problem(
                    doc.file,
                    doc.line((key,)),
                    f"„{key}“ nennt das Jahr {years[0]}, „jahr“ ist aber {meta.year} "
                    f"(Zeile {doc.line(('jahr',))}) – eines davon anpassen.",
                )
            )
    return found


def date_warnings(doc: YamlDoc, meta: ProgrammeFile) -> list[Problem]:
    """A programme without its "Stand": cover, imprint and back cover then show no date."""
    if meta.date is not None:
        return []
    message = (
        f"Das Programm nennt keinen Stand (z. B. „stand: {meta.year - 1}-12-15“); "
        "ohne ihn zeigen Titelseite, Impressum und Rückseite kein Datum."
    )
    return [Problem(doc.file, 1, message)]


def check_theme(raw: RawProgramme, meta: ProgrammeFile, errors: Collector) -> None:
    logo = meta.theme.logo
    if logo is None or raw.programme is None:
        return
    path, absent = locate(raw.root, logo)
    line = raw.programme.line(("theme", "logo"))
    if path is None:
        errors.add(raw.programme.file, line, f"Die Logodatei „{logo}“ {absent}.")
        return
    problem = image_problem(path, logo)
    if problem:
        errors.add(raw.programme.file, line, problem)


def check_cover_photo(raw: RawProgramme, meta: ProgrammeFile, errors: Collector) -> None:
    """The cover photo must be a usable image file inside the programme folder."""
    photo = meta.cover_photo
    if photo is None or raw.programme is None:
        return
    line = raw.programme.line(("titelbild", "datei"))
    path, absent = locate(raw.root, photo.file)
    if path is None:
        errors.add(raw.programme.file, line, f"Das Titelbild „{photo.file}“ {absent}.")
        return
    problem = image_problem(path, photo.file)
    if problem:
        errors.add(raw.programme.file, line, problem)


def check_print(raw: RawProgramme, meta: ProgrammeFile, errors: Collector) -> None:
    """The print shop's own colour profile must be a CMYK ICC file in the programme folder."""
    profile = meta.print_options.profile
    if profile is None or raw.programme is None:
        return
    line = raw.programme.line(("druck", "profil"))
    path, absent = locate(raw.root, profile)
    problem = f"{absent} im Programmordner" if absent == MISSING else absent
    if path is not None:
        problem = icc_problem(path)
    if problem:
        errors.add(raw.programme.file, line, f"Das Farbprofil „{profile}“ {problem}.")


def check_layout(
    raw: RawProgramme, meta: ProgrammeFile, design: DesignFiles, errors: Collector
) -> None:
    known = available_layouts(design)
    if meta.layout not in known and raw.programme is not None:
        errors.add(
            raw.programme.file,
            raw.programme.line(("layout",)),
            f"Das Layout „{meta.layout}“ gibt es nicht (vorhanden: {', '.join(known)}).",
        )


# The keys the website needs: their field, and what to paste into programm.yaml (the guide
# explains the rest).
WEBSITE_KEYS = {
    "web": ("website", "web: {datenschutz: https://www.jobcenter-musterstadt.de/datenschutz}"),
    "barrierefreiheit": (
        "accessibility",
        "barrierefreiheit: {kontakt: {email: barrierefreiheit@musterstadt.de}}",
    ),
}


def check_website(
    raw: RawProgramme, meta: ProgrammeFile, errors: Collector, only: Collection[str]
) -> None:
    """A format published as a website (the web page) that is built now needs its privacy
    link and accessibility statement; reported at `ausgaben`, which asks for such a format (at
    the file's start where the default asks for it), with what to add."""
    missing = [key for key, (name, _) in WEBSITE_KEYS.items() if getattr(meta, name) is None]
    built = [name for name in meta.outputs if name in FORMATS and name in only]
    if missing and any(FORMATS[name].statements for name in built) and raw.programme is not None:
        errors.add(
            raw.programme.file,
            raw.programme.line(("ausgaben",)),
            f"Für die Website fehlt „{missing[0]}“ (Datenschutz-Link und Erklärung zur "
            f"Barrierefreiheit, siehe Anleitung). In programm.yaml ergänzen, z. B. "
            f"„{WEBSITE_KEYS[missing[0]][1]}“; ohne Website bauen: „--nur pdf,druck“.",
        )


# The checks of programm.yaml's settings beyond its model: files it names.
PROGRAMME_CHECKS: tuple[Callable[[RawProgramme, ProgrammeFile, Collector], None], ...] = (
    check_theme,
    check_cover_photo,
    check_print,
)
# The checks of its settings against the design files: the layout, the statement's registries.
DESIGN_CHECKS: tuple[Callable[[RawProgramme, ProgrammeFile, DesignFiles, Collector], None], ...] = (
    check_layout,
    check_statement,
)
