"""Turn a validated programme into a document: numbered chapters, computed tables
(formulas, sums, checks), lists of tables and figures, last year's figures compared.

Imports aipgen.content and aipgen.base.
"""
