"""Make the website's fonts: each TTF in templates/fonts/ as a WOFF2 beside it, reduced to the
characters German and Western European text uses (about 5 % of the TTF's size).

The PDFs embed the TTFs (WeasyPrint subsets them to the glyphs a document uses); the website
gets the WOFF2 files instead (templates/common/web.css). Run after changing a font:

    .venv/bin/python tools/webfonts.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parents[1] / "templates" / "fonts"
# Basic Latin, Latin-1 and Latin Extended-A (names from all of Europe), general punctuation
# (dashes, quotes, bullets, thin and no-break spaces), superscripts, €, letterlike symbols (№),
# arrows, mathematical operators (≥, ≤, −), shapes.
RANGES = (
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x2000, 0x206F),
    (0x2070, 0x209F),
    (0x20AC, 0x20AC),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x25A0, 0x25FF),
)


def options() -> subset.Options:
    chosen = subset.Options()
    chosen.flavor = "woff2"
    chosen.layout_features = ["*"]  # kerning, ligatures, figures
    chosen.name_IDs = ["*"]  # the name table keeps the licence and copyright notes
    chosen.hinting = False
    return chosen


def web_font(ttf: Path) -> Path:
    font = TTFont(ttf, recalcTimestamp=False)  # the same bytes on every run
    subsetter = subset.Subsetter(options())
    subsetter.populate(unicodes=[c for start, end in RANGES for c in range(start, end + 1)])
    subsetter.subset(font)
    target = ttf.with_suffix(".woff2")
    font.flavor = "woff2"
    font.save(target, reorderTables=False)
    return target


def main() -> int:
    for ttf in sorted(FONTS.glob("*.ttf")):
        made = web_font(ttf)
        print(
            f"{made.name}: {made.stat().st_size // 1024} KB (aus {ttf.stat().st_size // 1024} KB)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
