"""Page make-up decided by measuring the laid-out pages: find the white a typesetter would send
back, mark the HTML so the next layout avoids it, lay out again (media/pdf.py).

The cases, each within a chapter or the front matter (chapters start on a new page unless
make-up lets them follow, so each is measured on its own):

- A gap: a page filled below FILL_MIN because the table or chart that opens the next page did
  not fit below its text. The figure moves down past the paragraphs and lists that follow it in
  its section (a run-in heading, h5 or h6, together with the block after it), as many as fill
  the white, so the text flows on to fill the page (a float, as typesetters place figures;
  never before the text it follows, never past a section heading, never between a heading and
  its text, its number unchanged). A chart is never made smaller: every chart of a document
  keeps the one width and type scale it is drawn at (charts/draw.py).
- A gap before a table that nothing can move past (a chapter that holds only a heading and its
  table, as slides often do): the table is set in smaller type, at least TABLE_TYPE_MIN of its
  size, so that it fits below its heading instead of leaving the heading alone on the page.
- A lone heading: a heading is the last thing on a page and what it heads did not fit below it
  (nor could be made to fit as above; a chain of headings kept together, as a chapter title
  right above a section title, lets WeasyPrint break only after the last). The heading starts
  the next page instead (class "umbruch" in seiten.css).
- A stub: the chapter's last page holds a few lines only (below STUB_MAX). The paragraphs of
  the page before with the shortest last lines are set a little tighter (class "eng" in
  seiten.css), each losing a line, until the tail fits. Where the page before has no such
  paragraphs (a table fills it), the next chapter follows on the stub page instead of starting
  a new one (a section that starts "automatisch" becomes "start-fortlaufend"; see layout.yaml
  "kapitelanfang"). A contents page that is a stub lets the
  lists of tables and figures (or, without lists, the imprint) follow on it.
- A short programme (its chapters on at most SHORT_DOCUMENT pages): every chapter after the
  first follows on, so a few pages of text do not spread over twice as many.

What is measured: the bottom of the last line, picture or table row on a page, plus the
footnote area, against the page's content area; the figure that opens a page. The numbers come
from WeasyPrint's box tree (its pages' private `_page_box`, as ladders.py reads it); the
decisions depend only on rounded measurements, so the same input gives the same pages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

FILL_MIN = 0.6  # a page in the middle of a chapter filled less than this is a gap
STUB_MAX = 0.25  # a chapter's last page filled less than this is a stub
TABLE_TYPE_MIN = 0.8  # a table's type is set at least this large to fit
# a table's height shrinks less than its type (rules, padding and the caption do not scale):
# the type is made this many times as much smaller as the height must be
TABLE_TYPE_FACTOR = 1.5
MAX_TIGHTENED = 6  # paragraphs set tighter at most, for one stub
SHORT_DOCUMENT = 6  # pages of chapters at most that make a programme short
SHORT_LAST_LINE = 0.4  # a paragraph whose last line fills less than this of the measure
TIGHT_CLASS = "eng"
BREAK_CLASS = "umbruch"
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
HEADING = re.compile(r"<(h[2-6])(?=[\s>])([^>]*)>")
PARAGRAPH = re.compile(r"<p(?=[\s>])([^>]*)>")
CHAPTER = re.compile(r'<section class="chapter start-([a-z_]+)')
CONTENTS = '<nav class="toc"'  # the contents (the lists are "toc lot")
FOLLOWS_CONTENTS = frozenset({"lot", "imprint"})  # what may follow a short contents page
MOVABLE_PAST = ("p", "ul", "ol")  # what a figure may move down past
MINOR_HEADINGS = ("h5", "h6")  # unnumbered run-in headings: moved past with their first block
BLOCK_START = re.compile(r"\s*<(p|ul|ol|h5|h6)\b")
AUTOMATIC = "automatisch"  # a chapter start that make-up may turn into FOLLOW
FOLLOW = "fortlaufend"
CLASS = re.compile(r'\bclass="([^"]*)"')


@dataclass(frozen=True)
class Smaller:
    """A table set in type of `size` CSS px."""

    figure: str  # the figure's id
    size: float


@dataclass(frozen=True)
class Move:
    """A figure moved down past the `past` blocks that follow it."""

    figure: str  # the figure's id
    past: int


@dataclass
class Edits:
    move: list[Move] = field(default_factory=list)
    smaller: list[Smaller] = field(default_factory=list)
    break_before: set[int] = field(default_factory=set)  # headings, by their index in the page
    tighten: set[int] = field(default_factory=set)  # paragraphs, by their index in the page
    follow: set[int] = field(default_factory=set)  # chapters, by their index, that follow on
    lists_follow: bool = False  # the lists (or the imprint) follow on the contents page

    def add_fit(self, page: Page, after: Page) -> bool:
        """Whatever lets the figure that opens `after` fill the white at the foot of `page`:
        the figure moved down past the text after it, or a table in smaller type."""
        moves = moved_past(page, after)
        smaller = None if moves else set_smaller(page, after.opener)
        self.move += moves
        self.smaller += [smaller] if smaller else []
        return bool(moves or smaller)

    def __bool__(self) -> bool:
        return any(vars(self).values())


@dataclass(frozen=True)
class Page:
    number: int
    height: float  # of the content area
    used: float  # from the content area's top: last content plus footnotes
    chapter_start: int | None  # the index of the chapter that starts on it
    automatic: list[bool]  # by chapter: whether it starts "automatisch" (make-up may change it)
    opener: Any  # the box of the figure that opens the page, or None
    following: tuple[float, ...]  # the heights of the paragraphs and lists right after it
    paragraphs: tuple[tuple[int, float, int], ...]  # (index, last line's share, lines) on it
    line: float  # the height of a line of text on it (0 without one)
    front: frozenset[str] = frozenset()  # "toc", "lot" (a list), "imprint" where they stand
    lone_heading: int | None = None  # the heading (its index) that ends the page, if one does

    @property
    def fill(self) -> float:
        return self.used / self.height if self.height else 1.0


def measured(document: Any) -> list[Page]:
    """Every page of a WeasyPrint document, measured."""
    from weasyprint.formatting_structure import boxes

    tree = document._html.etree_element
    index = {id(p): n for n, p in enumerate(tree.iter("p"))}
    headings = {id(h): n for n, h in enumerate(e for e in tree.iter() if e.tag in HEADINGS)}
    chapters = [s for s in tree.iter("section") if "chapter" in classes(s)]
    automatic = [f"start-{AUTOMATIC}" in classes(s) for s in chapters]
    pages = []
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        top = box.content_box_y()
        placed = list(leaves(box.children[0], None, boxes))
        bottoms = [leaf.position_y + leaf.margin_height() for leaf, _ in placed]
        notes = sum(c.margin_height() for c in box.children if isinstance(c, boxes.FootnoteAreaBox))
        used = (max(bottoms) - top if bottoms else 0.0) + notes
        lines = [b for b in box.descendants() if isinstance(b, boxes.LineBox)]
        pages.append(
            Page(
                number,
                box.height,
                used,
                starts_chapter(box.children[0], chapters),
                automatic,
                *opener(box.children[0], top, boxes),
                tuple(paragraph_lines(box.children[0], index, boxes)),
                max((b.height for b in lines), default=0.0),
                front_matter(box.children[0]),
                lone_heading(placed, headings),
            )
        )
    return pages


def lone_heading(placed: list[tuple[Any, Any]], headings: dict[int, int]) -> int | None:
    """The heading whose lines end the page's content in reading order, where other content
    stands before it on the page (`placed`: the page's leaves)."""
    if len(placed) < 2 or placed[-1][1] is None:
        return None
    return headings.get(id(placed[-1][1]))


def leaves(root: Any, heading: Any, boxes: Any) -> Iterator[tuple[Any, Any]]:
    """The lines, pictures and table rows in the normal flow, in reading order, each with the
    heading element it stands in (or None)."""
    if root.style["position"] in ("absolute", "fixed"):
        return
    if getattr(root, "element_tag", None) in HEADINGS and isinstance(root, boxes.BlockBox):
        heading = root.element
    if isinstance(root, (boxes.LineBox, boxes.ReplacedBox, boxes.TableRowBox)):
        yield root, heading
        return
    for child in getattr(root, "children", []):
        yield from leaves(child, heading, boxes)


def starts_chapter(root: Any, chapters: list[Any]) -> int | None:
    """The chapter whose heading (the first child of a section.chapter) stands on the page."""
    for box in root.descendants():
        element: Any = getattr(box, "element", None)
        if getattr(box, "element_tag", None) == "section" and "chapter" in classes(element):
            first = next(iter(element), None)
            if any(getattr(b, "element", None) is first for b in box.descendants()):
                return next(n for n, chapter in enumerate(chapters) if chapter is element)
            return None
    return None


def opener(root: Any, top: float, boxes: Any) -> tuple[Any, tuple[float, ...]]:
    """The figure (chart or table) that opens the page, if one does, and the heights of the
    paragraphs and lists that follow it in its section on the page."""
    for parent in root.descendants():
        children = [c for c in getattr(parent, "children", []) if isinstance(c, boxes.BlockBox)]
        for n, box in enumerate(children):
            if box.position_y > top + 1 or box.element_tag != "figure":
                continue
            if not {"chart", "table-figure"} & set(classes(box.element)):
                continue
            return box, tuple(unit_heights(children[n + 1 :]))
    return None, ()


def unit_heights(siblings: list[Any]) -> Iterator[float]:
    """The heights of the paragraphs and lists that follow a figure, each minor heading counted
    with the block after it (a figure never comes between a heading and its text)."""
    heading = 0.0
    for sibling in siblings:
        if sibling.element_tag in MINOR_HEADINGS and not heading:
            heading = sibling.margin_height()
            continue
        if sibling.element_tag not in MOVABLE_PAST:
            return
        yield heading + sibling.margin_height()
        heading = 0.0


Placed = tuple[int, float, int]  # a paragraph's index, its last line's share, its lines


def paragraph_lines(root: Any, index: dict[int, int], boxes: Any) -> Iterator[Placed]:
    """Paragraphs on the page: their index among the document's paragraphs, how much of the
    measure their last line here fills, and their lines here."""
    for box in root.descendants():
        if getattr(box, "element_tag", None) != "p" or not isinstance(box, boxes.BlockBox):
            continue
        lines = [c for c in box.children if isinstance(c, boxes.LineBox)]
        if lines and id(box.element) in index:
            last = lines[-1]
            share = sum(c.margin_width() for c in last.children) / max(box.width, 1)
            yield index[id(box.element)], share, len(lines)


def front_matter(root: Any) -> frozenset[str]:
    """Which of the contents ("toc"), the lists ("lot") and the imprint ("imprint") stand on
    the page."""
    found = set()
    for box in root.descendants():
        tag, named = getattr(box, "element_tag", None), classes(getattr(box, "element", None))
        if tag == "nav" and "toc" in named:
            found.add("lot" if "lot" in named else "toc")
        if tag == "section" and "imprint" in named:
            found.add("imprint")
    return frozenset(found)


def classes(element: Any) -> list[str]:
    return str(element.get("class", "")).split() if element is not None else []


def edits(pages: list[Page]) -> Edits:
    """What the next layout should do differently."""
    found = Edits()
    for before, page, after in zip(pages, pages[1:], pages[2:], strict=False):
        fits = page.fill < FILL_MIN and after.chapter_start is None and after.opener is not None
        if not (fits and found.add_fit(page, after)) and page.lone_heading is not None:
            found.break_before.add(page.lone_heading)
        if page.fill < STUB_MAX and after.chapter_start is not None and page.chapter_start is None:
            tighter = tightened(before, page)
            found.tighten |= tighter
            if not tighter and after.automatic[after.chapter_start]:
                found.follow.add(after.chapter_start)
        if page.fill < STUB_MAX and page.front == {"toc"} and after.front & FOLLOWS_CONTENTS:
            found.lists_follow = True
    chapters = [p.chapter_start for p in pages if p.chapter_start is not None]
    text_pages = len(pages) - next((p.number for p in pages if p.chapter_start is not None), 0)
    if len(chapters) > 1 and text_pages <= SHORT_DOCUMENT:
        found.follow |= {n for n in chapters[1:] if pages[0].automatic[n]}
    return found


def deficit(page: Page, figure: Any) -> float:
    """How much higher the figure (with its top margin) is than the white at the page's foot."""
    margin = figure.style["margin_top"]
    space = margin.value * (figure.style["font_size"] if margin.unit == "em" else 1)
    return float(figure.border_height() + space - (page.height - page.used))


def set_smaller(page: Page, figure: Any) -> Smaller | None:
    """The table's type size that lets it fit in the page's white, if at least TABLE_TYPE_MIN
    of its size now."""
    table = next((b for b in figure.descendants() if b.element_tag == "table"), None)
    if table is None or "table-figure" not in classes(figure.element):
        return None
    scale = 1 - TABLE_TYPE_FACTOR * deficit(page, figure) / figure.border_height()
    if scale < TABLE_TYPE_MIN:
        return None
    return Smaller(
        str(figure.element.get("id")), math.floor(table.style["font_size"] * scale * 10) / 10
    )


def moved_past(page: Page, after: Page) -> list[Move]:
    """The move of the figure that opens `after` past as many of the blocks that follow it as
    fill the white at the foot of `page`."""
    white, past = page.height - page.used, 0
    for height in after.following:
        if height > white:
            break
        white, past = white - height, past + 1
    return [Move(str(after.opener.element.get("id")), past)] if past else []


def tightened(before: Page, stub: Page) -> set[int]:
    """The paragraphs of the page before a stub that, set tighter, take the stub's lines."""
    if not before.line:
        return set()
    needed = math.ceil((stub.used - (before.height - before.used)) / before.line)
    short = sorted(
        (share, n) for n, share, lines in before.paragraphs if share < SHORT_LAST_LINE and lines > 1
    )
    if needed <= 0 or len(short) < needed or needed > MAX_TIGHTENED:
        return set()
    return {n for _, n in short[:needed]} | {n for n, _, _ in stub.paragraphs}


def apply(page: str, found: Edits) -> str:
    """The HTML with the edits marked."""
    for move in found.move:
        page = moved(page, move)
    for smaller in found.smaller:
        page = set_in(page, smaller)
    if found.tighten:
        count = iter(range(len(page)))
        page = PARAGRAPH.sub(lambda m: tight(m, next(count), found.tighten), page)
    if found.follow:
        count = iter(range(len(page)))
        page = CHAPTER.sub(lambda m: followed(m, next(count), found.follow), page)
    if found.lists_follow:
        page = page.replace(CONTENTS, f'<nav class="toc {FOLLOW}"', 1)
    if found.break_before:
        count = iter(range(len(page)))
        page = HEADING.sub(lambda m: broken(m, next(count), found.break_before), page)
    return page


def broken(match: re.Match[str], number: int, chosen: set[int]) -> str:
    if number not in chosen:
        return match.group(0)
    return f"<{match.group(1)}{with_class(match.group(2), BREAK_CLASS)}>"


def with_class(attributes: str, name: str) -> str:
    """An element's attributes with one class more."""
    found = CLASS.search(attributes)
    if found:
        return CLASS.sub(f'class="{found.group(1)} {name}"', attributes, count=1)
    return f'{attributes} class="{name}"'


def followed(match: re.Match[str], number: int, chosen: set[int]) -> str:
    if number not in chosen or match.group(1) != AUTOMATIC:
        return match.group(0)
    return f'<section class="chapter start-{FOLLOW}'


def moved(page: str, move: Move) -> str:
    """The HTML with the figure cut out and put back after the blocks it moves past."""
    named = page.find(f'id="{move.figure}"')
    start = page.rfind("<figure", 0, named)
    if named < 0 or start < 0:
        return page
    end = page.index("</figure>", start) + len("</figure>")
    at = end
    for _ in range(move.past):
        at = unit_end(page, at)
        if at < 0:
            return page
    return page[:start] + page[end:at].lstrip("\n") + "\n" + page[start:end] + page[at:]


def unit_end(page: str, at: int) -> int:
    """Where the paragraph or list at `at` ends, or, for a minor heading, the block after it."""
    found = BLOCK_START.match(page, at)
    end = block_end(page, at)
    if found and found.group(1) in MINOR_HEADINGS and end >= 0:
        return block_end(page, end)
    return end


def block_end(page: str, at: int) -> int:
    """Where the paragraph or list that starts at `at` (after white space) ends; -1 if none
    starts there."""
    found = BLOCK_START.match(page, at)
    if not found:
        return -1
    tag = found.group(1)
    opening, closing = re.compile(rf"<{tag}\b"), f"</{tag}>"
    depth, position = 0, found.start(1) - 1
    while True:
        close = page.find(closing, position)
        if close < 0:
            return -1
        depth += len(opening.findall(page, position, close)) - 1
        position = close + len(closing)
        if depth <= 0:
            return position


def set_in(page: str, smaller: Smaller) -> str:
    start = page.find(f'id="{smaller.figure}"')
    tag = '<table class="data"'
    at = page.find(tag, start)
    if start < 0 or at < 0:
        return page
    return page[:at] + f'{tag} style="font-size: {smaller.size:g}px"' + page[at + len(tag) :]


def tight(match: re.Match[str], number: int, chosen: set[int]) -> str:
    if number not in chosen:
        return match.group(0)
    return f"<p{with_class(match.group(1), TIGHT_CLASS)}>"
