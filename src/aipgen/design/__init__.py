"""Typesetting and colour that the design files decide: the chart palette (sRGB and
CMYK), German typography of prose, hyphenation patterns and limits, the page make-up and the
further layouts it asks for (relayout.py: only the pages after a change laid out again).

Imports aipgen.base.
"""
