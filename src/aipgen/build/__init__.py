"""Build programmes: the stages of one programme in order, the build record that skips
what has not changed, workers for many programmes, atomic writes into output/.

Imports every room below it: media, charts, compute, design, content, base.
"""
