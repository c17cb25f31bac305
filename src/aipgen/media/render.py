"""Turn a document into the HTML of one output format (Jinja, autoescape, StrictUndefined).

Templates ask the format what differs (paged, links_assets, interactive), never a medium name.
"""

from __future__ import annotations

import base64
import datetime
import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2
from markdown_it.token import Token
from markupsafe import Markup

from aipgen import __version__
from aipgen.base.formats import OutputFormat
from aipgen.base.numbers import format_date, format_number
from aipgen.base.paths import DesignFiles, cache
from aipgen.compute.document import ChapterDoc, Document
from aipgen.compute.yearcompare import Comparison, by_table, heading_years
from aipgen.content.kinds import KINDS, resolve
from aipgen.content.layouts import layout_settings, programme_layout, theme_colours
from aipgen.content.text import blocks, markdown
from aipgen.design.typography import Piece, pieces, tie
from aipgen.media.webmeta import web_meta

COLUMNS_OPEN, COLUMNS_CLOSE = "columns_open", "columns_close"
COLUMN_BLOCKS = {"bullet_list_open", "ordered_list_open"}
SPANNING_HEADINGS = {"h1", "h2"}  # Markdown's chapter and section headings (h2 and h3 in HTML)
SVG = "image/svg+xml"  # the media type of the charts


@dataclass(frozen=True)
class ChartSvg:
    svg: str
    alt: str
    narrow: str = ""  # the same chart drawn for phones; empty where no browser shows it
    # where the PDF's pages fetch a chart that is still being drawn (PENDING), else ""
    url: str = ""

    @property
    def src(self) -> str:
        """The chart as an image URL, so WeasyPrint draws it with its SVG renderer."""
        return self.url or data_uri(self.svg.encode(), SVG)


def data_uri(data: bytes, kind: str) -> str:
    """The data as a URL of media type `kind`."""
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


class PendingCharts(Protocol):
    """Charts being drawn beside the build (build/charting.py), for the PDF's pages: a
    chart's URL (PENDING_SCHEME, in ChartSvg.url) to its SVG, once drawn."""

    def svg(self, url: str) -> str: ...


# The key in Job.shared of the PendingCharts, and the scheme of their URLs
PENDING = "charts.pending"
PENDING_SCHEME = "aipgen-diagramm:"


@dataclass
class RenderedChapter:
    body: Markup
    footnotes: list[tuple[int, Markup]]
    signature: Any
    two_columns: bool = False  # the layout sets the chapter's running text in two columns


def jinja_env(layout: str, design: DesignFiles) -> jinja2.Environment:
    """One environment per layout and set of design files, so each template is compiled once;
    a template of the project's own takes the place of the built-in one."""
    return layout_env(
        tuple(str(p) for f in (layout, "common") for p in design.folders("templates", f)), cache()
    )


@functools.cache
def layout_env(folders: tuple[str, ...], cache: Path | None = None) -> jinja2.Environment:
    """The environment for these template folders; with a cache folder, compiled templates are
    kept there (`vorlagen/`), so the next process need not compile them again (Jinja checks
    each against its template's text)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(folders)),
        bytecode_cache=TemplateCache(str(cache / TEMPLATE_CACHE)) if cache else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["zahl"] = format_number
    env.filters["datum"] = format_date
    env.filters["binden"] = tie  # ties in texts from YAML (table cells): "§ 16", "SGB II"
    return env


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates in the cache folder: an entry that cannot be read is compiled anew,
    a cache that cannot be written is no error."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged entry (pickle, marshal): compile the template
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


@dataclass(frozen=True)
class Download:
    """A file of another format, offered for download on the web page."""

    label: str
    file: str
    kind: str  # "PDF"
    size: str  # "1,2 MB"


def render_html(
    doc: Document,
    charts: dict[str, ChartSvg],
    fmt: OutputFormat,
    downloads: Sequence[Download] = (),
) -> str:
    """The whole programme as one HTML page for one output format.

    Formats that link assets refer to copies below assets/ (made by the writer); the others
    link the project's own files and resolve images against the programme folder.
    """
    env = jinja_env(doc.meta.layout, doc.design)
    parts = env.get_template("parts.html.j2").module
    shown = Shown(doc, charts, fmt, kind_macros(env))
    chapters = [render_chapter(c, shown, parts) for c in doc.chapters]
    return render_page(
        "document.html.j2",
        doc,
        fmt,
        toc=doc.toc,
        listings=doc.listings,
        chapters=chapters,
        downloads=downloads,
    )


def render_page(
    template: str, doc: Document, fmt: OutputFormat, page: str = "", **variables: Any
) -> str:
    """One page of the format from a template in the layout (or common) folder; `page` is its
    file name on the website (by default the format's own file)."""
    env = jinja_env(doc.meta.layout, doc.design)
    colours = theme_colours(doc.meta.theme, doc.design)
    return env.get_template(template).render(
        doc=doc,
        meta=doc.meta,
        format=fmt,
        layout=programme_layout(doc.meta, doc.design),
        stylesheets=stylesheet_links(doc.meta.layout, fmt, doc.design),
        images=image_prefix(fmt),
        colours=colours,
        web=web_meta(env, doc, colours["primary"], page or fmt.file(doc.name)),
        crop_marks=fmt.paged and doc.meta.print_options.crop_marks,
        created=issued(doc).isoformat(),
        generator=f"aipgen {__version__}",
        draft=format_date(doc.draft) if doc.draft else "",
        changes=CHANGES_PAGE,
        **variables,
    )


TEMPLATE_CACHE = "vorlagen"  # below the cache folder: compiled templates
CHANGES_PAGE = "aenderungen.html"  # a draft's change report, beside the web page
LINK_DEPTH = {"link_open": 1, "link_close": -1}  # a text token's link depth changes by these


def render_changes(doc: Document, comparison: Comparison | None) -> str:
    """A draft's change report: every figure changed against last year's programme, the
    figures not yet updated, what looks implausible, and the stated figures printed although
    they differ from the computed ones (abweichung_bestaetigt)."""
    checks = [
        *(comparison.implausible if comparison else []),
        *heading_years(doc),
        *(difference for table in doc.tables.values() for difference in table.differences),
    ]
    return (
        jinja_env(doc.meta.layout, doc.design)
        .get_template("aenderungen.html.j2")
        .render(
            meta=doc.meta,
            draft=format_date(doc.draft or issued(doc)),
            comparison=comparison,
            tables=by_table(comparison.changes) if comparison else [],
            checks=checks,
            generator=f"aipgen {__version__}",
        )
    )


THEME_STYLESHEET = "eigen.css"


def stylesheets(layout: str, fmt: OutputFormat, design: DesignFiles) -> list[Path]:
    """The layout's style.css, then each of the format's additions: common first, then the
    layout's own version of it, so a layout refines what all layouts share; last a project's
    own additions (eigen.css, which aipgen itself does not have)."""
    names = ("style.css", *fmt.stylesheets, THEME_STYLESHEET)
    found = [
        design.find("templates", folder, name) for name in names for folder in ("common", layout)
    ]
    return [path for path in found if path.is_file()]


def stylesheet_links(layout: str, fmt: OutputFormat, design: DesignFiles) -> list[str]:
    if fmt.links_assets:
        return [f"assets/css/{asset_name(path)}" for path in stylesheets(layout, fmt, design)]
    return [path.as_uri() for path in stylesheets(layout, fmt, design)]


def asset_name(stylesheet: Path) -> str:
    """A stylesheet's name below assets/css/: the shared ones prefixed, so none collide."""
    shared = stylesheet.parent.name == "common"
    return f"common-{stylesheet.name}" if shared else stylesheet.name


def image_prefix(fmt: OutputFormat) -> str:
    return "assets/" if fmt.links_assets else ""


def issued(doc: Document) -> datetime.date:
    """The document's date: its "stand", else 1 January of its year (never the build time)."""
    return doc.meta.date or datetime.date(doc.meta.year, 1, 1)


@dataclass(frozen=True)
class Shown:
    """What a directive kind's render step may use: the document, the drawn charts, the output
    format, and each kind's template macro."""

    doc: Document
    charts: dict[str, ChartSvg]
    format: OutputFormat
    macros: dict[str, Any]


def kind_macros(env: jinja2.Environment) -> dict[str, Any]:
    """Each directive kind's macro ("template:macro" in its registry entry)."""
    found = {}
    for kind, spec in KINDS.items():
        template, _, macro = spec.macro.partition(":")
        found[kind] = getattr(env.get_template(template).module, macro)
    return found


def show_directive(kind: str, name: str, shown: Shown) -> str:
    """A placed item as its kind's render step shows it (by default: its macro with the item)."""
    spec = KINDS[kind]
    item = shown.doc.items[kind][name]
    show = resolve(spec.render) if spec.render else plain
    return str(show(shown.macros[kind], item, name, shown))


def plain(macro: Any, item: Any, name: str, shown: Shown) -> Any:
    return macro(item)


def show_table(macro: Any, table: Any, name: str, shown: Shown) -> Any:
    return macro(table, shown.format)


def show_chart(macro: Any, info: Any, name: str, shown: Shown) -> Any:
    return macro(info, shown.charts[name], shown.format)


def render_chapter(chapter: ChapterDoc, shown: Shown, parts: Any) -> RenderedChapter:
    doc, fmt = shown.doc, shown.format
    md = markdown.make_parser()
    bodies: dict[int, Markup] = {}
    split = next(
        (i for i, t in enumerate(chapter.tokens) if t.type == "footnote_block_open"),
        len(chapter.tokens),
    )
    main, notes = chapter.tokens[:split], chapter.tokens[split:]
    columns = two_columns(chapter, doc)
    if columns:
        main = column_runs(main)

    def heading_open(_: Any, tokens: Sequence[Token], idx: int, *__: Any) -> str:
        token = tokens[idx]
        level = int(token.tag[1]) + 1
        return str(parts.heading_open(min(level, 6), token.meta["anchor"], token.meta["number"]))

    def heading_close(_: Any, tokens: Sequence[Token], idx: int, *__: Any) -> str:
        return str(parts.heading_close(min(int(tokens[idx].tag[1]) + 1, 6)))

    def directive(_: Any, tokens: Sequence[Token], idx: int, *__: Any) -> str:
        meta = tokens[idx].meta
        return show_directive(meta["kind"], meta["name"], shown)

    def footnote_ref(_: Any, tokens: Sequence[Token], idx: int, *__: Any) -> str:
        fid, repeat = tokens[idx].meta["id"], tokens[idx].meta.get("subId", 0)
        number = chapter.footnotes[fid]
        return str(parts.footnote_ref(number, bodies.get(fid, ""), fmt, repeat))

    def xref(_: Any, tokens: Sequence[Token], idx: int, *__: Any) -> str:
        meta = tokens[idx].meta
        return str(parts.xref(doc.targets[meta["kind"]][meta["name"]]))

    def image(_: Any, tokens: Sequence[Token], idx: int, *__: Any) -> str:
        token = tokens[idx]
        alt = "".join(c.content for c in token.children or [])
        return str(parts.image(image_prefix(fmt) + str(token.attrGet("src")), alt))

    def block_open(_: Any, tokens: Sequence[Token], idx: int, *__: Any) -> str:
        return str(parts.block_open(blocks.classes(tokens[idx].info)))

    def block_close(*_: Any) -> str:
        return str(parts.block_close())

    closing, headings = paragraph_ends(main), heading_texts(main)
    linked = link_texts(chapter.tokens)

    def text(_: Any, tokens: Sequence[Token], idx: int, *__: Any) -> str:
        token = id(tokens[idx])
        content = tokens[idx].content
        return str(
            parts.prose(
                typeset(content, token in closing, token in headings, token in linked, doc.design)
            )
        )

    for name, rule in {
        "text": text,
        "image": image,
        "heading_open": heading_open,
        "heading_close": heading_close,
        "directive": directive,
        "footnote_ref": footnote_ref,
        "xref": xref,
        blocks.OPEN: block_open,
        blocks.CLOSE: block_close,
        COLUMNS_OPEN: lambda *_: str(parts.columns_open()),
        COLUMNS_CLOSE: lambda *_: str(parts.columns_close()),
    }.items():
        md.add_render_rule(name, rule)
    for fid, inline in footnote_inlines(notes).items():
        bodies[fid] = Markup(md.renderer.render(inline, md.options, {}))
    body = Markup(md.renderer.render(main, md.options, {}))
    footnotes = [(chapter.footnotes[fid], bodies[fid]) for fid in sorted(bodies)]
    footnotes = sorted(footnotes + source_footnotes(main, doc))
    return RenderedChapter(body, footnotes, chapter.signature, columns)


def two_columns(chapter: ChapterDoc, doc: Document) -> bool:
    """Whether the layout sets this chapter in two columns: for every chapter (layout.yaml,
    zweispaltig; tables and charts span both), or for a chapter that places no table or chart
    (textkapitel_zweispaltig)."""
    settings = layout_settings(doc.meta.layout, doc.design)
    if settings.columns_throughout:
        return True
    if not settings.two_columns:
        return False
    wide = {kind for kind, spec in KINDS.items() if spec.once}
    return not any(t.type == "directive" and t.meta["kind"] in wide for t in chapter.tokens)


def column_runs(tokens: Sequence[Token]) -> list[Token]:
    """The chapter's tokens with each run of running text (paragraphs, lists, headings below
    the section's) between a columns_open and a columns_close token: the run is set in columns,
    while what stands between runs (section headings, leads, tables, charts, boxes, quotes, and
    a heading right before one of them) runs across the page as an ordinary block, so that page
    breaks keep it with what follows."""
    starts = [i for i, t in enumerate(tokens) if t.level == 0 and t.nesting >= 0]
    kinds = [in_columns(tokens[i]) for i in starts]
    for n in range(len(kinds) - 2, -1, -1):
        if tokens[starts[n]].type == "heading_open" and not kinds[n + 1]:
            kinds[n] = False
    opening = dict(zip(starts, kinds, strict=True))
    out: list[Token] = []
    inside = False
    for i, token in enumerate(tokens):
        if i in opening and opening[i] != inside:
            inside = opening[i]
            out.append(Token(*((COLUMNS_OPEN, "div", 1) if inside else (COLUMNS_CLOSE, "div", -1))))
        out.append(token)
    if inside:
        out.append(Token(COLUMNS_CLOSE, "div", -1))
    return out


def in_columns(token: Token) -> bool:
    """Whether a block, by its first token, belongs to the running text set in columns."""
    if token.type == "paragraph_open":
        return token.attrGet("class") != "lead"
    if token.type == "heading_open":
        return token.tag not in SPANNING_HEADINGS
    return token.type in COLUMN_BLOCKS


def source_footnotes(tokens: Sequence[Token], doc: Document) -> list[tuple[int, Markup]]:
    """The footnotes of the charts placed in a chapter whose source is a footnote."""
    notes = []
    for token in tokens:
        info = doc.charts.get(token.meta["name"]) if token.type == "directive" else None
        if info is not None and token.meta["kind"] == "diagramm" and info.footnote:
            notes.append((info.footnote, Markup.escape(f"Quelle: {info.source}")))
    return notes


def paragraph_ends(tokens: Sequence[Token]) -> set[int]:
    """The ids of the text tokens that end a paragraph (their last word is not hyphenated)."""
    ends = set()
    for before, token in zip(tokens, tokens[1:], strict=False):
        texts = [c for c in token.children or [] if c.type == "text"]
        if before.type == "paragraph_open" and texts:
            ends.add(id(texts[-1]))
    return ends


def heading_texts(tokens: Sequence[Token]) -> set[int]:
    """The ids of the text tokens of headings (never broken at a listed compound's seams: a
    heading is not hyphenated, and its text names the PDF's bookmark)."""
    return {
        id(child)
        for before, token in zip(tokens, tokens[1:], strict=False)
        if before.type == "heading_open"
        for child in token.children or []
        if child.type == "text"
    }


def link_texts(tokens: Sequence[Token]) -> set[int]:
    """The ids of the text tokens inside a link, found in one pass over each inline token."""
    inside = set()
    for token in tokens:
        depth = 0
        for child in token.children or []:
            depth += LINK_DEPTH.get(child.type, 0)
            if depth > 0 and child.type == "text":
                inside.add(id(child))
    return inside


def typeset(
    content: str, ends_paragraph: bool, heading: bool, linked: bool, design: DesignFiles
) -> list[Piece]:
    """A text's ties and unhyphenated words (by the design's rules); link text stays one plain
    run (no markup inside links, so the PDF's link tags stay valid)."""
    content = tie(content)
    if linked:
        return [(content, False)]
    return pieces(content, ends_paragraph, design, seamed=not heading)


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
            bodies[current].append(joined_lines(token))
    return bodies


def joined_lines(inline: Token) -> Token:
    """A copy of an inline token with its line breaks from the source as spaces: WeasyPrint
    breaks a footnote's line at every newline of its text, as if the text were preformatted."""
    children = [
        Token("text", "", 0, content=" ") if child.type == "softbreak" else child
        for child in inline.children or []
    ]
    return inline.copy(children=children)
