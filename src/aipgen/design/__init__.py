"""Typesetting and colour that the design files decide: the chart palette (sRGB and
CMYK), German typography of prose, hyphenation patterns and limits.

Imports aipgen.base.
"""
