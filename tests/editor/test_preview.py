"""`aipgen vorschau` (preview.py): a real server on a free port, real HTTP requests.

Most tests run on the skeleton of `aipgen neu` in a temporary data folder (it builds in a few
hundredths of a second once matplotlib is loaded). Edits are saved to the folder as an editor
does; the tests poll the served page until it shows the change, with a timeout.
"""

from __future__ import annotations

import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from watchfiles import Change

from aipgen.base.errors import Problem
from aipgen.base.paths import BUILT_IN, DesignFiles, project_design
from aipgen.build.pipeline import Result, build_programme
from aipgen.editor import preview as preview_module
from aipgen.editor.newprogramme import create_programme, placeholders
from aipgen.editor.preview import EVENTS, PDF, EditorFilter, Preview, PreviewError

from ..helpers import WCAG_TAGS, edit

NAME = "muster-2027"
CHAPTER = "kapitel/01-vorwort.md"
TIMEOUT = 30.0


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    return create_programme(tmp_path / "data", NAME, placeholders(NAME, None, None), BUILT_IN)


@pytest.fixture
def preview(programme: Path) -> Iterator[Preview]:
    with Preview(programme, BUILT_IN) as running:
        yield running


@pytest.fixture(scope="module")
def unchanged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One preview for the tests that change nothing."""
    data = tmp_path_factory.mktemp("unveraendert") / "data"
    programme = create_programme(data, NAME, placeholders(NAME, None, None), BUILT_IN)
    with Preview(programme, BUILT_IN) as running:
        page(running)  # the first build is done
        yield running


def request(preview: Preview, target: str, headers: dict[str, str] | None = None) -> tuple:
    """(status, content type, body) of a GET with this exact request target."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.server.server_port, timeout=60)
    try:
        connection.request("GET", target, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read()
    finally:
        connection.close()


def page(preview: Preview, target: str = "/") -> str:
    status, kind, body = request(preview, target)
    assert (status, kind) == (200, "text/html; charset=utf-8")
    return str(body.decode("utf-8"))


def served_until(preview: Preview, condition: Callable[[str], bool], what: str) -> str:
    """The served page once `condition` holds for it; fails after TIMEOUT."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        shown = page(preview)
        if condition(shown):
            return shown
        assert time.monotonic() < deadline, f"nach {TIMEOUT} s noch nicht {what}:\n{panel(shown)}"
        time.sleep(0.02)


def panel(shown: str) -> str:
    """The text of the messages panel (empty when there is none)."""
    found = re.search(r'<div class="av-meldungen.*?</details>', shown, re.DOTALL)
    return html.unescape(re.sub(r"\s*<[^>]+>\s*", " ", found[0])).strip() if found else ""


def version(shown: str) -> str:
    """The version the page was served at (the script reloads when the server has another)."""
    found = re.search(r'var shown = "([^"]+)"', shown)
    assert found, "die Seite nennt ihre Version nicht"
    return found[1]


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def problems_of(root: Path) -> list[str]:
    """The problems a build of the folder as it is now reports, as the panel should show them."""
    result: Result = build_programme(root, BUILT_IN, only=("web",))
    assert result.problems
    return [str(problem) for problem in result.problems]


def test_page_served_with_reload_script_the_build_result_without(
    preview: Preview, programme: Path, tmp_path: Path
) -> None:
    assert preview.server.server_address[0] == "127.0.0.1"
    shown = page(preview)
    assert 'id="aipgen-vorschau"' in shown and EVENTS in shown and PDF in shown
    assert "PDF-Vorschau" in shown and panel(shown) == ""  # no problems, no panel
    assert "Vorwort" in shown
    assert EVENTS in page(preview, "/barrierefreiheit.html")
    built = build_programme(programme, BUILT_IN, only=("web",)).files
    assert (
        b"__vorschau" not in built["index.html"] and b"aipgen-vorschau" not in built["index.html"]
    )
    assert page(preview, "/index.html") == shown  # "/" is index.html
    assert not [p for p in tmp_path.rglob("*") if p.name == "output"]  # nothing written


@pytest.mark.parametrize(
    ("suffix", "kind"),
    [
        (".css", "text/css; charset=utf-8"),
        (".woff2", "font/woff2"),
        (".json", "application/json"),
        (".txt", "text/plain; charset=utf-8"),
    ],
)
def test_files_served_with_their_content_type(unchanged: Preview, suffix: str, kind: str) -> None:
    preview = unchanged
    name = next(n for n in sorted(preview.site.snapshot.files or {}) if n.endswith(suffix))
    status, served_kind, body = request(preview, "/" + name)
    assert (status, served_kind) == (200, kind)
    assert body == (preview.site.snapshot.files or {})[name]  # injected into HTML only


def test_edit_of_a_chapter_shows_up(preview: Preview, programme: Path) -> None:
    page(preview)
    append(programme / CHAPTER, "\n\nNeuer Absatz 4711-0815 aus der Redaktion.\n")
    served_until(preview, lambda shown: "4711-0815" in shown, "die Änderung gezeigt")


def test_events_announce_each_new_version(preview: Preview, programme: Path) -> None:
    """The script reloads when the stream names another version than the page was served at."""
    token = version(page(preview))
    port = preview.server.server_port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    connection.request("GET", EVENTS)
    stream = connection.getresponse()
    assert stream.getheader("Content-Type") == "text/event-stream; charset=utf-8"

    def next_version() -> str:
        while not (line := stream.readline().decode()).startswith("data: "):
            assert line, "Ereignisstrom endete"
        return line.removeprefix("data: ").strip()

    assert next_version() == token
    append(programme / CHAPTER, "\n\nNoch ein Absatz 2024-0001.\n")
    newer = next_version()
    assert newer != token
    assert f'var shown = "{newer}"' in page(preview)
    connection.close()


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        (CHAPTER, "Sehr geehrte", "::tabelle gibtsnicht\n\nSehr geehrte"),
        ("programm.yaml", 'titel: "Arbeitsmarkt-', 'titel: ["Arbeitsmarkt-'),
        ("tabellen/budget.yaml", "spalten:", "spalten: [\n"),
    ],
    ids=["markdown", "yaml", "tabelle"],
)
def test_broken_edit_keeps_last_good_page_and_fixing_it_clears_the_panel(
    preview: Preview, programme: Path, file: str, old: str, new: str
) -> None:
    append(programme / CHAPTER, "\n\nGuter Stand 1111-2222.\n")
    before = served_until(preview, lambda shown: "1111-2222" in shown, "den guten Stand gezeigt")
    path = programme / file
    good = path.read_text(encoding="utf-8")
    edit(path, old, new)
    expected = [f"Fehler: {problem}" for problem in problems_of(programme)]
    assert all(re.match(rf"Fehler: {NAME}/{file}:[1-9]\d*: ", e) for e in expected), expected
    shown = served_until(preview, lambda s: expected[0] in panel(s), "den Fehler gezeigt")
    assert all(e in panel(shown) for e in expected)
    assert 'role="alert"' in shown and "letzten fehlerfreien Stand" in shown
    assert "1111-2222" in shown  # the last good page stays underneath
    assert version(shown) != version(before)  # open pages reload to show the panel
    path.write_text(good, encoding="utf-8")
    served_until(preview, lambda s: panel(s) == "", "das Panel entfernt")


def test_warnings_are_listed_without_alert(
    preview: Preview, programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page(preview)
    real = preview_module.build_guarded

    def warned(root: Path, design: DesignFiles, only: tuple[str, ...]) -> Result:
        result = real(root, design, only)
        result.warnings.append(Problem(f"{NAME}/{CHAPTER}", 3, "Eine Warnung <mit Markup>."))
        return result

    monkeypatch.setattr(preview_module, "build_guarded", warned)
    append(programme / CHAPTER, "\n\nAbsatz 3333-4444.\n")
    shown = served_until(preview, lambda s: "Warnung:" in panel(s), "die Warnung gezeigt")
    assert f"Warnung: {NAME}/{CHAPTER}:3: Eine Warnung <mit Markup>." in panel(shown)
    assert "&lt;mit Markup&gt;" in shown  # untrusted text is escaped
    assert 'role="status"' in shown and 'role="alert"' not in shown
    assert "3333-4444" in shown  # warnings do not hold the page back


def test_unexpected_exception_is_an_internal_error_and_the_server_goes_on(
    preview: Preview, programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page(preview)
    real = preview_module.build_guarded
    failing = True

    def buggy(root: Path, design: DesignFiles, only: tuple[str, ...]) -> Result:
        if failing:
            raise KeyError("ein Fehler in aipgen")
        return real(root, design, only)

    monkeypatch.setattr(preview_module, "build_guarded", buggy)
    append(programme / CHAPTER, "\n\nAbsatz 5555-6666.\n")
    shown = served_until(preview, lambda s: "Interner Fehler" in panel(s), "den Fehler gezeigt")
    assert "Interner Fehler beim Bauen (KeyError)" in panel(shown)
    assert 'role="alert"' in shown and "Vorwort" in shown and "5555-6666" not in shown
    failing = False
    append(programme / CHAPTER, "\n\nAbsatz 7777-8888.\n")
    shown = served_until(preview, lambda s: "7777-8888" in s, "nach dem Fehler neu gebaut")
    assert panel(shown) == ""


def test_a_bug_while_answering_ends_that_request_only(
    preview: Preview, monkeypatch: pytest.MonkeyPatch
) -> None:
    page(preview)

    def broken(*_: object, **__: object) -> str:
        raise RuntimeError("ein Fehler in aipgen")

    monkeypatch.setattr(preview_module, "render_panel", broken)
    status, _, body = request(preview, "/")
    assert status == 500 and "Interner Fehler der Vorschau (RuntimeError)" in body.decode()
    assert request(preview, "/assets/css/style.css")[0] == 200
    monkeypatch.undo()
    assert "Vorwort" in page(preview)


def test_first_build_failing_shows_an_error_page(programme: Path) -> None:
    path = programme / "programm.yaml"
    good = path.read_text(encoding="utf-8")
    edit(path, "jahr: ", "jahr: [")
    expected = f"Fehler: {problems_of(programme)[0]}"
    with Preview(programme, BUILT_IN) as running:
        shown = page(running)
        assert expected in panel(shown) and "noch keinen fehlerfreien Stand" in shown
        assert 'role="alert"' in shown and EVENTS in shown  # it reloads once fixed
        assert request(running, "/assets/css/style.css")[0] == 404
        path.write_text(good, encoding="utf-8")
        served_until(running, lambda s: "Vorwort" in s and panel(s) == "", "die Seite gezeigt")


@pytest.mark.parametrize(
    "target",
    [
        "/../programm.yaml",
        "/%2e%2e/programm.yaml",
        "/%2E%2E%2Fprogramm.yaml",
        "/..%2fprogramm.yaml",
        "/assets/..%2F..%2Fprogramm.yaml",
        "/assets/../../programm.yaml",
        "/%252e%252e/programm.yaml",
        "/..%5cprogramm.yaml",
        "/.%2e/.%2e/kapitel/01-vorwort.md",
        "/programm.yaml",
        "/kapitel/01-vorwort.md",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        "/index.html%00.yaml",
        "/assets/",
        "{base}/../programm.yaml",
    ],
)
def test_nothing_outside_the_built_files_is_served(unchanged: Preview, target: str) -> None:
    base = unchanged.url.rstrip("/")
    status, _, body = request(unchanged, target.format(base=base))
    assert status == 404
    assert b"jobcenter:" not in body and b"Sehr geehrte" not in body and b"root:" not in body


def test_requests_for_another_host_are_refused(unchanged: Preview) -> None:
    """A page of another site, reaching 127.0.0.1 by DNS rebinding, must not read the draft."""
    assert request(unchanged, "/", {"Host": "angreifer.example:80"})[0] == 403
    port = unchanged.server.server_port
    assert request(unchanged, "/", {"Host": f"localhost:{port}"})[0] == 200


def test_pdf_preview_built_on_demand_and_kept_until_the_next_change(
    preview: Preview, programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page(preview)
    real, built = preview_module.build_guarded, []

    def counted(root: Path, design: DesignFiles, only: tuple[str, ...]) -> Result:
        built.extend(only)
        return real(root, design, only)

    monkeypatch.setattr(preview_module, "build_guarded", counted)
    for _ in range(2):
        status, kind, body = request(preview, PDF)
        assert (status, kind) == (200, "application/pdf") and body.startswith(b"%PDF-")
    assert built.count("pdf") == 1
    append(programme / CHAPTER, "\n\nAbsatz 9999-0000.\n")
    served_until(preview, lambda s: "9999-0000" in s, "die Änderung gezeigt")
    assert request(preview, PDF)[2].startswith(b"%PDF-") and built.count("pdf") == 2


def test_pdf_preview_of_broken_content_lists_the_problems(
    preview: Preview, programme: Path
) -> None:
    page(preview)
    edit(programme / CHAPTER, "Sehr geehrte", "::tabelle gibtsnicht\n\nSehr geehrte")
    status, kind, body = request(preview, PDF)
    assert (status, kind) == (422, "text/html; charset=utf-8")
    shown = body.decode()
    assert f"Fehler: {problems_of(programme)[0]}" in panel(shown) and 'role="alert"' in shown


def test_a_busy_port_is_a_german_error(programme: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PreviewError) as error:
            Preview(programme, BUILT_IN, port)
    assert str(error.value) == f"Port {port} ist schon belegt – einen anderen mit --port wählen."


def test_editors_temporary_files_are_not_watched() -> None:
    keep = EditorFilter()
    for name in [".#01-vorwort.md", "01-vorwort.md~", ".01-vorwort.md.swp", "4913", "#a.md#"]:
        assert not keep(Change.added, f"/daten/{NAME}/kapitel/{name}"), name
    assert keep(Change.modified, f"/daten/{NAME}/kapitel/01-vorwort.md")


def test_an_edit_of_the_projects_style_sheet_shows_up(programme: Path, tmp_path: Path) -> None:
    project = tmp_path / "projekt"
    sheet = project / "templates" / "common" / "eigen.css"
    sheet.parent.mkdir(parents=True)
    sheet.write_text("body { margin: 0; }\n", encoding="utf-8")
    with Preview(programme, project_design(project)) as running:
        assert 'href="assets/css/common-eigen.css"' in page(running)
        sheet.write_text("body { color: #123456; }\n", encoding="utf-8")
        deadline = time.monotonic() + TIMEOUT
        while b"#123456" not in request(running, "/assets/css/common-eigen.css")[2]:
            assert time.monotonic() < deadline, "die geänderte eigen.css kam nicht an"
            time.sleep(0.02)


def get(port: int, target: str = "/") -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_command_previews_an_edit_and_a_signal_ends_it(programme: Path, signum: int) -> None:
    """`aipgen vorschau` as an editor runs it: the address, the page, an edit of a chapter
    shown without a restart; Strg+C (or a SIGTERM) is the normal way to end it: a one-line
    goodbye, exit code 0, no traceback and nothing about removed files."""
    env = {k: v for k, v in os.environ.items() if k != "AIPGEN_DEBUG"}
    command = [sys.executable, "-m", "aipgen.cli.entry", "vorschau", NAME]
    process = subprocess.Popen(
        [*command, "--data-dir", str(programme.parent)],
        cwd=programme.parent.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        said = process.stdout.readline().strip()
        assert said.startswith("Vorschau: http://127.0.0.1:") and said.endswith("Strg+C"), said
        port = int(said.split()[1].rsplit(":", 1)[1].strip("/"))
        assert get(port)[0] == 200  # after the first build
        edit(programme / CHAPTER, "# Vorwort", "# Vorwort aus der Vorschau")
        deadline = time.monotonic() + TIMEOUT
        while "Vorwort aus der Vorschau" not in get(port)[1]:
            assert time.monotonic() < deadline, "die Änderung kam nicht an"
            time.sleep(0.05)
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    finally:
        process.kill()
    assert process.returncode == 0
    assert stdout.strip() == "Vorschau beendet." and stderr == "", (stdout, stderr)
    assert not (programme.parent.parent / "output").exists()  # the preview writes nothing


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_the_browser_reloads_by_itself_and_keeps_its_place(
    preview: Preview, programme: Path, tab: Page
) -> None:
    tab.goto(preview.url, wait_until="load")
    # the browser's own restoring off: the page's script keeps the place
    tab.evaluate("history.scrollRestoration = 'manual'; window.scrollTo(0, 400)")
    with tab.expect_navigation(timeout=TIMEOUT * 1000):
        append(programme / CHAPTER, "\n\nIm Browser 1212-3434.\n")
    assert "1212-3434" in tab.inner_text("body")
    tab.wait_for_function("window.scrollY === 400", timeout=5000)


def test_the_panel_is_accessible(preview: Preview, programme: Path, tab: Page) -> None:
    tab.goto(preview.url, wait_until="load")
    with tab.expect_navigation(timeout=TIMEOUT * 1000):
        edit(programme / CHAPTER, "Sehr geehrte", "::tabelle gibtsnicht\n\nSehr geehrte")
    assert tab.locator("#aipgen-vorschau [role=alert]").is_visible()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    for width in (1280, 375):
        tab.set_viewport_size({"width": width, "height": 900})
        found = Axe().run(tab, context="#aipgen-vorschau", options=options).response
        assert [v["id"] for v in found["violations"]] == [], width
