"""At most two hyphenated lines in a row, decided while WeasyPrint breaks the lines (CSS
`hyphenate-limit-lines: 2`, which WeasyPrint lacks).

WeasyPrint yields a paragraph's lines one by one (`iter_line_boxes`); the line after two lines
that ended hyphenated is broken with hyphenation off (`hyphens: none` for that line's text),
unless that would leave a gap justified text cannot close (more than LOOSEST of the line: a
long word moved down whole); as a typesetter would, a third hyphenated line is then allowed,
a fourth never.
A paragraph inside a line (an inline block, a footnote body) keeps its own count. It acts only
inside `limited()`, so WeasyPrint behaves as ever elsewhere in the process.

This reaches into WeasyPrint's layout modules: where they are not as expected (another
version), nothing is changed, and the PDF stage's check of the finished layout (ladders.py)
keeps the rule on its own, strictly, with a further layout.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from aipgen.design.ladders import MAX_HYPHENATED_LINES, SOFT_HYPHEN

# The share of the line an unhyphenated line may leave empty; with more, it is hyphenated.
LOOSEST = 0.15
# Per paragraph being broken into lines, innermost last: when its next line may not end
# hyphenated, the width of its lines (negative when it is past the one exception), else 0.
# Empty outside limited().
_NO_HYPHEN: list[float] = []
_ACTIVE: list[bool] = []


@contextmanager
def limited() -> Iterator[None]:
    """WeasyPrint's line breaking with the limit, inside the block."""
    installed = install()
    _ACTIVE.append(installed)
    try:
        yield
    finally:
        _ACTIVE.pop()


@functools.cache
def install() -> bool:
    """Wrap WeasyPrint's line iterator and first-line splitter (once per process); False when
    they are not where this version of aipgen expects them."""
    try:
        from weasyprint.layout import block, inline
    except ImportError:
        return False
    names = (block, "iter_line_boxes"), (inline, "iter_line_boxes"), (inline, "split_first_line")
    if not all(callable(getattr(module, name, None)) for module, name in names):
        return False
    lines, split = inline.iter_line_boxes, inline.split_first_line
    block.iter_line_boxes = inline.iter_line_boxes = counting(lines)
    inline.split_first_line = unhyphenated_when_due(split)
    return True


def counting(lines: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    def iter_line_boxes(*args: Any, **kwargs: Any) -> Iterator[Any]:
        produced = lines(*args, **kwargs)
        block = args[5] if len(args) > 5 else kwargs.get("containing_block")
        width = float(getattr(block, "width", 0) or 0)
        run = 0
        while True:
            due = bool(_ACTIVE and _ACTIVE[-1]) and run >= MAX_HYPHENATED_LINES
            exception = run == MAX_HYPHENATED_LINES and width > 0  # still allowed, if too loose
            _NO_HYPHEN.append(0.0 if not due else width if exception else -1.0)
            try:
                line, resume_at = next(produced)
            except StopIteration:
                return
            finally:
                _NO_HYPHEN.pop()
            run = run + 1 if ends_hyphenated(line) else 0
            yield line, resume_at

    return iter_line_boxes


def unhyphenated_when_due(split: Callable[..., Any]) -> Callable[..., Any]:
    def split_first_line(text: str, style: Any, *args: Any, **kwargs: Any) -> Any:
        if not (_NO_HYPHEN and _NO_HYPHEN[-1] != 0 and style["hyphens"] != "none"):
            return split(text, style, *args, **kwargs)
        result = unhyphenated(split, text, style, *args, **kwargs)
        if too_loose(result, args[1] if len(args) > 1 else kwargs.get("max_width"), _NO_HYPHEN[-1]):
            return split(text, style, *args, **kwargs)  # a third hyphenated line instead
        return result

    return split_first_line


def unhyphenated(
    split: Callable[..., Any], text: str, style: Any, *args: Any, **kwargs: Any
) -> Any:
    """The first line of the text with `hyphens: none`."""
    style = style.copy()
    style["hyphens"] = "none"
    if SOFT_HYPHEN not in text:
        return split(text, style, *args, **kwargs)
    # As WeasyPrint does for `hyphens: none`: the soft hyphens go (the text breaks at none of
    # them); the line's end and the next line's start are then given in the bytes of the text
    # as it came.
    shown = text.replace(SOFT_HYPHEN, "")
    layout, length, resume, *rest = split(shown, style, *args, **kwargs)
    return (layout, in_original(text, shown, length), in_original(text, shown, resume), *rest)


def too_loose(result: Any, max_width: Any, line_width: float) -> bool:
    """Whether the line, broken there unhyphenated, would leave more room than justified text
    can spread without gaps (more than LOOSEST of the line's width): then a third hyphenated
    line is the lesser fault."""
    _, _, resume, width, *_ = result
    if resume is None or not isinstance(max_width, (int, float)) or max_width == float("inf"):
        return False
    return line_width > 0 and bool(max_width - width > LOOSEST * line_width)


def in_original(text: str, shown: str, offset: int | None) -> int | None:
    """A byte offset into `shown` (the text without its soft hyphens) as the byte offset of
    the same character in `text`."""
    if offset is None:
        return None
    characters = len(shown.encode()[:offset].decode())
    kept = [i for i, character in enumerate(text) if character != SOFT_HYPHEN]
    at = kept[characters] if characters < len(kept) else len(text)
    return len(text[:at].encode())


def ends_hyphenated(line: Any) -> bool:
    """Whether a laid-out line ends in its hyphenate character after a letter (hyphenated;
    a line ending in a real hyphen, "Langzeit-" before "und", counts too: the next line then
    merely stays unhyphenated)."""
    texts = [box for box in line.descendants() if getattr(box, "text", "")]
    if not texts:
        return False
    last = texts[-1]
    mark = last.style["hyphenate_character"]
    text = last.text.replace(SOFT_HYPHEN, "")
    return (
        bool(mark)
        and text.endswith(mark)
        and text[: -len(mark)][-1:].isalpha()
        and last.style["hyphens"] != "none"
    )
