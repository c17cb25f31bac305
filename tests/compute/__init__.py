"""Tests of aipgen.compute: formulas, computed tables and their structures, numbering."""
