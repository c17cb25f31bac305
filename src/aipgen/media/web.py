"""Turn the web format's HTML into the files of the website: the page and the assets it links."""

from __future__ import annotations

from pathlib import Path

from aipgen.base.formats import Files, Job, OutputFormat
from aipgen.base.paths import design
from aipgen.content.images import published_image
from aipgen.media.render import asset_name, render_page, stylesheets

# Pages of the website besides the programme itself: file name → template.
EXTRA_PAGES = {"barrierefreiheit.html": "barrierefreiheit.html.j2"}


def render_web(fmt: OutputFormat, job: Job) -> Files:
    pages = {name: render_page(t, job.doc, fmt) for name, t in EXTRA_PAGES.items()}
    return {
        fmt.file(job.doc.name): job.html.encode("utf-8"),
        **{name: html.encode("utf-8") for name, html in pages.items()},
        **asset_files(fmt, job),
    }


def web_fonts() -> list[Path]:
    """The font files the website ships: a WOFF2 where one stands beside a TTF or OTF (made by
    tools/webfonts.py), else the font itself; the licence texts."""
    fonts = design().files("templates/fonts", "*")
    compact = {font.stem for font in fonts if font.suffix == ".woff2"}
    return [f for f in fonts if f.suffix not in (".ttf", ".otf") or f.stem not in compact]


def asset_files(fmt: OutputFormat, job: Job) -> Files:
    """Stylesheets, fonts and images the web page links, below assets/."""
    doc = job.doc
    files = {
        f"assets/css/{asset_name(p)}": p.read_bytes() for p in stylesheets(doc.meta.layout, fmt)
    }
    for font in web_fonts():
        files[f"assets/fonts/{font.name}"] = font.read_bytes()
    for image in doc.all_images:
        files[f"assets/{image}"] = published_image(doc.root / image)
    return files
