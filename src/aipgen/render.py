"""Turn a document into HTML (Jinja, autoescape, StrictUndefined) and HTML into PDF (WeasyPrint).

The PDF renderer only fetches files from the programme folder and the project's own assets.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from markdown_it.token import Token
from markupsafe import Markup

from . import markdown
from .compute import ChapterDoc, Document
from .numbers import format_number
from .paths import CHARTS, TEMPLATES


@dataclass(frozen=True)
class ChartSvg:
    svg: str
    alt: str

    @property
    def data_uri(self) -> str:
        """The SVG as an image URL, so WeasyPrint draws it with its SVG renderer."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


@dataclass
class RenderedChapter:
    body: Markup
    footnotes: list[tuple[int, Markup]]
    signature: Any


def jinja_env(layout: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(TEMPLATES / layout), str(TEMPLATES / "common")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["zahl"] = format_number
    return env


def render_html(doc: Document, charts: dict[str, ChartSvg], medium: str) -> str:
    """The whole programme as one HTML page; medium is "web" or "pdf".

    Web pages link their assets below assets/ (copied there by the writer); the PDF's HTML
    links the project's own files and resolves images against the programme folder.
    """
    if medium == "web":
        stylesheet, images = "assets/css/style.css", "assets/"
    else:
        stylesheet, images = stylesheet_path(doc.meta.layout).as_uri(), ""
    env = jinja_env(doc.meta.layout)
    parts = env.get_template("parts.html.j2").module
    chapters = [render_chapter(c, doc, charts, parts, medium) for c in doc.chapters]
    template = env.get_template("document.html.j2")
    return template.render(
        doc=doc,
        meta=doc.meta,
        toc=doc.toc,
        chapters=chapters,
        medium=medium,
        stylesheet=stylesheet,
        images=images,
    )


def stylesheet_path(layout: str) -> Path:
    return TEMPLATES / layout / "style.css"


def render_chapter(
    chapter: ChapterDoc, doc: Document, charts: dict[str, ChartSvg], parts: Any, medium: str
) -> RenderedChapter:
    md = markdown.make_parser()
    bodies: dict[int, Markup] = {}
    split = next(
        (i for i, t in enumerate(chapter.tokens) if t.type == "footnote_block_open"),
        len(chapter.tokens),
    )
    main, notes = chapter.tokens[:split], chapter.tokens[split:]
    for fid, inline in footnote_inlines(notes).items():
        bodies[fid] = Markup(md.renderer.render(inline, md.options, {}))

    def heading_open(_: Any, tokens: Sequence[Token], idx: int, *__: Any) -> str:
        token = tokens[idx]
        level = int(token.tag[1]) + 1
        return str(parts.heading_open(min(level, 6), token.meta["anchor"], token.meta["number"]))

    def heading_close(_: Any, tokens: Sequence[Token], idx: int, *__: Any) -> str:
        return str(parts.heading_close(min(int(tokens[idx].tag[1]) + 1, 6)))

    def directive(_: Any, tokens: Sequence[Token], idx: int, *__: Any) -> str:
        meta = tokens[idx].meta
        kind, name = meta["kind"], meta["name"]
        if kind == "tabelle":
            return str(parts.table(doc.tables[name], medium))
        if kind == "diagramm":
            return str(parts.chart(doc.charts[name], charts[name], medium))
        return str(parts.keyfigures(doc.keyfigures[name]))

    def footnote_ref(_: Any, tokens: Sequence[Token], idx: int, *__: Any) -> str:
        fid = tokens[idx].meta["id"]
        return str(parts.footnote_ref(chapter.footnotes[fid], bodies.get(fid, ""), medium))

    def image(_: Any, tokens: Sequence[Token], idx: int, *__: Any) -> str:
        token = tokens[idx]
        prefix = "assets/" if medium == "web" else ""
        alt = "".join(c.content for c in token.children or [])
        return str(parts.image(prefix + str(token.attrGet("src")), alt))

    for name, rule in {
        "image": image,
        "heading_open": heading_open,
        "heading_close": heading_close,
        "directive": directive,
        "footnote_ref": footnote_ref,
    }.items():
        md.add_render_rule(name, rule)
    body = Markup(md.renderer.render(main, md.options, {}))
    footnotes = [(chapter.footnotes[fid], bodies[fid]) for fid in sorted(bodies)]
    return RenderedChapter(body, footnotes, chapter.signature)


def footnote_inlines(tokens: list[Token]) -> dict[int, list[Token]]:
    """The inline tokens of every footnote body, by markdown-it footnote id."""
    bodies: dict[int, list[Token]] = {}
    current: int | None = None
    for token in tokens:
        if token.type == "footnote_open":
            current = token.meta["id"]
            bodies[current] = []
        elif token.type == "footnote_close":
            current = None
        elif current is not None and token.type == "inline":
            if bodies[current]:
                bodies[current].append(Token("text", "", 0, content=" "))
            bodies[current].append(token)
    return bodies


def render_pdf(html: str, root: Path, warnings: list[str]) -> bytes:
    """PDF/UA-1 (tagged) from the HTML; collects WeasyPrint's warnings into `warnings`."""
    import weasyprint

    handler = ListHandler(warnings)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        document = weasyprint.HTML(
            string=html,
            base_url=str(root) + "/",
            url_fetcher=SafeFetcher([root, TEMPLATES, CHARTS]),
        )
        pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    finally:
        logger.removeHandler(handler)
    return pdf


class ListHandler(logging.Handler):
    """Collects WeasyPrint's warnings so they can be counted (and fail a strict build)."""

    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(f"PDF: {record.getMessage()}")


def make_fetcher_class() -> type:
    import weasyprint

    class _SafeFetcher(weasyprint.URLFetcher):  # type: ignore[misc]
        def __init__(self, roots: list[Path]) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self.roots = [r.resolve() for r in roots]

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(r) for r in self.roots):
                    raise ValueError(f"Zugriff außerhalb des Programmordners verweigert: {url}")
            elif not url.startswith("data:"):
                raise ValueError(f"Zugriff auf das Netz verweigert: {url}")
            return super().fetch(url, headers)

    return _SafeFetcher


def SafeFetcher(roots: list[Path]) -> Any:  # noqa: N802 - reads like the class it builds
    return make_fetcher_class()(roots)
