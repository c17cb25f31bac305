"""Turn a programme's settings into what a web page's head carries beyond its title: the
favicon (the word mark's letter in the theme colour, an SVG data URL), the canonical address
when `web: adresse` names the site, and the sitemap of the site's pages."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import jinja2

from aipgen.compute.document import Document

FAVICON = "favicon.svg.j2"
SITEMAP = "sitemap.xml.j2"


@dataclass(frozen=True)
class WebMeta:
    favicon: str  # a data: URL
    canonical: str  # the page's own address, "" when the site's address is not known


def web_meta(env: jinja2.Environment, doc: Document, colour: str, page: str) -> WebMeta:
    return WebMeta(favicon_url(env, word_mark(doc.meta.jobcenter), colour), address(doc, page))


def word_mark(name: str) -> str:
    """The letter that stands for a jobcenter: its place's initial ("Jobcenter Musterstadt": M)."""
    words = name.split()
    return words[-1][0].upper() if words else "A"


def favicon_url(env: jinja2.Environment, letter: str, colour: str) -> str:
    svg = env.get_template(FAVICON).render(letter=letter, colour=colour)
    return "data:image/svg+xml," + quote(" ".join(svg.split()), safe="=:/")


def site_address(doc: Document) -> str:
    """Where the programme's pages are published, ending in "/"; "" when not known."""
    website = doc.meta.website
    if website is None or not website.address:
        return ""
    return website.address.rstrip("/") + "/"


def address(doc: Document, page: str) -> str:
    """A page's canonical address: the site's folder for its index page."""
    site = site_address(doc)
    if not site:
        return ""
    return site if page == "index.html" else site + page


def sitemap(env: jinja2.Environment, doc: Document, pages: list[str]) -> str:
    return env.get_template(SITEMAP).render(urls=[address(doc, page) for page in pages])
