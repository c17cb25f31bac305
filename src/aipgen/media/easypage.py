"""Turn a document into the page in Leichte Sprache: the design's text (a Markdown template,
filled with the programme's facts), or the programme folder's own leichte-sprache.md, which may
take the design's text in with a line "::standardtext"; Markdown to HTML without raw HTML."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from aipgen.base.formats import FORMATS
from aipgen.compute.document import Document
from aipgen.media.render import jinja_env

DEFAULT_TEXT = "leichte-sprache.md.j2"
EXTEND_MARK = "::standardtext"  # a line of the editor's text: the design's text goes here
# no raw HTML; a line break stays one (Leichte Sprache: a sentence a line)
PARSER = MarkdownIt("commonmark", {"html": False, "breaks": True})


def easy_language_variables(doc: Document) -> dict[str, Any]:
    website = doc.meta.website
    return {
        "text": Markup(PARSER.render(easy_text(doc))),
        "sign_language": (website.sign_language or "") if website else "",
    }


def easy_text(doc: Document) -> str:
    """The page's Markdown: the editor's text with the design's in place of its mark, or the
    design's alone."""
    default = default_text(doc)
    if doc.easy_language is None:
        return default
    lines = doc.easy_language.text.splitlines()
    return "\n".join(default if line.strip() == EXTEND_MARK else line for line in lines) + "\n"


def default_text(doc: Document) -> str:
    meta = doc.meta
    downloads = [n for n in meta.outputs if n in FORMATS and FORMATS[n].downloadable]
    contact = meta.accessibility.contact if meta.accessibility else None
    return (
        jinja_env(meta.layout, doc.design)
        .get_template(DEFAULT_TEXT)
        .render(meta=meta, chapters=len(doc.chapters), downloads=downloads, contact=contact)
    )
