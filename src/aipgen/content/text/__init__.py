"""Chapter text: Markdown into markdown-it tokens with directives, footnotes and references
(markdown), typographic quotes (quotes), blocks the PDFs keep together (blocks).

Imports aipgen.base and the modules of this package only.
"""
