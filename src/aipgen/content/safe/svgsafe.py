"""Turn an untrusted SVG file (a programme's logo or image) into one without active content.

The file is parsed with the standard library's expat; a DTD that declares entities is refused,
so neither external entities (XXE) nor "billion laughs" expansions get anywhere. Then go:
script and foreignObject elements, animations that would set a link or a handler, event handler
attributes (on…), links that do not point inside the file (#id), and external references in
styles (url(…) to anything but #id, @import). Comments, processing instructions and the DTD are
dropped. Every path that publishes or draws a programme's SVG goes through `clean_svg`: the
website's assets (web.py) and WeasyPrint's URL fetcher (pdf.py); validation reports an SVG it
cannot clean as a content error (images.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import NoReturn
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# Elements removed with everything inside them.
REMOVED_ELEMENTS = {"script", "foreignObject", "handler", "listener"}
ANIMATIONS = {"set", "animate", "animateMotion", "animateTransform", "animateColor"}
CSS_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*(?!['\"]?#)[^)]*\)", re.IGNORECASE)


class SvgError(ValueError):
    """The SVG cannot be used; `reason` is German and follows the image's name."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean_svg(data: bytes) -> bytes:
    """The SVG without active content or external references; SvgError if it is unusable."""
    root = parse(data)
    if local(root.tag) != "svg":
        raise SvgError("ist keine SVG-Datei (das äußerste Element ist nicht <svg>).")
    clean_element(root)
    # The prefix table is process-wide and other libraries (XMP metadata) change it: set ours now.
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    cleaned: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return cleaned


# ---------------------------------------------------------------- parsing without entities


def parse(data: bytes) -> ET.Element:
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = lambda tag, attrs: builder.start(
        qualified(tag), {qualified(k): v for k, v in attrs.items()}
    )
    parser.EndElementHandler = lambda tag: builder.end(qualified(tag))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = refuse_entities
    parser.UnparsedEntityDeclHandler = refuse_entities
    parser.ExternalEntityRefHandler = refuse_entities
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise SvgError(
            f"ist keine lesbare SVG-Datei (Zeile {exc.lineno}: {expat_reason(exc)})."
        ) from None
    return builder.close()


def refuse_entities(*_args: object) -> NoReturn:
    raise SvgError(
        "enthält eine Entity-Deklaration (<!ENTITY …>); das ist in SVG-Bildern nicht erlaubt. "
        "Bitte das Bild ohne DTD neu exportieren."
    )


EXPAT_REASONS = {
    expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]: "unbekannte Entity (&…;)",
    expat.errors.codes[expat.errors.XML_ERROR_TAG_MISMATCH]: "Element nicht richtig geschlossen",
    expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]: "kein Inhalt",
    expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN]: "ungültiges Zeichen",
}


def expat_reason(exc: expat.ExpatError) -> str:
    return EXPAT_REASONS.get(exc.code, "kein gültiges XML")


def qualified(name: str) -> str:
    """expat's "uri}local" → ElementTree's "{uri}local"."""
    return "{" + name if "}" in name else name


def local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


# ---------------------------------------------------------------- removing active content


def clean_element(element: ET.Element) -> None:
    for child in list(element):
        if any(rule(child) for rule in ELEMENT_RULES):
            element.remove(child)
        else:
            clean_element(child)
    for name, value in list(element.attrib.items()):
        if any(rule(name, value) for rule in ATTRIBUTE_RULES):
            del element.attrib[name]
        else:
            element.attrib[name] = clean_css(value)
    if local(element.tag) == "style" and element.text:
        element.text = clean_css(element.text)


def is_removed_element(element: ET.Element) -> bool:
    return local(element.tag) in REMOVED_ELEMENTS


def is_active_animation(element: ET.Element) -> bool:
    """An animation that would set a link (href) or an event handler (on…)."""
    target = element.get("attributeName", "").rsplit(":", 1)[-1]
    return local(element.tag) in ANIMATIONS and (
        local(target) == "href" or local(target).lower().startswith("on")
    )


def is_handler(name: str, _value: str) -> bool:
    return local(name).lower().startswith("on")


def is_outside_link(name: str, value: str) -> bool:
    """href/xlink:href to anything but an element of the same file (javascript:, data:, …)."""
    return local(name) == "href" and not value.strip().startswith("#")


def clean_css(text: str) -> str:
    """Styles without @import and without url(…) pointing outside the file."""
    if "url(" not in text.lower() and "@import" not in text.lower():
        return text
    return CSS_URL.sub("none", CSS_IMPORT.sub("", text))


ELEMENT_RULES: tuple[Callable[[ET.Element], bool], ...] = (is_removed_element, is_active_animation)
ATTRIBUTE_RULES: tuple[Callable[[str, str], bool], ...] = (is_handler, is_outside_link)
