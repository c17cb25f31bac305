"""Turn the web format's HTML into the files of the website: the page and the assets it links."""

from __future__ import annotations

from .formats import Files, Job, OutputFormat
from .paths import TEMPLATES
from .render import asset_name, stylesheets


def render_web(fmt: OutputFormat, job: Job) -> Files:
    return {fmt.file(job.doc.name): job.html.encode("utf-8"), **asset_files(fmt, job)}


def asset_files(fmt: OutputFormat, job: Job) -> Files:
    """Stylesheets, fonts and images the web page links, below assets/."""
    doc = job.doc
    files = {
        f"assets/css/{asset_name(p)}": p.read_bytes() for p in stylesheets(doc.meta.layout, fmt)
    }
    for font in sorted((TEMPLATES / "fonts").iterdir()):
        files[f"assets/fonts/{font.name}"] = font.read_bytes()
    for image in [*doc.images, *([doc.meta.theme.logo] if doc.meta.theme.logo else [])]:
        files[f"assets/{image}"] = (doc.root / image).read_bytes()
    return files
