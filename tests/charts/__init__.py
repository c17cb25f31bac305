"""Tests of aipgen.charts: charts as SVG, their cache, figures that match their tables."""
