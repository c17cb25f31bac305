"""What every room uses: content errors with their position, limits, German numbers,
numbering styles, signals and temporary files, where the design files live, files kept between
runs, the registry of output formats (whose renderers in aipgen.media it names, not imports),
and WeasyPrint imported without the slow search for its C libraries.

Imports nothing else of aipgen.
"""
