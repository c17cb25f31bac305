"""`aipgen vorschau`: a programme's website on 127.0.0.1, rebuilt on every save; the browser
reloads by itself.

The page is built in this process (the web format only) and kept in memory; nothing is written
to output/. A watcher thread (watchfiles) notices saved files in the programme folder and in the
design folders (the project's templates/ and charts/, the built-in ones in a source checkout) and
rebuilds. Every HTML page served gets, at serve time and never in the built files, a panel with
the build's problems and warnings, a link to the PDF preview and a small script that reloads the
page after a rebuild (Server-Sent Events), keeping the scroll position (templates/common/
vorschau.html.j2). A rebuild with problems keeps the last good page; an unexpected exception (a
bug) shows as an internal error and the server goes on. The screen PDF is built when asked for
and kept until the next change. Builds run one at a time: matplotlib is not made for threads.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import os
import secrets
import socketserver
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
import watchfiles

from aipgen.base import interrupt, paths
from aipgen.base.errors import InternalError
from aipgen.base.formats import FORMATS, OutputFormat, first
from aipgen.build.pipeline import Result, build_guarded
from aipgen.media.render import layout_env

HOST = "127.0.0.1"
PREFIX = "/__vorschau/"
EVENTS = PREFIX + "ereignisse"
PDF = PREFIX + "pdf"
PANEL, PAGE = "vorschau.html.j2", "vorschau-seite.html.j2"  # in templates/common/
STEP_MS = 50  # a batch of saved files is built once nothing changed for this long
DEBOUNCE_MS = 300  # and at the latest this long after its first change
KEEPALIVE = 15.0  # seconds between the event stream's keep-alive comments
POLL = 0.1  # seconds the server takes to notice that it should stop
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
}
# Editors' temporary, backup and lock files beyond watchfiles' own list (vim's write test
# "4913", Kate's swap files, LibreOffice's lock files, "*.tmp").
EDITOR_FILES = (r"^4913$", r"\.kate-swp$", r"^\.~lock\..*#$", r"\.tmp$", r"^#.*#$")


class PreviewError(Exception):
    """The preview cannot start; the message is German."""


@dataclass(frozen=True)
class Report:
    """What the last build said: its problems and warnings (German, with file and line), or the
    internal error that stopped it."""

    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    internal: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.internal)


def site_format() -> OutputFormat:
    """The format the preview serves: the first one a browser shows (the website)."""
    return first(lambda fmt: fmt.interactive)


def pdf_format() -> OutputFormat:
    """The format of the PDF preview: the first one in pages with screen colours."""
    return first(lambda fmt: fmt.paged and fmt.colours == "screen")


def report_of(result: Result, fmt: str) -> Report:
    """The build's report; a build without the format's file (the programme's `ausgaben` leave
    it out) is an error too."""
    errors = tuple(str(problem) for problem in result.problems)
    if not errors and FORMATS[fmt].file(result.name) not in result.files:
        errors = (
            f"{result.name}/programm.yaml: Die Vorschau braucht die Ausgabe „{fmt}“, aber "
            "„ausgaben“ nennt sie nicht.",
        )
    return Report(errors, tuple(str(warning) for warning in result.warnings))


def internal_report(exc: Exception, where: str = "beim Bauen") -> Report:
    """An unexpected exception (a bug in aipgen) as the panel shows it."""
    return Report(internal=internal_message(exc, where))


def internal_message(exc: Exception, where: str) -> str:
    """The German message for a bug; the traceback goes to the terminal with AIPGEN_DEBUG=1,
    as for the other commands."""
    kind = exc.kind if isinstance(exc, InternalError) else type(exc).__name__
    if os.environ.get("AIPGEN_DEBUG") == "1":
        detail = exc.detail if isinstance(exc, InternalError) else None
        sys.stderr.write(detail or "".join(traceback.format_exception(exc)))
    return (
        f"Interner Fehler {where} ({kind}). Das ist ein Fehler in aipgen, nicht im Inhalt – "
        "bitte melden; Einzelheiten zeigt „aipgen vorschau“ mit AIPGEN_DEBUG=1 im Terminal."
    )


@dataclass(frozen=True)
class Snapshot:
    """What the preview shows: the last good build's files (None before there is one), the
    last build's report, and a token that changes whenever either does."""

    version: int = 0
    files: dict[str, bytes] | None = None
    report: Report = field(default_factory=Report)
    built: str = ""  # when the files were built, "14:03:27"
    seconds: float = 0.0  # how long the last build took


class Site:
    """The current snapshot, shared by the builder and the request threads, and the design
    files whose templates show the panel."""

    def __init__(self, name: str, design: paths.DesignFiles) -> None:
        self.name = name
        self.design = design
        self.instance = secrets.token_hex(4)  # a restarted preview reloads its pages too
        self.snapshot = Snapshot()
        self.changed = threading.Condition()
        self.closed = False

    def token(self, snapshot: Snapshot) -> str:
        return f"{self.instance}-{snapshot.version}"

    def publish(self, files: dict[str, bytes] | None, report: Report, seconds: float) -> None:
        """A build's outcome; files None keeps the last good ones. Pages reload only when
        what they show changed."""
        with self.changed:
            old = self.snapshot
            if old.version and report == old.report and (files is None or files == old.files):
                self.snapshot = Snapshot(old.version, old.files, report, old.built, seconds)
                return
            built = datetime.datetime.now().strftime("%H:%M:%S") if files is not None else old.built
            good = old.files if files is None else files
            self.snapshot = Snapshot(old.version + 1, good, report, built, seconds)
            self.changed.notify_all()

    def wait(self, newer_than: int, timeout: float) -> Snapshot:
        """The snapshot once its version is above `newer_than` (or at the timeout, or when the
        preview closes)."""
        with self.changed:
            self.changed.wait_for(
                lambda: self.closed or self.snapshot.version > newer_than, timeout
            )
            return self.snapshot

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()


class EditorFilter(watchfiles.DefaultFilter):
    """watchfiles' defaults (swap files, "~" backups, Emacs locks, .git) and a few more."""

    ignore_entity_patterns = (*watchfiles.DefaultFilter.ignore_entity_patterns, *EDITOR_FILES)


def watched_folders(root: Path, design: paths.DesignFiles) -> list[Path]:
    """The programme folder and the design folders an edit of which changes the page: the
    project's own, and the built-in ones where they lie in a source checkout (not installed)."""
    roots = [r for r in design.roots if r != paths.BUILTIN or in_checkout(r)]
    return [root, *(r / name for r in roots for name in paths.FOLDERS if (r / name).is_dir())]


def in_checkout(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file()


def forget_design(changed: set[Path], root: Path) -> None:
    """Empty the in-process caches of design files that a change outside the programme folder
    may have made stale; the drawn charts only when chart styles, palette or fonts changed."""
    outside = [p for p in changed if not p.is_relative_to(root)]
    if not outside:
        return
    charts = any("charts" in p.parts or "fonts" in p.parts for p in outside)
    paths.forget_design({"pages", "charts"} if charts else {"pages"})


class Builder:
    """Builds the page on start and after every batch of saved files, and the PDF when a
    request asks for it; one build at a time. The watcher (its own thread) only collects what
    changed, so saves during a build make one rebuild after it."""

    def __init__(self, root: Path, design: paths.DesignFiles, site: Site) -> None:
        self.root = root.resolve()
        self.design = design
        self.site = site
        self.building = threading.Lock()
        self.stopping = threading.Event()
        self.changes = threading.Condition()
        self.pending: set[Path] = set()  # saved since the last build began
        self.generation = 0  # counts the batches of saved files
        self.pdf_lock = threading.Lock()  # one PDF build; requests meanwhile wait for it
        self.pdf_cache: tuple[int, bytes | Report] | None = None

    def watch(self) -> None:
        """Collect the saved files (debounced by watchfiles) until `stopping`."""
        try:
            for batch in watchfiles.watch(
                *watched_folders(self.root, self.design),
                watch_filter=EditorFilter(),
                debounce=DEBOUNCE_MS,
                step=STEP_MS,
                stop_event=self.stopping,
                raise_interrupt=False,
            ):
                with self.changes:
                    self.pending.update(Path(path) for _, path in batch)
                    self.generation += 1
                    self.changes.notify_all()
        except Exception as exc:  # the watcher failed: say so on the page, keep serving
            where = "beim Beobachten der Ordner: Änderungen zeigt erst ein Neustart der Vorschau"
            self.site.publish(None, internal_report(exc, where), 0.0)

    def run(self) -> None:
        """The first build, then one rebuild per batch of saved files, until `stopping`."""
        try:
            self.rebuild()
            while changed := self.next_changes():
                forget_design(changed, self.root)
                self.rebuild()
        except interrupt.Interrupted:
            return  # the main thread ends the preview

    def next_changes(self) -> set[Path]:
        """The files saved since the last build, once there are any; empty when stopping."""
        with self.changes:
            self.changes.wait_for(lambda: self.pending or self.stopping.is_set())
            if self.stopping.is_set():
                return set()
            changed, self.pending = self.pending, set()
            return changed

    def stop(self) -> None:
        with self.changes:
            self.stopping.set()
            self.changes.notify_all()

    def build(self, fmt: str) -> tuple[Result | None, Report, float]:
        start = time.perf_counter()
        try:
            with self.building:
                result = build_guarded(self.root, self.design, only=(fmt,))
        except Exception as exc:  # a bug must not end the preview
            return None, internal_report(exc), time.perf_counter() - start
        return result, report_of(result, fmt), time.perf_counter() - start

    def rebuild(self) -> None:
        result, report, seconds = self.build(site_format().name)
        files = result.files if result is not None and not report.failed else None
        self.site.publish(files, report, seconds)

    def pdf(self) -> bytes | Report:
        """The screen PDF as of the last saved change, or the report why there is none."""
        with self.pdf_lock:
            generation = self.generation
            if self.pdf_cache is None or self.pdf_cache[0] != generation:
                fmt = pdf_format()
                result, report, _ = self.build(fmt.name)
                if result is None or report.failed:
                    self.pdf_cache = generation, report
                else:
                    self.pdf_cache = generation, result.files[fmt.file(self.root.name)]
            return self.pdf_cache[1]


def file_name(target: str) -> str | None:
    """The built file a request names ("/" is index.html); None for a path that would leave
    the site (dot segments, backslashes, NUL bytes, in any percent-encoding)."""
    path = unquote(urlsplit(target).path)
    parts = path.split("/")
    if path[:1] != "/" or "\\" in path or "\0" in path or any(p in (".", "..") for p in parts):
        return None
    name = path[1:]
    return site_format().file("") if name == "" else name


def inject(page: bytes, panel: str) -> bytes:
    """The page with the panel just before </body>."""
    head, tag, tail = page.rpartition(b"</body>")
    if not tag:
        return page + panel.encode("utf-8")
    return head + panel.encode("utf-8") + tag + tail


def templates(design: paths.DesignFiles) -> jinja2.Environment:
    """The house's environment over templates/common (a project's own file first)."""
    return layout_env(tuple(str(p) for p in design.folders("templates", "common")))


def render_panel(site: Site, snapshot: Snapshot, template: str, pdf: bool = False) -> str:
    report = snapshot.report
    return (
        templates(site.design)
        .get_template(template)
        .render(
            name=site.name,
            version=site.token(snapshot),
            errors=report.errors,
            warnings=report.warnings,
            internal=report.internal,
            stale=snapshot.files is not None,
            built=snapshot.built,
            standalone=template == PAGE,
            pdf=pdf,
            events_url=EVENTS,
            pdf_url=PDF,
        )
    )


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, preview: Preview) -> None:
        self.preview = preview
        super().__init__((HOST, port), Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse lookup of the host name."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.server_address[1]


class Handler(BaseHTTPRequestHandler):
    server: Server
    server_version = "aipgen-vorschau"

    def do_GET(self) -> None:
        self.respond()

    def do_HEAD(self) -> None:
        self.respond()

    def respond(self) -> None:
        """Answer the request; an unexpected exception (a bug) ends it, not the server."""
        try:
            self.route(self.server.preview)
        except (BrokenPipeError, ConnectionResetError):
            return  # the browser went away
        except Exception as exc:
            message = internal_message(exc, "der Vorschau")
            with contextlib.suppress(OSError):
                self.send_text(HTTPStatus.INTERNAL_SERVER_ERROR, message)

    def route(self, preview: Preview) -> None:
        if not self.host_allowed():
            self.send_text(HTTPStatus.FORBIDDEN, "Die Vorschau ist nur unter 127.0.0.1 erreichbar.")
        elif self.path.split("?")[0] == EVENTS:
            self.stream_events(preview.site)
        elif self.path.split("?")[0] == PDF:
            self.send_pdf(preview)
        else:
            self.send_file(preview.site, file_name(self.path))

    def host_allowed(self) -> bool:
        """Only requests to this computer's address (no page of another site, reaching here by
        DNS rebinding, may read the draft)."""
        host = self.headers.get("Host")
        port = self.server.server_port
        return host is None or host in (f"{HOST}:{port}", f"localhost:{port}")

    def send_file(self, site: Site, name: str | None) -> None:
        snapshot = site.wait(0, timeout=600)  # the first build
        page = site_format().file("")
        if snapshot.files is None and name == page:
            html = render_panel(site, snapshot, PAGE)
            return self.send_body(HTTPStatus.OK, CONTENT_TYPES[".html"], html.encode("utf-8"))
        body = None if name is None or snapshot.files is None else snapshot.files.get(name)
        if body is None:
            return self.send_text(
                HTTPStatus.NOT_FOUND, "Diese Datei gibt es in der Vorschau nicht."
            )
        suffix = Path(name or "").suffix.lower()
        if suffix == ".html":
            body = inject(body, render_panel(site, snapshot, PANEL))
        kind = CONTENT_TYPES.get(suffix, "application/octet-stream")
        self.send_body(HTTPStatus.OK, kind, body)

    def send_pdf(self, preview: Preview) -> None:
        try:
            outcome = preview.builder.pdf()
        except interrupt.Interrupted:
            return  # the preview is ending
        if isinstance(outcome, bytes):
            return self.send_body(HTTPStatus.OK, CONTENT_TYPES[".pdf"], outcome)
        site = preview.site
        snapshot = Snapshot(site.snapshot.version, None, outcome)
        html = render_panel(site, snapshot, PAGE, pdf=True)
        self.send_body(HTTPStatus.UNPROCESSABLE_ENTITY, CONTENT_TYPES[".html"], html.encode())

    def stream_events(self, site: Site) -> None:
        """Server-Sent Events: the version shown now, then each new one; a comment now and then
        keeps the connection open."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command == "HEAD":
            return
        version = -1
        self.wfile.write(b"retry: 1000\n\n")
        while not site.closed:
            snapshot = site.wait(version, KEEPALIVE)
            if snapshot.version == version:
                self.wfile.write(b": warten\n\n")
            elif snapshot.version:
                self.wfile.write(f"event: stand\ndata: {site.token(snapshot)}\n\n".encode())
            version = max(version, snapshot.version)
            self.wfile.flush()

    def send_text(self, status: HTTPStatus, text: str) -> None:
        self.send_body(status, CONTENT_TYPES[".txt"], f"{text}\n".encode())

    def send_body(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """No access log in the editor's terminal."""


class Preview:
    """The server and the builder of one programme's preview; `start` runs both in threads,
    `close` ends them."""

    def __init__(self, root: Path, design: paths.DesignFiles, port: int = 0) -> None:
        self.site = Site(root.name, design)
        self.builder = Builder(root, design, self.site)
        self.server = bind(port, self)
        self.threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.server_port}/"

    def start(self) -> Preview:
        targets = (self.serve_forever, self.builder.watch, self.builder.run)
        for target, name in zip(targets, ("server", "watch", "build"), strict=True):
            thread = threading.Thread(target=target, name=f"aipgen vorschau {name}", daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever(poll_interval=POLL)

    def close(self) -> None:
        self.builder.stop()
        self.site.close()
        if self.threads:
            self.server.shutdown()
        self.server.server_close()
        for thread in self.threads:
            thread.join(timeout=10)

    def __enter__(self) -> Preview:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        with interrupt.held():
            self.close()


def bind(port: int, preview: Preview) -> Server:
    """The server listening on 127.0.0.1:port (0: a free port)."""
    if not 0 <= port <= 65535:
        raise PreviewError(f"Port {port} gibt es nicht (0 bis 65535; 0 wählt einen freien).")
    try:
        return Server(port, preview)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            message = f"Port {port} ist schon belegt – einen anderen mit --port wählen."
        elif exc.errno == errno.EACCES:
            message = (
                f"Port {port} darf nur der Administrator öffnen – einen über 1023 mit --port "
                "wählen."
            )
        else:
            message = f"Die Vorschau kann nicht an {HOST}:{port} lauschen ({exc.strerror})."
        raise PreviewError(message) from None


def serve(
    root: Path,
    design: paths.DesignFiles,
    port: int = 0,
    open_browser: bool = False,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the programme folder's preview, built with these design files, until SIGINT or
    SIGTERM (with aipgen's signal handlers installed, `interrupt.Interrupted` comes out after
    the server and the watcher have ended); `ready(url)` once it listens."""
    with Preview(root, design, port) as preview:
        if ready is not None:
            ready(preview.url)
        if open_browser:
            webbrowser.open(preview.url)
        threading.Event().wait()
