"""The editor's verbs beside `build`: the live preview, a new programme from the
skeleton or last year's, figures imported from the Bundesagentur's statistics exports, the
JSON Schemas editors check their YAML with.

Imports aipgen.build and every room below it.
"""
