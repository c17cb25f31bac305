"""Turn a programme's output files into its conformance report: every registered check run on
them (the screen PDF against PDF/UA-1, the print PDF against PDF/X-4, the HTML pages in the Nu
Html Checker and axe-core), written as `pruefbericht.html` for people and `pruefbericht.json`
for machines, each with the checkers' versions and the date.

The checks are a registry like the output formats: each names what it checks and the function
that checks it ("module:function", imported when it first runs: proofpdf.py, proofhtml.py). A
check that cannot run (no Java, no browser, the file not built) says so and why; it never
passes silently. `cheap` checks run with every build; the others with `aipgen pruefen`.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Literal

from aipgen.base.errors import Problem
from aipgen.base.formats import FORMATS, Files, OutputFormat, imported
from aipgen.base.numbers import format_date
from aipgen.base.paths import DesignFiles
from aipgen.media.render import layout_env

REPORT = "pruefbericht.html"
REPORT_DATA = "pruefbericht.json"
SHARED = "pruefung"  # the build's report in Job.shared, for the accessibility statement
SHOWN = 50  # findings listed per check in the HTML report (the JSON has all)
Status = Literal["passed", "failed", "not_run"]
LABELS: dict[Status, str] = {
    "passed": "bestanden",
    "failed": "nicht bestanden",
    "not_run": "nicht ausgeführt",
}


@dataclass(frozen=True)
class Finding:
    """One thing a checker found: its rule, its message, where (page, object, file:line)."""

    rule: str
    message: str
    where: str = ""


@dataclass(frozen=True)
class Outcome:
    """What one check found in one programme's output."""

    status: Status
    checker: str  # name and version of the checker, "" when it could not run
    summary: str  # German, one sentence: "104 von 104 Regeln erfüllt."
    findings: list[Finding] = field(default_factory=list)
    file: str = ""  # the file checked, or the files' folder

    @property
    def label(self) -> str:
        return LABELS[self.status]


def not_run(reason: str, checker: str = "") -> Outcome:
    """A check that could not run, saying why (German)."""
    return Outcome("not_run", checker, reason)


def judged(checker: str, findings: list[Finding], summary: str, file: str) -> Outcome:
    """Passed when nothing was found."""
    return Outcome("failed" if findings else "passed", checker, summary, findings, file)


@dataclass(frozen=True)
class Subject:
    """One programme's output, as file name → content, with what the checks need to know
    beyond the files: the highest total ink its print shop allows (druck: farbauftrag_max)."""

    name: str
    files: Mapping[str, bytes]
    ink_limit: int

    def first(self, wanted: Callable[[OutputFormat], bool]) -> tuple[str, bytes] | None:
        """The file of the first registered format that has what `wanted` asks, if written."""
        names = [fmt.file(self.name) for fmt in FORMATS.values() if wanted(fmt)]
        return next(((n, self.files[n]) for n in names if n in self.files), None)


@dataclass(frozen=True)
class Check:
    name: str  # for the JSON and the command line
    title: str  # German: the standard or the checker ("PDF/UA-1")
    subject: str  # German: what it checks ("das PDF zum Herunterladen")
    run: str  # "module:function", (Subject) -> Outcome
    cheap: bool  # runs with every build (else only with `aipgen pruefen`)
    accessibility: bool  # its result belongs in the accessibility statement
    costly_reason: str = ""  # German: why it waits for `aipgen pruefen`
    # "module:function", (list[Subject]) -> list[Outcome]: the check of several programmes
    # with one start of its checker (a Java or browser process); "" to run `run` on each
    run_many: str = ""

    def outcomes(self, subjects: list[Subject], everything: bool) -> list[Outcome]:
        """Its outcome for each programme, in their order."""
        if not (self.cheap or everything):
            return [not_run(self.costly_reason) for _ in subjects]
        if self.run_many:
            many: Callable[[list[Subject]], list[Outcome]] = imported(self.run_many)
            return many(subjects)
        checked: Callable[[Subject], Outcome] = imported(self.run)
        return [checked(subject) for subject in subjects]


CHECKS: dict[str, Check] = {}


def register(check: Check) -> Check:
    CHECKS[check.name] = check
    return check


@dataclass(frozen=True)
class Result:
    """One check's outcome, with the findings the HTML report lists (`shown`, then `more`)."""

    check: Check
    outcome: Outcome

    @property
    def shown(self) -> list[Finding]:
        return self.outcome.findings[:SHOWN]

    @property
    def more(self) -> int:
        return max(0, len(self.outcome.findings) - SHOWN)


@dataclass(frozen=True)
class ProofReport:
    """Every check's outcome for one programme, on a date."""

    programme: str
    date: datetime.date
    results: list[Result]
    everything: bool  # all checks were asked for (`aipgen pruefen`), not only the cheap ones

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.outcome.status == "failed"]

    @property
    def not_run(self) -> list[Result]:
        return [r for r in self.results if r.outcome.status == "not_run"]


def prove(subjects: list[Subject], date: datetime.date, everything: bool) -> list[ProofReport]:
    """Run the checks on programmes' output, all of them or only the cheap ones: each
    programme's report, in their order. A check that starts a checker of its own starts it
    once for all of them."""
    found = [(check, check.outcomes(subjects, everything)) for check in CHECKS.values()]
    return [
        ProofReport(subject.name, date, [Result(c, got[i]) for c, got in found], everything)
        for i, subject in enumerate(subjects)
    ]


def proved(
    subject: Subject, date: datetime.date, everything: bool, title: str, design: DesignFiles
) -> tuple[ProofReport, Files]:
    """The checks' report on a programme's output, and its files (from the design's
    template)."""
    report = prove([subject], date, everything)[0]
    return report, report_files(report, title, design)


def failures(report: ProofReport) -> list[Problem]:
    """The failed checks, as German warnings of the build."""
    return [
        Problem.general(
            f"{report.programme}: {r.check.title} nicht bestanden, {len(r.outcome.findings)} "
            f"Befunde (siehe {REPORT})"
        )
        for r in report.failed
    ]


def said(report: ProofReport) -> list[str]:
    """The report in German lines for the terminal: each check's result, the failed ones
    with their number of findings."""
    lines = []
    for result in report.results:
        outcome = result.outcome
        found = f", {len(outcome.findings)} Befunde" if outcome.findings else ""
        checker = f" ({outcome.checker})" if outcome.checker else ""
        lines.append(f"{result.check.title}: {outcome.label}{found}{checker}")
    return lines


def in_brief(report: ProofReport) -> str:
    """The report in one German line for a build: what passed or failed, what did not run."""
    ran = [f"{r.check.title} {r.outcome.label}" for r in report.results if r not in report.not_run]
    left = ", ".join(r.check.title for r in report.not_run)
    rest = f"; nicht ausgeführt: {left} (alle Prüfungen: aipgen pruefen {report.programme})"
    return ", ".join(ran) + (rest if left else "")


def report_files(report: ProofReport, title: str, design: DesignFiles) -> Files:
    """The report as HTML (German, for people) and as JSON (for machines)."""
    env = layout_env(tuple(str(p) for p in design.folders("templates", "common")))
    html = env.get_template("pruefbericht.html.j2").render(
        report=report,
        title=title,
        date=format_date(report.date),
        data_file=REPORT_DATA,
    )
    return {REPORT: html.encode("utf-8"), REPORT_DATA: report_json(report)}


def report_json(report: ProofReport) -> bytes:
    """The report for machines; its keys in English like programm.json's, its texts German."""
    data = {
        "programme": report.programme,
        "date": report.date.isoformat(),
        "all_checks": report.everything,
        "checks": [
            {"name": r.check.name, "title": r.check.title, **asdict(r.outcome)}
            for r in report.results
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


register(
    Check(
        name="pdfua",
        title="PDF/UA-1",
        subject="das PDF zum Herunterladen, barrierefrei nach ISO 14289-1",
        run="aipgen.media.proofpdf:check_pdf_ua",
        cheap=True,
        accessibility=True,
    )
)
register(
    Check(
        name="pdfx4",
        title="PDF/X-4",
        subject="das Druck-PDF nach ISO 15930-7: Ausgabeprofil, Seitenrahmen, Farbräume, "
        "Schriften, Auflösung der Bilder, Gesamtfarbauftrag",
        run="aipgen.media.proofpdf:check_pdf_x4",
        cheap=True,
        accessibility=False,
    )
)
register(
    Check(
        name="html",
        title="HTML (Nu Html Checker)",
        subject="die Seiten der Website: gültiges HTML",
        run="aipgen.media.proofhtml:check_nu",
        run_many="aipgen.media.proofhtml:check_nu_many",
        cheap=False,
        accessibility=True,
        costly_reason="Nicht ausgeführt: läuft nur mit „aipgen pruefen“ (braucht Java und "
        "einige Sekunden für seinen Start, dann wenig je Programm).",
    )
)
register(
    Check(
        name="axe",
        title="WCAG 2.1 A/AA (axe-core)",
        subject="die Seiten der Website in einem Browser: Barrierefreiheit nach WCAG 2.1",
        run="aipgen.media.proofhtml:check_axe",
        run_many="aipgen.media.proofhtml:check_axe_many",
        cheap=False,
        accessibility=True,
        costly_reason="Nicht ausgeführt: läuft nur mit „aipgen pruefen“ (braucht Chromium und "
        "einige Sekunden je Programm).",
    )
)
