"""The output formats a programme is published in, as a registry: web page, screen PDF, print PDF,
Word file.

Each format declares its name, the files it writes in output/<programme>/ (the ones it owns),
what its templates need to know (paged or not, links assets or not, chart colours), what the
build needs to know (offered for download, lists the downloads, needs the website's
statements), its stylesheet additions, and the renderer that turns the format's HTML into
files. A new medium is one more `register(OutputFormat(...))`, here or in any module imported
before the build (docs/entwicklung.md); the build asks formats what they can do, never their
names.

The registry sits in the base room because the content model checks the formats a programme
asks for; the renderers (aipgen.media) are named as "module:function" and imported when their
format first renders, so no room imports one above it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from aipgen.base.errors import Problem
    from aipgen.compute.document import Document  # only for the type of Job.doc

Variant = Literal["screen", "print"]
EXCEL_FOLDER = "excel/"  # below a format's data folder: its data for Excel
Files = dict[str, bytes]


@dataclass(frozen=True)
class Job:
    """One format to render for one document: its HTML, where warnings go, what the formats of
    one programme's build share (the pages both PDFs are written from), and what is closed
    once the last of them is written (a renderer's temporary folder); whoever makes the jobs
    closes `cleanup`."""

    doc: Document
    html: str
    warnings: list[Problem]
    shared: dict[str, Any] = field(default_factory=dict)
    cleanup: ExitStack = field(default_factory=ExitStack)


Renderer = Callable[["OutputFormat", Job], Files]


@dataclass(frozen=True)
class OutputFormat:
    """What a template may ask about the medium it renders for."""

    name: str
    label: str  # German, for messages and download links
    kind: str  # German, what the file is, for download links ("PDF, 1,2 MB")
    filename: str  # in output/<programme>/; "{name}" is the programme folder's name
    paged: bool  # laid out in pages: footnotes at the page foot, imprint after the contents
    links_assets: bool  # links stylesheet, fonts and images below assets/ (copied by the writer)
    interactive: bool  # a browser shows it: skip link, footnote links, chart data tables
    colours: Variant  # which palette values its charts use; "screen" for a screen format
    downloadable: bool  # its file is offered for download by the formats that list downloads
    lists_downloads: bool  # offers the downloadable formats' files (rendered after them)
    statements: bool  # published as a website: needs programm.yaml's `web` (privacy link)
    # and `barrierefreiheit` (accessibility statement)
    stylesheets: tuple[str, ...]  # additions to the layout's style.css, looked up like it
    renderer: str  # "module:function", a Renderer imported when the format first renders
    # further files ("barrierefreiheit.html") and folders ("assets/") it writes beside its
    # file; "{name}" as in filename. A build without the format keeps all of these.
    owns: tuple[str, ...] = ()
    # "module:function" that loads what the renderer needs, called once before a batch forks
    # its workers, so that none loads it again (e.g. WeasyPrint); "" for nothing
    preload: str = ""
    # "module:function" that loads what the renderer needs late, called in a single build
    # while it waits for charts drawn beside it (build/charting.py); not before a batch forks:
    # there it would sit in every worker's memory from the start; "" for nothing
    loads_while_waiting: str = ""
    # the name of the format whose HTML (and so whose laid-out pages) this one writes, "" for
    # its own: the print PDF is written from the screen PDF's pages, laid out once
    pages_of: str = ""
    # what the accessibility statement lists about its file when the website offers it: an
    # entry of `luecken` in templates/common/barrierefreiheit.yaml, "" for nothing (accessible)
    gap: str = ""
    # the folder (ending in "/") where it publishes every table's and chart's data as CSV
    # with a data package (media/opendata.py), linked from each; "" for none
    data_folder: str = ""
    # built when programm.yaml has no `ausgaben` and `--nur` does not name it; False: only where
    # `ausgaben` lists it or `--nur` names it (the Word file for the approval)
    by_default: bool = True
    # its renderer fetches chart images as it lays out the pages (media/pdf.py), so its HTML
    # may name charts that are still being drawn beside the build (build/charting.py)
    fetches_charts: bool = False

    @property
    def excel_folder(self) -> str:
        """Where the same data is published for Excel (semicolon, decimal comma)."""
        return f"{self.data_folder}{EXCEL_FOLDER}" if self.data_folder else ""

    def file(self, programme: str) -> str:
        return self.filename.format(name=programme)

    def owned(self, programme: str) -> tuple[str, ...]:
        """Its file and the further files and folders (ending in "/") it writes."""
        return (self.file(programme), *(part.format(name=programme) for part in self.owns))

    def owns_file(self, programme: str, rel: str) -> bool:
        """Whether `rel` (a path in output/<programme>/, with "/") is one of its files."""
        return any(
            rel.startswith(part) if part.endswith("/") else rel == part
            for part in self.owned(programme)
        )

    def page_source(self) -> OutputFormat:
        """The format whose HTML this one is rendered from: itself, or the one of `pages_of`."""
        return FORMATS[self.pages_of] if self.pages_of else self

    def render(self, job: Job) -> Files:
        return renderer(self.renderer)(self, job)

    def load(self) -> None:
        """Load what the renderer needs, ahead of the first render (see `preload`)."""
        load(self.preload)

    def load_while_waiting(self) -> None:
        """Load what the renderer needs late, while the build waits for something else."""
        load(self.preload)
        load(self.loads_while_waiting)


def load(reference: str) -> None:
    """Call the loader a "module:function" string names, if any."""
    if reference:
        loader: Callable[[], None] = imported(reference)
        loader()


def renderer(reference: str) -> Renderer:
    found: Renderer = imported(reference)
    return found


def imported(reference: str) -> Any:
    """The function a "module:function" string names, its module imported."""
    module, _, function = reference.partition(":")
    return getattr(importlib.import_module(module), function)


FORMATS: dict[str, OutputFormat] = {}


def register(fmt: OutputFormat) -> OutputFormat:
    FORMATS[fmt.name] = fmt
    return fmt


def known_formats() -> str:
    return ", ".join(FORMATS)


def first(wanted: Callable[[OutputFormat], bool]) -> OutputFormat:
    """The first format registered that has what `wanted` asks (the built-in ones come first),
    e.g. the format a browser shows, for the preview."""
    found = [fmt for fmt in FORMATS.values() if wanted(fmt)]
    if not found:
        raise LookupError("no output format registered has what is asked for")
    return found[0]


def owner(programme: str, rel: str) -> OutputFormat | None:
    """The format that wrote `rel` in output/<programme>/; None for the build's own files."""
    return next((fmt for fmt in FORMATS.values() if fmt.owns_file(programme, rel)), None)


def defaults() -> list[str]:
    """The formats a programme has when programm.yaml lists none (`ausgaben`)."""
    return [name for name, fmt in FORMATS.items() if fmt.by_default]


def chosen(outputs: Collection[str], only: Collection[str]) -> list[OutputFormat]:
    """The formats to build of a programme with the formats `outputs` (`ausgaben`) when the
    build asks for `only` (`--nur`, every format when not given): those of the programme that
    are asked for, and a format not built by default also when `--nur` names it."""
    named = set(only) != set(FORMATS)
    return select(
        [
            name
            for name, fmt in FORMATS.items()
            if name in only and (name in outputs or (named and not fmt.by_default))
        ]
    )


def select(names: list[str] | tuple[str, ...]) -> list[OutputFormat]:
    """The formats by name, in the order to render them: pages that offer downloads last."""
    chosen = [fmt for name, fmt in FORMATS.items() if name in names]
    return sorted(chosen, key=lambda fmt: fmt.lists_downloads)


register(
    OutputFormat(
        name="web",
        label="Website",
        kind="HTML",
        filename="index.html",
        paged=False,
        links_assets=True,
        interactive=True,
        colours="screen",
        downloadable=False,
        lists_downloads=True,
        statements=True,
        stylesheets=("web.css",),
        renderer="aipgen.media.web:render_web",
        # the statement page (media/web.py), a draft's change report (build/pipeline.py), and
        # the stylesheets, fonts and images the pages link
        owns=(
            "barrierefreiheit.html",
            "leichte-sprache.html",
            "aenderungen.html",
            "sitemap.xml",
            "assets/",
            "daten/",
        ),
        data_folder="daten/",
    )
)
register(
    OutputFormat(
        name="pdf",
        label="Programm als barrierefreies PDF",
        kind="PDF",
        filename="{name}.pdf",
        paged=True,
        links_assets=False,
        interactive=False,
        colours="screen",
        downloadable=True,
        lists_downloads=False,
        statements=False,
        stylesheets=("seiten.css", "beschnitt.css"),
        renderer="aipgen.media.pdf:screen_pdf_files",
        preload="aipgen.media.pdf:preload",
        fetches_charts=True,
    )
)
register(
    OutputFormat(
        name="druck",
        label="Druckfassung für die Druckerei",
        kind="PDF/X-4 in CMYK",
        filename="{name}-druck.pdf",
        paged=True,
        links_assets=False,
        interactive=False,
        colours="print",
        downloadable=True,
        lists_downloads=False,
        statements=False,
        stylesheets=("seiten.css", "beschnitt.css"),
        renderer="aipgen.media.printpdf:print_pdf_files",
        gap="druckfassung",
        preload="aipgen.media.pdf:preload",
        loads_while_waiting="aipgen.media.printpdf:preload",
        pages_of="pdf",
    )
)
register(
    OutputFormat(
        name="word",
        label="Programm als Word-Datei",
        kind="Word",
        filename="{name}.docx",
        # laid out in pages by Word: footnotes at the page foot, charts as images
        paged=True,
        links_assets=False,
        interactive=False,
        colours="screen",
        downloadable=False,  # for the approval and the next year's edit, not for publishing
        lists_downloads=False,
        statements=False,
        stylesheets=(),
        renderer="aipgen.media.word:render_word",
        by_default=False,
    )
)
