"""The web basics of every page: favicon, description and Open Graph, canonical address and
sitemap.xml when the site's address is known, "Nach oben", and the overview's legal links."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from aipgen.base.paths import BUILT_IN
from aipgen.build.pipeline import build_programme

from ..helpers import edit, run
from .test_web import web_files

PAGES = ("index.html", "barrierefreiheit.html", "leichte-sprache.html")


def test_every_page_has_favicon_description_open_graph_and_a_way_up(mini: Path) -> None:
    files = web_files(mini)
    for name in PAGES:
        page = files[name]
        start = page.index('<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,')
        icon = unquote(page[start : page.index('">', start)])
        assert 'fill="#004b87"' in icon and ">M</text>" in icon  # Jobcenter Musterstadt
        assert '<meta name="description" content="' in page
        assert '<meta property="og:type" content="website">' in page
        assert '<meta property="og:site_name" content="Jobcenter Musterstadt">' in page
        assert '<meta property="og:title" content="' in page
        assert '<body id="seitenanfang"' in page
        assert '<p class="to-top"><a href="#seitenanfang">Nach oben</a></p>' in page
        assert 'rel="canonical"' not in page
    assert "sitemap.xml" not in build_programme(mini, BUILT_IN, ("web",)).files
    title = '<meta property="og:title" content="Leichte Sprache – Arbeitsmarkt- und '
    assert title in files["leichte-sprache.html"]


def test_the_sites_address_gives_canonical_links_and_a_sitemap(mini: Path) -> None:
    edit(
        mini / "programm.yaml",
        "  datenschutz:",
        "  adresse: https://www.musterstadt.de/aip-2024\n  datenschutz:",
    )
    result = build_programme(mini, BUILT_IN, ("web",))
    assert result.problems == []
    page = result.files["index.html"].decode()
    assert '<link rel="canonical" href="https://www.musterstadt.de/aip-2024/">' in page
    assert '<meta property="og:url" content="https://www.musterstadt.de/aip-2024/">' in page
    statement = result.files["barrierefreiheit.html"].decode()
    canonical = "https://www.musterstadt.de/aip-2024/barrierefreiheit.html"
    assert f'<link rel="canonical" href="{canonical}">' in statement
    assert result.files["sitemap.xml"].decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        "<url><loc>https://www.musterstadt.de/aip-2024/</loc></url>\n"
        "<url><loc>https://www.musterstadt.de/aip-2024/barrierefreiheit.html</loc></url>\n"
        "<url><loc>https://www.musterstadt.de/aip-2024/leichte-sprache.html</loc></url>\n"
        "</urlset>\n"
    )


def test_the_sites_address_must_be_https(data_dir: Path) -> None:
    edit(
        data_dir / "mini/programm.yaml",
        "  datenschutz:",
        "  adresse: www.musterstadt.de\n  datenschutz:",
    )
    code, _, err = run("check", "--data-dir", str(data_dir))
    assert code == 1
    assert "Fehler: mini/programm.yaml:24: „adresse“ hat eine ungültige Form." in err


def test_the_overview_links_imprint_privacy_statement_and_easy_language(
    data_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    code, _, err = run(
        "build", "--nur", "web", "--data-dir", str(data_dir), "--output-dir", str(output)
    )
    assert code == 0, err
    page = (output / "index.html").read_text(encoding="utf-8")
    assert '<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,' in page
    assert (
        '<meta name="description" content="Arbeitsmarkt- und Integrationsprogramme von '
        "Jobcenter Musterstadt: " in page
    )
    assert '<meta property="og:title" content="Arbeitsmarkt- und Integrationsprogramme">' in page
    for link in (
        '<a href="mini/index.html#impressum">Impressum</a>',
        '<a href="https://www.musterstadt.de/datenschutz">Datenschutz</a>',
        '<a href="mini/barrierefreiheit.html">Erklärung zur Barrierefreiheit</a>',
        '<a href="mini/leichte-sprache.html">Leichte Sprache</a>',
        '<a href="#seitenanfang">Nach oben</a>',
    ):
        assert link in page
