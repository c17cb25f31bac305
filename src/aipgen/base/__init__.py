"""What every room uses: content errors with their position, limits, German numbers,
numbering styles, signals and temporary files, and where the design files live.

Imports nothing else of aipgen.
"""
