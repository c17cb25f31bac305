"""Charts as SVG for screen and print: drawn with matplotlib, kept in a cache by the
hash of their data and style, with alt texts.

Imports aipgen.design, aipgen.content and aipgen.base.
"""
