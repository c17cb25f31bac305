"""Turn a programme folder into a typed, checked model: files read inside the folder,
YAML and CSV with source lines, Markdown chapters and their directives, images, the
models of programm.yaml, tables, charts and key figures, the layouts and colour profiles
they name.

Imports aipgen.base.
"""
