"""Turn a programme folder into a typed, checked model: the models of programm.yaml, tables,
charts and key figures, their loading with source lines and their validation in German; the
layouts and colour profiles they name, the accessibility statement and Leichte Sprache.

Two packages hold what this room builds on: `safe` reads the folder's untrusted files (text,
YAML, SVG, images, CSV), `text` turns chapter Markdown into tokens.

Imports aipgen.base.
"""
