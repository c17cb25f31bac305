"""At most two hyphenated lines in a row, decided while WeasyPrint breaks the lines (CSS
`hyphenate-limit-lines: 2`, which WeasyPrint lacks).

WeasyPrint yields a paragraph's lines one by one (`iter_line_boxes`); the line after two lines
that ended hyphenated is broken with hyphenation off (`hyphens: none` for that line's text).
A paragraph inside a line (an inline block, a footnote body) keeps its own count. It acts only
inside `limited()`, so WeasyPrint behaves as ever elsewhere in the process.

This reaches into WeasyPrint's layout modules: where they are not as expected (another
version), nothing is changed, and the PDF stage's check of the finished layout (ladders.py)
keeps the rule on its own, with a further layout.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .ladders import MAX_HYPHENATED_LINES, SOFT_HYPHEN

# Per paragraph being broken into lines, innermost last: whether its next line may not end
# hyphenated. Empty outside limited().
_NO_HYPHEN: list[bool] = []
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
        run = 0
        while True:
            _NO_HYPHEN.append(bool(_ACTIVE and _ACTIVE[-1]) and run >= MAX_HYPHENATED_LINES)
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
        if _NO_HYPHEN and _NO_HYPHEN[-1] and style["hyphens"] != "none":
            style = style.copy()
            style["hyphens"] = "none"
        return split(text, style, *args, **kwargs)

    return split_first_line


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
