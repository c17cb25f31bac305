"""Tests of aipgen.base: German numbers, the registry of output formats, signals."""
