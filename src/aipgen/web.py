"""Turn the web format's HTML into the files of the website: the page and the assets it links."""

from __future__ import annotations

from .formats import Files, Job, OutputFormat
from .images import published_image
from .paths import design
from .render import asset_name, render_page, stylesheets

# Pages of the website besides the programme itself: file name → template.
EXTRA_PAGES = {"barrierefreiheit.html": "barrierefreiheit.html.j2"}


def render_web(fmt: OutputFormat, job: Job) -> Files:
    pages = {name: render_page(t, job.doc, fmt) for name, t in EXTRA_PAGES.items()}
    return {
        fmt.file(job.doc.name): job.html.encode("utf-8"),
        **{name: html.encode("utf-8") for name, html in pages.items()},
        **asset_files(fmt, job),
    }


def asset_files(fmt: OutputFormat, job: Job) -> Files:
    """Stylesheets, fonts and images the web page links, below assets/."""
    doc = job.doc
    files = {
        f"assets/css/{asset_name(p)}": p.read_bytes() for p in stylesheets(doc.meta.layout, fmt)
    }
    for font in design().files("templates/fonts", "*"):
        files[f"assets/fonts/{font.name}"] = font.read_bytes()
    for image in doc.all_images:
        files[f"assets/{image}"] = published_image(doc.root / image)
    return files
