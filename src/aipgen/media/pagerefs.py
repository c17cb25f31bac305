"""Page references (`target-counter(attr(href), page)`: the contents' page numbers, "(S. 12)"
after a cross-reference) resolved in one repagination of WeasyPrint's instead of two.

WeasyPrint (68 to 70 at least) lays out the pages once, then lays out again each page whose
page references changed, until none changes. Two slips in its formatting step
(`formatting_structure/build.py`, `compute_content_list`) make that cost a pass more:

- the anchor of `target-counter(attr(href), page)` is named from the unresolved `attr()`
  token, which names nothing, so no laid-out target ever tells the referring page that its
  number is known;
- the list of the target's missing counters is bound to the name of the box's own missing
  counters, so every page reference also counts as a `counter(page)` of the page it stands on.

Together they still give the right numbers: the second slip has every page with a reference
laid out again while its own page counter differs from the one it saw last, so it is laid out
twice more (a sample programme's 22 pages: 32 page layouts, 10 of them again). With both mended, the
target tells the page that refers to it, which is laid out once more, and only if its number
changed (27 page layouts); the pages are the same.

The mend wraps three functions of `weasyprint.css.targets` once per process: the anchor an
`attr()` token resolves to is remembered while a box's content is built, and a box's own missing
counters are not taken to be a target's. Where WeasyPrint is not as expected (another version),
nothing is changed, and it paginates as ever.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

# The anchor the last `attr()` token of a target-counter resolved to, while a box's content
# is built (WeasyPrint builds one box's content at a time, in one thread).
_RESOLVED: list[Any] = [None]
TOTAL = "pages"  # WeasyPrint's counter of all pages


@functools.cache
def install() -> bool:
    """Mend WeasyPrint's page references (once per process); False when its functions are not
    where this version of aipgen expects them."""
    try:
        from weasyprint.css import targets
    except ImportError:
        return False
    collector = getattr(targets, "TargetCollector", None)
    needed = (
        callable(getattr(targets, "anchor_name_from_token", None))
        and callable(getattr(collector, "lookup_target", None))
        and callable(getattr(collector, "collect_missing_counters", None))
        and callable(getattr(collector, "cache_target_page_counters", None))
    )
    if not needed:
        return False
    targets.anchor_name_from_token = naming_resolved(targets.anchor_name_from_token)
    collector.lookup_target = remembering(collector.lookup_target)  # type: ignore[union-attr]
    collector.collect_missing_counters = own_counters_apart(  # type: ignore[union-attr]
        collector.collect_missing_counters  # type: ignore[union-attr]
    )
    collector.cache_target_page_counters = told_when_changed(  # type: ignore[union-attr]
        collector.cache_target_page_counters  # type: ignore[union-attr]
    )
    return True


def remembering(lookup: Any) -> Any:
    """TargetCollector.lookup_target that remembers the anchor an `attr()` token named."""

    @functools.wraps(lookup)
    def lookup_target(self: Any, anchor_token: Any, source_box: Any, *args: Any) -> Any:
        _RESOLVED[0] = None
        if anchor_token[0] == "attr()":
            name, _kind, fallback = anchor_token[1]
            value = source_box.element.get(name, fallback)
            _RESOLVED[0] = value[1:] if isinstance(value, str) and value.startswith("#") else None
        return lookup(self, anchor_token, source_box, *args)

    return lookup_target


def naming_resolved(anchor_name: Any) -> Any:
    """anchor_name_from_token that names, for an `attr()` token, the anchor it resolved to."""

    @functools.wraps(anchor_name)
    def anchor_name_from_token(anchor_token: Any) -> Any:
        if anchor_token[0] == "attr()":
            return _RESOLVED[0]
        return anchor_name(anchor_token)

    return anchor_name_from_token


def own_counters_apart(collect: Any) -> Any:
    """TargetCollector.collect_missing_counters that does not take a target's missing counters
    for the box's own (the list it gets is then one of the target lists itself)."""

    @functools.wraps(collect)
    def collect_missing_counters(
        self: Any, box: Any, token: Any, parse_again: Any, own: Any, of_targets: Any
    ) -> Any:
        if any(own is missing for missing in of_targets.values()):
            own = []
        return collect(self, box, token, parse_again, own, of_targets)

    return collect_missing_counters


def told_when_changed(cache: Any) -> Any:
    """TargetCollector.cache_target_page_counters that tells the pages referring to a target
    only when its page counters changed other than by the page total, which the first
    pagination does not know yet and which no page reference of theirs shows."""

    @functools.wraps(cache)
    def cache_target_page_counters(
        self: Any, anchor: Any, values: dict[str, Any], index: int, page_maker: Any
    ) -> Any:
        item = self.target_lookup_items.get(anchor)
        if self.collecting or item is None or item.state != "up-to-date":
            return cache(self, anchor, values, index, page_maker)
        if but_total(item.cached_page_counter_values) != but_total(values) or wants_total(
            self, anchor
        ):
            return cache(self, anchor, values, index, page_maker)
        item.page_maker_index = index
        item.cached_page_counter_values = copy.deepcopy(values)
        return None

    return cache_target_page_counters


def but_total(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if name != TOTAL}


def wants_total(collector: Any, anchor: Any) -> bool:
    """Whether a page reference to the anchor shows the page total (`target-counter(…,
    pages)`)."""
    return any(
        TOTAL in item.missing_target_counters.get(anchor, ())
        for item in collector.counter_lookup_items.values()
    )
