"""Untrusted SVG is cleaned of active content before it is published or drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from aipgen.cli.main import main
from aipgen.content.safe.svgsafe import SvgError, clean_svg
from aipgen.media.pdf import SafeFetcher

HEAD = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'viewBox="0 0 10 10">'
)


def cleaned(body: str, head: str = HEAD) -> str:
    return clean_svg(f"{head}{body}</svg>".encode()).decode()


ACTIVE = [
    ("script", '<script>alert(1)</script><rect width="1"/>', "alert"),
    ("script-cdata", "<script><![CDATA[alert(1)]]></script>", "alert"),
    (
        "foreign-object",
        '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>',
        "foreignObject",
    ),  # noqa: E501
    ("onload", '<rect onload="alert(1)" width="1"/>', "onload"),
    ("onclick-uppercase", '<rect ONCLICK="alert(1)" width="1"/>', "alert"),
    ("javascript-href", '<a href="javascript:alert(1)"><rect width="1"/></a>', "javascript"),
    ("javascript-xlink", '<a xlink:href="javascript:alert(1)"><rect width="1"/></a>', "javascript"),
    ("data-href", '<image href="data:image/svg+xml;base64,PHN2Zy8+"/>', "data:"),
    ("external-use", '<use xlink:href="http://example.org/a.svg#x"/>', "example.org"),
    ("relative-image", '<image href="../../geheim.png"/>', "geheim"),
    ("set-handler", '<rect width="1"><set attributeName="onclick" to="alert(1)"/></rect>', "alert"),  # noqa: E501
    (
        "animate-href",
        '<a href="#a"><animate attributeName="xlink:href" to="javascript:x"/></a>',
        "javascript",
    ),  # noqa: E501
    (
        "style-import",
        "<style>@import url(http://example.org/a.css); rect{fill:red}</style>",
        "example.org",
    ),  # noqa: E501
    ("style-url", "<style>rect{fill:url(https://example.org/p)}</style>", "example.org"),
    ("style-attribute-url", "<rect style=\"fill:url('http://example.org/p')\"/>", "example.org"),
    ("fill-attribute-url", '<rect fill="url(http://example.org/p#g)"/>', "example.org"),
    (
        "comment-and-pi",
        '<?xml-stylesheet href="http://example.org/a.css"?><!-- x --><rect/>',
        "example.org",
    ),  # noqa: E501
]


@pytest.mark.parametrize(("body", "absent"), [a[1:] for a in ACTIVE], ids=[a[0] for a in ACTIVE])
def test_active_content_is_removed(body: str, absent: str) -> None:
    svg = cleaned(body)
    assert absent.lower() not in svg.lower()
    assert svg.startswith("<?xml version='1.0' encoding='utf-8'?>\n<svg ")


def test_harmless_content_stays() -> None:
    body = (
        '<defs><linearGradient id="g"/></defs><rect id="r" fill="url(#g)" width="1"/>'
        '<use href="#r"/><use xlink:href="#r"/><style>rect{fill:url(#g)}</style>'
        '<text x="1" y="2">Jobcenter</text>'
    )
    svg = cleaned(body)
    for kept in ('fill="url(#g)"', '<use href="#r" />', 'xlink:href="#r"', "url(#g)}", "Jobcenter"):
        assert kept in svg


UNUSABLE = [
    (
        '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>',
        "enthält eine Entity-Deklaration (<!ENTITY …>); das ist in SVG-Bildern nicht erlaubt. "
        "Bitte das Bild ohne DTD neu exportieren.",
    ),
    (
        '<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]><svg>&b;</svg>',
        "enthält eine Entity-Deklaration (<!ENTITY …>); das ist in SVG-Bildern nicht erlaubt. "
        "Bitte das Bild ohne DTD neu exportieren.",
    ),
    (
        '<!DOCTYPE svg [<!ENTITY % p SYSTEM "http://example.org/x.dtd"> %p;]><svg/>',
        "enthält eine Entity-Deklaration (<!ENTITY …>); das ist in SVG-Bildern nicht erlaubt. "
        "Bitte das Bild ohne DTD neu exportieren.",
    ),
    ("<svg>&xxe;</svg>", "ist keine lesbare SVG-Datei (Zeile 1: unbekannte Entity (&…;))."),
    (
        "<svg>\n<g></svg>",
        "ist keine lesbare SVG-Datei (Zeile 2: Element nicht richtig geschlossen).",
    ),
    ("", "ist keine lesbare SVG-Datei (Zeile 1: kein Inhalt)."),
    ("<html><body/></html>", "ist keine SVG-Datei (das äußerste Element ist nicht <svg>)."),
]


@pytest.mark.parametrize(("text", "reason"), UNUSABLE)
def test_unusable_svg_is_refused(text: str, reason: str) -> None:
    with pytest.raises(SvgError) as caught:
        clean_svg(text.encode())
    assert caught.value.reason == reason


HOSTILE_LOGO = (
    f'{HEAD}<script>alert(1)</script><rect onload="alert(2)" width="10" height="10"/>'
    '<image href="http://example.org/track.png"/></svg>'
)


def test_website_publishes_the_cleaned_logo(data_dir: Path, tmp_path: Path) -> None:
    (data_dir / "mini/bilder/logo.svg").write_text(HOSTILE_LOGO, encoding="utf-8")
    output = tmp_path / "output"
    args = ["build", "--nur", "web", "--data-dir", str(data_dir), "--output-dir", str(output)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    published = (output / "mini/assets/bilder/logo.svg").read_text(encoding="utf-8")
    assert published == clean_svg(HOSTILE_LOGO.encode()).decode()
    assert "alert" not in published and "example.org" not in published


def test_pdf_fetcher_serves_the_cleaned_svg(mini: Path) -> None:
    (mini / "bilder/logo.svg").write_text(HOSTILE_LOGO, encoding="utf-8")
    fetcher = SafeFetcher([mini], mini)
    response = fetcher.fetch((mini / "bilder/logo.svg").as_uri())
    assert response.read() == clean_svg(HOSTILE_LOGO.encode())
    assert response.content_type == "image/svg+xml"
