"""A further layout of HTML that changed in one place (the page make-up marks a few paragraphs,
moves a figure; ladders.py keeps a word whole) takes the pages before the change from the
layout before, and lays out only the rest.

WeasyPrint can do this within one layout: each page starts from a recorded state (where the
content resumes, which side, the page counters; `context.page_maker`), and when it repaginates
it keeps every page whose state and content did not change. Here the pages of the layout before
are handed to the next one the same way:

- The two HTML trees are compared in document order; the first element that differs (its tag,
  attributes, text, tail or number of children) is the change. The first page on which an
  element from there on stands, and the page before it (text may move back onto it), are laid
  out again, and so is everything after them.
- A page before those is kept when no footnote or broken float passes between it and its
  neighbours. Its anchors are entered as WeasyPrint would enter them when it lays the page out,
  so the pages that refer to them get the right numbers.
- Every target's page counters from the layout before are entered before anything is laid
  out, and so are the page references of the kept pages (the contents, "(S. 12)"): WeasyPrint
  lays a page with references out again only when one of its targets lands on another page.
- A kept page's boxes are those of the layout before, bound to the new tree's elements (the
  same place in the tree); its margin boxes are made anew. The layout before is used up: its
  document is not to be written any more.

WeasyPrint's repagination then proceeds as ever: a page laid out again whose end state equals
the recorded one lets the pages after it stand. The font files of the layout before stay as
long as a kept page: its boxes' styles hold their font configuration. With running elements
(`position: running()`, which aipgen's style sheets do not use) nothing is kept, and a full
layout is done.

The hooks wrap four functions of WeasyPrint's layout once per process and act only while
`recording()` is active; where WeasyPrint is not as expected (another version), nothing is
wrapped and every layout is a full one.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Record:
    """What one layout leaves for the next: its context, its root element and, per page, the
    page box as laid out before its margin boxes, and whether anything passes to the next
    page."""

    context: Any = None
    root: Any = None
    pages: list[tuple[Any, tuple[Any, ...], list[Any]]] = field(default_factory=list)
    passes_on: dict[int, bool] = field(default_factory=dict)
    laid_out: set[int] = field(default_factory=set)  # the pages WeasyPrint laid out (by index)
    seed: list[Any] = field(default_factory=list)  # the kept pages by index (None: laid out)

    @property
    def kept(self) -> int:
        """How many pages were taken from the layout before."""
        return sum(page is not None for page in self.seed)


@dataclass
class Layout:
    """A WeasyPrint document and what its layout leaves for the next."""

    document: Any
    record: Record

    @property
    def kept(self) -> int:
        return self.record.kept


TOTAL = "pages"  # WeasyPrint's counter of all pages
# The layout being recorded and the one it may reuse, while recording() is active.
_CURRENT: list[tuple[Record, Record | None]] = []


@contextmanager
def recording(earlier: Layout | None) -> Iterator[Record]:
    """Inside the block, WeasyPrint's layout is recorded in the record it yields, and takes
    the pages it may from `earlier`."""
    record = Record()
    active = install()
    _CURRENT.append((record, earlier.record if earlier is not None and active else None))
    try:
        yield record
    finally:
        _CURRENT.pop()


@functools.cache
def install() -> bool:
    """Wrap WeasyPrint's layout (once per process); False when its functions are not where
    this version of aipgen expects them."""
    try:
        from weasyprint import document
        from weasyprint import layout as layout_module
        from weasyprint.layout import page as page_module
    except ImportError:
        return False
    needed = (
        (document, "layout_document"),
        (layout_module, "initialize_page_maker"),
        (layout_module, "make_all_pages"),
        (page_module, "remake_page"),
        (page_module, "set_page_type_computed_styles"),
    )
    if not all(callable(getattr(module, name, None)) for module, name in needed):
        return False
    document.layout_document = recorded_layout(document.layout_document)
    layout_module.initialize_page_maker = seeded_page_maker(layout_module.initialize_page_maker)
    layout_module.make_all_pages = seeded_pages(layout_module.make_all_pages)
    page_module.remake_page = noting_what_passes_on(page_module.remake_page)
    return True


def current() -> tuple[Record, Record | None] | None:
    return _CURRENT[-1] if _CURRENT else None


def recorded_layout(layout_document: Any) -> Any:
    """layout_document that notes the layout's context and root element."""

    @functools.wraps(layout_document)
    def wrapped(html: Any, root_box: Any, context: Any, *args: Any, **kwargs: Any) -> Any:
        if (now := current()) is not None:
            now[0].context, now[0].root = context, html.etree_element
        return layout_document(html, root_box, context, *args, **kwargs)

    return wrapped


def noting_what_passes_on(remake_page: Any) -> Any:
    """remake_page that notes whether a footnote or a broken float passes on to the next page."""

    @functools.wraps(remake_page)
    def wrapped(index: int, context: Any, *args: Any) -> Any:
        made = remake_page(index, context, *args)
        if (now := current()) is not None:
            now[0].passes_on[index] = bool(context.reported_footnotes or context.broken_out_of_flow)
            now[0].laid_out.add(index)
        return made

    return wrapped


def seeded_page_maker(initialize: Any) -> Any:
    """initialize_page_maker that, for a layout after another, adds the recorded start of
    every page up to the change, marked for a new layout unless the page is kept."""

    @functools.wraps(initialize)
    def wrapped(context: Any, root_box: Any) -> None:
        initialize(context, root_box)
        now = current()
        if now is not None and now[1] is not None:
            record = now[0]
            record.seed = seed(now[1], context, root_box.element)
            # a kept page passes nothing on, for a layout after this one
            record.passes_on.update(
                {n: False for n, page in enumerate(record.seed) if page is not None}
            )

    return wrapped


def seeded_pages(make_all_pages: Any) -> Any:
    """make_all_pages that starts from the kept pages of the layout before, and records the
    pages it made before their margin boxes are added."""

    @functools.wraps(make_all_pages)
    def wrapped(context: Any, root_box: Any, html: Any, pages: list[Any]) -> Iterator[Any]:
        now = current()
        if now is None:
            yield from make_all_pages(context, root_box, html, pages)
            return
        record = now[0]
        if not pages and record.seed:
            pages = record.seed
            for page in pages:
                if page is not None:
                    page_type_styles(page.page_type, html, context.style_for)
        made = []
        for page in make_all_pages(context, root_box, html, pages):
            made.append(page)
            yield page
        record.pages = [
            (page, tuple(page.children), list(page.children[0].children)) for page in made
        ]

    return wrapped


def page_type_styles(page_type: Any, html: Any, style_for: Any) -> None:
    """The styles of a kept page's type, as WeasyPrint computes them when it lays a page out
    (its margin boxes need them)."""
    from weasyprint.layout import page as page_module

    page_module.set_page_type_computed_styles(page_type, html, style_for)


def seed(earlier: Record, context: Any, root: Any) -> list[Any]:
    """Enter the pages of `earlier` up to its change into `context`'s page maker; the pages
    kept, by index (None for those laid out again). Nothing kept: an empty list."""
    if earlier.context is None or any(earlier.context.running_elements.values()):
        return []
    old, new = list(earlier.root.iter()), list(root.iter())
    old_index = {id(element): n for n, element in enumerate(old)}
    first = first_page_from(earlier, old_index, first_difference(old, new))
    if first < 2:
        return []
    kept = keepable(earlier, first - 1)
    if not kept:
        return []
    records = earlier.context.page_maker
    lookups = Lookups(context, old_index, new)
    enter_targets(context, earlier)
    pages: list[Any] = []
    total = context.page_maker[0][3][1][TOTAL]  # the page total as the first pagination has it
    for index in range(first - 1):
        if index > 0:
            context.page_maker.append(seeded_entry(records[index], total, changed=False))
        state = context.page_maker[index][-1]
        keep = index in kept and lookups.enter(earlier, index, state)
        state["content_changed"] = not keep
        pages.append(restored(earlier.pages[index], old_index, new) if keep else None)
        if keep:
            enter_anchors(context, earlier, index, state)
    context.page_maker.append(seeded_entry(records[first - 1], total, changed=True))
    return pages


def remake(changed: bool) -> dict[str, Any]:
    return {"content_changed": changed, "pages_wanted": False, "anchors": [], "content_lookups": []}


def seeded_entry(entry: tuple[Any, ...], total: list[int], changed: bool) -> tuple[Any, ...]:
    """A page's recorded start, with the page total as the first pagination counts it (the
    layout before set its own total in when it was done), to be laid out again if `changed`."""
    resume_at, next_page, right_page, page_state, _ = entry
    page_state = copy.deepcopy(page_state)
    page_state[1][TOTAL] = list(total)
    return resume_at, next_page, right_page, page_state, remake(changed)


def first_difference(old: list[Any], new: list[Any]) -> int:
    """The index, in document order, of the first element that differs between the trees."""
    for index, (a, b) in enumerate(zip(old, new, strict=False)):
        if signature(a) != signature(b):
            return index
    return min(len(old), len(new))


def signature(element: Any) -> tuple[Any, ...]:
    return element.tag, dict(element.attrib), element.text, element.tail, len(element)


def first_page_from(earlier: Record, index: dict[int, int], change: int) -> int:
    """The index of the first page on which an element at or after `change` stands."""
    for number, (page, _, _) in enumerate(earlier.pages):
        for box in page.descendants(placeholders=True):
            element = getattr(box, "element", None)
            if element is not None and index.get(id(element), -1) >= change:
                return number
    return len(earlier.pages)


def keepable(earlier: Record, before: int) -> set[int]:
    """The pages before `before` that may be kept: nothing passes to or from them."""
    return {
        number
        for number in range(before)
        if not earlier.passes_on.get(number, True)
        and not (number > 0 and earlier.passes_on.get(number - 1, True))
    }


def restored(
    recorded: tuple[Any, tuple[Any, ...], list[Any]], old_index: dict[int, int], new: list[Any]
) -> Any:
    """A kept page as it was before its margin boxes, its boxes bound to the new elements."""
    page, children, root_children = recorded
    page.children = list(children)
    page.children[0].children = list(root_children)
    for box in page.descendants(placeholders=True):
        element = getattr(box, "element", None)
        if element is not None and id(element) in old_index:
            box.element = new[old_index[id(element)]]
    return page


def enter_targets(context: Any, earlier: Record) -> None:
    """Every target's page counters as the layout before had them, entered before anything is
    laid out: a page that refers to a target is laid out again only when the target's page
    changes (WeasyPrint tells it when it lays the target out), not merely because the new
    layout has not reached the target yet."""
    collector = context.target_collector
    entered = set()
    for anchor, before in earlier.context.target_collector.target_lookup_items.items():
        item = collector.target_lookup_items.get(anchor)
        if item is None or item.state != "up-to-date" or not before.cached_page_counter_values:
            continue
        item.cached_page_counter_values = copy.deepcopy(before.cached_page_counter_values)
        item.page_maker_index = before.page_maker_index
        entered.add(anchor)
    # the references' text with those numbers, as WeasyPrint sets it when a target is entered
    for (_, token), lookup in collector.counter_lookup_items.items():
        if token == "content" and entered & lookup.missing_target_counters.keys():
            lookup.parse_again(lookup.cached_page_counter_values or None)


class Lookups:
    """The new layout's page references (WeasyPrint's counter lookups), found by the element
    and pseudo-element they stand for."""

    def __init__(self, context: Any, old_index: dict[int, int], new: list[Any]) -> None:
        self.items = {
            (id(box.element), box.element_tag): item
            for (box, token), item in context.target_collector.counter_lookup_items.items()
            if token == "content"
        }
        self.old_index = old_index
        self.new = new

    def enter(self, earlier: Record, index: int, state: dict[str, Any]) -> bool:
        """The page references on a kept page entered as WeasyPrint's make_page enters them,
        with the page's counters, so that a change of their target's page has it laid out
        again; False (the page is laid out) where one of them is not found."""
        page = earlier.pages[index][0]
        sources = [box.missing_link for box in page.descendants(placeholders=True)]
        found = [self.item(source) for source in sources if source]
        if None in found:
            return False
        values = counters_after(earlier, index)
        for item in found:
            item.page_maker_index = index
            item.cached_page_counter_values = copy.deepcopy(values)
            item.pending = False
            item.parse_again(item.cached_page_counter_values)
            state["content_lookups"].append(id(item))
        return True

    def item(self, source: Any) -> Any:
        position = self.old_index.get(id(source.element))
        if position is None:
            return None
        return self.items.get((id(self.new[position]), source.element_tag))


def enter_anchors(context: Any, earlier: Record, index: int, state: dict[str, Any]) -> None:
    """The anchors first placed on a kept page, entered with the page's counters, as
    WeasyPrint's make_page enters them."""
    anchors = earlier.context.page_maker[index][-1]["anchors"]
    values = counters_after(earlier, index)
    state["anchors"] = list(anchors)
    for anchor in anchors:
        context.target_collector.cache_target_page_counters(
            anchor, values, index, context.page_maker
        )


def counters_after(earlier: Record, index: int) -> dict[str, Any]:
    """The page counters of a page of the layout before, as make_page leaves them."""
    values: dict[str, Any] = earlier.context.page_maker[index + 1][3][1]
    return values
