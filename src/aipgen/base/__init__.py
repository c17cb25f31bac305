"""What every room uses: content errors with their position, limits, German numbers,
numbering styles, signals and temporary files, where the design files live, files kept between
runs, and the registry of output formats (whose renderers in aipgen.media it names, not imports).

Imports nothing else of aipgen.
"""
