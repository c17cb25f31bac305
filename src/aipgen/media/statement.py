"""Turn a document into the template variables of the accessibility statement (BITV 2.0 § 7,
after the EU model statement): every part that is not accessible with its criteria, reason and
alternative, the dates, the method, the feedback contact and the enforcement route."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from aipgen.base.clock import build_date
from aipgen.base.formats import FORMATS
from aipgen.compute.document import Document
from aipgen.content.model import AccessibilityStatement, DeclaredGap, ProgrammeFile
from aipgen.content.statement import (
    GapRegistry,
    KnownGap,
    Office,
    gap_registry,
    generated_gaps,
    route_of,
    route_registry,
)
from aipgen.media.proof import REPORT, ProofReport

EASY_LANGUAGE_PAGE = "leichte-sprache.html"


@dataclass(frozen=True)
class File:
    """An accessible file of the programme, named as an alternative."""

    label: str
    file: str


@dataclass(frozen=True)
class Gap:
    """One part that is not accessible, as the statement lists it."""

    part: str
    criteria: list[str]
    reason: str  # the model statement's words
    explanation: str
    alternative: str
    files: list[File]


@dataclass(frozen=True)
class Checked:
    """A check of the conformance report that concerns accessibility and ran, as the
    statement tells it."""

    title: str
    subject: str
    label: str  # bestanden, nicht bestanden
    summary: str
    checker: str


@dataclass(frozen=True)
class Proof:
    """What the build's conformance report found, for the statement's method section."""

    date: datetime.date
    checked: list[Checked]
    report: str  # the report's file, linked


@dataclass(frozen=True)
class Statement:
    status: str  # vollstaendig | teilweise | nicht
    created: datetime.date
    reviewed: datetime.date
    gaps: list[Gap]
    method: str
    checks: list[str]
    manual_test: str
    contact_lines: list[str]
    route: Office
    rules: str  # what the pages are measured against ("§ 3 … der BITV 2.0")
    easy_language: str  # the page's file name, "" when there is none
    sign_language: str  # the video's address, "" when there is none
    proof: Proof | None  # the automated findings of this build, None when it checked nothing


def statement_of(doc: Document, report: ProofReport | None = None) -> Statement:
    meta = doc.meta
    declared = meta.accessibility
    assert declared is not None  # validation requires it for a format with statements
    registry = gap_registry(doc.design)
    files = accessible_files(meta, doc.name)
    gaps = [known_gap(registry.gaps[g], registry, files) for g in generated_gaps(meta)]
    gaps += [declared_gap(g, registry) for g in declared.gaps]
    website = meta.website
    # validation found the body's route
    route = route_of(meta, doc.design) or route_registry(doc.design).federal
    return Statement(
        status=declared.status or ("teilweise" if gaps else "vollstaendig"),
        created=declared.created or build_date(),
        reviewed=declared.reviewed or build_date(),
        gaps=gaps,
        method=declared.method,
        checks=registry.checks,
        manual_test=declared.manual_test,
        contact_lines=contact_lines(declared, meta),
        route=route,
        rules=route.rules,
        easy_language=EASY_LANGUAGE_PAGE if website and website.easy_language else "",
        sign_language=(website.sign_language or "") if website else "",
        proof=proof_of(report),
    )


def proof_of(report: ProofReport | None) -> Proof | None:
    """The accessibility checks of the build's conformance report that ran."""
    if report is None:
        return None
    ran = [r for r in report.results if r.check.accessibility and r not in report.not_run]
    checked = [
        Checked(
            r.check.title, r.check.subject, r.outcome.label, r.outcome.summary, r.outcome.checker
        )
        for r in ran
    ]
    return Proof(report.date, checked, REPORT) if checked else None


def known_gap(gap: KnownGap, registry: GapRegistry, files: list[File]) -> Gap:
    reason = registry.reasons[gap.reason]
    shown = files if gap.files else []
    return Gap(gap.part, gap.criteria, reason, gap.explanation, gap.alternative, shown)


def declared_gap(gap: DeclaredGap, registry: GapRegistry) -> Gap:
    reason = registry.reasons[gap.reason]
    return Gap(gap.part, gap.criteria, reason, gap.explanation, gap.alternative, [])


def accessible_files(meta: ProgrammeFile, programme: str) -> list[File]:
    """The downloadable files of the programme that are accessible (no gap of their own)."""
    formats = [FORMATS[n] for n in meta.outputs if n in FORMATS]
    return [File(f.label, f.file(programme)) for f in formats if f.downloadable and not f.gap]


def contact_lines(declared: AccessibilityStatement, meta: ProgrammeFile) -> list[str]:
    """The postal address for feedback: the statement's own, else the imprint's publisher."""
    text = declared.contact.postal or meta.imprint.publisher
    return [line.strip() for line in text.strip().splitlines() if line.strip()]
