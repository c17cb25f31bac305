"""The output formats' renderers (the registry is aipgen.base.formats): the HTML of each
format (Jinja), the website's files, the screen PDF (PDF/UA-1) and the print PDF (PDF/X-4),
the overview page.

Imports aipgen.charts, aipgen.compute, aipgen.design, aipgen.content and aipgen.base.
"""
