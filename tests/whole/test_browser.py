"""The website in a real browser: Debian's Chromium (driven by Playwright) loads every page of a
full build over HTTP and checks accessibility (axe-core, WCAG 2.2 A/AA and best practices),
horizontal overflow on narrow and wide screens, the size of chart text on a phone, the swipe
hint under exactly the tables that scroll, that every link and asset resolves,
and that the keyboard reaches every link with a visible focus indicator.

Pages are found by globbing the built output, one test per check and page group (the overview,
each programme); see conftest.pages_of. Every check is a function (page, URL) -> problems, and
two tests on a good and a bad page show that each check finds what it looks for.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from matplotlib.textpath import TextToPath
from playwright.sync_api import Browser, Page, Request, Response

from ..helpers import (
    CHROMIUM,
    PROGRAMMES,
    WCAG_TAGS,
    ChartLabel,
    ChartShapes,
    chart_collisions,
    page_groups,
    pages_of,
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} fehlt: Browser-Tests brauchen Debians Chromium (apt-get install chromium)",
)

WIDTHS = [320, 375, 768, 1280, 1920]
PHONE = 375
DESKTOP = 1280
MIN_CHART_TEXT_PX = 11.0

# Checks that fail on the current page, by (check, page group). The page is being fixed
# elsewhere; remove an entry when its test reports XPASS.
KNOWN_FAILURES: dict[tuple[str, str], str] = {}


def groups(check: str) -> list[Any]:
    return page_groups({g: reason for (c, g), reason in KNOWN_FAILURES.items() if c == check})


# --- fixtures: one HTTP server, one browser, one tab for the whole session -------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder over HTTP on a free local port in a background thread; its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site(built: Path) -> Iterator[str]:
    """Base URL of a local HTTP server that serves the built output folder."""
    with serve(built) as url:
        yield url


@pytest.fixture(scope="session")
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def open_page(tab: Page, url: str, width: int) -> None:
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(url, wait_until="load")
    tab.evaluate("document.fonts.ready.then(() => true)")


def at_widths(tab: Page, url: str, widths: Iterable[int]) -> Iterator[int]:
    """The page at each width in turn: loaded at the first, then the window resized, as a
    reader turns a tablet. The pages hold no script and load every image at once, so the
    browser lays them out as it would after loading them at that width; loading a page costs
    the browser four times as much as resizing it."""
    for place, width in enumerate(widths):
        if place == 0:
            open_page(tab, url, width)
        else:
            tab.set_viewport_size({"width": width, "height": 900})
        yield width


# Shared JavaScript: a short, readable description of an element for failure messages.
DESCRIBE = """
const describe = (el) => {
  const part = (e) => {
    let s = e.localName;
    if (e.id) s += '#' + e.id;
    const cls = e.getAttribute('class');
    if (cls) s += '.' + cls.trim().split(/\\s+/).join('.');
    return s;
  };
  const anchor = el.parentElement && el.parentElement.closest('[id]');
  const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  return (anchor && !el.id ? part(anchor) + ' ' : '') + part(el) + (text ? ` „${text}“` : '');
};
"""


# --- (a) axe-core ---------------------------------------------------------------------------


def axe_violations(tab: Page) -> list[str]:
    """axe-core's WCAG 2.2 A/AA and best-practice violations: rule, impact, help, count, first
    targets."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(tab, options=options)
    lines = []
    for violation in results.response["violations"]:
        nodes = violation["nodes"]
        targets = ", ".join(" ".join(map(str, n["target"])) for n in nodes[:3])
        more = f" (+{len(nodes) - 3})" if len(nodes) > 3 else ""
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} – "
            f"{len(nodes)}×: {targets}{more}"
        )
    return lines


def axe_problems(tab: Page, url: str) -> list[str]:
    """On a phone and on a desktop: some rules measure (target size, contrast over what lies
    behind), and the page differs by width (tables reflow, charts switch)."""
    problems = []
    for width in at_widths(tab, url, (PHONE, DESKTOP)):
        problems += [f"bei {width} px: {line}" for line in axe_violations(tab)]
    return problems


# --- (b) horizontal overflow ----------------------------------------------------------------

OVERFLOW = (
    DESCRIBE
    + """
() => {
  const width = window.innerWidth;
  const clips = (e) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX);
  const over = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    // the element sticks out, or its content (a long word, a wide child) spills over it
    const right = Math.max(box.right, clips(el) ? 0 : box.left + el.scrollWidth);
    if (right <= width + 0.5) continue;
    let scrolled = false;  // inside a scroll container: does not widen the page
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (clips(p)) { scrolled = true; break; }
    }
    if (!scrolled) over.push({el, right});
  }
  // name the innermost culprits: those with no overflowing element inside
  const culprits = over.filter((o) => !over.some((x) => x !== o && o.el.contains(x.el)));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width,
    culprits: culprits.slice(0, 5).map((c) => `${describe(c.el)} bis ${Math.round(c.right)} px`),
  };
}
"""
)


def overflow_problems(tab: Page, url: str) -> list[str]:
    problems = []
    for width in at_widths(tab, url, WIDTHS):
        result = tab.evaluate(OVERFLOW)
        if result["scrollWidth"] > result["width"]:
            problems.append(
                f"bei {width} px ist die Seite {result['scrollWidth']} px breit: "
                + "; ".join(result["culprits"])
            )
    return problems


# --- (c) chart text on a phone --------------------------------------------------------------

CHART_TEXT = (
    DESCRIBE
    + """
(fontScale) => {
  const scale = (el) => {  // CSS px per user unit of el's coordinate system
    const m = el.getScreenCTM();
    return Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true});
  };
  const label = (g) => {  // matplotlib writes the text as a comment into its glyph group
    const walker = document.createTreeWalker(g, NodeFilter.SHOW_COMMENT);
    const comment = walker.nextNode();
    return comment ? comment.textContent.trim() : g.id;
  };
  const charts = [];
  document.querySelectorAll('svg').forEach((svg, index) => {
    if (!visible(svg) || svg.parentElement.closest('svg')) return;
    const figure = svg.closest('figure[id]');
    const chart = {chart: figure ? figure.id : `svg ${index + 1}`, paths: false, texts: []};
    const texts = [...svg.querySelectorAll('text')].filter(visible);
    if (texts.length) {
      for (const t of texts) {
        const px = parseFloat(getComputedStyle(t).fontSize) * scale(t);
        chart.texts.push({text: t.textContent.trim(), px});
      }
    } else {
      // Text drawn as glyph paths (matplotlib svg.fonttype 'path'): each text is a group
      // <g id="text_N"> holding a <g transform="... scale(s -s)"> whose em is fontScale units.
      // The em is measured, not the ink box: the box of "0" or "ace" is smaller than the font
      // size, that of a rotated label larger.
      for (const g of svg.querySelectorAll('g[id^="text_"]')) {
        if (!visible(g)) continue;
        chart.paths = true;
        const glyphs = g.querySelector('g[transform]') || g;
        chart.texts.push({text: label(g), px: fontScale * scale(glyphs)});
      }
    }
    if (chart.texts.length || svg.querySelector('g[id^="text_"], text')) charts.push(chart);
  });
  return charts;
}
"""
)


def chart_text_problems(tab: Page, url: str) -> list[str]:
    open_page(tab, url, PHONE)
    charts = tab.evaluate(CHART_TEXT, TextToPath.FONT_SCALE)
    problems = []
    for chart in charts:
        if chart["paths"]:
            problems.append(
                f"{chart['chart']}: Diagrammtext ist als Pfade gezeichnet (Glyphen-<path> in "
                '<g id="text_…">, matplotlib svg.fonttype = path), kein <text>; '
                "gemessen: Schriftgröße aus der Skalierung der Glyphengruppe"
            )
        small = [t for t in chart["texts"] if t["px"] < MIN_CHART_TEXT_PX - 0.05]
        if small:
            smallest = min(t["px"] for t in small)
            examples = ", ".join(f"„{t['text'][:30]}“ {t['px']:.1f} px" for t in small[:4])
            problems.append(
                f"{chart['chart']}: {len(small)} von {len(chart['texts'])} Texten kleiner als "
                f"{MIN_CHART_TEXT_PX:g} px bei {PHONE} px Fensterbreite "
                f"(kleinster {smallest:.1f} px), z. B. {examples}"
            )
    return problems


# --- (c2) chart labels that never collide, on a phone and a desktop ---------------------------

# Chart text at least this large (CSS px) by window width (docs/gestaltung.md).
MIN_CHART_LABEL_PX = {PHONE: MIN_CHART_TEXT_PX, DESKTOP: 12.0}
SLACK_PX = 0.5  # a hairline touch is no collision

CHART_SHAPES = """
() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return (r.width > 0 || r.height > 0) && el.checkVisibility({visibilityProperty: true});
  };
  const scale = (el) => {
    const m = el.getScreenCTM();
    return Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
  };
  const drawn = (el) => !el.closest('defs, clipPath, pattern, mask');
  const white = (c) => ['rgb(255, 255, 255)', 'none', 'transparent'].includes(c)
    || c.startsWith('rgba(0, 0, 0, 0)');
  // An outline in window coordinates, sampled every pixel; a jump (a new subpath) starts a
  // new polyline.
  const outline = (el) => {
    const m = el.getScreenCTM(), step = 1 / scale(el), total = el.getTotalLength();
    const lines = [];
    let line = [], last = null;
    for (let d = 0; d <= total + step / 2; d += step) {
      const q = el.getPointAtLength(Math.min(d, total));
      const p = [m.a * q.x + m.c * q.y + m.e, m.b * q.x + m.d * q.y + m.f];
      if (last && Math.hypot(p[0] - last[0], p[1] - last[1]) > 3) { lines.push(line); line = []; }
      line.push(p);
      last = p;
    }
    lines.push(line);
    return lines.filter((l) => l.length);
  };
  const box = (r) => [[r.left, r.top], [r.right, r.top], [r.right, r.bottom], [r.left, r.bottom],
                      [r.left, r.top]];
  const charts = [];
  document.querySelectorAll('figure[id] svg').forEach((svg) => {
    if (!visible(svg) || svg.parentElement.closest('svg')) return;
    const chart = {name: svg.closest('figure[id]').id, labels: [], strokes: [], fills: []};
    for (const t of svg.querySelectorAll('text')) {
      if (!visible(t) || !t.textContent.trim()) continue;
      const r = t.getBoundingClientRect(), px = parseFloat(getComputedStyle(t).fontSize) * scale(t);
      const m = t.getScreenCTM(), upright = Math.abs(m.a) >= Math.abs(m.b);
      const cut = Math.max(0, ((upright ? r.height : r.width) - px) / 2);  // to the em box
      const [top, bottom] = upright ? [r.top + cut, r.bottom - cut] : [r.top, r.bottom];
      const [left, right] = upright ? [r.left, r.right] : [r.left + cut, r.right - cut];
      chart.labels.push({text: t.textContent.trim(), box: [left, top, right, bottom], size: px});
    }
    for (const el of svg.querySelectorAll('path, line, polyline, polygon, rect, circle, ellipse')) {
      if (!drawn(el) || !visible(el)) continue;
      const style = getComputedStyle(el);
      const [stroked, filled] = [!white(style.stroke) && parseFloat(style.strokeWidth) > 0,
                                 !white(style.fill) && parseFloat(style.fillOpacity) > 0];
      if (stroked) chart.strokes.push(...outline(el));
      if (filled && !['line', 'polyline'].includes(el.localName)) chart.fills.push(...outline(el));
    }
    for (const use of svg.querySelectorAll('use')) {  // markers: a dot at each value
      if (drawn(use) && visible(use)) chart.strokes.push(box(use.getBoundingClientRect()));
    }
    charts.push(chart);
  });
  return charts;
}
"""


def chart_collision_problems(tab: Page, url: str) -> list[str]:
    """Chart texts too small, overlapping, crossed by a line, axis or marker, or straddling a
    bar's or segment's edge, at a phone's and a desktop's width."""
    problems = []
    for width in at_widths(tab, url, MIN_CHART_LABEL_PX):
        minimum = MIN_CHART_LABEL_PX[width]
        for found in tab.evaluate(CHART_SHAPES):
            chart = ChartShapes(
                f"{found['name']} bei {width} px",
                [ChartLabel(t["text"], tuple(t["box"]), t["size"]) for t in found["labels"]],
                [[tuple(p) for p in line] for line in found["strokes"]],
                [[tuple(p) for p in area] for area in found["fills"]],
            )
            problems += chart_collisions(chart, minimum, SLACK_PX)
    return problems


# --- (c3) the swipe hint -----------------------------------------------------------------------

SCROLL_HINTS = (
    DESCRIBE
    + """
() => [...document.querySelectorAll('figure.table-figure')].map((figure) => {
  const box = figure.querySelector('.table-scroll');
  const hint = figure.querySelector('.scroll-hint');
  return {
    table: describe(figure),
    scrolls: box.scrollWidth > box.clientWidth,
    hint: hint.checkVisibility({visibilityProperty: true})
      && hint.getBoundingClientRect().height > 0,
  };
})
"""
)


def scroll_hint_problems(tab: Page, url: str) -> list[str]:
    """At every width: a visible swipe hint under a table whose box does not scroll, or none
    under one that does."""
    problems = []
    for width in at_widths(tab, url, WIDTHS):
        for table in tab.evaluate(SCROLL_HINTS):
            if table["hint"] != table["scrolls"]:
                state = "ohne" if table["scrolls"] else "mit"
                scrolls = "scrollt" if table["scrolls"] else "scrollt nicht"
                problems.append(f"bei {width} px: {table['table']} {scrolls}, {state} Wischhinweis")
    return problems


# --- (d) links and assets -------------------------------------------------------------------

REFERENCES = """
() => {
  const refs = [];
  const add = (kind, url) => { if (url) refs.push({kind, url}); };
  document.querySelectorAll('a[href]').forEach((a) => add('a', a.href));
  document.querySelectorAll('link[href]').forEach((l) => add('link', l.href));
  document.querySelectorAll('img[src], script[src], source[src], iframe[src]')
    .forEach((e) => add(e.localName, e.src));
  for (const sheet of document.styleSheets) {
    let rules;
    try { rules = sheet.cssRules; } catch (e) { continue; }
    const base = sheet.href || document.baseURI;
    const walk = (list) => {
      for (const rule of list) {
        if (rule.cssRules) walk(rule.cssRules);
        for (const m of rule.cssText.matchAll(/url\\(\\s*["']?([^"')]+)["']?\\s*\\)/g)) {
          if (!m[1].startsWith('data:')) add('css url()', new URL(m[1], base).href);
        }
      }
    };
    walk(rules);
  }
  return refs;
}
"""


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(v for k, v in attrs if k in ("id", "name") and v)


@functools.cache
def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@functools.cache
def ids_at(url: str) -> frozenset[str]:
    """The ids and anchor names of the page at a URL, read once however often it is linked."""
    parser = Ids()
    parser.feed(fetch(url)[1].decode("utf-8", errors="replace"))
    return frozenset(parser.ids)


def unresolved(site: str, page_url: str, refs: list[dict[str, str]]) -> list[str]:
    """References to this site that answer with an HTTP error or miss their fragment target."""
    problems = []
    for ref in refs:
        url, fragment = urllib.parse.urldefrag(ref["url"])
        if not url.startswith(site):
            continue  # other sites: no network in tests
        shown = f"{ref['kind']} {ref['url'].removeprefix(site)}"
        status = fetch(url)[0]
        if status >= 400:
            problems.append(f"{shown}: HTTP {status}")
        elif fragment and urllib.parse.unquote(fragment) not in ids_at(url):
            where = "auf der Seite" if url == page_url else f"in {url.removeprefix(site)}"
            problems.append(f"{shown}: Sprungziel #{fragment} fehlt {where}")
    return sorted(set(problems))


def load_failures(tab: Page, url: str) -> list[str]:
    """Load a page; the requests that failed or answered with an HTTP error."""
    failed: list[str] = []

    def on_response(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.url}: HTTP {response.status}")

    def on_failure(request: Request) -> None:
        response = request.response()  # Chromium aborts a stylesheet that answered 404
        if response is None or response.status < 400:
            failed.append(f"{request.url}: {request.failure}")

    tab.on("response", on_response)
    tab.on("requestfailed", on_failure)
    try:
        open_page(tab, url, DESKTOP)  # no script: loaded, fonts ready, it asks for nothing more
    finally:
        tab.remove_listener("response", on_response)
        tab.remove_listener("requestfailed", on_failure)
    return failed


def reference_problems(tab: Page, url: str) -> list[str]:
    site = url[: url.index("/", len("http://")) + 1]
    failed = load_failures(tab, url)
    refs = tab.evaluate(REFERENCES)
    loaded = sorted(f"geladen {line.removeprefix(site)}" for line in failed)
    return loaded + unresolved(site, url, refs)


# --- (e) keyboard -----------------------------------------------------------------------------

LINKS_IN_ORDER = (
    DESCRIBE
    + """
() => {
  const links = [...document.querySelectorAll('a[href]')]
    .filter((a) => a.checkVisibility({visibilityProperty: true}));
  links.forEach((a, i) => a.setAttribute('data-link-index', String(i)));
  const focusable = document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, iframe, [tabindex]:not([tabindex="-1"])');
  focusable.forEach((e, i) => e.setAttribute('data-focus-index', String(i)));
  return {links: links.map(describe), focusable: focusable.length};
}
"""
)

# Records, as the focus moves, what holds it: the link's place, a key to notice a second visit,
# and whether a focus indicator shows (read in the focus event, after the focus styles apply).
RECORD_FOCUS = (
    DESCRIBE
    + """
() => {
  const focused = () => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none';
    const index = (name) => el.hasAttribute(name) ? Number(el.getAttribute(name)) : null;
    return {
      link: index('data-link-index'),
      key: index('data-focus-index') ?? describe(el),
      element: describe(el),
      indicator: outline || shadow,
      style: `outline ${style.outlineStyle} ${style.outlineWidth}, box-shadow ${style.boxShadow}`,
    };
  };
  window.focusedInTurn = [];
  document.addEventListener('focusin', () => window.focusedInTurn.push(focused()));
}
"""
)


def keyboard_problems(tab: Page, url: str) -> list[str]:
    """Tab through the page from the top; report links not reached or out of order, and
    focused elements without a visible focus indicator."""
    open_page(tab, url, DESKTOP)
    counts = tab.evaluate(LINKS_IN_ORDER)
    links = counts["links"]
    tab.evaluate(RECORD_FOCUS)
    for _ in range(counts["focusable"] + 2):  # once round the page and back to its start
        tab.keyboard.press("Tab")
    problems, reached, seen = [], [], set()
    for focused in tab.evaluate("window.focusedInTurn"):
        if focused is None or focused["key"] in seen:
            break
        seen.add(focused["key"])
        if not focused["indicator"]:
            problems.append(f"kein sichtbarer Fokus an {focused['element']} ({focused['style']})")
        if focused["link"] is not None:
            reached.append(focused["link"])
    if reached != list(range(len(links))):
        missing = [links[i] for i in range(len(links)) if i not in reached]
        problems.append(
            f"Tab erreicht {len(set(reached))} von {len(links)} sichtbaren Links"
            + ("" if reached == sorted(reached) else ", nicht in Dokumentreihenfolge")
            + (f"; nicht erreicht: {'; '.join(missing[:5])}" if missing else "")
        )
    return problems


# --- the checks on every page of the build ---------------------------------------------------

Check = Callable[[Page, str], list[str]]


def check_group(check: Check, tab: Page, site: str, built: Path, group: str) -> None:
    report = [
        f"{path}: {problem}"
        for path in pages_of(built, group)
        for problem in check(tab, site + path)
    ]
    assert report == [], "\n".join(report)


@pytest.mark.parametrize("group", groups("axe"))
def test_no_axe_violations(tab: Page, site: str, built: Path, group: str) -> None:
    check_group(axe_problems, tab, site, built, group)


@pytest.mark.parametrize("group", groups("overflow"))
def test_no_horizontal_overflow(tab: Page, site: str, built: Path, group: str) -> None:
    check_group(overflow_problems, tab, site, built, group)


@pytest.mark.parametrize("group", groups("chart-text"))
def test_chart_text_readable_on_a_phone(tab: Page, site: str, built: Path, group: str) -> None:
    check_group(chart_text_problems, tab, site, built, group)


@pytest.mark.parametrize("group", groups("chart-labels"))
def test_chart_labels_never_collide(tab: Page, site: str, built: Path, group: str) -> None:
    check_group(chart_collision_problems, tab, site, built, group)


@pytest.mark.parametrize("group", groups("scroll-hint"))
def test_swipe_hint_only_under_tables_that_scroll(
    tab: Page, site: str, built: Path, group: str
) -> None:
    check_group(scroll_hint_problems, tab, site, built, group)


@pytest.mark.parametrize("group", groups("links"))
def test_links_and_assets_resolve(tab: Page, site: str, built: Path, group: str) -> None:
    check_group(reference_problems, tab, site, built, group)


@pytest.mark.parametrize("group", groups("keyboard"))
def test_keyboard_reaches_every_link_visibly(tab: Page, site: str, built: Path, group: str) -> None:
    check_group(keyboard_problems, tab, site, built, group)


# --- the checks find what they look for: a good and a bad page --------------------------------

GOOD = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Gut</title>
<style>a:focus { outline: 2px solid #c8102e; }</style></head>
<body><main><h1>Gut</h1><p><a href="#ziel">Sprung</a> <a href="bad.html">Seite</a></p>
<figure id="abb-gut" style="margin: 0"><svg viewBox="0 0 100 50" style="width: 300px">
<line x1="5" y1="30" x2="95" y2="30" stroke="black"/>
<text x="5" y="20" font-size="5">Achse</text></svg></figure>
<figure class="table-figure" id="t1"><div class="table-scroll"><table><tr><th scope="col">A</th>
</tr><tr><td>1</td></tr></table></div><p class="scroll-hint" hidden>wischen</p></figure>
<p id="ziel">Ziel</p></main></body></html>
"""

BAD = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Schlecht</title>
<link rel="stylesheet" href="fehlt.css">
<style>a:focus { outline: none; } .wide { width: 700px; }</style></head>
<body><main><h1>Schlecht</h1><img src="fehlt.png">
<p><a href="#nirgends">Sprung</a> <a href="weg.html">Weg</a>
<a href="bad.html" tabindex="-1">Maus</a></p>
<div class="wide">breit</div>
<figure id="abb-1"><svg viewBox="0 0 1000 100" style="width: 300px">
<text x="5" y="50" font-size="20">winzig</text></svg></figure>
<figure id="abb-2"><svg viewBox="0 0 100 100" style="width: 100px"><g id="text_1">
<!-- Pfadtext --><g transform="translate(5 50) scale(0.05 -0.05)">
<path d="M 0 0 L 50 0 L 50 70 L 0 70 z"/></g></g></svg></figure>
<figure id="abb-3"><svg viewBox="0 0 150 100" style="width: 300px">
<text x="10" y="30" font-size="10">Eins</text><text x="20" y="32" font-size="10">Zwei</text>
<line x1="0" y1="60" x2="150" y2="60" stroke="black"/>
<text x="10" y="64" font-size="10">Linie</text>
<rect x="100" y="70" width="20" height="20" fill="#00529f"/>
<text x="90" y="84" font-size="10">Rand</text></svg></figure>
<figure class="table-figure" id="t1"><div class="table-scroll">schmal</div>
<p class="scroll-hint">wischen</p></figure>
<figure class="table-figure" id="t2"><div class="table-scroll" tabindex="0"
style="overflow-x: auto; width: 100px"><p style="width: 300px">breit</p></div>
<p class="scroll-hint" hidden>wischen</p></figure>
</main></body></html>
"""


@pytest.fixture(scope="session")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("probe")
    (folder / "good.html").write_text(GOOD, encoding="utf-8")
    (folder / "bad.html").write_text(BAD, encoding="utf-8")
    with serve(folder) as url:
        yield url


def test_checks_pass_a_good_page(tab: Page, probe: str) -> None:
    checks = [
        axe_problems,
        overflow_problems,
        chart_text_problems,
        chart_collision_problems,
        scroll_hint_problems,
        reference_problems,
    ]
    for check in [*checks, keyboard_problems]:
        assert check(tab, probe + "good.html") == [], check.__name__


def test_checks_find_the_faults_of_a_bad_page(tab: Page, probe: str) -> None:
    url = probe + "bad.html"
    axe = axe_problems(tab, url)
    assert [line.split(" ")[:4] for line in axe] == [
        ["bei", str(width), "px:", "image-alt"] for width in (PHONE, DESKTOP)
    ]
    assert "img" in axe[0]
    overflow = overflow_problems(tab, url)
    assert [line.split(":")[0] for line in overflow] == [
        f"bei {w} px ist die Seite 708 px breit" for w in WIDTHS if w < 708
    ]
    assert "div.wide „breit“ bis 708 px" in overflow[0]
    text = chart_text_problems(tab, url)
    assert text[0].startswith("abb-1: 1 von 1 Texten kleiner als 11 px")
    assert "„winzig“ 6.0 px" in text[0]
    assert text[1].startswith("abb-2: Diagrammtext ist als Pfade gezeichnet")
    assert "„Pfadtext“ 5.0 px" in text[2]
    assert chart_collision_problems(tab, url) == [
        f"{chart} bei {width} px: {problem}"
        for width, minimum in ((375, 11), (1280, 12))
        for chart, problem in (
            ("abb-1", f"„winzig“ ist 6.0 groß (mindestens {minimum})"),
            ("abb-3", "„Eins“ überdeckt „Zwei“"),
            ("abb-3", "eine Linie läuft durch „Linie“"),
            ("abb-3", "„Rand“ ragt über den Rand einer Fläche"),
        )
    ]
    assert reference_problems(tab, url) == [
        "geladen fehlt.css: HTTP 404",
        "geladen fehlt.png: HTTP 404",
        "a bad.html#nirgends: Sprungziel #nirgends fehlt auf der Seite",
        "a weg.html: HTTP 404",
        "img fehlt.png: HTTP 404",
        "link fehlt.css: HTTP 404",
    ]
    assert scroll_hint_problems(tab, url) == [
        f"bei {w} px: {t}"
        for w in WIDTHS
        for t in (
            "figure#t1.table-figure „schmal wischen“ scrollt nicht, mit Wischhinweis",
            "figure#t2.table-figure „breit wischen“ scrollt, ohne Wischhinweis",
        )
    ]
    keyboard = keyboard_problems(tab, url)
    assert keyboard == [
        "kein sichtbarer Fokus an a „Sprung“ (outline none 3px, box-shadow none)",
        "kein sichtbarer Fokus an a „Weg“ (outline none 3px, box-shadow none)",
        "Tab erreicht 2 von 3 sichtbaren Links; nicht erreicht: a „Maus“",
    ]


PRINT_VIEW = """() => {
  const shown = (sel) => [...document.querySelectorAll(sel)].some(
    (e) => getComputedStyle(e).display !== 'none');
  const link = document.querySelector('footer a[href^="http"]');
  return {
    navigation: shown('.site-nav, nav.toc, section.downloads, nav.legal, .skip'),
    narrowCharts: shown('.chart-narrow'),
    wideCharts: shown('.chart-wide'),
    charts: document.querySelectorAll('.chart-wide').length > 0,
    scrolling: [...document.querySelectorAll('.table-scroll')].some(
      (e) => getComputedStyle(e).overflowX !== 'visible'),
    linkTarget: link ? getComputedStyle(link, '::after').content : '',
  };
}"""


@pytest.mark.parametrize("name", PROGRAMMES)
def test_browser_print_view(tab: Page, site: str, name: str) -> None:
    """Printing the web page: no navigation, page-wide charts, whole tables, URLs written out."""
    tab.emulate_media(media="print")
    try:
        open_page(tab, f"{site}{name}/index.html", DESKTOP)
        view = tab.evaluate(PRINT_VIEW)
    finally:
        tab.emulate_media(media="screen")
    assert view["navigation"] is False and view["scrolling"] is False
    assert (view["narrowCharts"], view["wideCharts"]) == (False, view["charts"])
    assert view["linkTarget"].startswith('" (http')
