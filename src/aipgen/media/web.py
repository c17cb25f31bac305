"""Turn the web format's HTML into the files of the website: the page and the assets it links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aipgen.base.formats import Files, Job, OutputFormat
from aipgen.base.paths import DesignFiles
from aipgen.compute.document import Document
from aipgen.content.safe.images import published_image
from aipgen.media.easypage import easy_language_variables
from aipgen.media.opendata import open_data_files
from aipgen.media.proof import SHARED
from aipgen.media.render import asset_name, jinja_env, render_page, stylesheets
from aipgen.media.statement import statement_of
from aipgen.media.webmeta import site_address, sitemap

SITEMAP_FILE = "sitemap.xml"


@dataclass(frozen=True)
class Page:
    """A page of the website besides the programme itself."""

    template: str
    variables: Callable[[Job], dict[str, Any]]  # what its template needs beyond the doc
    wanted: Callable[[Document], bool] = lambda doc: True


def has_easy_language(doc: Document) -> bool:
    return doc.meta.website is not None and doc.meta.website.easy_language


# The website's further pages by file name.
EXTRA_PAGES = {
    "barrierefreiheit.html": Page(
        "barrierefreiheit.html.j2",
        lambda job: {"statement": statement_of(job.doc, job.shared.get(SHARED))},
    ),
    "leichte-sprache.html": Page(
        "leichte-sprache.html.j2", lambda job: easy_language_variables(job.doc), has_easy_language
    ),
}


def render_web(fmt: OutputFormat, job: Job) -> Files:
    pages = {
        name: render_page(page.template, job.doc, fmt, name, **page.variables(job))
        for name, page in EXTRA_PAGES.items()
        if page.wanted(job.doc)
    }
    return {
        fmt.file(job.doc.name): job.html.encode("utf-8"),
        **{name: html.encode("utf-8") for name, html in pages.items()},
        **site_map(job.doc, [fmt.file(job.doc.name), *pages]),
        **asset_files(fmt, job),
        **open_data_files(fmt, job.doc),
    }


def site_map(doc: Document, pages: list[str]) -> Files:
    """sitemap.xml of the programme's pages, when programm.yaml names the site's address."""
    if not site_address(doc):
        return {}
    return {
        SITEMAP_FILE: sitemap(jinja_env(doc.meta.layout, doc.design), doc, pages).encode("utf-8")
    }


def web_fonts(design: DesignFiles) -> list[Path]:
    """The design's font files the website ships: a WOFF2 where one stands beside a TTF or OTF
    (made by tools/webfonts.py), else the font itself; the licence texts."""
    fonts = design.files("templates/fonts", "*")
    compact = {font.stem for font in fonts if font.suffix == ".woff2"}
    return [f for f in fonts if f.suffix not in (".ttf", ".otf") or f.stem not in compact]


def asset_files(fmt: OutputFormat, job: Job) -> Files:
    """Stylesheets, fonts and images the web page links, below assets/."""
    doc = job.doc
    sheets = stylesheets(doc.meta.layout, fmt, doc.design)
    files = {f"assets/css/{asset_name(p)}": p.read_bytes() for p in sheets}
    for font in web_fonts(doc.design):
        files[f"assets/fonts/{font.name}"] = font.read_bytes()
    for image in doc.all_images:
        files[f"assets/{image}"] = published_image(doc.root / image)
    return files
