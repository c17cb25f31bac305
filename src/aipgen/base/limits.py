"""Limits on content input, in one place: what a programme folder may hold at most.

They keep a hostile or broken file from exhausting memory or time. docs/anleitung.md lists them
for editors ("Fehlermeldungen verstehen"); change both together.
"""

from __future__ import annotations

# A YAML, Markdown or CSV file larger than this is refused before it is read.
MAX_FILE_BYTES = 5 * 1024 * 1024
# A YAML file may hold at most this many entries (keys, values, list items), counted with every
# alias (*name) written out; this refuses "billion laughs" files that are small on disk.
MAX_YAML_ENTRIES = 100_000
# YAML nesting deeper than this is refused (real content nests about five levels).
MAX_YAML_DEPTH = 50
# Lists, quotes, blocks, emphasis and links in a chapter may nest at most this many levels in
# one another (real chapters nest three or four: a list in a list, a bold word with a link).
# Below markdown-it's own limit of 20 token levels (a list level takes two), past which it
# drops the rest of the chapter without a word; and deeper nesting only costs: WeasyPrint lays
# out nested boxes recursively (about 900 levels end in a RecursionError).
MAX_MARKDOWN_DEPTH = 8
# One word (text without a space between) may hold at most this many marks: emphasis, links,
# code, images, footnote references (a real word holds one or two: **Job**Speed). WeasyPrint
# looks for a line break across all the marks of a word that does not fit, for each mark
# again: a word of 1,000 emphasised brackets took 10 s per PDF, of 10,000 over five minutes.
MAX_WORD_MARKS = 20
# Raster images (PNG, JPEG, …) may have at most this many pixels (width × height), read from
# the file header without decoding the image.
MAX_IMAGE_PIXELS = 50_000_000


def german_count(value: int) -> str:
    """100000 → "100.000" (for messages)."""
    return f"{value:,}".replace(",", ".")


def german_size(value: int) -> str:
    """Bytes → "5 MB" (for messages)."""
    return f"{value / (1024 * 1024):g} MB".replace(".", ",")
